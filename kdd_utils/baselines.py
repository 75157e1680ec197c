"""Baseline detectors trained on the same 122 columns and splits as the LSTM.

Each baseline is fitted on the training part (the MLP also watches the validation part for
early stopping) and returns class probabilities, so `kdd_utils.evaluation.evaluate` scores it
exactly like the LSTM.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .errors import KDDError
from .study import Part

#: Baseline name -> one-line description.
BASELINES: dict[str, str] = {
    "logistic_regression": "logistic regression (scikit-learn, lbfgs)",
    "random_forest": "random forest of 100 trees (scikit-learn)",
    "hist_gradient_boosting": "histogram gradient-boosted trees (scikit-learn)",
    "mlp": "dense network 64-32 relu, softmax (Keras, Adam, early stopping)",
}


#: Baselines whose fit does not depend on the seed: fitted once, not once per seed.
DETERMINISTIC: frozenset[str] = frozenset({"logistic_regression"})


def _full_proba(classes: np.ndarray, proba: np.ndarray, n_classes: int) -> np.ndarray:
    """Place the columns of classes seen in training into all ``n_classes`` columns."""
    full = np.zeros((len(proba), n_classes))
    full[:, np.asarray(classes, dtype=int)] = proba
    return full


def make_estimator(name: str, random_state: int = 0):
    """The unfitted scikit-learn estimator of a baseline (all but "mlp", which is Keras)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    factories = {
        "logistic_regression": lambda: LogisticRegression(max_iter=1000),
        "random_forest": lambda: RandomForestClassifier(n_estimators=100, n_jobs=-1, random_state=random_state),
        "hist_gradient_boosting": lambda: HistGradientBoostingClassifier(random_state=random_state),
    }
    if name not in factories:
        raise KDDError(f"baseline {name!r} has no scikit-learn estimator.",
                       fix=f"use one of: {', '.join(factories)}.")
    return factories[name]()


def fit_estimator(name: str, train: Part, val: Part, task: str, *, random_state: int = 0, epochs: int = 30,
                  batch_size: int = 256):
    """Fit a baseline on the training part; return the fitted model itself (a scikit-learn
    estimator, or a Keras model for "mlp", which watches the validation part to stop early)."""
    from .preprocessing import CLASS_NAMES

    if name not in BASELINES:
        raise KDDError(f"baseline {name!r} is not known.", fix=f"use one of: {', '.join(BASELINES)}.")
    n_classes = len(CLASS_NAMES[task])
    y = train.y(task)
    if name == "mlp":
        from . import models

        models.set_seed(random_state)
        model = models.build_mlp(n_classes, n_features=train.X.shape[1])
        models.fit(model, train.X, y, val.X, val.y(task), epochs=epochs, batch_size=batch_size, verbose=0)
        return model
    estimator = make_estimator(name, random_state)
    if len(np.unique(y)) < 2:
        raise KDDError("the training part holds a single class; a baseline cannot be fitted.",
                       fix="raise sample_fraction.")
    return estimator.fit(train.X, y)


def predictor(fitted, task: str) -> Callable[[np.ndarray], np.ndarray]:
    """``predict_proba(X) -> (n, n_classes)`` of a model from `fit_estimator`."""
    from .preprocessing import CLASS_NAMES

    if hasattr(fitted, "classes_"):  # scikit-learn
        n_classes = len(CLASS_NAMES[task])
        return lambda X: _full_proba(fitted.classes_, fitted.predict_proba(X), n_classes)
    from . import models

    return models.predictor(fitted)


def fit_baseline(name: str, train: Part, val: Part, task: str, *, random_state: int = 0,
                 epochs: int = 30, batch_size: int = 256) -> Callable[[np.ndarray], np.ndarray]:
    """Fit a baseline on the training part; return ``predict_proba(X) -> (n, n_classes)``."""
    return predictor(fit_estimator(name, train, val, task, random_state=random_state, epochs=epochs,
                                   batch_size=batch_size), task)
