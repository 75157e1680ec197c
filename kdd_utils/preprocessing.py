"""Cleaning, the 122-column encoding, targets and the paper's shuffled 80/10/10 split.

The encoder is a scikit-learn `~sklearn.compose.ColumnTransformer`: one-hot encoding of
``protocol_type``, ``service`` and ``flag`` over the *fixed* vocabularies of
`kdd_utils.schema` (3 + 70 + 11 columns) and scaling of the 38 numeric features. Because the
vocabularies are fixed, every subset (train, validation, any test file) gets exactly the same
122 named columns; a category never seen in the full training data (e.g. service ``icmp`` in
KDD99 ``corrected``) becomes an all-zero block, and `unseen_categories` counts such values.
Fit it on training rows only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, StandardScaler

from .errors import KDDError
from .schema import (
    CATEGORICAL_FEATURES,
    CATEGORIES,
    FEATURE_NAMES,
    NORMAL,
    NUMERIC_FEATURES,
    VOCABULARIES,
)

Task = Literal["binary", "multiclass"]
TASKS: tuple[str, ...] = ("binary", "multiclass")
SCALINGS: tuple[str, ...] = ("minmax", "log-minmax", "standard")
#: Class names of each task, in the order of the integer targets.
CLASS_NAMES: dict[str, tuple[str, ...]] = {
    "binary": ("normal", "attack"),
    "multiclass": CATEGORIES,
}


@dataclass(frozen=True)
class CleaningReport:
    """What `clean` did: rows in, exact duplicates found and dropped, rows out."""

    rows_in: int
    duplicates: int
    dropped: int
    rows_out: int

    def as_dict(self) -> dict[str, int]:
        """The report as a plain dict (for tables and JSON)."""
        return asdict(self)


def duplicate_mask(frame: pd.DataFrame) -> np.ndarray:
    """Boolean mask of rows that repeat an earlier row exactly (41 features and label)."""
    return frame.duplicated(subset=[*FEATURE_NAMES, "label"], keep="first").to_numpy()


def clean(frame: pd.DataFrame, *, drop_duplicates: bool = False) -> tuple[pd.DataFrame, CleaningReport]:
    """Clean a validated frame from `kdd_utils.datasets`.

    Malformed rows never reach this point: the loader rejects them with a `KDDError`
    naming the line. Cleaning here is therefore only the optional removal of exact duplicate
    records (same 41 features and label), which the KDD99 files hold in large numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of `kdd_utils.datasets.load` or `read_kdd`.
    drop_duplicates : bool
        Keep only the first of each group of identical records.

    Returns
    -------
    (pandas.DataFrame, CleaningReport)
        The cleaned frame (fresh 0..n-1 index) and what was done.
    """
    missing = [c for c in (*FEATURE_NAMES, "label", "category") if c not in frame.columns]
    if missing:
        raise KDDError(f"the frame lacks the columns {missing}.",
                       fix="load data with kdd_utils.datasets.load or read_kdd.")
    dup = duplicate_mask(frame)
    out = frame.loc[~dup] if drop_duplicates else frame
    out = out.reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    report = CleaningReport(
        rows_in=len(frame), duplicates=int(dup.sum()),
        dropped=int(dup.sum()) if drop_duplicates else 0, rows_out=len(out),
    )
    return out, report


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise KDDError(f"{name}={value!r} is not valid.", fix=f"use one of: {', '.join(choices)}.")


def make_preprocessor(scaling: str = "minmax") -> ColumnTransformer:
    """Build the unfitted 122-column encoder.

    Parameters
    ----------
    scaling : {"minmax", "log-minmax", "standard"}
        How the 38 numeric features are scaled: min-max to [0, 1] (the paper's
        normalisation), ``log1p`` then min-max (tames the heavy-tailed byte counts), or
        standardisation.

    Returns
    -------
    sklearn.compose.ColumnTransformer
        Output: a dense float32 array with the 84 one-hot columns first
        (``protocol_type_tcp``, ...), then the 38 scaled numeric columns.
    """
    _check_choice("scaling", scaling, SCALINGS)
    encoder = OneHotEncoder(
        categories=[list(VOCABULARIES[c]) for c in CATEGORICAL_FEATURES],
        handle_unknown="ignore", sparse_output=False, dtype=np.float32,
    )
    if scaling == "minmax":
        scaler = MinMaxScaler()
    elif scaling == "standard":
        scaler = StandardScaler()
    else:
        scaler = make_pipeline(
            FunctionTransformer(np.log1p, feature_names_out="one-to-one"), MinMaxScaler())
    return ColumnTransformer(
        [("onehot", encoder, list(CATEGORICAL_FEATURES)),
         ("scale", scaler, list(NUMERIC_FEATURES))],
        remainder="drop", verbose_feature_names_out=False, sparse_threshold=0.0,
    )


def transform(preprocessor: ColumnTransformer, frame: pd.DataFrame) -> np.ndarray:
    """Apply a fitted preprocessor and return a float32 array of 122 columns."""
    return np.asarray(preprocessor.transform(frame), dtype=np.float32)


def unseen_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Count values of the categorical features outside the fixed vocabularies.

    Returns
    -------
    pandas.DataFrame
        One row per (feature, value) with its ``count`` of records, largest first; empty
        when every value is known. Such records get an all-zero one-hot block.
    """
    rows = []
    for feature in CATEGORICAL_FEATURES:
        counts = frame[feature].astype(str).value_counts()
        for value, count in counts.items():
            if value not in VOCABULARIES[feature] and count > 0:
                rows.append({"feature": feature, "value": value, "count": int(count)})
    result = pd.DataFrame(rows, columns=["feature", "value", "count"])
    return result.sort_values("count", ascending=False, ignore_index=True)


def make_targets(frame: pd.DataFrame, task: str) -> np.ndarray:
    """Integer targets: binary (0 normal, 1 attack) or 5-class (order of `CATEGORIES`)."""
    _check_choice("task", task, TASKS)
    category = frame["category"].astype(str)
    if task == "binary":
        return (category != NORMAL).to_numpy(dtype=np.int64)
    return pd.Categorical(category, categories=list(CATEGORIES)).codes.astype(np.int64)


def _strata(frame: pd.DataFrame, min_count: int) -> np.ndarray:
    """Stratify by category; categories too rare to spread over three parts go with attacks."""
    strata = frame["category"].astype(str).to_numpy(dtype=object)
    counts = pd.Series(strata).value_counts()
    rare = counts.index[counts < min_count]
    strata = np.where(np.isin(strata, rare), "rare-attack", strata)
    if (pd.Series(strata).value_counts() < min_count).any():
        return None
    return strata


def split_train_val_test(
    frame: pd.DataFrame,
    *,
    fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
    random_state: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Shuffled, stratified, seeded split into train / validation / held-out test.

    The paper's protocol: 80/10/10 of one file, shuffled. Stratification is by attack
    category so that rare categories appear in each part; categories with fewer than 10
    records are pooled for stratification.

    Returns
    -------
    (train, validation, test) : tuple of pandas.DataFrame
        Each with the original index, so that rows can be traced back to the file.
    """
    if len(fractions) != 3 or any(f <= 0 for f in fractions) or not np.isclose(sum(fractions), 1):
        raise KDDError(f"fractions={fractions!r} must be three positive numbers summing to 1.",
                       fix="for example (0.8, 0.1, 0.1).")
    if len(frame) < 10:
        raise KDDError(f"cannot split {len(frame)} records into three parts.",
                       fix="use at least 10 records (raise sample_fraction).")
    train_frac, val_frac, test_frac = fractions
    strata = _strata(frame, min_count=10)
    rest_frac = val_frac + test_frac
    train, rest = train_test_split(frame, test_size=rest_frac, random_state=random_state,
                                   shuffle=True, stratify=strata)
    rest_strata = None if strata is None else _strata(rest, min_count=2)
    val, test = train_test_split(rest, test_size=test_frac / rest_frac, random_state=random_state,
                                 shuffle=True, stratify=rest_strata)
    return train, val, test


def subsample(frame: pd.DataFrame, fraction: float, *, random_state: int = 0) -> pd.DataFrame:
    """A stratified random fraction of the records (for quick runs), in file order.

    Every attack category present keeps at least one record, so that quick runs still see
    every class.
    """
    if not 0 < fraction <= 1:
        raise KDDError(f"sample_fraction={fraction!r} must be in (0, 1].",
                       fix="use 1.0 for all records, or e.g. 0.05 for a quick run.")
    if fraction == 1:
        return frame
    rng = np.random.default_rng(random_state)
    keep = []
    for _, index in frame.groupby("category", observed=True).groups.items():
        n = max(1, int(round(len(index) * fraction)))
        keep.append(rng.choice(np.asarray(index), size=n, replace=False))
    chosen = np.sort(np.concatenate(keep))
    out = frame.loc[chosen]
    out.attrs = dict(frame.attrs)
    return out


def load_parts(dataset: str, *, seed: int = 0, sample_fraction: float = 1.0,
               drop_duplicates: bool = False) -> tuple[dict[str, pd.DataFrame], CleaningReport]:
    """The raw parts of a run: the cleaned, seeded 80/10/10 split of the dataset's training
    file (``train``, ``val``, ``holdout``), then its test files, each subsampled alike.

    02_preprocessing and 06_lstm_search both call it, so equal parameters give equal rows in
    equal order.

    Returns
    -------
    (frames, report)
        The parts by name, and the cleaning report of the training file.
    """
    from . import datasets

    ds = datasets.get_dataset(dataset)
    raw = subsample(datasets.load(ds.train), sample_fraction, random_state=seed)
    data, report = clean(raw, drop_duplicates=drop_duplicates)
    train, val, holdout = split_train_val_test(data, random_state=seed)
    frames = {"train": train, "val": val, "holdout": holdout}
    frames.update({name: subsample(datasets.load(name), sample_fraction, random_state=seed) for name in ds.tests})
    return frames, report
