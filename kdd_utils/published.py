"""Published results quoted in the book, each with its bibliography key.

These are numbers *of other work*, copied from the cited papers; they are never produced by
this project and are always shown with their citation beside our executed results.
"""

from __future__ import annotations

import pandas as pd

#: One row per published number: who, what model, which test set, which task, which metric.
PUBLISHED: list[dict] = [
    # The paper this study reproduces (KDD Cup 99, shuffled 80/10/10 split of one file).
    {"source": "the reproduced LSTM paper (abstract)", "cite": "lstmpaper", "model": "LSTM (32 relu)",
     "dataset": "kdd99", "set": "random split", "task": "binary", "metric": "accuracy", "value": 0.8801},
    {"source": "the reproduced LSTM paper (figure)", "cite": "lstmpaper", "model": "LSTM (32 relu)",
     "dataset": "kdd99", "set": "random split", "task": "binary", "metric": "accuracy", "value": 0.9889},
    # KDD Cup 99 winner, scored on `corrected` (Elkan 2000).
    {"source": "KDD Cup 99 winner (Pfahringer)", "cite": "elkan2000results", "model": "bagged boosted C5 trees",
     "dataset": "kdd99", "set": "kdd99-corrected", "task": "multiclass", "metric": "cost per example", "value": 0.2331},
    # Tavallaee et al. 2009, accuracy of classifiers trained on KDDTrain+.
    {"source": "Tavallaee et al. 2009", "cite": "tavallaee2009detailed", "model": "NB Tree",
     "dataset": "nsl-kdd", "set": "nslkdd-test", "task": "binary", "metric": "accuracy", "value": 0.8202},
    {"source": "Tavallaee et al. 2009", "cite": "tavallaee2009detailed", "model": "NB Tree",
     "dataset": "nsl-kdd", "set": "nslkdd-test21", "task": "binary", "metric": "accuracy", "value": 0.6616},
    {"source": "Tavallaee et al. 2009", "cite": "tavallaee2009detailed", "model": "J48",
     "dataset": "nsl-kdd", "set": "nslkdd-test", "task": "binary", "metric": "accuracy", "value": 0.8105},
    {"source": "Tavallaee et al. 2009", "cite": "tavallaee2009detailed", "model": "Multi-layer perceptron",
     "dataset": "nsl-kdd", "set": "nslkdd-test", "task": "binary", "metric": "accuracy", "value": 0.7741},
    # Yin et al. 2017, RNN-IDS trained on KDDTrain+.
    {"source": "Yin et al. 2017", "cite": "yin2017rnn", "model": "RNN-IDS",
     "dataset": "nsl-kdd", "set": "nslkdd-test", "task": "binary", "metric": "accuracy", "value": 0.8328},
    {"source": "Yin et al. 2017", "cite": "yin2017rnn", "model": "RNN-IDS",
     "dataset": "nsl-kdd", "set": "nslkdd-test21", "task": "binary", "metric": "accuracy", "value": 0.6855},
    {"source": "Yin et al. 2017", "cite": "yin2017rnn", "model": "RNN-IDS",
     "dataset": "nsl-kdd", "set": "nslkdd-test", "task": "multiclass", "metric": "accuracy", "value": 0.8129},
    {"source": "Yin et al. 2017", "cite": "yin2017rnn", "model": "RNN-IDS",
     "dataset": "nsl-kdd", "set": "nslkdd-test21", "task": "multiclass", "metric": "accuracy", "value": 0.6467},
]


def published(dataset: str | None = None, task: str | None = None) -> pd.DataFrame:
    """The published numbers, optionally for one dataset and task."""
    frame = pd.DataFrame(PUBLISHED)
    if dataset is not None:
        frame = frame[frame["dataset"] == dataset]
    if task is not None:
        frame = frame[frame["task"] == task]
    return frame.reset_index(drop=True)


#: The KDD Cup 99 scoring matrix (Elkan 2000): cost of predicting the column's category for a
#: record of the row's category. Rows and columns in `kdd_utils.schema.CATEGORIES` order.
KDD99_COST_MATRIX = pd.DataFrame(
    # predicted: normal DoS Probe R2L U2R
    [[0, 2, 1, 2, 2],   # actual normal
     [2, 0, 1, 2, 2],   # actual DoS
     [1, 2, 0, 2, 2],   # actual Probe
     [4, 2, 2, 0, 2],   # actual R2L
     [3, 2, 2, 2, 0]],  # actual U2R
    index=pd.Index(["normal", "DoS", "Probe", "R2L", "U2R"], name="actual"),
    columns=pd.Index(["normal", "DoS", "Probe", "R2L", "U2R"], name="predicted"),
)

#: Confusion matrix of the KDD Cup 99 winner (Pfahringer) on `corrected`, as published by
#: Elkan (2000); same order as `KDD99_COST_MATRIX`. Its cost per example is 0.2331.
KDD99_WINNER_CONFUSION = pd.DataFrame(
    [[60262, 78, 243, 6, 4],
     [5299, 223226, 1328, 0, 0],
     [511, 184, 3471, 0, 0],
     [14527, 0, 294, 1360, 8],
     [168, 0, 20, 10, 30]],
    index=KDD99_COST_MATRIX.index, columns=KDD99_COST_MATRIX.columns,
)
