"""Shared fixtures: small KDD-format data made in code, and the real data folder."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pytest

from kdd_utils.schema import FEATURE_NAMES, RATE_FEATURES

REPO = Path(__file__).resolve().parents[1]
LABELS = ["normal", "smurf", "neptune", "ipsweep", "guess_passwd", "buffer_overflow"]


def make_lines(n: int = 60, *, fmt: str = "kdd99", dot: bool = True, seed: int = 0,
               labels: list[str] | None = None) -> list[str]:
    """``n`` valid KDD-format record lines (42 fields, or 43 for NSL-KDD)."""
    rng = np.random.default_rng(seed)
    labels = labels or LABELS
    protocols, services, flags = ["tcp", "udp", "icmp"], ["http", "smtp", "private", "ecr_i"], ["SF", "S0", "REJ"]
    lines = []
    for i in range(n):
        values = []
        for name in FEATURE_NAMES:
            if name == "protocol_type":
                values.append(protocols[i % 3])
            elif name == "service":
                values.append(services[i % 4])
            elif name == "flag":
                values.append(flags[i % 3])
            elif name in RATE_FEATURES:
                values.append(f"{rng.random():.2f}")
            else:
                values.append(str(int(rng.integers(0, 1000))))
        label = labels[i % len(labels)]
        if fmt == "kdd99":
            values.append(label + ("." if dot else ""))
        else:
            values += [label, str(int(rng.integers(0, 22)))]
        lines.append(",".join(values))
    return lines


def write(path: Path, lines: list[str], *, header: bool = False, gz: bool = False) -> Path:
    """Write record lines (optionally with a header row, optionally gzipped) to ``path``."""
    text = ""
    if header:
        n = len(lines[0].split(","))
        text += ",".join(list(FEATURE_NAMES) + ["label", "difficulty"][: n - 41]) + "\n"
    text += "\n".join(lines) + "\n"
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.fixture
def records():
    """The `make_lines` factory."""
    return make_lines


@pytest.fixture
def write_records():
    """The `write` helper."""
    return write


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """Tests never touch the user's cache and never download unless they say so."""
    monkeypatch.setenv("KDD_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("KDD_OFFLINE", "1")


def _real_data_dir() -> Path | None:
    env = os.environ.get("KDD_DATA_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "data")
    for c in candidates:
        if (c / "kddcup99").is_dir() or (c / "nsl-kdd").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The folder with the real files; in CI a missing folder is an error, not a skip."""
    path = _real_data_dir()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI=true but no data folder: set KDD_DATA_DIR")
        pytest.skip("real data not available: set KDD_DATA_DIR")
    return path


TINY_PROFILE = """
title: test profile
parameters: {seed: 0, seeds: 2, sample_fraction: 0.01, epochs: 1, batch_size: 128, balance_to: 100,
             methods: [none, random_over, cgan], trials: 2, search_fraction: 0.5, search_epochs: 1}
runs:
  kdd99-binary:
    title: "KDD Cup 99, binary"
    parameters: {dataset: kdd99, task: binary, window: 4, block_size: 200}
  nsl-kdd-multiclass:
    title: "NSL-KDD, 5 classes"
    parameters: {dataset: nsl-kdd, task: multiclass}
    notebooks: ["01", "02", "03", "04", "05"]
"""


@pytest.fixture(scope="session")
def executed(tmp_path_factory, real_data_dir):
    """Run the whole chain with tiny parameters and build the book, in a temporary folder.

    Returns (profile, folder of the runs, built HTML folder, staged book source).
    """
    from kdd_utils import runner

    os.environ["KDD_DATA_DIR"] = str(real_data_dir)
    work = tmp_path_factory.mktemp("study")
    (work / "tiny.yml").write_text(TINY_PROFILE)
    profile = runner.load_profile(str(work / "tiny.yml"))
    runs = runner.run_profile(profile, workdir=work)
    # Built as the publishing workflow builds it: with a repository, hence its launch buttons.
    saved = os.environ.get("BOOK_REPOSITORY_URL")
    os.environ["BOOK_REPOSITORY_URL"] = "https://github.com/example/kdd-lstm-study"
    try:
        html = runner.build_book(profile, workdir=work)
    finally:
        if saved is None:
            del os.environ["BOOK_REPOSITORY_URL"]
        else:
            os.environ["BOOK_REPOSITORY_URL"] = saved
    return profile, runs, html, work / "_build" / profile.name / "src"
