"""The built book in a real browser: headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pandas as pd

from kdd_utils import bookcheck
from kdd_utils.report import is_detector

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


@pytest.fixture(scope="module")
def chromium():
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        if os.environ.get("CI"):
            pytest.fail("CI=true but Chromium is missing: `make browser` installs it")
        pytest.skip("Chromium is not installed (make browser)")
    return path


def test_every_page_loads_with_images_table_sidebar_and_no_js_error(executed, chromium):
    profile, runs, html, src = executed
    report = bookcheck.check_book(html, src / "_toc.yml", runs / "screenshots")
    book_pages = {"book/index", "book/running", "book/reproducibility", "book/efficiency", "book/extending"}
    notebook_pages = {f"runs/{run.name}/{nb}" for run in profile.runs for nb in run.notebooks}
    assert set(report["pages"]) == book_pages | notebook_pages
    # one row per run, evaluation set and neural detector (03's LSTM, 06's searched one, 07's models)
    table = pd.read_csv(runs / "results.csv")
    detectors = table[table["model"].map(is_detector)]
    assert report["table_rows"] == len(detectors.groupby(["run", "set", "model"]))
    assert report["table_rows"] >= 3 * 2 + 4  # KDD99 with search; NSL-KDD without
    for name in ("landing.png", "evaluation.png"):
        shot = runs / "screenshots" / name
        assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_a_broken_page_is_reported(executed, chromium, tmp_path):
    import shutil

    profile, runs, html, src = executed
    broken = tmp_path / "html"
    shutil.copytree(html, broken)
    page = broken / "runs" / profile.runs[0].name / "03_lstm_training.html"
    text = page.read_text()
    page.write_text(text.replace("</body>", '<img src="missing.png"><script>undefinedFunction();</script></body>'))
    with pytest.raises(bookcheck.KDDError) as info:
        bookcheck.check_book(broken, src / "_toc.yml", tmp_path / "shots")
    message = str(info.value)
    assert "image did not load" in message and "missing.png" in message
    assert "JavaScript error" in message and "undefinedFunction" in message


def test_toc_pages_lists_root_and_chapters(executed):
    _, _, _, src = executed
    pages = bookcheck.toc_pages(src / "_toc.yml")
    assert pages[0] == "book/index" and "book/reproducibility" in pages
    assert sum(p.endswith("04_evaluation") for p in pages) == 2
