"""Train a registered architecture once per seed, and score it: the one training loop of the
study (03, 05 and the future-work notebook 07), so that every model meets the same code,
seeds, early stopping, evaluation sets and cost measurements.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd


def train_seeds(name: str, X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray, y_val: np.ndarray,
                seeds: list[int], *, n_classes: int, label: str | None = None, timesteps: int | None = None,
                sample_weight: np.ndarray | None = None, optimizer: str = "sgd", learning_rate: float = 0.05,
                epochs: int = 30, batch_size: int = 256, patience: int = 3,
                **hyper: Any) -> tuple[pd.DataFrame, dict[int, pd.DataFrame], dict[int, Any]]:
    """Train architecture ``name`` (`kdd_utils.models.ARCHITECTURES`) once per seed: the one
    training loop of the study (03_lstm_training, 05_class_imbalance, `train_and_score`).

    Each seed seeds Python, NumPy and Keras, builds a fresh model and trains it with early
    stopping on the validation loss (best weights restored).

    Parameters
    ----------
    name : str
        Registry name of the architecture.
    X_train, y_train, X_val, y_val : numpy.ndarray
        Encoded examples and integer targets (early stopping watches the validation loss).
    seeds : list of int
        Training seeds.
    n_classes : int
        Output classes (2 or 5).
    label : str, optional
        Model name in the returned table (default: the registry's label).
    timesteps : int, optional
        Steps each example is cut into (default: the registry's).
    sample_weight : numpy.ndarray, optional
        Weight of each training example's loss (class-imbalance remedies).
    optimizer, learning_rate, epochs, batch_size, patience, **hyper
        Training settings and architecture hyper-parameters.

    Returns
    -------
    (fits, histories, trained)
        One row per seed (``model``, ``seed``, ``epochs_run``, ``best_epoch``, ``val_loss`` and
        ``val_accuracy`` of the best epoch, ``train_seconds``, ``records_per_s``,
        ``parameters``), the per-epoch history of each seed, and the trained models by seed.
    """
    from . import models

    entry = models.architecture(name)
    label = label or entry.label
    steps = entry.timesteps if timesteps is None else timesteps
    fits, histories, trained = [], {}, {}
    for s in seeds:
        models.set_seed(s)
        model = models.build(name, n_classes, n_features=X_train.shape[1], timesteps=steps, optimizer=optimizer,
                             learning_rate=learning_rate, **hyper)
        start = time.perf_counter()
        history = models.fit(model, X_train, y_train, X_val, y_val, timesteps=steps, epochs=epochs,
                             batch_size=batch_size, patience=patience, sample_weight=sample_weight, verbose=0)
        seconds = time.perf_counter() - start
        best = history.loc[history["val_loss"].idxmin()]
        fits.append({"model": label, "seed": s, "epochs_run": len(history), "best_epoch": int(best["epoch"]),
                     "val_loss": float(best["val_loss"]), "val_accuracy": float(best["val_accuracy"]),
                     "train_seconds": seconds, "records_per_s": len(X_train) * len(history) / seconds,
                     "parameters": model.count_params()})
        histories[s], trained[s] = history, model
    return pd.DataFrame(fits), histories, trained


def train_and_score(name: str, train, val, eval_parts: Mapping[str, Any], task: str, seeds: list[int], *,
                    label: str | None = None, timesteps: int | None = None,
                    **settings: Any) -> tuple[list[dict], pd.DataFrame, dict[int, Any]]:
    """Train architecture ``name`` once per seed (`train_seeds`) and score every seed's model
    on every evaluation set.

    Parameters
    ----------
    name : str
        Registry name of the architecture.
    train, val : kdd_utils.study.Part
        Training and validation parts (early stopping watches the validation loss).
    eval_parts : mapping
        Set name -> `kdd_utils.study.Part` to score every seed's model on.
    task : str
        "binary" or "multiclass".
    seeds : list of int
        Training seeds.
    label, timesteps, **settings
        As for `train_seeds` (training settings and architecture hyper-parameters).

    Returns
    -------
    (rows, fits, trained)
        Evaluation rows (one per set and seed), the per-seed table of `train_seeds`, and the
        trained models by seed.
    """
    from . import models
    from .evaluation import evaluate_models
    from .preprocessing import CLASS_NAMES

    entry = models.architecture(name)
    label = label or entry.label
    steps = entry.timesteps if timesteps is None else timesteps
    fits, _, trained = train_seeds(name, train.X, train.y(task), val.X, val.y(task), seeds,
                                   n_classes=len(CLASS_NAMES[task]), label=label, timesteps=steps, **settings)
    rows = []
    for s, model in trained.items():
        rows += evaluate_models({label: models.predictor(model, steps)}, eval_parts, task, seed=s)
    return rows, fits, trained


def inference_cost(predict: Callable[[np.ndarray], Any], X: np.ndarray, save: Callable[[Any], None], suffix: str,
                   *, min_records: int = 20_000) -> dict[str, float]:
    """What a detector costs to run: records/s at batch 1, 64 and 4096, the latency of one
    record (ms, at batch 1) and the saved file's size (bytes)."""
    from .benchmark import inference_throughput, size_bytes

    out = inference_throughput(predict, X, min_records=min_records)
    out["latency_ms"] = 1000 / out["infer_records_per_s_batch1"]
    out["size_bytes"] = size_bytes(save, suffix)
    return out


def model_cost(model, X: np.ndarray, *, timesteps: int = 1, min_records: int = 20_000) -> dict[str, float]:
    """`inference_cost` of a Keras model (called directly on each batch, as a detector would)
    or a fitted scikit-learn estimator (``predict_proba``; saved with joblib, no parameter count)."""
    if hasattr(model, "predict_proba"):
        import joblib

        return {**inference_cost(model.predict_proba, X, lambda path: joblib.dump(model, path), ".joblib",
                                 min_records=min_records), "parameters": np.nan}
    from .models import to_sequences

    return {**inference_cost(lambda batch: model.predict_on_batch(to_sequences(batch, timesteps)), X, model.save,
                             ".keras", min_records=min_records), "parameters": int(model.count_params())}
