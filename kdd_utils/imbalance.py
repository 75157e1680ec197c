"""Class-imbalance remedies, applied to training data only.

``balance_to`` sets one target size: over-sampling methods raise every smaller class to it,
under-sampling lowers every larger class to it, so the methods are comparable.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.class_weight import compute_class_weight

from .errors import KDDError

METHODS: tuple[str, ...] = ("none", "class_weight", "random_over", "random_under", "smote")


def class_weights(y: np.ndarray) -> dict[int, float]:
    """Balanced class weights ``n / (k * n_c)`` for the classes present in ``y``."""
    classes = np.unique(y)
    weights = compute_class_weight("balanced", classes=classes, y=y)
    return {int(c): float(w) for c, w in zip(classes, weights)}


def resample(X: np.ndarray, y: np.ndarray, method: str, *, balance_to: int = 10_000,
             random_state: int = 0) -> tuple[np.ndarray, np.ndarray, dict[int, float] | None]:
    """Apply an imbalance remedy to the *training* arrays.

    Parameters
    ----------
    X, y : numpy.ndarray
        Encoded training features and integer targets.
    method : {"none", "class_weight", "random_over", "random_under", "smote"}
        The remedy (imbalanced-learn's RandomOverSampler, RandomUnderSampler, SMOTE).
    balance_to : int
        Target class size (see the module docstring).
    random_state : int
        Seed of the sampler.

    Returns
    -------
    (X, y, class_weight)
        Resampled arrays, and the class weights to pass to ``fit`` (only for "class_weight").
    """
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    if method not in METHODS:
        raise KDDError(f"imbalance method {method!r} is not known.", fix=f"use one of: {', '.join(METHODS)}.")
    if balance_to < 1:
        raise KDDError(f"balance_to={balance_to} must be >= 1.", fix="use e.g. 10000.")
    if method == "none":
        return X, y, None
    if method == "class_weight":
        return X, y, class_weights(y)
    classes, counts = np.unique(y, return_counts=True)
    if method == "random_under":
        strategy = {int(c): int(min(n, balance_to)) for c, n in zip(classes, counts)}
        sampler = RandomUnderSampler(sampling_strategy=strategy, random_state=random_state)
    else:
        strategy = {int(c): int(max(n, balance_to)) for c, n in zip(classes, counts)}
        if method == "random_over":
            sampler = RandomOverSampler(sampling_strategy=strategy, random_state=random_state)
        else:
            k = int(min(5, counts.min() - 1))
            if k < 1:
                raise KDDError("SMOTE needs at least 2 training records of every class.",
                               fix="raise sample_fraction, or drop 'smote' from methods.")
            sampler = SMOTE(sampling_strategy=strategy, k_neighbors=k, random_state=random_state)
    X_res, y_res = sampler.fit_resample(X, y)
    return np.asarray(X_res, dtype=np.float32), np.asarray(y_res), None
