"""Keras 3 models: the paper's LSTM, and how a record is fed to it.

A connection record is one vector of 122 encoded features. The paper does not say how it
becomes a sequence; here ``timesteps`` decides: ``1`` feeds the whole record as a single step
of 122 features (the LSTM then acts as a gated dense layer), ``2``, ``61`` or ``122`` cut the
vector into that many consecutive steps of equal width (the order of the one-hot and numeric
columns then becomes a "time" axis, which carries no real temporal meaning).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import KDDError

OPTIMIZERS: tuple[str, ...] = ("sgd", "adam", "rmsprop")

#: Gradient steps run inside one compiled call (Keras ``steps_per_execution``). The models are
#: so small that Python's per-step overhead dominates on a CPU; 16 steps per call about doubles
#: training throughput and changes nothing in what is computed (same batches, same order).
STEPS_PER_EXECUTION = 16

# TensorFlow's C++ start-up chatter would otherwise fill the notebooks' outputs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@functools.cache
def _keras():
    """Keras, imported once. TensorFlow's C++ libraries print start-up lines (oneDNN, absl) to
    the process's stderr while they load, which ``TF_CPP_MIN_LOG_LEVEL`` no longer silences and
    which Jupyter copies into the notebook; they are sent to /dev/null for the import only.
    Warnings about ``tf.function`` retracing (every model of a seed loop is new) are hidden too."""
    if "tensorflow" not in sys.modules:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 2)
                try:
                    import tensorflow as tf
                finally:
                    os.dup2(saved, 2)
        finally:
            os.close(saved)
        tf.get_logger().setLevel("ERROR")
    import keras

    return keras


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and the Keras backend (``keras.utils.set_random_seed``)."""
    keras = _keras()
    keras.utils.set_random_seed(seed)


def accelerator() -> str:
    """The accelerators TensorFlow sees, e.g. ``"GPU:0"``, or ``"none (CPU only)"``."""
    _keras()
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return ", ".join(g.name.replace("/physical_device:", "") for g in gpus) or "none (CPU only)"


def to_sequences(X: np.ndarray, timesteps: int = 1) -> np.ndarray:
    """Reshape ``(n, 122)`` records into ``(n, timesteps, 122 // timesteps)`` LSTM input."""
    n, width = X.shape
    if timesteps < 1 or width % timesteps:
        raise KDDError(f"timesteps={timesteps} does not divide the {width} features.",
                       fix="use a divisor of 122: 1, 2, 61 or 122.")
    return X.reshape(n, timesteps, width // timesteps)


def make_optimizer(name: str, learning_rate: float):
    """A Keras optimizer by name (``sgd`` is the paper's plain gradient descent)."""
    keras = _keras()

    if name not in OPTIMIZERS:
        raise KDDError(f"optimizer={name!r} is not valid.", fix=f"use one of: {', '.join(OPTIMIZERS)}.")
    return {"sgd": keras.optimizers.SGD, "adam": keras.optimizers.Adam,
            "rmsprop": keras.optimizers.RMSprop}[name](learning_rate=learning_rate)


def build_lstm(n_classes: int = 2, *, n_features: int = 122, timesteps: int = 1, units: int = 32,
               layers: int = 1, dropout: float = 0.0, activation: str = "relu", optimizer: str = "sgd",
               learning_rate: float = 0.01):
    """The paper's model: LSTM(32, relu) -> Dense(n_classes, softmax), cross-entropy loss;
    ``layers`` and ``dropout`` give the deeper variants of the search (06_lstm_search).

    Parameters
    ----------
    n_classes : int
        2 for normal/attack, 5 for the category task.
    n_features : int
        Encoded features per record (122).
    timesteps : int
        How many steps the record is cut into (see the module docstring).
    units, activation : int, str
        LSTM width and activation (the paper: 32, relu).
    layers : int
        Stacked LSTM layers of ``units`` each (the paper: 1).
    dropout : float
        Dropout rate after each LSTM layer, in [0, 1) (the paper: none).
    optimizer, learning_rate : str, float
        Gradient-descent variant and its step size.
    """
    keras = _keras()

    if not isinstance(layers, int) or layers < 1 or not 0 <= dropout < 1:
        raise KDDError(f"layers={layers!r}, dropout={dropout!r} are not valid.",
                       fix="use layers >= 1 and 0 <= dropout < 1.")
    stack = [keras.Input(shape=(timesteps, n_features // timesteps), name="record")]
    for k in range(layers):
        last = k == layers - 1
        stack.append(keras.layers.LSTM(units, activation=activation, return_sequences=not last,
                                       name="lstm" if layers == 1 else f"lstm_{k + 1}"))
        if dropout:
            stack.append(keras.layers.Dropout(dropout, name=f"dropout_{k + 1}"))
    stack.append(keras.layers.Dense(n_classes, activation="softmax", name="softmax"))
    model = keras.Sequential(stack, name="lstm_ids")
    model.compile(optimizer=make_optimizer(optimizer, learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=STEPS_PER_EXECUTION)
    return model


def build_cnn_lstm(n_classes: int = 2, *, n_features: int = 122, timesteps: int = 122, filters: int = 32,
                   kernel_size: int = 5, strides: int = 2, pool_size: int = 4, units: int = 32,
                   activation: str = "relu", optimizer: str = "adam", learning_rate: float = 0.001):
    """CNN-LSTM hybrid: Conv1D(filters, kernel_size, strides, relu) -> MaxPooling1D(pool_size)
    -> LSTM(units) -> Dense(n_classes, softmax), cross-entropy loss.

    The convolution slides along the input's step axis: the record's 122 encoded columns read
    as a 1-D signal (``timesteps=122``, the default), or consecutive connection records in
    sequence mode (`kdd_utils.sequences`), where it finds local patterns in time that the LSTM
    then summarises.

    Parameters
    ----------
    n_classes, n_features, timesteps : int
        As for `build_lstm`; ``timesteps`` must leave at least ``kernel_size`` steps.
    filters, kernel_size, strides, pool_size : int
        The convolutional front end: feature maps, window width, step and pooling width.
    units, activation : int, str
        The LSTM behind it.
    optimizer, learning_rate : str, float
        Gradient-descent variant and its step size.
    """
    keras = _keras()
    layers = keras.layers

    if timesteps < kernel_size:
        raise KDDError(f"cnn_lstm needs at least kernel_size={kernel_size} steps, got timesteps={timesteps}.",
                       fix="use timesteps=122 or 61 for one record, or sequence mode (windows of records).")
    model = keras.Sequential([
        keras.Input(shape=(timesteps, n_features // timesteps), name="record"),
        layers.Conv1D(filters, kernel_size, strides=strides, padding="same", activation="relu", name="conv"),
        layers.MaxPooling1D(pool_size, padding="same", name="pool"),
        layers.LSTM(units, activation=activation, name="lstm"),
        layers.Dense(n_classes, activation="softmax", name="softmax"),
    ], name="cnn_lstm_ids")
    model.compile(optimizer=make_optimizer(optimizer, learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=STEPS_PER_EXECUTION)
    return model


def build_mlp(n_classes: int = 2, *, n_features: int = 122, timesteps: int = 1,
              hidden: tuple[int, ...] = (64, 32), optimizer: str = "adam", learning_rate: float = 0.001):
    """A dense baseline: ``hidden`` relu layers, softmax, cross-entropy (the input's steps,
    if any, are flattened: it has no memory)."""
    keras = _keras()
    layers = keras.layers

    model = keras.Sequential(
        [keras.Input(shape=(timesteps, n_features // timesteps), name="record"), layers.Flatten()]
        + [layers.Dense(units, activation="relu") for units in hidden]
        + [layers.Dense(n_classes, activation="softmax", name="softmax")],
        name="mlp",
    )
    model.compile(optimizer=make_optimizer(optimizer, learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=STEPS_PER_EXECUTION)
    return model


@dataclass(frozen=True)
class Architecture:
    """One entry of `ARCHITECTURES`.

    Attributes
    ----------
    builder : callable
        ``builder(n_classes, *, n_features, timesteps, **hyper)`` returns a compiled Keras
        model whose input is ``(timesteps, n_features // timesteps)``.
    label : str
        The model's name in the book's tables and the results file.
    timesteps : int
        How one record is fed to it by default (see `to_sequences`).
    defaults : dict
        Hyper-parameters this entry passes to ``builder`` (others keep the builder's defaults).
    """

    builder: Callable[..., Any]
    label: str
    timesteps: int = 1
    defaults: dict[str, Any] = field(default_factory=dict)


#: The neural architectures by name. Adding one is one builder function and one entry here
#: (see the book's "How to extend" page); notebooks take the name as a parameter.
ARCHITECTURES: dict[str, Architecture] = {
    "lstm": Architecture(build_lstm, "LSTM"),                                     # the paper's
    "lstm_small": Architecture(build_lstm, "LSTM (8 units)", defaults={"units": 8}),  # cheaper
    "cnn_lstm": Architecture(build_cnn_lstm, "CNN-LSTM", timesteps=122),
    "mlp": Architecture(build_mlp, "MLP (Keras)"),
}


def architecture(name: str) -> Architecture:
    """The registry entry ``name``, or a `KDDError` listing the known names."""
    if name not in ARCHITECTURES:
        raise KDDError(f"model={name!r} is not a known architecture.",
                       fix=f"use one of: {', '.join(ARCHITECTURES)}, or add yours to "
                           "kdd_utils.models.ARCHITECTURES.")
    return ARCHITECTURES[name]


def build(name: str, n_classes: int = 2, *, n_features: int = 122, timesteps: int | None = None,
          **hyper: Any):
    """Build the architecture ``name`` of `ARCHITECTURES`.

    Parameters
    ----------
    name : str
        Registry name (``lstm``, ``lstm_small``, ``cnn_lstm``, ``mlp``, or one you added).
    n_classes, n_features : int
        Output classes; input features per example (122 for a record, ``window * 122`` for
        a window of records).
    timesteps : int, optional
        Steps the input is cut into; default: the entry's own.
    **hyper
        Hyper-parameters of the builder; they override the entry's defaults.
    """
    entry = architecture(name)
    timesteps = entry.timesteps if timesteps is None else timesteps
    return entry.builder(n_classes, n_features=n_features, timesteps=timesteps, **{**entry.defaults, **hyper})


def fit(model, X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray, y_val: np.ndarray, *,
        timesteps: int = 1, epochs: int = 20, batch_size: int = 256, patience: int = 3,
        sample_weight: np.ndarray | None = None, verbose: int = 2) -> pd.DataFrame:
    """Train with early stopping on validation loss (best weights restored).

    ``sample_weight`` weighs each training record's loss (class-imbalance remedies).

    Returns
    -------
    pandas.DataFrame
        One row per epoch: ``epoch``, ``accuracy``, ``loss``, ``val_accuracy``, ``val_loss``.
    """
    keras = _keras()

    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience,
                                         restore_best_weights=True)
    history = model.fit(
        to_sequences(X_train, timesteps), y_train,
        validation_data=(to_sequences(X_val, timesteps), y_val),
        epochs=epochs, batch_size=batch_size, callbacks=[stop], sample_weight=sample_weight,
        shuffle=True, verbose=verbose,
    )
    frame = pd.DataFrame(history.history)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    return frame


def predict_proba(model, X: np.ndarray, *, timesteps: int = 1, batch_size: int = 4096) -> np.ndarray:
    """Class probabilities, ``(n, n_classes)``."""
    return np.asarray(model.predict(to_sequences(X, timesteps), batch_size=batch_size, verbose=0))


def predictor(model, timesteps: int = 1):
    """``predict_proba(X)`` of a Keras model, in the form the evaluation code takes."""
    return lambda X: predict_proba(model, X, timesteps=timesteps)


def load_model(path: str | os.PathLike[str]):
    """Load a saved ``.keras`` model."""
    keras = _keras()

    return keras.models.load_model(path)
