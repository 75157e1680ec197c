"""Sequence mode: windows of consecutive connection records, for KDD Cup 99 only.

The KDD Cup 99 files keep the connection records in capture order (the 494,021 labels of the
10 % file form only a few hundred runs of equal labels), so an LSTM can be fed the ``window``
records that end with the one to classify: its memory then spans real neighbouring
connections. NSL-KDD is shuffled and has no such order.

A random 80/10/10 split of records would put neighbours of a test record into training, and
windows would cross the boundary. Here the file is cut into contiguous *blocks* of
``block_size`` records; whole blocks are assigned at random to training, validation and
held-out parts, and windows never cross a block. A window's label is that of its last record.

A window is returned flattened, ``(n, window * 122)``, so that the models and the evaluation
code take it like a record with ``timesteps=window`` (see `kdd_utils.models.to_sequences`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import KDDError

#: Datasets whose files keep capture order.
ORDERED_DATASETS: tuple[str, ...] = ("kdd99",)


def label_runs(labels: np.ndarray) -> int:
    """How many runs of equal consecutive labels a sequence holds (1 for a constant one)."""
    labels = np.asarray(labels)
    return int(1 + np.count_nonzero(labels[1:] != labels[:-1])) if len(labels) else 0


def with_blocks(frame: pd.DataFrame, block_size: int) -> pd.DataFrame:
    """The frame in its order with a column ``block``: the number of its contiguous block of
    ``block_size`` records."""
    if block_size < 1:
        raise KDDError(f"block_size={block_size} is not valid.", fix="use a block size of at least 1 record.")
    out = frame.reset_index(drop=True)
    return out.assign(block=np.arange(len(out)) // block_size)


def sample_blocks(frame: pd.DataFrame, fraction: float, *, random_state: int = 0) -> pd.DataFrame:
    """A share ``fraction`` of the frame's blocks (column ``block``), in order: unlike a random
    sample of records it keeps neighbours together (for quick runs)."""
    if fraction >= 1:
        return frame
    blocks = frame["block"].unique()
    rng = np.random.default_rng(random_state)
    keep = blocks[rng.random(len(blocks)) < fraction]
    if len(keep) == 0:
        keep = blocks[rng.integers(len(blocks), size=1)]
    return frame[frame["block"].isin(keep)].reset_index(drop=True)


def split_blocks(frame: pd.DataFrame, *, fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
                 random_state: int = 0) -> dict[str, pd.DataFrame]:
    """Whole blocks (column ``block``) assigned at random to ``train``, ``val`` and ``holdout``
    in the given shares; each part keeps the order of the file."""
    if not np.isclose(sum(fractions), 1) or min(fractions) <= 0:
        raise KDDError(f"fractions={fractions} must be positive and sum to 1.", fix="use e.g. (0.8, 0.1, 0.1).")
    blocks = frame["block"].unique()
    if len(blocks) < 3:
        raise KDDError(f"{len(blocks)} block(s) cannot be split into three parts.",
                       fix="use a smaller block_size or more records (sample_fraction).")
    order = np.random.default_rng(random_state).permutation(blocks)
    cut1 = int(np.clip(round(fractions[0] * len(blocks)), 1, len(blocks) - 2))
    cut2 = int(np.clip(round((fractions[0] + fractions[1]) * len(blocks)), cut1 + 1, len(blocks) - 1))
    chosen = {"train": order[:cut1], "val": order[cut1:cut2], "holdout": order[cut2:]}
    return {name: frame[frame["block"].isin(b)].reset_index(drop=True) for name, b in chosen.items()}


def window_ends(block: np.ndarray, window: int) -> np.ndarray:
    """Indices of the records that end a full window of ``window`` records inside their
    block (in order): the first ``window - 1`` records of each block end none."""
    if window < 1:
        raise KDDError(f"window={window} is not valid.", fix="use a window of at least 1 record.")
    block = np.asarray(block)
    if len(block) == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.r_[0, np.flatnonzero(block[1:] != block[:-1]) + 1]  # first record of each block
    first_of = np.repeat(start, np.diff(np.r_[start, len(block)]))
    return np.flatnonzero(np.arange(len(block)) - first_of >= window - 1)


def windows(X: np.ndarray, ends: np.ndarray, window: int) -> np.ndarray:
    """The ``window`` records ending at each index of ``ends``, oldest first, flattened to
    ``(len(ends), window * d)``."""
    X = np.asarray(X)
    ends = np.asarray(ends, dtype=np.int64)
    if len(ends) and (ends.min() < window - 1 or ends.max() >= len(X)):
        raise KDDError("a window reaches outside the records.", fix="take ends from window_ends.")
    steps = ends[:, None] - np.arange(window - 1, -1, -1)[None, :]
    return X[steps].reshape(len(ends), window * X.shape[1])


def sequence_parts(dataset: str, *, window: int, block_size: int = 1000, sample_fraction: float = 1.0,
                   seed: int = 0, scaling: str = "minmax"):
    """The parts of sequence mode and of its one-record comparison, on the same records.

    The training file is cut into blocks (`with_blocks`), optionally sampled by blocks, split
    by blocks (`split_blocks`); the test files are cut into blocks alike (a window never spans
    two blocks). The preprocessor is fitted on the training part only.

    Returns
    -------
    (windowed, single) : dict, dict
        Part name -> `kdd_utils.study.Part`. In ``windowed`` each row is the flattened window
        of ``window`` records ending with the record it is labelled by; ``single`` holds those
        same last records alone, so both modes are trained and scored on the same targets.
    """
    from . import datasets
    from .preprocessing import clean, make_preprocessor, make_targets, transform
    from .study import Part

    if dataset not in ORDERED_DATASETS:
        raise KDDError(f"dataset={dataset!r} is shuffled: its records have no capture order.",
                       fix=f"use sequence mode with {', '.join(ORDERED_DATASETS)} only.")
    ds = datasets.get_dataset(dataset)
    data, _ = clean(datasets.load(ds.train))  # no duplicate removal: the order must stay whole
    frames = split_blocks(sample_blocks(with_blocks(data, block_size), sample_fraction, random_state=seed),
                          random_state=seed)
    for name in ds.tests:
        frames[name] = sample_blocks(with_blocks(datasets.load(name), block_size), sample_fraction,
                                     random_state=seed)
    preprocessor = make_preprocessor(scaling).fit(frames["train"])
    windowed, single = {}, {}
    for name, frame in frames.items():
        ends = window_ends(frame["block"].to_numpy(), window)
        if len(ends) == 0:
            raise KDDError(f"the part {name!r} holds no full window of {window} records.",
                           fix="use a smaller window or a larger sample_fraction.")
        X = transform(preprocessor, frame)
        last = frame.iloc[ends]
        targets = (make_targets(last, "binary"), make_targets(last, "multiclass"),
                   last["category"].astype(str).to_numpy(), last["label"].astype(str).to_numpy())
        windowed[name] = Part(windows(X, ends, window), *targets)
        single[name] = Part(X[ends], *targets)
    return windowed, single
