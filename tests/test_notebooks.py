"""The notebooks: committed clean, executed by papermill with tiny parameters, built into the book."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from kdd_utils import KDDError, baselines, runner, study

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_notebooks_in_reading_order():
    assert [p.stem for p in NOTEBOOKS] == list(study.NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_clean_and_well_formed(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit without outputs"
    for cell in code:  # a syntax error is found here in milliseconds, not after a papermill run
        compile(cell.source, f"{path.name}:{cell.id}", "exec")
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    after = nb.cells[tagged[0] + 1]
    assert "check_params(" in after.source, "parameters are validated right after the parameters cell"
    assert nb.cells[0].cell_type == "markdown" and "**Goal.**" in nb.cells[0].source
    assert "In this notebook we have" in nb.cells[-1].source
    lines = nb.cells[tagged[0]].source.splitlines()
    for before, line in zip([""] + lines, lines):
        if "=" in line and not line.lstrip().startswith("#"):
            assert "#" in line or before.startswith("#"), f"parameter without a documenting comment: {line}"


@pytest.mark.parametrize("name", ["ci", "full"])
def test_cross_references_between_notebooks_exist_in_every_run(name):
    """A notebook may link ({doc}) only to notebooks that every run executing it executes too:
    a run's part of the book holds only its own notebooks, and a dead link fails the build."""
    profile = runner.load_profile(name)
    for run in profile.runs:
        for notebook in run.notebooks:
            nb = nbformat.read(REPO / "notebooks" / f"{notebook}.ipynb", as_version=4)
            targets = set(re.findall(r"\{doc\}`(\d\d_\w+)`", "\n".join(c.source for c in nb.cells)))
            assert targets <= set(run.notebooks), (
                f"{notebook} links to {sorted(targets - set(run.notebooks))}, not in run {run.name}")


def profile_seeds(run) -> int:
    return run.parameters.get("seeds", 1)


def results_counts(results: dict) -> dict[str, int]:
    """How many rows each model has on the held-out set: one per seed it was trained with."""
    rows = [r for r in results["evaluations"] if r["set"] == "holdout"]
    return {m: sum(r["model"] == m for r in rows) for m in dict.fromkeys(r["model"] for r in rows)}


@pytest.mark.realdata
@pytest.mark.slow
def test_each_run_writes_its_artefacts_and_results(executed):
    profile, runs, _, _ = executed
    for run in profile.runs:
        run_dir = runs / run.name
        for key, (_, writer) in study.ARTEFACTS.items():
            assert study.artefact(run_dir, key).is_file() == (writer in run.notebooks), key
        for seed in study.seed_list(run.parameters.get("seed", 0), profile_seeds(run)):
            assert study.model_path(run_dir, seed).is_file()
        results = json.loads((run_dir / "results.json").read_text())
        assert results["dataset"] == run.parameters["dataset"] and results["task"] == run.parameters["task"]
        sets = {r["set"] for r in results["evaluations"] if not r["set"].startswith("windows: ")}
        expected = {"holdout", "holdout-unseen"} | (
            {"kdd99-corrected"} if results["dataset"] == "kdd99" else {"nslkdd-test", "nslkdd-test21"})
        assert sets == expected
        for row in results["evaluations"]:
            for metric in ["accuracy", "balanced_accuracy", "precision", "detection_rate", "false_alarm_rate",
                           "f1", "roc_auc", "detect_DoS", "detect_Probe", "detect_R2L", "detect_U2R"]:
                assert metric in row
        searched = {"LSTM (searched)"} if "06_lstm_search" in run.notebooks else set()
        core = {"LSTM", "always attack", "always normal", "logistic_regression", "random_forest",
                "hist_gradient_boosting", "mlp"} | searched
        found = {r["model"] for r in results["evaluations"]}
        future = found - core
        assert core <= found
        if "07_future_work" in run.notebooks:  # the registry's models, the best baseline, sequence mode
            assert {"LSTM, 100% of training", "LSTM (8 units), 100% of training",
                    "CNN-LSTM, 100% of training"} <= future
            assert any(m.split(",")[0] == results["future"]["best_baseline"] for m in future)
            windows = {r["set"] for r in results["evaluations"] if r["set"].startswith("windows: ")}
            assert windows == ({"windows: holdout", "windows: kdd99-corrected"} if results["dataset"] == "kdd99"
                               else set())
        else:
            assert not future
        # every trained model once per seed; constant predictors and logistic regression once
        for model, n in results_counts(results).items():  # (sequence-mode rows have other sets)
            fitted_once = (model.startswith("always") or model == "logistic_regression"
                           or ("," in model and model.split(",")[0] in baselines.BASELINES))  # 07's best baseline
            assert n == (1 if fitted_once else profile_seeds(run)), model
        if searched:
            assert results["search"]["trials"] == run.parameters["trials"]
            assert set(results["search"]["selected"]) >= {"units", "optimizer", "learning_rate", "scaling"}
        if results["task"] == "multiclass":
            assert all(0 <= r["cost_per_example"] <= 4 for r in results["evaluations"])
        if "05_class_imbalance" in run.notebooks:  # not on holdout-unseen
            assert len(results["imbalance"]["evaluations"]) == 3 * (len(expected) - 1)
        for notebook in run.notebooks:
            nb = nbformat.read(run_dir / f"{notebook}.ipynb", as_version=4)
            assert runner.error_outputs(run_dir / f"{notebook}.ipynb") == []
            injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
            assert len(injected) == 1 and "hide-cell" in injected[0].metadata["tags"]
            assert str(run_dir) in injected[0].source
    assert (runs / "results.csv").is_file() and (runs / "timings.csv").is_file()


@pytest.mark.realdata
@pytest.mark.slow
def test_book_has_every_notebook_page_with_figures_and_no_traceback(executed):
    profile, _, html, _ = executed
    landing = (html / "book" / "index.html").read_text()
    table = landing[landing.index("Headline results"):]
    numbers = re.findall(r"<td[^>]*>(?:<p>)?\s*([01]\.\d{3})(?:\s*±\s*\d\.\d{3})?\s*(?:</p>)?</td>", table)
    # a row of numbers per run, evaluation set and LSTM (the searched one where 06 ran)
    assert len(numbers) >= (6 + 4) * 5, "the results table has a row of numbers per run, set and model"
    repro = (html / "book" / "reproducibility.html").read_text()
    assert "same checksum" in repro and "DIFFERENT" not in repro and "none (CPU only)" in repro
    assert all(nb in repro for nb in profile.notebooks) and "Total:" in repro
    assert "LSTM (searched)" in table and "±" in table
    for run in profile.runs:
        assert run.title in landing
        for notebook in run.notebooks:
            page = html / "runs" / run.name / f"{notebook}.html"
            text = page.read_text()
            assert "Traceback" not in text and "output_type" not in text
            images = re.findall(r'<img[^>]+src="([^"]+)"', text)
            assert images, f"{page} has no figure"
            for src in images:
                assert (page.parent / src).resolve().is_file(), src
            assert "In this notebook we have" in text
            # Binder opens the committed notebook: the executed copy exists only in the run folder
            binder = re.findall(r'href="(https://mybinder\.org/[^"]+)"', text)
            assert binder and all(u.endswith(f"lab/tree/notebooks/{notebook}.ipynb") for u in binder), binder
            assert f"_sources/runs/{run.name}/{notebook}.ipynb" in text  # download: the executed copy


@pytest.mark.realdata
def test_a_notebook_with_missing_inputs_says_which_to_run_first(tmp_path):
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        pm.execute_notebook(str(REPO / "notebooks" / "03_lstm_training.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"run_dir": str(tmp_path / "empty")}, progress_bar=False)
    assert info.value.ename == "KDDError" and "02_preprocessing.ipynb first" in info.value.evalue


def test_a_bad_parameter_stops_the_notebook_at_the_top(tmp_path):
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        pm.execute_notebook(str(REPO / "notebooks" / "01_data_exploration.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"dataset": "kdd98", "run_dir": str(tmp_path)}, progress_bar=False)
    assert info.value.ename == "KDDError" and "dataset='kdd98'" in info.value.evalue


def test_runner_names_the_failing_notebook_and_cell(tmp_path):
    profile = runner.Profile("t", "t", [runner.Run("bad", "bad", {"dataset": "kdd98"})],
                             notebooks=["01_data_exploration"])
    with pytest.raises(KDDError) as info:
        runner.run_profile(profile, workdir=tmp_path)
    message = str(info.value)
    assert "notebook 01_data_exploration of run 'bad' failed in cell" in message
    assert "KDDError" in message and "01_data_exploration.ipynb" in message
