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


def build_mlp(n_classes: int = 2, *, n_features: int = 122, hidden: tuple[int, ...] = (64, 32),
              optimizer: str = "adam", learning_rate: float = 0.001):
    """A dense baseline: ``hidden`` relu layers, softmax, cross-entropy (input: one record,
    no sequence)."""
    keras = _keras()
    layers = keras.layers

    model = keras.Sequential(
        [keras.Input(shape=(1, n_features), name="record"), layers.Flatten()]
        + [layers.Dense(units, activation="relu") for units in hidden]
        + [layers.Dense(n_classes, activation="softmax", name="softmax")],
        name="mlp",
    )
    model.compile(optimizer=make_optimizer(optimizer, learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=STEPS_PER_EXECUTION)
    return model


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
