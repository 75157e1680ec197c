"""The real files: counts, categories, the 122 columns, load time."""

from __future__ import annotations

import time

import numpy as np
import pytest

from kdd_utils import REGISTRY, load
from kdd_utils.preprocessing import make_preprocessor, split_train_val_test, transform, unseen_categories
from kdd_utils.schema import NUMERIC_FEATURES

pytestmark = pytest.mark.realdata

RECORD_FILES = [n for n, f in REGISTRY.items() if f.fmt != "names"]


@pytest.fixture(scope="module")
def frames(real_data_dir):
    return {name: load(name, data_dir=real_data_dir, download=False) for name in RECORD_FILES}


def test_row_counts_and_every_label_categorised(frames):
    for name, frame in frames.items():
        assert len(frame) == REGISTRY[name].rows
        assert frame["category"].notna().all()
        assert frame["label"].nunique() >= 22


def test_known_category_counts(frames):
    counts = frames["kdd99-10pct"]["category"].value_counts().to_dict()
    assert counts == {"DoS": 391458, "normal": 97278, "Probe": 4107, "R2L": 1126, "U2R": 52}
    assert frames["nslkdd-test"]["category"].value_counts()["U2R"] == 200
    assert "difficulty" in frames["nslkdd-test21"] and frames["nslkdd-test21"]["difficulty"].max() <= 21


def test_122_columns_fitted_on_training_split_only(frames):
    train, val, test = split_train_val_test(frames["kdd99-10pct"], random_state=0)
    pre = make_preprocessor().fit(train)
    scaler = pre.named_transformers_["scale"]
    np.testing.assert_array_equal(scaler.data_max_, train[list(NUMERIC_FEATURES)].max().to_numpy())
    for name, frame in frames.items():
        assert transform(pre, frame.iloc[:2000]).shape == (min(2000, len(frame)), 122)
    unseen = unseen_categories(frames["kdd99-corrected"])
    assert unseen.to_dict("records") == [{"feature": "service", "value": "icmp", "count": 2}]


def test_kdd99_10pct_loads_in_under_10_seconds(real_data_dir):
    start = time.perf_counter()
    load("kdd99-10pct", data_dir=real_data_dir, download=False)
    assert time.perf_counter() - start < 10
