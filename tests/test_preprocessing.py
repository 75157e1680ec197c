"""Cleaning, the 122-column encoder, targets and the split, on small data made in code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kdd_utils import KDDError, read_kdd
from kdd_utils.preprocessing import (
    clean,
    make_preprocessor,
    make_targets,
    split_train_val_test,
    subsample,
    transform,
    unseen_categories,
)
from kdd_utils.schema import NUMERIC_FEATURES


@pytest.fixture
def frame(tmp_path, records, write_records):
    return read_kdd(write_records(tmp_path / "f", records(200)))


@pytest.mark.parametrize("scaling", ["minmax", "log-minmax", "standard"])
def test_exactly_122_named_columns_on_any_subset(frame, scaling):
    pre = make_preprocessor(scaling).fit(frame)
    names = list(pre.get_feature_names_out())
    assert len(names) == 122 == len(set(names))
    assert names[:3] == ["protocol_type_icmp", "protocol_type_tcp", "protocol_type_udp"]
    assert names[-38:] == list(NUMERIC_FEATURES)
    one_row = transform(pre, frame.iloc[:1])  # a subset with one service, one flag
    assert one_row.shape == (1, 122) and one_row.dtype == np.float32


def test_unseen_categories_become_zero_and_are_counted(frame):
    pre = make_preprocessor().fit(frame)
    odd = frame.iloc[:3].copy()
    odd["service"] = odd["service"].cat.add_categories(["icmp"])
    odd.loc[odd.index[:2], "service"] = "icmp"
    X = transform(pre, odd)
    names = list(pre.get_feature_names_out())
    service_cols = [i for i, n in enumerate(names) if n.startswith("service_")]
    assert len(service_cols) == 70
    assert X[:2, service_cols].sum() == 0 and X[2, service_cols].sum() == 1
    counts = unseen_categories(odd)
    assert counts.to_dict("records") == [{"feature": "service", "value": "icmp", "count": 2}]
    assert unseen_categories(frame).empty


def test_scaler_is_fitted_on_training_rows_only(frame):
    train, val, test = split_train_val_test(frame, random_state=1)
    pre = make_preprocessor().fit(train)
    scaler = pre.named_transformers_["scale"]
    np.testing.assert_array_equal(scaler.data_min_, train[list(NUMERIC_FEATURES)].min().to_numpy())
    np.testing.assert_array_equal(scaler.data_max_, train[list(NUMERIC_FEATURES)].max().to_numpy())
    Xtr = transform(pre, train)
    assert Xtr[:, -38:].min() >= 0 and Xtr[:, -38:].max() <= 1


def test_split_is_80_10_10_disjoint_seeded_and_stratified(frame):
    train, val, test = split_train_val_test(frame, random_state=3)
    assert (len(train), len(val), len(test)) == (160, 20, 20)
    assert not set(train.index) & set(val.index) and not set(val.index) & set(test.index)
    assert set(train.index) | set(val.index) | set(test.index) == set(frame.index)
    again = split_train_val_test(frame, random_state=3)
    assert list(again[0].index) == list(train.index)
    assert list(split_train_val_test(frame, random_state=4)[0].index) != list(train.index)
    for part in (train, val, test):  # every category of the 200 rows is in every part
        assert set(part["category"]) == set(frame["category"])


def test_split_rejects_bad_fractions(frame):
    with pytest.raises(KDDError, match="fractions"):
        split_train_val_test(frame, fractions=(0.8, 0.3, 0.1))
    with pytest.raises(KDDError, match="cannot split"):
        split_train_val_test(frame.iloc[:5])


def test_targets(frame):
    binary = make_targets(frame, "binary")
    multi = make_targets(frame, "multiclass")
    assert set(binary) == {0, 1} and set(multi) <= {0, 1, 2, 3, 4}
    assert ((frame["category"] == "normal").to_numpy() == (binary == 0)).all()
    assert (multi[(frame["category"] == "U2R").to_numpy()] == 4).all()
    with pytest.raises(KDDError, match="task='ternary'"):
        make_targets(frame, "ternary")


def test_clean_counts_and_optionally_drops_duplicates(frame):
    doubled = pd.concat([frame, frame.iloc[:7]], ignore_index=True)
    kept, report = clean(doubled)
    assert len(kept) == 207 and report.duplicates == 7 and report.dropped == 0
    dropped, report = clean(doubled, drop_duplicates=True)
    assert len(dropped) == 200 and report.dropped == 7 and report.rows_out == 200
    assert list(dropped.index) == list(range(200))


def test_subsample_keeps_every_category(frame):
    small = subsample(frame, 0.05, random_state=0)
    assert set(small["category"]) == set(frame["category"])
    assert small.index.is_monotonic_increasing
    with pytest.raises(KDDError, match="sample_fraction"):
        subsample(frame, 0)


def test_bad_scaling_name():
    with pytest.raises(KDDError, match="scaling='zscore'"):
        make_preprocessor("zscore")
