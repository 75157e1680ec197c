"""Seeds, the LSTM search, run subsets and the cross-run tables: the code paths of "Results
that hold", on data made in code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kdd_utils import KDDError, evaluation as ev, report, runner, search, study


# ---------------------------------------------------------------------------- seeds

def test_seed_list_counts_up_from_the_first_seed():
    assert study.seed_list(3, 4) == [3, 4, 5, 6]
    assert study.seed_list(0, 1) == [0]


def test_seed_loop_aggregates_mean_std_and_count_per_group():
    rows = [{"set": "holdout", "model": "LSTM", "seed": s, "accuracy": a, "f1": f}
            for s, a, f in [(0, 0.90, 0.80), (1, 0.92, 0.82), (2, 0.94, 0.90)]]
    rows += [{"set": "holdout", "model": "logistic_regression", "seed": 0, "accuracy": 0.7, "f1": 0.6}]
    rows += [{"set": "test", "model": "LSTM", "seed": s, "accuracy": a, "f1": 0.5} for s, a in [(0, 0.5), (1, 0.7)]]
    agg = ev.aggregate(rows, metrics=["accuracy", "f1"])
    assert list(zip(agg["set"], agg["model"])) == [("holdout", "LSTM"), ("holdout", "logistic_regression"),
                                                   ("test", "LSTM")]  # first-seen order kept
    lstm = agg.iloc[0]
    assert lstm["n_seeds"] == 3 and lstm["accuracy_mean"] == pytest.approx(0.92)
    assert lstm["accuracy_std"] == pytest.approx(np.std([0.90, 0.92, 0.94], ddof=1))
    assert np.isnan(agg.iloc[1]["accuracy_std"]) and agg.iloc[1]["n_seeds"] == 1
    assert agg.iloc[2]["accuracy_std"] == pytest.approx(np.std([0.5, 0.7], ddof=1))
    text = ev.mean_std(agg, ["accuracy"], digits=3)
    assert list(text["accuracy"]) == ["0.920 ± 0.020", "0.700", "0.600 ± 0.141"]


def test_evaluate_models_scores_every_model_on_every_set_with_its_threshold():
    category = np.array(["normal"] * 6 + ["DoS"] * 4, dtype=object)
    y = (category != "normal").astype(int)
    part = study.Part(np.zeros((10, 122), np.float32), y, y, category, category)
    score = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.65, 0.8, 0.9, 0.95])
    proba = np.column_stack([1 - score, score])
    predictors = {"m": lambda X: proba, **ev.constant_predictors("binary")}
    rows = ev.evaluate_models(predictors, {"a": part, "b": part}, "binary", threshold={"m": 0.62}, seed=7)
    assert [(r["set"], r["model"]) for r in rows] == [(s, m) for s in "ab" for m in predictors]
    assert all(r["seed"] == 7 for r in rows)
    m = rows[0]
    assert (m["tp"], m["fp"]) == (4, 1)  # 0.65 and above are alarms; of the normals only 0.7
    assert rows[1]["detection_rate"] == 1 and rows[2]["detection_rate"] == 0


def test_threshold_is_tuned_for_f1_on_validation_scores():
    truth = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    score = np.array([0.1, 0.2, 0.3, 0.55, 0.6, 0.7, 0.8, 0.9])
    cut = ev.tune_threshold(truth, score)
    assert 0.55 < cut <= 0.6  # the only cut that separates both classes perfectly
    assert ev.tune_threshold(np.ones(4), score[:4]) == 0.5  # one class: nothing to learn


# ---------------------------------------------------------------------------- search

def test_search_draws_distinct_configurations_with_the_papers_first():
    configs = search.sample_configs(10, random_state=1)
    assert configs[0] == search.PAPER_CONFIG and len(configs) == 10
    assert len({tuple(c.values()) for c in configs}) == 10
    for c in configs:
        assert set(c) == set(search.KEYS)
        assert c["learning_rate"] in search.SPACE["learning_rate"][c["optimizer"]]
    assert search.sample_configs(10, random_state=1) == configs  # seeded
    assert search.sample_configs(10, random_state=2) != configs
    with pytest.raises(KDDError, match="exceeds"):
        search.sample_configs(10_000)


def test_search_selects_the_lowest_validation_loss_and_ranks_a_diverged_trial_last():
    trials = pd.DataFrame([{**search.PAPER_CONFIG, "val_loss": 0.3, "parameters": 100},
                           {**search.PAPER_CONFIG, "units": 64, "val_loss": float("inf"), "parameters": 50},
                           {**search.PAPER_CONFIG, "units": 16, "val_loss": 0.1, "parameters": 300}])
    assert search.select(trials)["units"] == 16
    with pytest.raises(KDDError, match="no trial"):
        search.select(trials.iloc[:0])


def test_a_trial_trains_and_scores_on_validation_only():
    rng = np.random.default_rng(0)
    X = rng.random((200, 122)).astype(np.float32)
    y = (X[:, 0] > 0.5).astype(int)
    category = np.where(y == 1, "DoS", "normal").astype(object)
    config = {**search.PAPER_CONFIG, "timesteps": 2, "layers": 2, "dropout": 0.2, "optimizer": "adam",
              "learning_rate": 0.003}
    out = search.run_trial(config, X[:150], y[:150], X[150:], y[150:], category[150:], n_classes=2, epochs=2,
                           batch_size=32, seed=0)
    assert {k: out[k] for k in search.KEYS} == config
    assert np.isfinite(out["val_loss"]) and 0 <= out["val_f1"] <= 1 and out["epochs_run"] <= 2
    assert out["parameters"] > 0


def test_deeper_lstm_variants_and_their_errors():
    from kdd_utils import models

    model = models.build_lstm(5, timesteps=2, units=16, layers=2, dropout=0.2)
    names = [layer.name for layer in model.layers]
    assert names == ["lstm_1", "dropout_1", "lstm_2", "dropout_2", "softmax"]
    assert model.input_shape == (None, 2, 61) and model.output_shape == (None, 5)
    with pytest.raises(KDDError, match="layers=0"):
        models.build_lstm(2, layers=0)
    with pytest.raises(KDDError, match="dropout=1.0"):
        models.build_lstm(2, dropout=1.0)


# ---------------------------------------------------------------------------- run subsets

def test_a_run_can_execute_a_subset_of_the_notebooks(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text('runs:\n  a:\n    parameters: {dataset: kdd99}\n    notebooks: ["04", "01", 2]\n'
                    '  b:\n    parameters: {dataset: kdd99}\n')
    profile = runner.load_profile(str(path))
    assert profile.runs[0].notebooks == ["01_data_exploration", "02_preprocessing", "04_evaluation"]
    assert profile.runs[1].notebooks == list(study.NOTEBOOKS)
    path.write_text('runs:\n  a:\n    parameters: {dataset: kdd99}\n    notebooks: ["09"]\n')
    with pytest.raises(KDDError, match="notebook '09' is not one of"):
        runner.load_profile(str(path))
    path.write_text('runs:\n  a:\n    parameters: {dataset: kdd99}\n    notebooks: []\n')
    with pytest.raises(KDDError, match="non-empty list"):
        runner.load_profile(str(path))


def test_running_an_unknown_run_is_an_error(tmp_path):
    profile = runner.Profile("t", "t", [runner.Run("one", "one", {"dataset": "kdd99"})])
    with pytest.raises(KDDError, match="no run typo"):
        runner.run_profile(profile, workdir=tmp_path, only=["typo"])


def test_default_jobs_is_one_per_core_and_at_most_one_per_run(monkeypatch):
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    assert runner.default_jobs(5) == 2 and runner.default_jobs(1) == 1
    monkeypatch.setattr(runner.os, "cpu_count", lambda: None)
    assert runner.default_jobs(5) == 1


# ---------------------------------------------------------------------------- cross-run tables

def _rows(run, dataset, task, model, set_name, values, *, dedup=False, **extra):
    return [{"run": run, "title": run.upper(), "dataset": dataset, "task": task, "drop_duplicates": dedup,
             "model": model, "set": set_name, "seed": s, "n": 1000, "accuracy": v, "detection_rate": v,
             "false_alarm_rate": 1 - v, "precision": v, "f1": v, "roc_auc": v, **extra}
            for s, v in enumerate(values)]


def test_headline_table_shows_mean_and_std_over_seeds_for_both_lstms():
    table = pd.DataFrame(_rows("r", "kdd99", "binary", "LSTM", "holdout", [0.90, 0.92])
                         + _rows("r", "kdd99", "binary", "LSTM (searched)", "holdout", [0.95, 0.97])
                         + _rows("r", "kdd99", "binary", "always attack", "holdout", [0.8]))
    text = report.headline_markdown(table)
    assert "0.910 ± 0.014" in text and "0.960 ± 0.014" in text and "0.800" in text
    assert text.index("LSTM (paper)") < text.index("LSTM (searched)")
    assert "0.2331" in text  # the winner's cost, read from kdd_utils.published
    windows = table.assign(set=table["set"].replace({"holdout": "windows: holdout"}))
    assert "nan" not in report.headline_markdown(windows[windows["model"] != "always attack"])


def test_duplicates_table_reads_both_kdd99_binary_runs():
    table = pd.DataFrame(_rows("a", "kdd99", "binary", "LSTM", "holdout", [0.999, 0.998])
                         + _rows("a", "kdd99", "binary", "LSTM", "holdout-unseen", [0.99, 0.98])
                         + _rows("a", "kdd99", "binary", "LSTM", "kdd99-corrected", [0.92, 0.93])
                         + _rows("b", "kdd99", "binary", "LSTM", "holdout", [0.985, 0.987], dedup=True))
    text = report.duplicates_markdown(table)
    assert "0.9985 ± 0.0007" in text and "0.9860 ± 0.0014" in text and "0.9250" in text
    assert "after removing duplicates" in text and "trained without duplicates" not in text
    assert "no binary KDD Cup 99 runs" in report.duplicates_markdown(table[table["run"] == "a"])


def test_versus_published_says_whether_and_by_how_much_each_number_was_reached():
    rows = pd.DataFrame(_rows("m", "kdd99", "multiclass", "LSTM (searched)", "kdd99-corrected", [0.9, 0.9],
                              cost_per_example=0.25, accuracy_5class=0.9))
    frame = report.versus_published(rows, "kdd99", "multiclass", model="LSTM (searched)")
    winner = frame[frame["metric"] == "cost per example"].iloc[0]
    assert winner["published"] == pytest.approx(0.2331) and not winner["reached"]
    assert winner["margin"] == pytest.approx(0.2331 - 0.25)  # lower cost is better
    assert "not reached, behind by 0.0169" in report.versus_published_markdown(frame)
    nsl = pd.DataFrame(_rows("n", "nsl-kdd", "binary", "LSTM", "nslkdd-test", [0.84, 0.86]))
    frame = report.versus_published(nsl, "nsl-kdd", "binary", model="LSTM")
    yin = frame[frame["source"].str.startswith("Yin")].iloc[0]
    assert yin["reached"] and yin["margin"] == pytest.approx(0.85 - 0.8328)
    assert set(frame["set"]) == {"nslkdd-test"}  # KDDTest-21 numbers need KDDTest-21 rows
    five = pd.DataFrame(_rows("f", "nsl-kdd", "multiclass", "LSTM", "nslkdd-test", [0.7, 0.7],
                              accuracy_5class=0.6))
    frame = report.versus_published(five, "nsl-kdd", "multiclass", model="LSTM")
    assert frame["metric"].tolist() == ["accuracy (5 classes)"] and frame["ours"].iloc[0] == pytest.approx(0.6)
    landing = report.published_markdown(pd.concat([rows, nsl]))
    assert "`m`" in landing and "`n`" in landing and "{cite}`yin2017rnn`" in landing
