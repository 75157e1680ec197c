"""The notebooks: committed clean, executed by papermill with tiny parameters, built into the book."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from kdd_utils import KDDError, runner, study

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_five_notebooks_in_reading_order():
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


@pytest.mark.realdata
@pytest.mark.slow
def test_each_run_writes_its_artefacts_and_results(executed):
    profile, runs, _, _ = executed
    for run in profile.runs:
        run_dir = runs / run.name
        for key in study.ARTEFACTS:
            assert study.artefact(run_dir, key).is_file(), key
        results = json.loads((run_dir / "results.json").read_text())
        assert results["dataset"] == run.parameters["dataset"] and results["task"] == run.parameters["task"]
        sets = {r["set"] for r in results["evaluations"]}
        expected = {"holdout", "holdout-unseen"} | (
            {"kdd99-corrected"} if results["dataset"] == "kdd99" else {"nslkdd-test", "nslkdd-test21"})
        assert sets == expected
        for row in results["evaluations"]:
            for metric in ["accuracy", "balanced_accuracy", "precision", "detection_rate", "false_alarm_rate",
                           "f1", "roc_auc", "detect_DoS", "detect_Probe", "detect_R2L", "detect_U2R"]:
                assert metric in row
        assert {r["model"] for r in results["evaluations"]} == {"LSTM", "always attack", "always normal",
                                                                "logistic_regression", "random_forest",
                                                                "hist_gradient_boosting", "mlp"}
        if results["task"] == "multiclass":
            assert all(0 <= r["cost_per_example"] <= 4 for r in results["evaluations"])
        assert len(results["imbalance"]["evaluations"]) == 3 * (len(expected) - 1)  # not on holdout-unseen
        for notebook in profile.notebooks:
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
    numbers = re.findall(r"<td[^>]*>(?:<p>)?\s*([01]\.\d{3})\s*(?:</p>)?</td>", table)
    assert len(numbers) >= 7 * 5, "the results table has a row of numbers per run and evaluation set"
    repro = (html / "book" / "reproducibility.html").read_text()
    assert "same checksum" in repro and "DIFFERENT" not in repro and "none (CPU only)" in repro
    assert all(nb in repro for nb in profile.notebooks) and "Total:" in repro
    for run in profile.runs:
        assert run.title in landing
        for notebook in profile.notebooks:
            page = html / "runs" / run.name / f"{notebook}.html"
            text = page.read_text()
            assert "Traceback" not in text and "output_type" not in text
            images = re.findall(r'<img[^>]+src="([^"]+)"', text)
            assert images, f"{page} has no figure"
            for src in images:
                assert (page.parent / src).resolve().is_file(), src
            assert "In this notebook we have" in text


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
