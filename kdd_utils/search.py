"""A small, documented search over what the paper leaves open, scored on validation data only.

The paper fixes the architecture (one LSTM layer of 32 relu units, softmax, cross-entropy,
gradient descent) but not how a record becomes a sequence, the optimizer's step size, the
batch order, regularisation or the feature scaling. `SPACE` lists the choices searched here;
`sample_configs` draws ``trials`` distinct configurations from it (the paper's own first), and
`run_trial` trains one on a share of the training part and scores it on the validation part.
The test sets never enter the search: `select` ranks trials by validation loss.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .errors import KDDError

#: The choices searched, with why each is open. ``learning_rate`` depends on the optimizer.
SPACE: dict[str, Any] = {
    # How the 122 features become a sequence: one step of 122, or two steps of 61 (61 and 122
    # steps are valid too, see kdd_utils.models, but train 10-20 times slower per record).
    "timesteps": [1, 2],
    "units": [16, 32, 64],               # LSTM width (the paper: 32)
    "layers": [1, 2],                    # stacked LSTM layers (the paper: 1)
    "dropout": [0.0, 0.2],               # dropout after each LSTM layer (the paper: none)
    "optimizer": ["sgd", "adam", "rmsprop"],
    "learning_rate": {"sgd": [0.01, 0.05, 0.2], "adam": [3e-4, 1e-3, 3e-3], "rmsprop": [3e-4, 1e-3, 3e-3]},
    "scaling": ["minmax", "log-minmax"],  # log1p before min-max tames heavy-tailed byte counts
}

#: The paper's configuration (timesteps, scaling and learning rate are this study's defaults).
PAPER_CONFIG: dict[str, Any] = {"timesteps": 1, "units": 32, "layers": 1, "dropout": 0.0,
                                "optimizer": "sgd", "learning_rate": 0.05, "scaling": "minmax"}

#: The keys of a configuration, in table order.
KEYS: tuple[str, ...] = tuple(PAPER_CONFIG)


def trained_config(training: Mapping[str, Any], scaling: str) -> dict[str, Any]:
    """The configuration 03_lstm_training trained (its ``training.json``), in the search's keys.

    The search starts from it, so that trial 0 is the model the rest of the run reports.
    """
    p = training["parameters"]
    return {"timesteps": p["timesteps"], "units": p["units"], "layers": 1, "dropout": 0.0,
            "optimizer": p["optimizer"], "learning_rate": p["learning_rate"], "scaling": scaling}


def reuses_training(config: Mapping[str, Any], training: Mapping[str, Any], scaling: str, seeds: list[int],
                    **settings: Any) -> bool:
    """Whether training ``config`` with ``seeds`` and ``settings`` (epochs, batch_size, patience)
    would repeat what 03_lstm_training did: then its saved models are the same models."""
    p = training["parameters"]
    return (dict(config) == trained_config(training, scaling) and set(seeds) <= set(training["seeds"])
            and all(p.get(k) == v for k, v in settings.items()))


def sample_configs(trials: int, *, space: Mapping[str, Any] | None = None, random_state: int = 0,
                   include: Mapping[str, Any] | None = PAPER_CONFIG) -> list[dict[str, Any]]:
    """``trials`` distinct configurations drawn uniformly from ``space``, ``include`` first.

    Raises `KDDError` when the space holds fewer distinct configurations than asked for.
    """
    space = dict(space or SPACE)
    rng = np.random.default_rng(random_state)
    configs: list[dict[str, Any]] = [dict(include)] if include else []
    seen = {tuple(c[k] for k in KEYS) for c in configs}
    size = int(np.prod([len(v) for k, v in space.items() if k != "learning_rate"])
               * np.mean([len(v) for v in space["learning_rate"].values()]))
    if trials > size + len(configs):
        raise KDDError(f"trials={trials} exceeds the {size} configurations of the search space.",
                       fix=f"use trials <= {size}.")
    while len(configs) < trials:
        config = {k: space[k][rng.integers(len(space[k]))] for k in KEYS if k != "learning_rate"}
        rates = space["learning_rate"][config["optimizer"]]
        config["learning_rate"] = rates[rng.integers(len(rates))]
        config = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in config.items()}
        key = tuple(config[k] for k in KEYS)
        if key not in seen:
            seen.add(key)
            configs.append({k: config[k] for k in KEYS})
    return configs[:trials]


def fit_config(config: Mapping[str, Any], X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
               y_val: np.ndarray, *, n_classes: int, epochs: int, batch_size: int, seed: int,
               patience: int = 3):
    """Build the LSTM of ``config`` and train it with ``seed`` (early stopping on the validation
    loss, best weights restored); return ``(model, history)``."""
    from . import models

    models.set_seed(seed)
    model = models.build_lstm(n_classes, n_features=X_train.shape[1], timesteps=config["timesteps"],
                              units=config["units"], layers=config["layers"], dropout=config["dropout"],
                              optimizer=config["optimizer"], learning_rate=config["learning_rate"])
    history = models.fit(model, X_train, y_train, X_val, y_val, timesteps=config["timesteps"], epochs=epochs,
                         batch_size=batch_size, patience=patience, verbose=0)
    return model, history


def run_trial(config: Mapping[str, Any], X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
              y_val: np.ndarray, val_category: np.ndarray, *, n_classes: int, epochs: int, batch_size: int,
              seed: int, patience: int = 3) -> dict[str, Any]:
    """Train one configuration and score it on the validation part.

    ``X_train``/``X_val`` must already be encoded with ``config["scaling"]``.

    Returns
    -------
    dict
        The configuration, ``val_loss`` (best epoch; early stopping restores it),
        ``val_accuracy``, validation detection metrics at threshold 0.5 (``val_f1``,
        ``val_detection_rate``, ``val_false_alarm_rate``, ``val_roc_auc``), for 5 classes
        ``val_macro_f1`` and ``val_cost``, and ``epochs_run``, ``seconds``.
    """
    from . import models
    from .evaluation import evaluate

    start = time.perf_counter()
    model, history = fit_config(config, X_train, y_train, X_val, y_val, n_classes=n_classes, epochs=epochs,
                                batch_size=batch_size, seed=seed, patience=patience)
    seconds = time.perf_counter() - start
    best = history.loc[history["val_loss"].idxmin()]
    proba = models.predict_proba(model, X_val, timesteps=config["timesteps"])
    task = "multiclass" if n_classes > 2 else "binary"
    scores = evaluate(proba, val_category, task, y_multiclass=y_val if task == "multiclass" else None)
    out = {**config, "val_loss": float(best["val_loss"]), "val_accuracy": float(best["val_accuracy"])}
    if not np.isfinite(out["val_loss"]):
        out["val_loss"] = float("inf")  # a diverged trial ranks last
    out.update({f"val_{m}": scores[m] for m in ("f1", "detection_rate", "false_alarm_rate", "roc_auc")})
    if task == "multiclass":
        out.update(val_macro_f1=scores["macro_f1"], val_cost=scores["cost_per_example"])
    out.update(epochs_run=len(history), seconds=seconds, parameters=model.count_params())
    return out


def select(trials: pd.DataFrame) -> dict[str, Any]:
    """The configuration of the trial with the lowest validation loss (ties: fewer parameters)."""
    if trials.empty:
        raise KDDError("no trial to select from.", fix="run at least one trial (trials >= 1).")
    best = trials.sort_values(["val_loss", "parameters"], kind="stable").iloc[0]
    return {k: (best[k].item() if isinstance(best[k], np.generic) else best[k]) for k in KEYS}


def encode(frames: Mapping[str, pd.DataFrame], scaling: str, reference: Mapping[str, Any]) -> dict[str, Any]:
    """Encode the raw parts with a preprocessor of ``scaling`` fitted on their training part.

    ``reference`` are the parts saved by 02_preprocessing; the rows must be the same, in the
    same order (same dataset, seed, sample and duplicates setting), else a `KDDError` says so.
    """
    from .preprocessing import make_preprocessor
    from .study import encode_parts

    parts = encode_parts(make_preprocessor(scaling).fit(frames["train"]), frames)
    for name, part in reference.items():
        if name not in parts or not np.array_equal(parts[name].label, part.label):
            raise KDDError(f"the part {name!r} read again differs from the one 02_preprocessing saved.",
                           fix="run 02_preprocessing again into this run folder, then this notebook.")
    return parts
