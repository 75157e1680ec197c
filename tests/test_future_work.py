"""Future work: the architecture registry, the CNN-LSTM, sequence mode, the conditional GAN
and the cost measurements, on data made in code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kdd_utils import KDDError, experiments as ex, generative, imbalance, models, sequences, study


def _part(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 122)).astype(np.float32)
    category = np.where(X[:, 0] > 0.5, "DoS", "normal").astype(object)
    y = (category != "normal").astype(int)
    return study.Part(X, y, y, category, category)


# ---------------------------------------------------------------------------- registry

def test_every_registered_architecture_builds_with_its_own_input():
    for name, entry in models.ARCHITECTURES.items():
        model = models.build(name, 5)
        assert model.input_shape == (None, entry.timesteps, 122 // entry.timesteps), name
        assert model.output_shape == (None, 5), name
    assert models.build("lstm_small").get_layer("lstm").units == 8
    assert models.build("lstm_small", units=4).get_layer("lstm").units == 4  # the caller overrides defaults


def test_cnn_lstm_puts_a_convolution_in_front_of_the_lstm():
    model = models.build("cnn_lstm", 2)
    assert [layer.name for layer in model.layers] == ["conv", "pool", "lstm", "softmax"]
    windows = models.build("cnn_lstm", 2, n_features=8 * 122, timesteps=8, kernel_size=3)
    assert windows.input_shape == (None, 8, 122)
    with pytest.raises(KDDError, match="kernel_size=5"):
        models.build("cnn_lstm", 2, timesteps=1)


def test_an_unknown_architecture_is_named_with_the_known_ones():
    with pytest.raises(KDDError, match="(?s)model='transformer'.*lstm, lstm_small, cnn_lstm"):
        models.build("transformer")
    with pytest.raises(KDDError, match="parameter model='transformer'"):
        study.check_params(model="transformer")
    with pytest.raises(KDDError, match="parameter architectures="):
        study.check_params(architectures=["lstm", "nope"])
    with pytest.raises(KDDError, match="parameter window=-1"):
        study.check_params(window=-1)


def test_train_and_score_trains_once_per_seed_through_the_same_evaluation():
    part = _part()
    rows, fits, trained = ex.train_and_score("lstm_small", part, part, {"a": part, "b": part}, "binary", [3, 4],
                                             epochs=2, batch_size=64, optimizer="adam", learning_rate=0.01)
    assert [(r["set"], r["seed"]) for r in rows] == [("a", 3), ("b", 3), ("a", 4), ("b", 4)]
    assert {r["model"] for r in rows} == {"LSTM (8 units)"} and set(trained) == {3, 4}
    assert list(fits["seed"]) == [3, 4] and (fits["epochs_run"] <= 2).all()
    cost = ex.model_cost(trained[3], part.X, min_records=64)
    assert cost["infer_records_per_s_batch4096"] > cost["infer_records_per_s_batch1"] > 0
    assert cost["latency_ms"] == pytest.approx(1000 / cost["infer_records_per_s_batch1"])
    assert cost["parameters"] == trained[3].count_params() and cost["size_bytes"] > 0


def test_train_seeds_is_the_one_seeded_training_loop():
    part = _part()
    args = (part.X, part.y("binary"), part.X, part.y("binary"))
    settings = dict(n_classes=2, epochs=2, batch_size=64, optimizer="adam", learning_rate=0.01)
    fits, histories, trained = ex.train_seeds("lstm", *args, [7, 7], **settings)
    assert fits["val_loss"].iloc[0] == pytest.approx(fits["val_loss"].iloc[1])  # a seed fixes the result
    assert list(fits.columns) == ["model", "seed", "epochs_run", "best_epoch", "val_loss", "val_accuracy",
                                  "train_seconds", "records_per_s", "parameters"]
    assert fits["model"].iloc[0] == "LSTM" and list(histories[7].columns)[:1] == ["epoch"]
    weights = np.where(part.y("binary") == 1, 10.0, 0.1).astype("float32")
    weighted, _, _ = ex.train_seeds("lstm", *args, [7], sample_weight=weights, **settings)
    assert weighted["val_loss"].iloc[0] != pytest.approx(fits["val_loss"].iloc[0])  # weights reach the loss


def test_the_cost_of_a_scikit_learn_baseline_is_measured_too():
    from kdd_utils import baselines

    part = _part()
    fitted = baselines.fit_estimator("logistic_regression", part, part, "binary")
    cost = ex.model_cost(fitted, part.X, min_records=64)
    assert cost["size_bytes"] > 0 and np.isnan(cost["parameters"])
    assert baselines.predictor(fitted, "binary")(part.X).shape == (300, 2)


# ---------------------------------------------------------------------------- sequences

def test_blocks_split_whole_and_windows_never_cross_a_block():
    frame = pd.DataFrame({"x": np.arange(1000)})
    framed = sequences.with_blocks(frame, 100)
    parts = sequences.split_blocks(framed, random_state=1)
    sizes = {name: part["block"].nunique() for name, part in parts.items()}
    assert sizes == {"train": 8, "val": 1, "holdout": 1}
    blocks = [set(p["block"]) for p in parts.values()]
    assert not (blocks[0] & blocks[1] or blocks[0] & blocks[2] or blocks[1] & blocks[2])
    for part in parts.values():
        assert part["x"].is_monotonic_increasing  # the file's order is kept
        ends = sequences.window_ends(part["block"].to_numpy(), 5)
        assert len(ends) == part["block"].nunique() * (100 - 4)
        X = part[["x"]].to_numpy()
        win = sequences.windows(X, ends, 5)
        assert (np.diff(win, axis=1) == 1).all()  # each window is 5 consecutive records of one block
    with pytest.raises(KDDError, match="cannot be split"):
        sequences.split_blocks(sequences.with_blocks(frame, 500))


def test_windows_are_oldest_first_and_labelled_by_their_last_record():
    block = np.array([0, 0, 0, 1, 1, 1, 1])
    ends = sequences.window_ends(block, 2)
    assert list(ends) == [1, 2, 4, 5, 6]
    X = np.arange(14).reshape(7, 2)
    assert sequences.windows(X, ends, 2)[0].tolist() == [0, 1, 2, 3]
    assert sequences.label_runs(np.array(["a", "a", "b", "b", "a"])) == 3
    sampled = sequences.sample_blocks(sequences.with_blocks(pd.DataFrame({"x": range(1000)}), 100), 0.3,
                                      random_state=0)
    assert len(sampled) % 100 == 0 and 0 < len(sampled) < 1000


def test_sequence_mode_refuses_a_shuffled_dataset():
    with pytest.raises(KDDError, match="shuffled"):
        sequences.sequence_parts("nsl-kdd", window=4)


# ---------------------------------------------------------------------------- generative

def _onehot_records(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 122)).astype(np.float32)
    X[:, :84] = 0
    for block in generative.onehot_blocks():
        X[np.arange(n), block.start + rng.integers(0, block.stop - block.start, n)] = 1
    return X


def test_generated_records_are_valid_encodings_of_the_asked_categories():
    X = _onehot_records(300)
    cats = np.array([0] * 260 + [3] * 30 + [4] * 10)
    gan = generative.train_cgan(X, cats, steps=50, random_state=0)
    assert gan.conditions == (3, 4) and len(gan.history) > 1
    X_new, c_new = gan.sample({3: 7, 4: 5})
    assert X_new.shape == (12, 122) and list(c_new) == [3] * 7 + [4] * 5
    for block in generative.onehot_blocks():
        assert (X_new[:, block].sum(axis=1) == 1).all()  # one value per categorical feature
    assert (X_new[:, 84:] >= X[:, 84:].min(axis=0)).all() and (X_new[:, 84:] <= X[:, 84:].max(axis=0)).all()
    with pytest.raises(KDDError, match="not trained on categories"):
        gan.sample({1: 3})
    with pytest.raises(KDDError, match="2 or more"):
        generative.train_cgan(X, np.zeros(300, int), steps=5)


def test_cgan_oversampling_grows_r2l_and_u2r_in_training_data_only():
    X = _onehot_records(330)
    cats = np.array([0] * 300 + [1] * 10 + [3] * 15 + [4] * 5)
    Xr, cr, w = imbalance.resample(X, cats, "cgan", balance_to=40, gan_steps=30)
    assert dict(zip(*np.unique(cr, return_counts=True))) == {0: 300, 1: 10, 3: 40, 4: 40}  # DoS stays
    assert w is None and np.array_equal(Xr[:330], X)  # the real records come first, unchanged
