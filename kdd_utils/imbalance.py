"""Class-imbalance remedies, applied to training data only.

Remedies act on the five attack categories (normal, DoS, Probe, R2L, U2R), whatever the task:
for the binary task a synthetic or repeated R2L record is still an "attack", but it is the rare
*category* that gets more weight or more records, which is the point. ``balance_to`` sets one
target size: over-sampling raises every smaller category to it, under-sampling lowers every
larger category to it, so the methods are comparable.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.class_weight import compute_sample_weight

from .errors import KDDError

METHODS: tuple[str, ...] = ("none", "class_weight", "random_over", "random_under", "smote", "cgan")


def resample(X: np.ndarray, categories: np.ndarray, method: str, *, balance_to: int = 10_000,
             random_state: int = 0, gan_steps: int = 2000) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Apply an imbalance remedy to the *training* arrays.

    Parameters
    ----------
    X : numpy.ndarray
        Encoded training features.
    categories : numpy.ndarray
        Integer attack category of each record (0 = normal; the 5-class target).
    method : {"none", "class_weight", "random_over", "random_under", "smote", "cgan"}
        The remedy: balanced per-record weights, or imbalanced-learn's RandomOverSampler,
        RandomUnderSampler or SMOTE (which leaves alone a category with one training record),
        or records of R2L and U2R synthesised by a conditional GAN trained on the training
        records (`kdd_utils.generative`; the other categories stay as they are).
    balance_to : int
        Target category size (see the module docstring).
    random_state : int
        Seed of the sampler (and of the cGAN's training).
    gan_steps : int
        Adversarial training steps of the cGAN (method "cgan").

    Returns
    -------
    (X, categories, sample_weight)
        Resampled arrays; per-record training weights for "class_weight", else ``None``.
        The binary target is ``categories != 0``.
    """
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    if method not in METHODS:
        raise KDDError(f"imbalance method {method!r} is not known.", fix=f"use one of: {', '.join(METHODS)}.")
    if not isinstance(balance_to, (int, np.integer)) or balance_to < 1:
        raise KDDError(f"balance_to={balance_to!r} must be a whole number >= 1.", fix="use e.g. 10000.")
    if method == "none":
        return X, categories, None
    if method == "class_weight":
        return X, categories, compute_sample_weight("balanced", categories).astype(np.float32)
    classes, counts = np.unique(categories, return_counts=True)
    if method == "cgan":
        from .generative import RARE_CATEGORIES, train_cgan

        size = dict(zip(classes.tolist(), counts.tolist()))
        grow = tuple(c for c in RARE_CATEGORIES if 2 <= size.get(c, 0) < balance_to)
        if not grow:
            return X, categories, None
        gan = train_cgan(X, categories, grow=grow, steps=gan_steps, random_state=random_state)
        X_new, c_new = gan.sample({c: balance_to - size[c] for c in gan.conditions}, random_state=random_state)
        return (np.concatenate([X, X_new]).astype(np.float32), np.concatenate([categories, c_new]), None)
    if method == "random_under":
        strategy = {int(c): int(min(n, balance_to)) for c, n in zip(classes, counts)}
        sampler = RandomUnderSampler(sampling_strategy=strategy, random_state=random_state)
    else:
        strategy = {int(c): int(max(n, balance_to)) for c, n in zip(classes, counts)}
        if method == "random_over":
            sampler = RandomOverSampler(sampling_strategy=strategy, random_state=random_state)
        else:
            # SMOTE interpolates between neighbours of the same category: a category with a
            # single training record has none and is left as it is.
            grow = {c: n for c, n in strategy.items() if n > counts[classes == c][0] and counts[classes == c][0] >= 2}
            if not grow:
                return X, categories, None
            k = int(min(5, min(counts[classes == c][0] for c in grow) - 1))
            sampler = SMOTE(sampling_strategy=grow, k_neighbors=k, random_state=random_state)
    X_res, c_res = sampler.fit_resample(X, categories)
    return np.asarray(X_res, dtype=np.float32), np.asarray(c_res), None
