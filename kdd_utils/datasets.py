"""Find, verify, download and load the KDD Cup 99 and NSL-KDD files.

Lookup order for every registered file:

1. the folder the user names (argument ``data_dir`` or the ``KDD_DATA_DIR`` environment
   variable), directly or in its ``kddcup99/`` or ``nsl-kdd/`` sub-folder;
2. the user cache (argument ``cache_dir``, ``KDD_CACHE_DIR``, or the platform cache folder
   that ``pooch.os_cache("kdd-utils")`` names);
3. a download from the file's canonical source with pooch, verified by SHA-256 (unless
   ``download=False`` or ``KDD_OFFLINE=1``).

Plain and gzip-compressed files are both accepted everywhere; the registry's checksum is the
SHA-256 of the *decompressed* content, so both forms verify against the same number.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import warnings
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import KDDError
from .schema import (
    ATTACK_TO_CATEGORY,
    CATEGORICAL_FEATURES,
    CATEGORIES,
    FEATURE_NAMES,
    INTEGER_FEATURES,
    RATE_FEATURES,
)

DATA_DIR_ENV = "KDD_DATA_DIR"
CACHE_DIR_ENV = "KDD_CACHE_DIR"
OFFLINE_ENV = "KDD_OFFLINE"

_GZIP_MAGIC = b"\x1f\x8b"
_UCI = "http://kdd.ics.uci.edu/databases/kddcup99"
_NSL_MIRRORS = (
    "https://raw.githubusercontent.com/defcom17/NSL_KDD/master",
    "https://raw.githubusercontent.com/jmnwong/NSL-KDD-Dataset/master",
)


@dataclass(frozen=True)
class Source:
    """One place a file can be downloaded from.

    Parameters
    ----------
    url : str
        Where to download.
    sha256 : str
        SHA-256 of the bytes served at ``url`` (of the ``.gz`` file when ``gzipped``).
    gzipped : bool
        Whether the server sends the gzip-compressed file.
    """

    url: str
    sha256: str
    gzipped: bool = False


@dataclass(frozen=True)
class DataFile:
    """A registered data file.

    Parameters
    ----------
    name : str
        Short name used by the API and the command line, e.g. ``"kdd99-10pct"``.
    filename : str
        The file's plain (uncompressed) name, e.g. ``"kddcup.data_10_percent"``.
    subdir : str
        Sub-folder of a data folder where the file may lie (``"kddcup99"``, ``"nsl-kdd"``).
    sha256 : str
        SHA-256 of the decompressed content.
    rows : int or None
        Number of records (``None`` for files that hold no records).
    fmt : str
        ``"kdd99"`` (41 features + label with trailing dot), ``"nsl-kdd"`` (41 features, label,
        difficulty) or ``"names"`` (the feature-name file).
    sources : tuple of Source
        Download locations, tried in order.
    description : str
        One line for listings.
    """

    name: str
    filename: str
    subdir: str
    sha256: str
    rows: int | None
    fmt: str
    sources: tuple[Source, ...] = field(default_factory=tuple)
    description: str = ""

    @property
    def urls(self) -> tuple[str, ...]:
        """The download URLs, in the order they are tried."""
        return tuple(s.url for s in self.sources)


def _nsl(name: str, filename: str, sha: str, rows: int, description: str) -> DataFile:
    return DataFile(
        name=name, filename=filename, subdir="nsl-kdd", sha256=sha, rows=rows, fmt="nsl-kdd",
        sources=tuple(Source(f"{m}/{filename}", sha) for m in _NSL_MIRRORS),
        description=description,
    )


#: The seven files of ../shared/data/README.md, by short name.
REGISTRY: Mapping[str, DataFile] = {
    f.name: f
    for f in (
        DataFile(
            name="kdd99-10pct", filename="kddcup.data_10_percent", subdir="kddcup99",
            sha256="f8c8267ebcd9c0ed1fd7d6277fe5bfff8732e9b7db8e61b873542b2a534b6f9a",
            rows=494_021, fmt="kdd99",
            sources=(
                Source(f"{_UCI}/kddcup.data_10_percent.gz",
                       "8045aca0d84e70e622d1148d7df782496f6333bf6eb979a1b0837c42a9fd9561", True),
                # the scikit-learn fetch_kddcup99(percent10=True) mirror: the same .gz file
                Source("https://ndownloader.figshare.com/files/5976042",
                       "8045aca0d84e70e622d1148d7df782496f6333bf6eb979a1b0837c42a9fd9561", True),
            ),
            description="KDD Cup 99 training data, 10 % subset",
        ),
        DataFile(
            name="kdd99-corrected", filename="corrected", subdir="kddcup99",
            sha256="547dfb9c0f0dc1d9944219ec79e851191faebaeb8acbfa1cd171c418397052a4",
            rows=311_029, fmt="kdd99",
            sources=(
                Source(f"{_UCI}/corrected.gz",
                       "74f0daef49b242badc09f2adbd457dea6a45b4f77177efbd11216d333651044b", True),
            ),
            description="KDD Cup 99 labelled test data ('corrected')",
        ),
        DataFile(
            name="kdd99-names", filename="kddcup.names", subdir="kddcup99",
            sha256="24ad45a4c5de85cd73bcc81cf4965a58bbf3e83b48c6e6d3b0284119e7d42efd",
            rows=None, fmt="names",
            sources=(
                Source(f"{_UCI}/kddcup.names",
                       "24ad45a4c5de85cd73bcc81cf4965a58bbf3e83b48c6e6d3b0284119e7d42efd"),
            ),
            description="KDD Cup 99 feature names and types",
        ),
        _nsl("nslkdd-train", "KDDTrain+.txt",
             "1b86d2f957b33082081bba410fe129b475efebcc13c9014c3f447c8271aadf95", 125_973,
             "NSL-KDD training data (KDDTrain+)"),
        _nsl("nslkdd-train20", "KDDTrain+_20Percent.txt",
             "7ea86479faab5ca2190b7f18b4982fb058ce5bf2b46e0e1017d0d9ef90f9c16e", 25_192,
             "NSL-KDD training data, 20 % subset"),
        _nsl("nslkdd-test", "KDDTest+.txt",
             "fa46b0935342616aa83b7c2578db355b6a7aaabbc492248172c7a1e8b7ab8f84", 22_544,
             "NSL-KDD test data (KDDTest+)"),
        _nsl("nslkdd-test21", "KDDTest-21.txt",
             "746993ac9e25868827cacf09eab450050a2a1056e1ce48a1ad39f5dc801d531d", 11_850,
             "NSL-KDD hard test subset (KDDTest-21)"),
    )
}


@dataclass(frozen=True)
class Dataset:
    """A study dataset: one training file and the test files reported against it."""

    name: str
    train: str
    tests: tuple[str, ...]
    title: str


#: The datasets a notebook's ``dataset`` parameter may name.
DATASETS: Mapping[str, Dataset] = {
    "kdd99": Dataset("kdd99", "kdd99-10pct", ("kdd99-corrected",), "KDD Cup 99"),
    "nsl-kdd": Dataset("nsl-kdd", "nslkdd-train", ("nslkdd-test", "nslkdd-test21"), "NSL-KDD"),
}


# --------------------------------------------------------------------------------------------
# Lookup
# --------------------------------------------------------------------------------------------

def get_file(name: str, registry: Mapping[str, DataFile] | None = None) -> DataFile:
    """Return the registry entry called ``name`` or raise a `KDDError` listing valid names."""
    registry = REGISTRY if registry is None else registry
    try:
        return registry[name]
    except KeyError:
        raise KDDError(
            f"unknown data file {name!r}.",
            fix=f"use one of: {', '.join(registry)} (see `python -m kdd_utils info`).",
        ) from None


def get_dataset(name: str) -> Dataset:
    """Return the study dataset called ``name`` (``"kdd99"`` or ``"nsl-kdd"``)."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KDDError(
            f"unknown dataset {name!r}.", fix=f"use one of: {', '.join(DATASETS)}."
        ) from None


def _pooch():
    """pooch, imported without tqdm's "IProgress not found" warning (pooch imports tqdm.auto;
    downloads here never show a progress bar, so Jupyter's widgets are not needed)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        import pooch
    return pooch


def default_cache_dir() -> Path:
    """The user cache folder: ``$KDD_CACHE_DIR`` or pooch's platform cache for kdd-utils."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(_pooch().os_cache("kdd-utils"))


def _data_dir(data_dir: str | os.PathLike[str] | None) -> Path | None:
    if data_dir is None:
        env = os.environ.get(DATA_DIR_ENV)
        if not env:
            return None
        data_dir, origin = env, f"the environment variable {DATA_DIR_ENV}"
    else:
        origin = "the data_dir argument"
    path = Path(data_dir).expanduser()
    if not path.is_dir():
        raise KDDError(
            f"the data folder {str(path)!r} named by {origin} does not exist.",
            fix=f"create it and put the data files there, or unset {DATA_DIR_ENV} to use "
                "the cache and downloads.",
        )
    return path


def _candidates(entry: DataFile, folder: Path) -> Iterable[Path]:
    for base in (folder / entry.subdir, folder):
        for fname in (entry.filename, entry.filename + ".gz"):
            yield base / fname


def _offline(download: bool | None) -> bool:
    if download is not None:
        return not download
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def locate(
    name: str,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    download: bool | None = None,
    verify: bool = True,
    registry: Mapping[str, DataFile] | None = None,
) -> Path:
    """Find a registered file (data folder, then cache, then download) and return its path.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"kdd99-10pct"``.
    data_dir : path-like, optional
        Folder to look in first; defaults to ``$KDD_DATA_DIR``.
    cache_dir : path-like, optional
        Cache folder; defaults to `default_cache_dir`.
    download : bool, optional
        Whether a download may be tried; defaults to true unless ``KDD_OFFLINE=1``.
    verify : bool
        Check the content SHA-256 of a file found on disk (downloads are always verified).
    registry : mapping, optional
        Alternative registry (tests use this).

    Returns
    -------
    pathlib.Path
        The verified file, plain or gzip-compressed.
    """
    entry = get_file(name, registry)
    folder = _data_dir(data_dir)
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    for base in ([folder] if folder is not None else []) + [cache]:
        for path in _candidates(entry, base):
            if path.is_file():
                if verify:
                    verify_file(path, entry)
                return path
    if _offline(download):
        where = f"{folder / entry.subdir} or {folder}" if folder else f"a folder named by {DATA_DIR_ENV}"
        raise KDDError(
            f"data file {entry.name!r} ({entry.filename}[.gz]) was not found and downloads are "
            "off.",
            fix=f"put {entry.filename} or {entry.filename}.gz in {where} (or in the cache "
                f"{cache}), downloaded from {entry.urls[0] if entry.urls else 'its source'}; "
                f"or allow downloads (unset {OFFLINE_ENV}).",
        )
    return _download(entry, cache)


def _download(entry: DataFile, cache: Path) -> Path:
    pooch = _pooch()

    if not entry.sources:
        raise KDDError(f"data file {entry.name!r} has no download source.",
                       fix=f"put {entry.filename} in the folder named by {DATA_DIR_ENV}.")
    cache.mkdir(parents=True, exist_ok=True)
    failures = []
    for source in entry.sources:
        fname = entry.filename + (".gz" if source.gzipped else "")
        try:
            path = pooch.retrieve(
                source.url, known_hash=f"sha256:{source.sha256}", fname=fname, path=cache,
                progressbar=False,
            )
        except Exception as exc:  # network errors, HTTP errors, hash mismatch
            (cache / fname).unlink(missing_ok=True)
            failures.append(f"{source.url}: {type(exc).__name__}: {_first_line(exc)}")
            continue
        path = Path(path)
        try:
            verify_file(path, entry)
        except KDDError:
            path.unlink(missing_ok=True)
            raise
        return path
    raise KDDError(
        f"could not download {entry.name!r}; tried:\n    " + "\n    ".join(failures),
        fix=f"check the network, or download {entry.filename} by hand and put it in the "
            f"folder named by {DATA_DIR_ENV} (or in {cache}).",
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else ""


# --------------------------------------------------------------------------------------------
# Reading and verifying
# --------------------------------------------------------------------------------------------

def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Return the content of a plain or gzip-compressed file, decompressed.

    Raises `KDDError` for a missing, unreadable, truncated or corrupt file.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KDDError("file not found.", path=path,
                       fix="check the path, or use `python -m kdd_utils fetch`.") from None
    except OSError as exc:
        raise KDDError(f"cannot read the file ({exc.strerror}).", path=path,
                       fix="check that it is a readable file.") from None
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise KDDError(
            f"the gzip data is truncated or corrupt ({_first_line(exc) or type(exc).__name__}).",
            path=path,
            fix="delete the file and download it again (`python -m kdd_utils fetch`).",
        ) from None


def sha256_of(content: bytes) -> str:
    """Hex SHA-256 of ``content``."""
    return hashlib.sha256(content).hexdigest()


def _check_sha(content: bytes, entry: DataFile, path: Path) -> None:
    actual = sha256_of(content)
    if actual != entry.sha256:
        raise KDDError(
            f"checksum mismatch for {entry.name!r}: the content's SHA-256 is {actual}, "
            f"expected {entry.sha256}. The file is damaged, truncated, edited or a different "
            "version.",
            path=path,
            fix=f"delete it and fetch it again (`python -m kdd_utils fetch {entry.name}`), or "
                f"download it from {entry.urls[0] if entry.urls else 'its source'}.",
        )


def verify_file(path: str | os.PathLike[str], entry: DataFile | str) -> None:
    """Check that a plain or gzipped file has the registered content SHA-256."""
    if isinstance(entry, str):
        entry = get_file(entry)
    _check_sha(read_bytes(path), entry, Path(path))


def load(
    name: str,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    download: bool | None = None,
    registry: Mapping[str, DataFile] | None = None,
) -> pd.DataFrame:
    """Load a registered record file as a validated DataFrame.

    The file is found with `locate`, its content checksum is verified, and it is parsed by
    `read_kdd`. See `read_kdd` for the columns.
    """
    entry = get_file(name, registry)
    if entry.fmt not in ("kdd99", "nsl-kdd"):
        raise KDDError(f"{name!r} holds no connection records.",
                       fix="use `locate` to get its path, or load a record file.")
    path = locate(name, data_dir=data_dir, cache_dir=cache_dir, download=download,
                  verify=False, registry=registry)
    content = read_bytes(path)
    _check_sha(content, entry, path)  # before parsing: a damaged file never becomes numbers
    frame = parse_records(content, path=path, sha256=entry.sha256)
    if entry.rows is not None and len(frame) != entry.rows:  # pragma: no cover - sha implies it
        raise KDDError(f"expected {entry.rows} records, read {len(frame)}.", path=path)
    frame.attrs["name"] = entry.name
    return frame


def read_kdd(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and validate any KDD-format file (KDD99 or NSL-KDD layout, plain or gzip).

    Accepts a header row or none, labels with or without the trailing dot, 42 fields per
    line (KDD99) or 43 (NSL-KDD, with the difficulty level last).

    Returns
    -------
    pandas.DataFrame
        The 41 features under their names (categorical ones as ``category`` dtype, counts as
        ``int64``, rates as ``float64``), ``raw_label`` as written in the file, ``label``
        (normalised: no trailing dot), ``category`` (normal, DoS, Probe, R2L, U2R) and, for
        NSL-KDD, ``difficulty``. ``frame.attrs`` holds ``path``, ``format`` and ``sha256``.

    Raises
    ------
    KDDError
        For an empty, truncated or malformed file, naming the file, the line and the fix.
    """
    path = Path(path)
    return parse_records(read_bytes(path), path=path)


_FIELDS_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_records(content: bytes, *, path: str | os.PathLike[str] = "<data>",
                  sha256: str | None = None) -> pd.DataFrame:
    """Parse decompressed KDD-format bytes into the validated DataFrame of `read_kdd`
    (``sha256``: the content's hash when the caller has already computed it)."""
    path = Path(path)
    digest = sha256 or sha256_of(content)
    content = content.rstrip()
    if not content:
        raise KDDError("the file is empty.", path=path,
                       fix="check that it was fully downloaded or written.")
    first_end = content.find(b"\n")
    first = (content if first_end < 0 else content[:first_end]).decode("utf-8", "replace")
    fields = [f.strip() for f in first.rstrip("\r").split(",")]
    # A header row holds names only; a record whose first field is broken is still a record.
    header = not any(_is_number(f) for f in fields)
    if header:
        second_end = content.find(b"\n", first_end + 1) if first_end >= 0 else -1
        if first_end < 0:
            raise KDDError("the file has a header row but no records.", path=path,
                           fix="add connection records below the header.")
        data_line = content[first_end + 1: second_end if second_end >= 0 else None]
        fields = data_line.decode("utf-8", "replace").rstrip("\r").split(",")
    n_fields = len(fields)
    first_data_line = 2 if header else 1
    if n_fields not in (42, 43):
        raise KDDError(
            f"{n_fields} comma-separated fields, expected 42 (KDD Cup 99: 41 features and the "
            "label) or 43 (NSL-KDD: 41 features, label, difficulty).",
            path=path, line=first_data_line,
            fix="check the delimiter (comma) and that no column was added or removed.",
        )
    fmt = "kdd99" if n_fields == 42 else "nsl-kdd"
    columns = list(FEATURE_NAMES) + ["raw_label"] + (["difficulty"] if fmt == "nsl-kdd" else [])
    dtypes = {c: "category" for c in CATEGORICAL_FEATURES}
    dtypes["raw_label"] = "category"
    try:
        frame = pd.read_csv(
            io.BytesIO(content), header=None, names=columns, skiprows=1 if header else 0,
            dtype=dtypes, skip_blank_lines=False, skipinitialspace=True,
            na_values=[""], keep_default_na=False, engine="c", low_memory=False,
        )
    except pd.errors.ParserError as exc:
        match = _FIELDS_RE.search(str(exc))
        if match:
            expected, line, saw = match.groups()
            raise KDDError(
                f"{saw} fields, expected {expected} like the first record.",
                path=path, line=int(line),
                fix="every line must have the same number of comma-separated fields.",
            ) from None
        raise KDDError(f"cannot parse the file as CSV ({_first_line(exc)}).", path=path,
                       fix="check that it is a comma-separated KDD-format file.") from None
    except UnicodeDecodeError:
        raise KDDError("the file is not text (cannot decode it).", path=path,
                       fix="check that this is a KDD-format CSV file.") from None
    line_offset = first_data_line  # row i of the frame is line i + line_offset

    missing = frame.isna().to_numpy().any(axis=1)
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        line_no = row + line_offset
        text = _line_text(content, line_no - 1)
        n = len(text.split(",")) if text.strip() else 0
        problem = ("the line is empty." if n == 0 else
                   f"{n} fields, expected {n_fields}." if n != n_fields else
                   f"empty value in column {frame.columns[frame.iloc[row].isna().argmax()]!r}.")
        raise KDDError(problem, path=path, line=line_no,
                       fix="repair or remove the line; no rows are dropped silently.")

    numeric = [c for c in columns if c not in dtypes]
    for col in numeric:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            values = pd.to_numeric(frame[col], errors="coerce")
            row = int(np.flatnonzero(values.isna().to_numpy())[0])
            raise KDDError(
                f"non-numeric value {frame[col].iloc[row]!r} in numeric column {col!r} "
                f"(field {columns.index(col) + 1}).",
                path=path, line=row + line_offset,
                fix="this column must hold numbers only; check for shifted columns.",
            )
    whole = "must hold whole numbers >= 0"
    for col in (*INTEGER_FEATURES, *(["difficulty"] if fmt == "nsl-kdd" else [])):
        values = frame[col].to_numpy()
        _raise_first(values, (values < 0) | (values != np.floor(values)), f"column {col!r} {whole}",
                     "check the line; counts and flags cannot be negative or fractional.", path, line_offset)
        frame[col] = frame[col].astype("int64")
    for col in RATE_FEATURES:
        values = frame[col].to_numpy(dtype="float64")
        _raise_first(values, (values < 0) | (values > 1), f"column {col!r} is a rate and must lie in [0, 1]",
                     "check the line; the file may be already normalised or shifted.", path, line_offset)
        frame[col] = values

    raw = frame["raw_label"]
    written = pd.Index([str(c) for c in raw.cat.categories])
    normalised = written.str.strip().str.rstrip(".")
    known = normalised.isin(list(ATTACK_TO_CATEGORY))
    if not known.all():
        unknown = sorted(set(written[~known]))
        first_bad = int(np.flatnonzero(raw.isin(unknown).to_numpy())[0])
        more = f" (and {len(unknown) - 1} more: {', '.join(unknown[1:6])})" if len(unknown) > 1 else ""
        raise KDDError(
            f"unknown label {unknown[0]!r}{more}.",
            path=path, line=first_bad + line_offset,
            fix="labels must be 'normal' or a known attack name (with or without the trailing "
                "dot); see kdd_utils.schema.ATTACK_TO_CATEGORY.",
        )
    labels = pd.Index(sorted(set(normalised)))
    codes = labels.get_indexer(normalised)[raw.cat.codes.to_numpy()]
    frame["label"] = pd.Categorical.from_codes(codes, categories=labels)
    category_codes = pd.Index(CATEGORIES).get_indexer([ATTACK_TO_CATEGORY[x] for x in labels])
    frame["category"] = pd.Categorical.from_codes(category_codes[codes], categories=list(CATEGORIES))
    order = list(FEATURE_NAMES) + ["raw_label", "label", "category"]
    if fmt == "nsl-kdd":
        order.append("difficulty")
    frame = frame[order]
    frame.attrs.update(path=str(path), format=fmt, sha256=digest)
    return frame


def _raise_first(values: np.ndarray, bad: np.ndarray, problem: str, fix: str, path: Path,
                 line_offset: int) -> None:
    """Raise a `KDDError` at the first row where ``bad`` holds, quoting its value."""
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise KDDError(f"{problem}, found {values[row].item()!r}.", path=path, line=row + line_offset, fix=fix)


def _line_text(content: bytes, index: int) -> str:
    lines = content.split(b"\n", index + 1)
    return lines[index].decode("utf-8", "replace").rstrip("\r") if index < len(lines) else ""


def read_names(path: str | os.PathLike[str]) -> tuple[list[str], dict[str, str]]:
    """Parse ``kddcup.names``: the training label list and the feature name -> type map."""
    text = read_bytes(path).decode("utf-8", "replace")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    labels = [x.strip() for x in lines[0].rstrip(".").split(",")]
    types = {}
    for ln in lines[1:]:
        feature, _, kind = ln.partition(":")
        types[feature.strip()] = kind.strip().rstrip(".")
    return labels, types
