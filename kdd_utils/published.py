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
