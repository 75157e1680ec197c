"""The parameters the notebooks share, and the artefacts they hand to each other.

Every notebook starts with a cell tagged ``parameters`` and then calls `check_params`, so a
bad value stops the notebook at the top with a clear `KDDError`. Artefacts live in the run
folder (``run_dir``); `require` tells the reader which notebook to run first when one is
missing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .datasets import DATASETS
from .errors import KDDError
from .preprocessing import SCALINGS, TASKS

#: The notebooks in reading order, with the artefacts each one writes.
NOTEBOOKS: dict[str, str] = {
    "01_data_exploration": "data exploration",
    "02_preprocessing": "preprocessing",
    "03_lstm_training": "LSTM training",
    "04_evaluation": "evaluation",
    "05_class_imbalance": "class imbalance",
    "06_lstm_search": "LSTM search",
    "07_future_work": "future work",
}

#: Artefact file names inside a run folder, and the notebook that writes each one.
ARTEFACTS: dict[str, tuple[str, str]] = {
    "exploration": ("exploration.json", "01_data_exploration"),
    "prepared": ("prepared.npz", "02_preprocessing"),
    "preprocessor": ("preprocessor.joblib", "02_preprocessing"),
    "preparation": ("preparation.json", "02_preprocessing"),
    "history": ("history.csv", "03_lstm_training"),
    "training": ("training.json", "03_lstm_training"),
    "results": ("results.json", "04_evaluation"),
    "imbalance": ("imbalance.csv", "05_class_imbalance"),
    "search": ("search.csv", "06_lstm_search"),
    "future": ("future.csv", "07_future_work"),
}

_REPO_ROOT = Path(__file__).resolve().parents[1]


def project_root() -> Path:
    """The repository root when kdd_utils runs from a checkout, else the working directory."""
    if (_REPO_ROOT / "_config.yml").is_file() and (_REPO_ROOT / "notebooks").is_dir():
        return _REPO_ROOT
    return Path.cwd()


def resolve_run_dir(run_dir: str | os.PathLike[str]) -> Path:
    """Absolute run folder; a relative one is taken from the project root (so that it means the
    same in Jupyter, papermill and the runner), and it is created if missing."""
    path = Path(run_dir).expanduser()
    if not path.is_absolute():
        path = project_root() / path
    path.mkdir(parents=True, exist_ok=True)
    return path


def _fail(name: str, value: Any, expected: str) -> None:
    raise KDDError(f"parameter {name}={value!r} is not valid: {expected}.",
                   fix=f"set {name} in the parameters cell or with papermill's -p {name} VALUE.")


def check_params(**params: Any) -> dict[str, Any]:
    """Validate the notebook parameters given as keywords; return them unchanged.

    Known names: ``dataset``, ``task``, ``seed``, ``epochs``, ``batch_size``,
    ``sample_fraction``, ``run_dir``, ``learning_rate``, ``timesteps``, ``patience``,
    ``scaling``, ``drop_duplicates``, ``optimizer``, ``units``, ``threshold``, ``methods``,
    ``balance_to``, ``baselines``, ``seeds``, ``trials``, ``search_fraction``, ``search_epochs``,
    ``model``, ``architectures``, ``train_fraction``, ``window``, ``block_size``.
    Unknown names are accepted unchecked, so notebooks may add their own.
    """
    p = params
    if "dataset" in p and p["dataset"] not in DATASETS:
        _fail("dataset", p["dataset"], f"one of {', '.join(DATASETS)}")
    if "task" in p and p["task"] not in TASKS:
        _fail("task", p["task"], f"one of {', '.join(TASKS)}")
    for name in ("seed",):
        if name in p and (not isinstance(p[name], int) or isinstance(p[name], bool) or p[name] < 0):
            _fail(name, p[name], "a whole number >= 0")
    for name in ("epochs", "batch_size", "timesteps", "patience", "units", "balance_to", "seeds", "trials",
                 "search_epochs", "block_size"):
        if name in p and (not isinstance(p[name], int) or isinstance(p[name], bool) or p[name] < 1):
            _fail(name, p[name], "a whole number >= 1")
    if "timesteps" in p and 122 % p["timesteps"]:
        _fail("timesteps", p["timesteps"], "a divisor of 122 (1, 2, 61 or 122)")
    if "window" in p and (not isinstance(p["window"], int) or isinstance(p["window"], bool) or p["window"] < 0):
        _fail("window", p["window"], "a whole number >= 0 (0: no sequence mode)")
    for name in ("sample_fraction", "search_fraction", "train_fraction"):
        if name in p and not (isinstance(p[name], (int, float)) and not isinstance(p[name], bool)
                              and 0 < p[name] <= 1):
            _fail(name, p[name], "a number in (0, 1]")
    if "model" in p:
        from .models import ARCHITECTURES

        if p["model"] not in ARCHITECTURES:
            _fail("model", p["model"], "one of " + ", ".join(ARCHITECTURES)
                  + " (or an architecture you add to kdd_utils.models.ARCHITECTURES)")
    if "architectures" in p:
        from .models import ARCHITECTURES

        archs = p["architectures"]
        if not isinstance(archs, (list, tuple)) or not archs or any(a not in ARCHITECTURES for a in archs):
            _fail("architectures", archs, "a non-empty list drawn from " + ", ".join(ARCHITECTURES))
    if "learning_rate" in p and not (isinstance(p["learning_rate"], (int, float)) and p["learning_rate"] > 0):
        _fail("learning_rate", p["learning_rate"], "a number > 0")
    if "threshold" in p and not (isinstance(p["threshold"], (int, float)) and 0 < p["threshold"] < 1):
        _fail("threshold", p["threshold"], "a number in (0, 1)")
    if "scaling" in p and p["scaling"] not in SCALINGS:
        _fail("scaling", p["scaling"], f"one of {', '.join(SCALINGS)}")
    if "optimizer" in p:
        from .models import OPTIMIZERS

        if p["optimizer"] not in OPTIMIZERS:
            _fail("optimizer", p["optimizer"], f"one of {', '.join(OPTIMIZERS)}")
    if "drop_duplicates" in p and not isinstance(p["drop_duplicates"], bool):
        _fail("drop_duplicates", p["drop_duplicates"], "True or False")
    if "methods" in p:
        from .imbalance import METHODS

        bad = [m for m in p["methods"] if m not in METHODS] if isinstance(p["methods"], (list, tuple)) else [p["methods"]]
        if bad or not p["methods"]:
            _fail("methods", p["methods"], f"a non-empty list drawn from {', '.join(METHODS)}")
    if "baselines" in p:
        from .baselines import BASELINES

        bad = [b for b in p["baselines"] if b not in BASELINES] if isinstance(p["baselines"], (list, tuple)) else [p["baselines"]]
        if bad:
            _fail("baselines", p["baselines"], f"a list drawn from {', '.join(BASELINES)} (may be empty)")
    if "run_dir" in p and (not isinstance(p["run_dir"], (str, os.PathLike)) or not str(p["run_dir"])):
        _fail("run_dir", p["run_dir"], "a folder path")
    return dict(p)


def seed_list(seed: int, seeds: int) -> list[int]:
    """The training seeds of a run: ``seed, seed + 1, ..., seed + seeds - 1``.

    ``seed`` also fixes the sample and the split (02_preprocessing), so every seed trains on
    the same parts; only weight initialisation, batch order and the samplers change.
    """
    return list(range(seed, seed + seeds))


def model_path(run_dir: str | os.PathLike[str], seed: int, name: str = "lstm") -> Path:
    """The saved Keras model of ``name`` trained with ``seed`` in a run folder."""
    return Path(run_dir) / f"{name}-seed{seed}.keras"


def artefact(run_dir: str | os.PathLike[str], key: str) -> Path:
    """Path of the artefact ``key`` (see `ARTEFACTS`) in a run folder."""
    return Path(run_dir) / ARTEFACTS[key][0]


def require(run_dir: str | os.PathLike[str], *keys: str) -> None:
    """Raise a `KDDError` naming the notebook to run first if an artefact is missing."""
    for key in keys:
        path = artefact(run_dir, key)
        if not path.is_file():
            notebook = ARTEFACTS[key][1]
            raise KDDError(
                f"{path.name} is missing in the run folder {run_dir}.",
                fix=f"run notebooks/{notebook}.ipynb first with the same run_dir (and dataset, "
                    "task, seed), e.g. with papermill as the README shows.",
            )


def write_json(path: str | os.PathLike[str], data: Mapping[str, Any]) -> Path:
    """Write ``data`` as indented JSON (numpy scalars converted)."""
    def default(obj: Any) -> Any:
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            return obj.tolist()
        if isinstance(obj, Path):
            return str(obj)
        raise TypeError(f"not JSON serialisable: {type(obj).__name__}")

    path = Path(path)
    path.write_text(json.dumps(data, indent=2, default=default, allow_nan=True) + "\n")
    return path


def read_json(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a JSON artefact."""
    return json.loads(Path(path).read_text())


def check_same_setting(run_dir: str | os.PathLike[str], **params: Any) -> None:
    """Stop when a notebook's dataset/task/seed differ from those the run folder was prepared with."""
    prepared = read_json(artefact(run_dir, "preparation"))["parameters"]
    for name, value in params.items():
        if name in prepared and prepared[name] != value:
            raise KDDError(
                f"{name}={value!r} but the run folder {run_dir} was prepared with "
                f"{name}={prepared[name]!r}.",
                fix="use the same parameters as 02_preprocessing, or another run_dir.",
            )


class Part:
    """One evaluation part of a prepared run: encoded inputs and what is known of each row.

    Attributes
    ----------
    X : numpy.ndarray
        ``(n, 122)`` float32 encoded features.
    y_binary, y_multiclass : numpy.ndarray
        Integer targets of both tasks.
    category, label : numpy.ndarray
        Attack category and normalised label of each row (strings).
    """

    def __init__(self, X: np.ndarray, y_binary: np.ndarray, y_multiclass: np.ndarray,
                 category: np.ndarray, label: np.ndarray) -> None:
        self.X, self.y_binary, self.y_multiclass = X, y_binary, y_multiclass
        self.category, self.label = category, label

    def __len__(self) -> int:
        return len(self.X)

    def y(self, task: str) -> np.ndarray:
        """The targets of ``task`` ("binary" or "multiclass")."""
        return self.y_binary if task == "binary" else self.y_multiclass

    def subset(self, mask: np.ndarray) -> "Part":
        """The rows where ``mask`` holds."""
        return Part(self.X[mask], self.y_binary[mask], self.y_multiclass[mask], self.category[mask],
                    self.label[mask])


def save_prepared(run_dir: str | os.PathLike[str], parts: Mapping[str, Part]) -> Path:
    """Save every part's arrays into the run folder's ``prepared.npz`` (uncompressed: fast)."""
    arrays = {}
    for name, part in parts.items():
        for field in ("X", "y_binary", "y_multiclass", "category", "label"):
            value = getattr(part, field)
            arrays[f"{name}/{field}"] = value.astype(str) if value.dtype == object else value
    path = artefact(run_dir, "prepared")
    np.savez(path, **arrays)
    return path


def load_prepared(run_dir: str | os.PathLike[str]) -> dict[str, Part]:
    """Load the parts saved by `save_prepared`, in their saved order (train, val, holdout, tests)."""
    require(run_dir, "prepared", "preparation")
    with np.load(artefact(run_dir, "prepared")) as data:
        names = list(dict.fromkeys(key.split("/")[0] for key in data.files))
        return {n: Part(*(data[f"{n}/{f}"] for f in ("X", "y_binary", "y_multiclass", "category", "label")))
                for n in names}


def evaluation_sets(parts: Mapping[str, Part], reference: Mapping[str, Part] | None = None, *,
                    train_keys: np.ndarray | None = None) -> dict[str, Part]:
    """The parts a model is scored on, in table order: ``holdout``, ``holdout-unseen``, then
    the official test files.

    ``holdout-unseen`` is the held-out part without the records that have an exact copy (same
    encoded features and label) in the training part: the random split with duplicates removed
    *across* the split. ``reference`` (default: ``parts``) are the parts whose encoding decides
    what a copy is, so that parts encoded another way (another scaling) keep the same rows;
    ``train_keys`` are its training part's `kdd_utils.evaluation.row_keys` when already computed.
    """
    from .evaluation import has_copy_in_training, row_keys

    ref = reference if reference is not None else parts
    if train_keys is None:
        train_keys = row_keys(ref["train"].X, ref["train"].label)
    copies = has_copy_in_training(train_keys, ref["holdout"].X, ref["holdout"].label)
    out = {"holdout": parts["holdout"]}
    if (~copies).any():
        out["holdout-unseen"] = parts["holdout"].subset(~copies)
    out.update({name: part for name, part in parts.items() if name not in ("train", "val", "holdout")})
    return out


def encode_parts(preprocessor, frames: Mapping[str, "pd.DataFrame"]) -> dict[str, Part]:
    """Encode raw parts (see `kdd_utils.preprocessing.load_parts`) with a *fitted* preprocessor."""
    from .preprocessing import make_targets, transform

    return {name: Part(transform(preprocessor, f), make_targets(f, "binary"), make_targets(f, "multiclass"),
                       f["category"].astype(str).to_numpy(), f["label"].astype(str).to_numpy())
            for name, f in frames.items()}
