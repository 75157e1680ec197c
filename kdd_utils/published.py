"""Published results quoted in the book, each with its bibliography key.

These are numbers *of other work*, copied from the cited papers; they are never produced by
this project and are always shown with their citation beside our executed results.
"""

from __future__ import annotations

import pandas as pd

_COLUMNS = ("source", "cite", "model", "dataset", "set", "task", "metric", "value")
_TAVALLAEE = ("Tavallaee et al. 2009", "tavallaee2009detailed")
_YIN = ("Yin et al. 2017", "yin2017rnn")
_PAPER = "the reproduced LSTM paper"

#: One row per published number: who, what model, which test set, which task, which metric.
PUBLISHED: list[dict] = [dict(zip(_COLUMNS, row)) for row in [
    # The paper this study reproduces (KDD Cup 99, shuffled 80/10/10 split of one file).
    (f"{_PAPER} (abstract)", "lstmpaper", "LSTM (32 relu)", "kdd99", "random split", "binary", "accuracy", 0.8801),
    (f"{_PAPER} (figure)", "lstmpaper", "LSTM (32 relu)", "kdd99", "random split", "binary", "accuracy", 0.9889),
    # KDD Cup 99 winner, scored on `corrected` (Elkan 2000).
    ("KDD Cup 99 winner (Pfahringer)", "elkan2000results", "bagged boosted C5 trees", "kdd99",
     "kdd99-corrected", "multiclass", "cost per example", 0.2331),
    # Tavallaee et al. 2009: accuracy of classifiers trained on KDDTrain+.
    (*_TAVALLAEE, "NB Tree", "nsl-kdd", "nslkdd-test", "binary", "accuracy", 0.8202),
    (*_TAVALLAEE, "NB Tree", "nsl-kdd", "nslkdd-test21", "binary", "accuracy", 0.6616),
    (*_TAVALLAEE, "J48", "nsl-kdd", "nslkdd-test", "binary", "accuracy", 0.8105),
    (*_TAVALLAEE, "Multi-layer perceptron", "nsl-kdd", "nslkdd-test", "binary", "accuracy", 0.7741),
    # Yin et al. 2017: RNN-IDS trained on KDDTrain+.
    (*_YIN, "RNN-IDS", "nsl-kdd", "nslkdd-test", "binary", "accuracy", 0.8328),
    (*_YIN, "RNN-IDS", "nsl-kdd", "nslkdd-test21", "binary", "accuracy", 0.6855),
    (*_YIN, "RNN-IDS", "nsl-kdd", "nslkdd-test", "multiclass", "accuracy", 0.8129),
    (*_YIN, "RNN-IDS", "nsl-kdd", "nslkdd-test21", "multiclass", "accuracy", 0.6467),
]]


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
