"""Metrics that users of an intrusion detector need, computed one way for every model.

"Attack" is the positive class. For the 5-class task the detector's attack score is
``1 - P(normal)``, so binary detection metrics exist for both tasks; the 5-class task adds
macro F1 and the recall of each category.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from .schema import ATTACK_CATEGORIES, CATEGORIES

#: The detection metrics, in table order, with a short description.
METRICS: dict[str, str] = {
    "accuracy": "share of records classified right (normal vs attack)",
    "balanced_accuracy": "mean of detection rate and 1 - false-alarm rate",
    "precision": "share of alarms that are attacks",
    "detection_rate": "recall on attacks: share of attacks raised as alarms",
    "false_alarm_rate": "share of normal records raised as alarms",
    "f1": "harmonic mean of precision and detection rate",
    "roc_auc": "area under the ROC curve of the attack score (threshold-free)",
}


def attack_score(proba: np.ndarray) -> np.ndarray:
    """The attack score ``1 - P(normal)`` of softmax outputs (class 0 is normal in both tasks)."""
    proba = np.asarray(proba)
    return 1.0 - proba[:, 0] if proba.ndim == 2 else proba


def detection_metrics(is_attack: np.ndarray, score: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Binary detection metrics for an attack score and a decision threshold.

    Parameters
    ----------
    is_attack : array of bool or 0/1
        Truth.
    score : array of float
        Attack score in [0, 1]; an alarm is raised when ``score >= threshold``.
    threshold : float
        Decision threshold, chosen on validation data only.
    """
    truth = np.asarray(is_attack).astype(bool)
    score = np.asarray(score, dtype=float)
    alarm = score >= threshold
    tp = int(np.sum(alarm & truth))
    fp = int(np.sum(alarm & ~truth))
    tn = int(np.sum(~alarm & ~truth))
    fn = int(np.sum(~alarm & truth))
    n_pos, n_neg = tp + fn, tn + fp
    recall = tp / n_pos if n_pos else float("nan")
    far = fp / n_neg if n_neg else float("nan")
    precision = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    both = n_pos > 0 and n_neg > 0
    return {
        "accuracy": (tp + tn) / len(truth) if len(truth) else float("nan"),
        "balanced_accuracy": (recall + 1 - far) / 2 if both else float("nan"),
        "precision": precision,
        "detection_rate": recall,
        "false_alarm_rate": far,
        "f1": f1,
        "roc_auc": float(skm.roc_auc_score(truth, score)) if both else float("nan"),
        "tp": tp, "fp": fp, "tn": tn, "fn": fn,
    }


def category_detection(category: np.ndarray, alarm: np.ndarray) -> pd.DataFrame:
    """Share of records of each category that raised an alarm.

    For attack categories this is the detection rate; for ``normal`` it is the false-alarm
    rate. Categories absent from the data get ``n = 0`` and a NaN rate.
    """
    category = np.asarray(category).astype(str)
    alarm = np.asarray(alarm).astype(bool)
    rows = []
    for cat in CATEGORIES:
        mask = category == cat
        n = int(mask.sum())
        rows.append({"category": cat, "n": n, "alarms": int(alarm[mask].sum()),
                     "rate": alarm[mask].mean() if n else float("nan")})
    return pd.DataFrame(rows)


def kdd_cost(confusion_matrix: pd.DataFrame | np.ndarray) -> float:
    """Average KDD Cup 99 cost per record of a 5-class confusion matrix (rows: truth,
    columns: prediction, both in `CATEGORIES` order), with the contest's cost matrix."""
    from .published import KDD99_COST_MATRIX

    cm = np.asarray(confusion_matrix, dtype=float)
    return float((cm * KDD99_COST_MATRIX.to_numpy()).sum() / cm.sum())


def multiclass_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Accuracy, macro F1, per-category recall and KDD Cup 99 cost of a 5-class prediction."""
    labels = list(range(len(CATEGORIES)))
    present = [k for k in labels if np.any(np.asarray(y_true) == k)]
    recall = skm.recall_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    out = {
        "accuracy_5class": float(skm.accuracy_score(y_true, y_pred)),
        "macro_f1": float(skm.f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "cost_per_example": kdd_cost(skm.confusion_matrix(y_true, y_pred, labels=labels)),
    }
    for k, cat in enumerate(CATEGORIES):
        out[f"recall_{cat}"] = float(recall[k]) if k in present else float("nan")
    return out


def evaluate(proba: np.ndarray, category: np.ndarray, task: str, *, threshold: float = 0.5,
             y_multiclass: np.ndarray | None = None) -> dict[str, float]:
    """Every metric of one model on one evaluation set, as a flat dict.

    Includes the detection metrics of `METRICS`, ``tp/fp/tn/fn``, ``detect_<category>``
    for DoS, Probe, R2L and U2R, and, for the 5-class task, `multiclass_metrics`.
    """
    category = np.asarray(category).astype(str)
    is_attack = category != "normal"
    score = attack_score(proba)
    out: dict[str, float] = {"n": int(len(category)), "n_attack": int(is_attack.sum())}
    out.update(detection_metrics(is_attack, score, threshold))
    per_cat = category_detection(category, score >= threshold).set_index("category")["rate"]
    for cat in ATTACK_CATEGORIES:
        out[f"detect_{cat}"] = float(per_cat[cat])
    if task == "multiclass" and np.asarray(proba).ndim == 2 and np.asarray(proba).shape[1] == len(CATEGORIES):
        truth = y_multiclass if y_multiclass is not None else pd.Categorical(category, categories=list(CATEGORIES)).codes
        out.update(multiclass_metrics(truth, np.argmax(proba, axis=1)))
    return out


def tune_threshold(is_attack: np.ndarray, score: np.ndarray) -> float:
    """The decision threshold that maximises F1 on *validation* data.

    Never call it on a test set: the threshold is part of the model, chosen before testing.
    Returns 0.5 when the data hold a single class (no threshold can be learnt).
    """
    truth = np.asarray(is_attack).astype(bool)
    if truth.all() or not truth.any():
        return 0.5
    precision, recall, thresholds = skm.precision_recall_curve(truth, np.asarray(score, dtype=float))
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros_like(precision),
                   where=(precision + recall) > 0)[:-1]
    best = int(np.argmax(f1))
    return float(np.clip(thresholds[best], 1e-6, 1 - 1e-6))


def aggregate(rows: list[dict] | pd.DataFrame, by: tuple[str, ...] = ("set", "model"),
              metrics: list[str] | None = None) -> pd.DataFrame:
    """Mean, standard deviation and number of seeds of each metric per group.

    Parameters
    ----------
    rows : list of dict or pandas.DataFrame
        Evaluation rows, one per model, set and seed (column ``seed``).
    by : tuple of str
        The grouping columns; groups keep their first-seen order.
    metrics : list of str, optional
        Metric columns (default: `METRICS` and the per-category detection rates present).

    Returns
    -------
    pandas.DataFrame
        One row per group with ``<metric>_mean`` and ``<metric>_std`` (sample standard
        deviation, ddof=1; NaN for a single seed) and ``n_seeds``.
    """
    frame = pd.DataFrame(rows)
    metrics = metrics or [c for c in [*METRICS, *(f"detect_{c}" for c in ATTACK_CATEGORIES),
                                      "accuracy_5class", "macro_f1", "cost_per_example"] if c in frame]
    grouped = frame.groupby(list(by), sort=False)[metrics]
    out = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_std"))
    out["n_seeds"] = frame.groupby(list(by), sort=False).size()
    order = [f"{m}_{s}" for m in metrics for s in ("mean", "std")]
    return out[order + ["n_seeds"]].reset_index()


def mean_std(aggregated: pd.DataFrame, metrics: list[str], *, digits: int = 4) -> pd.DataFrame:
    """Metrics of `aggregate` as ``"mean ± std"`` text (only the mean for a single seed)."""
    out = aggregated[[c for c in aggregated.columns if not c.endswith(("_mean", "_std"))]].copy()
    for m in metrics:
        mean, std = aggregated[f"{m}_mean"], aggregated[f"{m}_std"]
        out[m] = [f"{a:.{digits}f}" + ("" if pd.isna(b) else f" ± {b:.{digits}f}") for a, b in zip(mean, std)]
    return out


def evaluate_models(predictors: Mapping[str, Callable[[np.ndarray], np.ndarray]], parts: Mapping[str, Any], task: str,
                    *, threshold: float | Mapping[str, float] = 0.5, seed: int | None = None) -> list[dict]:
    """Score every predictor on every evaluation part with `evaluate`.

    Parameters
    ----------
    predictors : mapping
        Model name -> ``predict_proba(X) -> (n, n_classes)``.
    parts : mapping
        Set name -> `kdd_utils.study.Part`.
    threshold : float or mapping
        One decision threshold, or one per model name (0.5 for models not listed).
    seed : int, optional
        Recorded in each row (the training seed of the predictors).

    Returns
    -------
    list of dict
        One row per set and model: ``set``, ``model``, (``seed``,) and the metrics.
    """
    rows = []
    for set_name, part in parts.items():
        for model_name, predict in predictors.items():
            cut = threshold.get(model_name, 0.5) if isinstance(threshold, Mapping) else threshold
            rows.append({"set": set_name, "model": model_name, **({} if seed is None else {"seed": seed}),
                         **evaluate(predict(part.X), part.category, task, threshold=cut,
                                    y_multiclass=part.y_multiclass)})
    return rows


def constant_predictors(task: str) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """The always-"attack" and always-"normal" predictors as ``predict_proba`` functions."""
    return {"always attack": lambda X: constant_proba(len(X), task, predict_attack=True),
            "always normal": lambda X: constant_proba(len(X), task, predict_attack=False)}


def constant_proba(n: int, task: str, predict_attack: bool) -> np.ndarray:
    """Probabilities of a constant predictor: always "attack" (the majority class of KDD99;
    for the 5-class task, always DoS) or always "normal"."""
    k = 2 if task == "binary" else len(CATEGORIES)
    proba = np.zeros((n, k))
    proba[:, 1 if predict_attack else 0] = 1.0
    return proba


def confusion(y_true: np.ndarray, y_pred: np.ndarray, class_names: tuple[str, ...]) -> pd.DataFrame:
    """Confusion matrix as a labelled frame (rows: truth, columns: prediction)."""
    labels = list(range(len(class_names)))
    cm = skm.confusion_matrix(y_true, y_pred, labels=labels)
    return pd.DataFrame(cm, index=pd.Index(class_names, name="true"),
                        columns=pd.Index(class_names, name="predicted"))


def results_table(rows: list[dict], columns: list[str] | None = None) -> pd.DataFrame:
    """Tidy table of evaluation rows (one per model and set) with the main metrics first."""
    frame = pd.DataFrame(rows)
    first = [c for c in ("set", "model") if c in frame]
    columns = columns or [*METRICS, *(f"detect_{c}" for c in ATTACK_CATEGORIES)]
    return frame[first + [c for c in columns if c in frame]]


def row_keys(X: np.ndarray, label: np.ndarray) -> np.ndarray:
    """One 64-bit hash per record of its encoded features and label (equal records, equal keys)."""
    frame = pd.DataFrame(X).assign(label=np.asarray(label).astype(str))
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def has_copy_in_training(train_keys: np.ndarray, X: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Boolean mask: which records equal a training record exactly (``train_keys`` from `row_keys`)."""
    return np.isin(row_keys(X, label), train_keys)


def overlap_with_training(train_keys: np.ndarray, train_labels: np.ndarray, X: np.ndarray, label: np.ndarray,
                          category: np.ndarray) -> dict[str, float]:
    """How much an evaluation set repeats the training data.

    Parameters
    ----------
    train_keys : numpy.ndarray
        `row_keys` of the training part (computed once for all evaluation sets).
    train_labels : numpy.ndarray
        The labels (attack types) of the training part.

    Returns
    -------
    dict
        ``copies``: share of records whose encoded features and label equal a training
        record exactly; ``novel_attacks``: share of attack records whose label (attack type)
        never occurs in training (NaN without attacks).
    """
    copies = has_copy_in_training(train_keys, X, label)
    attack = np.asarray(category).astype(str) != "normal"
    novel = ~np.isin(np.asarray(label)[attack], np.unique(train_labels))
    return {"copies": float(copies.mean()) if len(copies) else float("nan"),
            "novel_attacks": float(novel.mean()) if attack.any() else float("nan")}
