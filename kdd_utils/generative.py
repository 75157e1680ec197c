"""Generative oversampling: a small conditional GAN (Keras) that synthesises training records
of rare attack categories.

The generator maps noise and a one-hot category to the 122 encoded columns; the
discriminator tells real records of that category from generated ones. It is trained on the
*training* records of the categories to grow only, with batches balanced over them so that
U2R (a few dozen records) is not drowned by R2L. Generated records are then made valid
encodings: each one-hot block (protocol, service, flag) is set to its most likely value and
the numeric columns are clipped to the range seen in training. The records are used as extra
training data by `kdd_utils.imbalance.resample` (method ``"cgan"``); they never reach
validation or test data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .errors import KDDError
from .schema import CATEGORICAL_FEATURES, VOCABULARIES

#: Categories the cGAN grows by default: R2L and U2R (codes of `kdd_utils.schema.CATEGORIES`).
RARE_CATEGORIES: tuple[int, ...] = (3, 4)


def onehot_blocks() -> list[slice]:
    """Column slices of the one-hot blocks at the front of the 122 encoded columns."""
    blocks, start = [], 0
    for feature in CATEGORICAL_FEATURES:
        width = len(VOCABULARIES[feature])
        blocks.append(slice(start, start + width))
        start += width
    return blocks


@dataclass
class ConditionalGAN:
    """A trained generator and what `sample` needs to make valid records."""

    generator: object
    conditions: tuple[int, ...]
    latent_dim: int
    low: np.ndarray
    high: np.ndarray
    history: list[dict[str, float]]

    def sample(self, counts: Mapping[int, int], *, random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """``counts[c]`` synthetic records of each category ``c``: ``(X, categories)``."""
        rng = np.random.default_rng(random_state)
        cats = np.concatenate([np.full(int(n), c) for c, n in counts.items()]) if counts else np.zeros(0, int)
        unknown = set(cats.tolist()) - set(self.conditions)
        if unknown:
            raise KDDError(f"the cGAN was not trained on categories {sorted(unknown)}.",
                           fix=f"sample categories {list(self.conditions)} only.")
        if len(cats) == 0:
            return np.zeros((0, len(self.low)), np.float32), cats
        z = rng.standard_normal((len(cats), self.latent_dim)).astype(np.float32)
        onehot = np.eye(len(self.conditions), dtype=np.float32)[[self.conditions.index(c) for c in cats]]
        X = np.asarray(self.generator.predict([z, onehot], batch_size=4096, verbose=0), dtype=np.float32)
        return make_valid(X, self.low, self.high), cats


def make_valid(X: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Valid encodings from generator outputs: one value per one-hot block, numeric columns
    clipped to ``[low, high]``."""
    out = np.clip(X, low, high).astype(np.float32)
    for block in onehot_blocks():
        values = out[:, block]
        out[:, block] = np.eye(values.shape[1], dtype=np.float32)[values.argmax(axis=1)]
    return out


def train_cgan(X: np.ndarray, categories: np.ndarray, *, grow: tuple[int, ...] = RARE_CATEGORIES,
               latent_dim: int = 32, hidden: int = 128, steps: int = 2000, batch_size: int = 64,
               learning_rate: float = 2e-4, random_state: int = 0) -> ConditionalGAN:
    """Train a conditional GAN on the training records of the categories ``grow``.

    Parameters
    ----------
    X, categories : numpy.ndarray
        Encoded training records and their integer category (0 = normal ... 4 = U2R).
    grow : tuple of int
        Categories to learn (each needs at least 2 training records).
    latent_dim, hidden : int
        Noise size; width of the two hidden layers of both networks.
    steps, batch_size, learning_rate : int, int, float
        Adversarial updates (one discriminator and one generator step each), batch size, and
        Adam's step size (beta_1 = 0.5, as usual for GANs).
    random_state : int
        Seed of the networks' initialisation, the noise and the batches.
    """
    from . import models

    keras = models._keras()
    import tensorflow as tf

    X = np.asarray(X, dtype=np.float32)
    categories = np.asarray(categories)
    present = tuple(int(c) for c in grow if (categories == c).sum() >= 2)
    if not present:
        raise KDDError(f"no category of {list(grow)} has 2 or more training records to learn from.",
                       fix="raise sample_fraction, or leave the cGAN out of methods.")
    keep = np.isin(categories, present)
    Xr, cr = X[keep], categories[keep]
    index = {c: np.flatnonzero(cr == c) for c in present}
    k, d = len(present), X.shape[1]
    keras.utils.set_random_seed(random_state)
    layers = keras.layers

    z_in, c_in = keras.Input((latent_dim,), name="noise"), keras.Input((k,), name="category")
    h = layers.Concatenate()([z_in, c_in])
    for _ in range(2):
        h = layers.Dense(hidden, activation="relu")(h)
    generator = keras.Model([z_in, c_in], layers.Dense(d, activation="sigmoid")(h), name="generator")
    x_in, c2_in = keras.Input((d,), name="record"), keras.Input((k,), name="category")
    h = layers.Concatenate()([x_in, c2_in])
    for _ in range(2):
        h = layers.Dense(hidden)(h)
        h = layers.LeakyReLU(0.2)(h)
    discriminator = keras.Model([x_in, c2_in], layers.Dense(1)(h), name="discriminator")
    g_opt = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    d_opt = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    g_opt.build(generator.trainable_variables)
    d_opt.build(discriminator.trainable_variables)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def step(xb, cb, z):
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = generator([z, cb], training=True)
            real_logit = discriminator([xb, cb], training=True)
            fake_logit = discriminator([fake, cb], training=True)
            d_loss = bce(tf.fill(tf.shape(real_logit), 0.9), real_logit) + bce(tf.zeros_like(fake_logit), fake_logit)
            g_loss = bce(tf.ones_like(fake_logit), fake_logit)
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, discriminator.trainable_variables),
                                  discriminator.trainable_variables))
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, generator.trainable_variables),
                                  generator.trainable_variables))
        return d_loss, g_loss

    rng = np.random.default_rng(random_state)
    eye = np.eye(k, dtype=np.float32)
    history = []
    for i in range(steps):
        which = rng.integers(k, size=batch_size)  # balanced over categories
        rows = np.array([index[present[w]][rng.integers(len(index[present[w]]))] for w in which])
        d_loss, g_loss = step(Xr[rows], eye[which], rng.standard_normal((batch_size, latent_dim)).astype(np.float32))
        if i % max(1, steps // 20) == 0 or i == steps - 1:
            history.append({"step": i + 1, "d_loss": float(d_loss), "g_loss": float(g_loss)})
    return ConditionalGAN(generator, present, latent_dim, X.min(axis=0), X.max(axis=0), history)
