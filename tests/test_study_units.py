"""Unit tests of the study modules: parameters, metrics, imbalance, models, runner pieces."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kdd_utils import KDDError, evaluation as ev, imbalance, report, runner, study


# ---------------------------------------------------------------------------- parameters

@pytest.mark.parametrize("name,value,word", [
    ("dataset", "kdd98", "kdd99"), ("task", "ternary", "binary"), ("seed", -1, ">= 0"),
    ("epochs", 0, ">= 1"), ("batch_size", 2.5, "whole number"), ("sample_fraction", 1.5, "(0, 1]"),
    ("timesteps", 7, "divisor of 122"), ("optimizer", "lbfgs", "sgd"), ("threshold", 1.0, "(0, 1)"),
    ("methods", ["smote", "magic"], "random_over"), ("drop_duplicates", "yes", "True or False"),
    ("scaling", "zscore", "minmax"),
])
def test_bad_parameters_are_named_with_the_fix(name, value, word):
    with pytest.raises(KDDError) as info:
        study.check_params(**{name: value})
    message = str(info.value)
    assert f"parameter {name}={value!r}" in message and word in message and "-p " + name in message


def test_good_parameters_pass():
    params = dict(dataset="nsl-kdd", task="multiclass", seed=0, epochs=3, batch_size=64, sample_fraction=0.5,
                  timesteps=61, optimizer="adam", threshold=0.3, methods=["none", "smote"], run_dir="runs/x")
    assert study.check_params(**params) == params


def test_require_names_the_notebook_to_run_first(tmp_path):
    with pytest.raises(KDDError, match="run notebooks/03_lstm_training.ipynb first"):
        study.require(tmp_path, "training")


def test_prepared_round_trip(tmp_path):
    part = study.Part(np.ones((4, 122), np.float32), np.array([0, 1, 1, 0]), np.array([0, 1, 3, 0]),
                      np.array(["normal", "DoS", "R2L", "normal"], dtype=object), np.array(["normal", "smurf", "imap", "normal"]))
    study.save_prepared(tmp_path, {"train": part, "holdout": part})
    study.write_json(study.artefact(tmp_path, "preparation"), {"parameters": {"dataset": "kdd99"}})
    loaded = study.load_prepared(tmp_path)
    assert list(loaded) == ["train", "holdout"]
    assert loaded["train"].X.shape == (4, 122) and list(loaded["train"].category) == ["normal", "DoS", "R2L", "normal"]
    with pytest.raises(KDDError, match="prepared with dataset='kdd99'"):
        study.check_same_setting(tmp_path, dataset="nsl-kdd")


# ---------------------------------------------------------------------------- metrics

def test_detection_metrics_on_a_known_confusion():
    truth = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    score = np.array([0.9, 0.8, 0.7, 0.2, 0.6, 0.1, 0.1, 0.1, 0.1, 0.1])
    m = ev.detection_metrics(truth, score, threshold=0.5)
    assert (m["tp"], m["fn"], m["fp"], m["tn"]) == (3, 1, 1, 5)
    assert m["detection_rate"] == pytest.approx(0.75) and m["false_alarm_rate"] == pytest.approx(1 / 6)
    assert m["precision"] == pytest.approx(0.75) and m["accuracy"] == pytest.approx(0.8)
    assert m["f1"] == pytest.approx(0.75)
    assert m["balanced_accuracy"] == pytest.approx((0.75 + 5 / 6) / 2)
    assert m["roc_auc"] == pytest.approx(23 / 24)


def test_always_attack_baseline_and_per_category():
    category = np.array(["normal", "DoS", "DoS", "R2L", "U2R"])
    m = ev.evaluate(ev.constant_proba(5, "binary", predict_attack=True), category, "binary")
    assert m["detection_rate"] == 1 and m["false_alarm_rate"] == 1 and m["accuracy"] == pytest.approx(0.8)
    assert np.isnan(m["roc_auc"]) or m["roc_auc"] == 0.5
    assert m["detect_DoS"] == 1 and np.isnan(m["detect_Probe"])
    multi = ev.evaluate(ev.constant_proba(5, "multiclass", predict_attack=True), category, "multiclass")
    assert multi["recall_DoS"] == 1 and multi["recall_R2L"] == 0 and np.isnan(multi["recall_Probe"])


# ---------------------------------------------------------------------------- imbalance

def test_resampling_acts_on_categories_and_reaches_the_target_size():
    rng = np.random.default_rng(0)
    X = rng.random((1030, 122)).astype(np.float32)
    y = np.array([0] * 1000 + [3] * 25 + [4] * 5)
    for method, expected in [("random_over", {0: 1000, 3: 200, 4: 200}), ("smote", {0: 1000, 3: 200, 4: 200}),
                             ("random_under", {0: 200, 3: 25, 4: 5})]:
        Xr, yr, w = imbalance.resample(X, y, method, balance_to=200, random_state=0)
        assert dict(zip(*np.unique(yr, return_counts=True))) == expected and Xr.shape[1] == 122 and w is None
    Xr, yr, w = imbalance.resample(X, y, "class_weight")
    assert Xr is X and yr is y and w[-1] > w[1000] > w[0]
    assert np.isclose(w[y == 4].sum(), w[y == 0].sum())
    single = np.array([0] * 1000 + [3] * 29 + [4])
    Xr, yr, _ = imbalance.resample(X, single, "smote", balance_to=200)
    assert dict(zip(*np.unique(yr, return_counts=True))) == {0: 1000, 3: 200, 4: 1}
    with pytest.raises(KDDError, match="imbalance method"):
        imbalance.resample(X, y, "gan")
    with pytest.raises(KDDError, match="balance_to"):
        imbalance.resample(X, y, "smote", balance_to=0)


# ---------------------------------------------------------------------------- models

def test_lstm_has_the_papers_shape():
    from kdd_utils import models

    models.set_seed(0)
    model = models.build_lstm(2)
    assert model.input_shape == (None, 1, 122) and model.output_shape == (None, 2)
    lstm = model.get_layer("lstm")
    assert lstm.units == 32 and lstm.activation.__name__ == "relu"
    assert models.to_sequences(np.zeros((3, 122)), 61).shape == (3, 61, 2)
    with pytest.raises(KDDError, match="timesteps=5"):
        models.to_sequences(np.zeros((3, 122)), 5)
    X = np.random.default_rng(0).random((64, 122)).astype(np.float32)
    y = (X[:, 0] > 0.5).astype(int)
    history = models.fit(model, X, y, X, y, epochs=2, batch_size=16, verbose=0)
    assert list(history.columns) == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert models.predict_proba(model, X).shape == (64, 2)


# ---------------------------------------------------------------------------- profiles and results

def test_profile_errors(tmp_path):
    with pytest.raises(KDDError, match="profile 'nope' not found"):
        runner.load_profile("nope")
    bad = tmp_path / "bad.yml"
    bad.write_text("runs:\n  one:\n    parameters: {dataset: kdd99, epocs: 3}\n")
    profile = runner.load_profile(str(bad))
    with pytest.raises(KDDError, match="epocs"):
        runner.check_profile(profile, study.project_root())
    (tmp_path / "empty.yml").write_text("title: x\n")
    with pytest.raises(KDDError, match="no runs"):
        runner.load_profile(str(tmp_path / "empty.yml"))


def test_shipped_profiles_are_valid():
    root = study.project_root()
    for name in ("ci", "full"):
        profile = runner.load_profile(name)
        runner.check_profile(profile, root)
        datasets_tasks = {(r.parameters["dataset"], r.parameters["task"]) for r in profile.runs}
        assert {("kdd99", "binary"), ("nsl-kdd", "binary"), ("nsl-kdd", "multiclass")} <= datasets_tasks


def test_results_are_collected_into_the_headline_table(tmp_path):
    profile = runner.Profile("p", "P", [runner.Run("r1", "Run one", {})])
    run_dir = tmp_path / "runs" / "p" / "r1"
    run_dir.mkdir(parents=True)
    rows = [{"set": "holdout", "model": "LSTM", "accuracy": 0.9, "detection_rate": 0.8, "false_alarm_rate": 0.1,
             "precision": 0.7, "f1": 0.75, "roc_auc": 0.95},
            {"set": "holdout", "model": "always attack", "accuracy": 0.6}]
    study.write_json(run_dir / "results.json", {"dataset": "kdd99", "task": "binary", "seed": 0, "evaluations": rows})
    table = runner.collect_results(profile, tmp_path)
    assert len(table) == 2 and (tmp_path / "runs" / "p" / "results.csv").is_file()
    markdown = report.headline_markdown(table)
    assert "Run one" in markdown and "0.900" in markdown and "0.600" in markdown and "0.950" in markdown


def test_repository_url_is_added_only_when_published(tmp_path, monkeypatch):
    import shutil

    import yaml

    config = tmp_path / "_config.yml"
    shutil.copy(study.project_root() / "_config.yml", config)
    monkeypatch.delenv("BOOK_REPOSITORY_URL", raising=False)
    runner._configure_repository(config)
    assert "repository" not in yaml.safe_load(config.read_text())
    monkeypatch.setenv("BOOK_REPOSITORY_URL", "https://github.com/example/study")
    runner._configure_repository(config)
    loaded = yaml.safe_load(config.read_text())
    assert loaded["repository"]["url"] == "https://github.com/example/study"
    assert loaded["html"]["use_repository_button"] and loaded["execute"]["execute_notebooks"] == "off"


def test_kdd_cup_cost_reproduces_the_winners_published_cost():
    from kdd_utils.published import KDD99_WINNER_CONFUSION

    assert KDD99_WINNER_CONFUSION.to_numpy().sum() == 311_029  # every record of `corrected`
    assert ev.kdd_cost(KDD99_WINNER_CONFUSION) == pytest.approx(0.2331, abs=5e-5)
    assert ev.kdd_cost(np.diag([5, 4, 3, 2, 1])) == 0
    truth, pred = np.array([3, 0]), np.array([0, 3])  # R2L called normal (4), normal called R2L (2)
    assert ev.multiclass_metrics(truth, pred)["cost_per_example"] == pytest.approx(3.0)


@pytest.mark.parametrize("name", ["logistic_regression", "random_forest", "hist_gradient_boosting", "mlp"])
def test_baselines_fit_and_predict_through_the_same_evaluation(name):
    from kdd_utils import baselines

    rng = np.random.default_rng(0)
    X = rng.random((300, 122)).astype(np.float32)
    cat = np.where(X[:, 0] > 0.6, "DoS", np.where(X[:, 1] > 0.8, "Probe", "normal")).astype(object)
    y_multi = pd.Categorical(cat, categories=["normal", "DoS", "Probe", "R2L", "U2R"]).codes.astype(int)
    part = study.Part(X, (y_multi > 0).astype(int), y_multi, cat, cat)
    for task, k in (("binary", 2), ("multiclass", 5)):
        predict = baselines.fit_baseline(name, part, part, task, epochs=2, batch_size=64)
        proba = predict(X)
        assert proba.shape == (300, k) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
        metrics = ev.evaluate(proba, cat, task, y_multiclass=y_multi)
        assert 0 <= metrics["f1"] <= 1 and "detect_DoS" in metrics
    with pytest.raises(KDDError, match="baseline 'svm'"):
        baselines.fit_baseline("svm", part, part, "binary")


def test_benchmark_measures_every_model_and_renders():
    from kdd_utils import benchmark

    rng = np.random.default_rng(0)
    X = rng.random((400, 122)).astype(np.float32)
    cat = np.where(X[:, 0] > 0.5, "DoS", "normal").astype(object)
    y = (cat == "DoS").astype(int)
    part = study.Part(X, y, y, cat, cat)
    table = benchmark.benchmark_models(part, part, names=("lstm", "logistic_regression"), min_records=200)
    assert list(table["model"]) == ["lstm", "logistic_regression"]
    for column in ["train_records_per_s", "size_bytes", "infer_records_per_s_batch1",
                   "infer_records_per_s_batch64", "infer_records_per_s_batch4096"]:
        assert (table[column] > 0).all(), column
    assert table.loc[0, "parameters"] > 0
    result = {"machine": {"cpu_count": 2, "cpu_model": "x", "memory_gib": 1.0, "system": "s", "python": "3"},
              "peak_memory_mib": 10.0, "dataset": "kdd99-10pct", "records": 400, "load_seconds": 0.1,
              "encoded_shape": [400, 122], "preprocess_seconds": 0.2, "preprocess_records_per_s": 2000.0,
              "epochs_timed": 1, "train_records": 400, "models": table.to_dict("records")}
    text = benchmark.benchmark_markdown(result)
    assert "inference, batch 4096 (records/s)" in text and "lstm" in text
    assert "make benchmark" in benchmark.benchmark_markdown(None)


def test_launch_buttons_open_the_committed_notebook_not_the_executed_copy():
    from kdd_utils import sphinx_ext

    binder = "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/runs/nsl-kdd-binary/04_evaluation.ipynb"
    context = {"header_buttons": [
        {"label": "download-buttons", "buttons": [{"url": "../../_sources/runs/nsl-kdd-binary/04_evaluation.ipynb"}]},
        {"label": "launch-buttons", "buttons": [{"text": "Binder", "url": binder}]}]}
    sphinx_ext.launch_committed_notebooks(None, "runs/nsl-kdd-binary/04_evaluation", "page.html", context, None)
    download, launch = context["header_buttons"]
    assert launch["buttons"][0]["url"].endswith("urlpath=lab/tree/notebooks/04_evaluation.ipynb")
    assert download["buttons"][0]["url"].endswith("_sources/runs/nsl-kdd-binary/04_evaluation.ipynb")
    assert sphinx_ext.committed_notebook_url("https://x.org/myruns/a/01_b.ipynb") == "https://x.org/myruns/a/01_b.ipynb"
