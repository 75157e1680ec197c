"""Loading, validation and lookup on small files made in code."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from kdd_utils import KDDError, read_kdd
from kdd_utils.datasets import DataFile, Source, get_dataset, get_file, load, locate, sha256_of
from kdd_utils.schema import CATEGORIES, FEATURE_NAMES


def _entry(content: bytes, name: str = "toy", fmt: str = "kdd99", sources=()) -> DataFile:
    return DataFile(name=name, filename="toy.data", subdir="toy", sha256=sha256_of(content),
                    rows=None, fmt=fmt, sources=tuple(sources), description="toy file")


# ---------------------------------------------------------------------------- parsing

@pytest.mark.parametrize("dot", [True, False])
@pytest.mark.parametrize("header", [False, True])
@pytest.mark.parametrize("gz", [False, True])
def test_kdd99_layouts_all_load_the_same(tmp_path, records, write_records, dot, header, gz):
    lines = records(30, dot=dot)
    frame = read_kdd(write_records(tmp_path / "f.csv", lines, header=header, gz=gz))
    assert len(frame) == 30
    assert list(frame.columns) == [*FEATURE_NAMES, "raw_label", "label", "category"]
    assert frame.attrs["format"] == "kdd99"
    assert not frame["label"].astype(str).str.endswith(".").any()
    assert frame["raw_label"].astype(str).str.endswith(".").all() == dot
    assert frame["src_bytes"].dtype == "int64" and frame["serror_rate"].dtype == "float64"
    assert frame["protocol_type"].dtype == "category"
    assert list(frame["category"].cat.categories) == list(CATEGORIES)
    assert frame.loc[frame["label"] == "smurf", "category"].eq("DoS").all()


def test_nsl_kdd_layout_has_difficulty(tmp_path, records, write_records):
    frame = read_kdd(write_records(tmp_path / "f.txt", records(20, fmt="nsl-kdd")))
    assert frame.attrs["format"] == "nsl-kdd"
    assert frame["difficulty"].between(0, 21).all() and frame["difficulty"].dtype == "int64"


def test_plain_and_gzip_have_the_same_content_hash(tmp_path, records, write_records):
    lines = records(10)
    a = read_kdd(write_records(tmp_path / "a", lines))
    b = read_kdd(write_records(tmp_path / "b.gz", lines, gz=True))
    assert a.attrs["sha256"] == b.attrs["sha256"]
    pd.testing.assert_frame_equal(a, b)


def test_test_only_attacks_are_categorised(tmp_path, records, write_records):
    labels = ["mscan", "apache2", "snmpgetattack", "processtable", "httptunnel", "worm"]
    frame = read_kdd(write_records(tmp_path / "f", records(6, labels=labels)))
    assert list(frame["category"]) == ["Probe", "DoS", "R2L", "DoS", "U2R", "R2L"]


# ---------------------------------------------------------------------------- bad input

def _expect(path, *words, line=None):
    with pytest.raises(KDDError) as info:
        read_kdd(path)
    message = str(info.value)
    assert str(path) in message and "How to fix" in message
    for word in words:
        assert word in message, message
    if line is not None:
        assert info.value.line == line and f"line {line}:" in message
    return info.value


def test_empty_file(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"\n  \n")
    _expect(tmp_path / "e.csv", "empty")


def test_missing_file(tmp_path):
    _expect(tmp_path / "nope.csv", "not found")


def test_truncated_gzip(tmp_path, records):
    data = gzip.compress("\n".join(records(200)).encode())
    (tmp_path / "t.gz").write_bytes(data[: len(data) // 2])
    _expect(tmp_path / "t.gz", "truncated or corrupt")


def test_corrupt_gzip(tmp_path, records):
    data = bytearray(gzip.compress("\n".join(records(200)).encode()))
    data[30:60] = b"\x00" * 30
    (tmp_path / "c.gz").write_bytes(bytes(data))
    _expect(tmp_path / "c.gz", "truncated or corrupt")


def test_wrong_number_of_columns_in_first_line(tmp_path, records, write_records):
    lines = [",".join(line.split(",")[:-2]) for line in records(3)]
    _expect(write_records(tmp_path / "f", lines), "40 comma-separated fields", line=1)


def test_extra_column_in_a_later_line(tmp_path, records, write_records):
    lines = records(10)
    lines[6] += ",7"
    _expect(write_records(tmp_path / "f", lines), "43 fields, expected 42", line=7)


def test_missing_column_in_a_later_line(tmp_path, records, write_records):
    lines = records(10)
    lines[4] = ",".join(lines[4].split(",")[:-1])
    _expect(write_records(tmp_path / "f", lines), "41 fields, expected 42", line=5)


def test_line_numbers_count_the_header(tmp_path, records, write_records):
    lines = records(10)
    lines[4] = ",".join(lines[4].split(",")[:-1])
    _expect(write_records(tmp_path / "f", lines, header=True), "41 fields", line=6)


def test_blank_line_inside_the_file(tmp_path, records):
    lines = records(5)
    (tmp_path / "f").write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n")
    _expect(tmp_path / "f", "empty", line=3)


def test_non_numeric_value(tmp_path, records, write_records):
    lines = records(10)
    fields = lines[7].split(",")
    fields[4] = "12x"
    lines[7] = ",".join(fields)
    _expect(write_records(tmp_path / "f", lines), "'12x'", "src_bytes", line=8)


def test_broken_first_field_is_not_taken_for_a_header(tmp_path, records, write_records):
    lines = records(4)
    lines[0] = "abc" + lines[0][lines[0].index(","):]
    _expect(write_records(tmp_path / "f", lines), "duration", line=1)


@pytest.mark.parametrize("column,value,word", [("src_bytes", "-3", "whole numbers"),
                                               ("count", "2.5", "whole numbers"),
                                               ("serror_rate", "1.7", "[0, 1], found 1.7")])
def test_values_out_of_range(tmp_path, records, write_records, column, value, word):
    lines = records(5)
    fields = lines[3].split(",")
    fields[FEATURE_NAMES.index(column)] = value
    lines[3] = ",".join(fields)
    _expect(write_records(tmp_path / "f", lines), column, word, line=4)


def test_unknown_label(tmp_path, records, write_records):
    lines = records(8)
    lines[5] = lines[5].rsplit(",", 1)[0] + ",martian."
    _expect(write_records(tmp_path / "f", lines), "unknown label 'martian.'", line=6)


# ---------------------------------------------------------------------------- registry and lookup

def test_unknown_names_raise_with_the_choices():
    with pytest.raises(KDDError, match="kdd99-10pct"):
        get_file("kdd98")
    with pytest.raises(KDDError, match="nsl-kdd"):
        get_dataset("darpa")
    with pytest.raises(KDDError, match="no connection records"):
        load("kdd99-names")


def test_lookup_prefers_the_data_folder_then_the_cache(tmp_path, records, write_records):
    content = ("\n".join(records(12)) + "\n").encode()
    registry = {"toy": _entry(content)}
    data, cache = tmp_path / "data", tmp_path / "cache"
    (data / "toy").mkdir(parents=True)
    cache.mkdir()
    (cache / "toy.data").write_bytes(content)
    assert locate("toy", data_dir=data, cache_dir=cache, registry=registry) == cache / "toy.data"
    (data / "toy" / "toy.data.gz").write_bytes(gzip.compress(content))
    assert locate("toy", data_dir=data, cache_dir=cache, registry=registry) == data / "toy" / "toy.data.gz"
    assert len(load("toy", data_dir=data, cache_dir=cache, registry=registry)) == 12


def test_data_folder_from_environment(tmp_path, monkeypatch, records):
    content = ("\n".join(records(5)) + "\n").encode()
    (tmp_path / "toy.data").write_bytes(content)
    monkeypatch.setenv("KDD_DATA_DIR", str(tmp_path))
    assert locate("toy", registry={"toy": _entry(content)}) == tmp_path / "toy.data"


def test_missing_data_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KDD_DATA_DIR", str(tmp_path / "absent"))
    with pytest.raises(KDDError, match="KDD_DATA_DIR"):
        locate("kdd99-10pct")


def test_checksum_mismatch_names_file_and_fix(tmp_path, records):
    content = ("\n".join(records(12)) + "\n").encode()
    edited = content.replace(b"normal.", b"smurf.", 1)
    (tmp_path / "toy.data").write_bytes(edited)
    with pytest.raises(KDDError) as info:
        load("toy", data_dir=tmp_path, registry={"toy": _entry(content)})
    message = str(info.value)
    assert "checksum mismatch" in message and str(tmp_path / "toy.data") in message
    assert sha256_of(edited) in message and "fetch" in message


def test_missing_file_offline_says_where_and_from_where(tmp_path):
    with pytest.raises(KDDError) as info:
        locate("kdd99-corrected", data_dir=tmp_path, download=False)
    message = str(info.value)
    assert "corrected" in message and str(tmp_path) in message
    assert "http://kdd.ics.uci.edu/databases/kddcup99/corrected.gz" in message
