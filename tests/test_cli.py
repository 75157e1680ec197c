"""`python -m kdd_utils` on good and bad input, in a subprocess like a user runs it."""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest

from conftest import REPO


def run(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "kdd_utils", *args], capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=120)


def test_validate_good_file_prints_counts(tmp_path, records, write_records):
    path = write_records(tmp_path / "good.csv", records(12), header=True)
    result = run("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert "rows:    12" in result.stdout and "DoS" in result.stdout and "smurf" in result.stdout


def _bad_files(tmp_path, records):
    lines = records(10)
    cases = {}
    cases["empty"] = (b"", "empty")
    cases["truncated_gz"] = (gzip.compress("\n".join(lines).encode())[:-30], "truncated or corrupt")
    cases["columns"] = (("\n".join(lines[:3] + [lines[3] + ",1"] + lines[4:])).encode(), "line 4")
    bad = lines[2].split(",")
    bad[5] = "oops"
    cases["numeric"] = ("\n".join(lines[:2] + [",".join(bad)] + lines[3:]).encode(), "'oops'")
    cases["label"] = ("\n".join(lines[:-1] + [lines[-1].rsplit(",", 1)[0] + ",alien."]).encode(),
                      "unknown label")
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
    return {name: (tmp_path / name, word) for name, (_, word) in cases.items()}


@pytest.mark.parametrize("case", ["empty", "truncated_gz", "columns", "numeric", "label"])
def test_validate_bad_file_exits_non_zero_with_a_clear_message(tmp_path, records, case):
    path, word = _bad_files(tmp_path, records)[case]
    result = run("validate", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and word in result.stderr
    assert "How to fix" in result.stderr and "Traceback" not in result.stderr


def test_fetch_offline_missing_file_says_where_to_put_it(tmp_path):
    result = run("fetch", "kdd99-corrected", "--offline", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "corrected.gz" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_missing_file(tmp_path):
    result = run("validate", str(tmp_path / "absent.csv"))
    assert result.returncode == 2 and "file not found" in result.stderr and "Traceback" not in result.stderr


def test_fetch_reports_a_checksum_mismatch(tmp_path, records, write_records):
    (tmp_path / "kddcup99").mkdir()
    write_records(tmp_path / "kddcup99" / "corrected.gz", records(20), gz=True)
    result = run("fetch", "kdd99-corrected", "--offline", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "checksum mismatch" in result.stderr
    assert str(tmp_path / "kddcup99" / "corrected.gz") in result.stderr and "Traceback" not in result.stderr


def test_fetch_unknown_name(tmp_path):
    result = run("fetch", "kdd2000", "--offline")
    assert result.returncode == 2 and "unknown data file 'kdd2000'" in result.stderr


def test_info_lists_the_registry(tmp_path):
    result = run("info", "--data-dir", str(tmp_path))
    assert result.returncode == 0
    for name in ["kdd99-10pct", "kdd99-corrected", "kdd99-names", "nslkdd-train",
                 "nslkdd-train20", "nslkdd-test", "nslkdd-test21"]:
        assert name in result.stdout


@pytest.mark.realdata
def test_fetch_and_validate_real_files(real_data_dir):
    result = run("fetch", "--offline", "--data-dir", str(real_data_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(" OK ") == 7
    result = run("validate", str(real_data_dir / "nsl-kdd" / "KDDTest-21.txt.gz"))
    assert result.returncode == 0 and "rows:    11850" in result.stdout
    assert "matches: nslkdd-test21" in result.stdout
