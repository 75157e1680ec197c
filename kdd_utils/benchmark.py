"""Measure what the detectors cost on the machine at hand: preprocessing, training, inference.

``python -m kdd_utils benchmark`` (``make benchmark``) times, on the KDD Cup 99 10 % file:
loading and verifying it, fitting and applying the 122-column preprocessing, and for the LSTM
and each baseline the training throughput (records/s for one epoch or one fit), the inference
throughput at batch sizes 1, 64 and 4096, and the model's size. It writes
``runs/benchmark/benchmark.json`` (with the machine) and ``benchmark.csv``; the book shows them
on its "Efficiency" page. Nothing here asserts a target: it measures.
"""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

BATCH_SIZES: tuple[int, ...] = (1, 64, 4096)


def _median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def inference_throughput(predict: Callable[[np.ndarray], Any], X: np.ndarray, batch_sizes=BATCH_SIZES,
                         *, min_records: int = 20_000, max_calls: int = 300) -> dict[str, float]:
    """Records per second of ``predict`` called on batches of each size (median of calls).

    Batch size 1 is what a detector sees when it classifies connections one by one; large
    batches are what offline scoring of a log sees.
    """
    out = {}
    if len(X) < max(batch_sizes):  # repeat records so that every batch size can be filled
        X = np.concatenate([X] * int(np.ceil(max(batch_sizes) / len(X))))
    for size in batch_sizes:
        calls = int(min(max_calls, max(3, min_records // size)))
        starts = np.arange(calls) * size % max(1, len(X) - size + 1)
        predict(X[:size])  # warm-up (graph tracing, lazy initialisation)
        times = []
        for s in starts:
            batch = X[s: s + size]
            t0 = time.perf_counter()
            predict(batch)
            times.append(time.perf_counter() - t0)
        out[f"infer_records_per_s_batch{size}"] = size / float(np.median(times))
    return out


def size_bytes(save: Callable[[Path], None], suffix: str) -> int:
    """Size in bytes of the file that ``save(path)`` writes (to a temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"model{suffix}"
        save(path)
        return path.stat().st_size


def benchmark_models(train, val, *, task: str = "binary", epochs: int = 1, batch_size: int = 256,
                     names: tuple[str, ...] = ("lstm", "logistic_regression", "random_forest",
                                               "hist_gradient_boosting", "mlp"),
                     seed: int = 0, min_records: int = 20_000) -> pd.DataFrame:
    """Training and inference cost of the LSTM and the baselines on prepared parts.

    Parameters
    ----------
    train, val : kdd_utils.study.Part
        Prepared training and validation parts.
    epochs : int
        Epochs timed for the neural models (throughput is per epoch).
    """
    import joblib

    from . import models
    from .preprocessing import CLASS_NAMES

    rows = []
    n_classes = len(CLASS_NAMES[task])
    y, y_val = train.y(task), val.y(task)
    for name in names:
        row: dict[str, Any] = {"model": name}
        if name in ("lstm", "mlp"):
            models.set_seed(seed)
            model = (models.build_lstm(n_classes, n_features=train.X.shape[1]) if name == "lstm"
                     else models.build_mlp(n_classes, n_features=train.X.shape[1]))
            start = time.perf_counter()
            history = models.fit(model, train.X, y, val.X, y_val, epochs=epochs, batch_size=batch_size,
                                 patience=epochs + 1, verbose=0)
            seconds = time.perf_counter() - start
            row["train_records_per_s"] = len(train) * len(history) / seconds
            row["parameters"] = int(model.count_params())
            row["size_bytes"] = size_bytes(model.save, ".keras")

            def predict(X, model=model):
                return model.predict_on_batch(models.to_sequences(X, 1))
        else:
            from .baselines import make_estimator

            estimator = make_estimator(name, seed)
            start = time.perf_counter()
            estimator.fit(train.X, y)
            row["train_records_per_s"] = len(train) / (time.perf_counter() - start)
            row["parameters"] = None
            row["size_bytes"] = size_bytes(lambda p, e=estimator: joblib.dump(e, p), ".joblib")
            predict = estimator.predict_proba
        row.update(inference_throughput(predict, val.X, min_records=min_records))
        rows.append(row)
    return pd.DataFrame(rows)


def peak_memory_mib() -> float:
    """Peak resident memory of this process so far (MiB, from getrusage)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_benchmark(out_dir: Path, *, data_dir: str | None = None, epochs: int = 1, seed: int = 0,
                  sample_fraction: float = 1.0) -> dict[str, Any]:
    """Run every measurement on the KDD Cup 99 10 % file and write the results to ``out_dir``."""
    from . import datasets, preprocessing as prep, study
    from .reproducibility import machine_info, package_versions

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    frame = datasets.load("kdd99-10pct", data_dir=data_dir)
    load_seconds = time.perf_counter() - start
    frame = prep.subsample(frame, sample_fraction, random_state=seed)
    start = time.perf_counter()
    train_f, val_f, _ = prep.split_train_val_test(frame, random_state=seed)
    pre = prep.make_preprocessor().fit(train_f)
    X_all = prep.transform(pre, frame)
    preprocess_seconds = time.perf_counter() - start

    def part(f: pd.DataFrame) -> study.Part:  # rows of the already encoded X_all, not a second transform
        rows = frame.index.get_indexer(f.index)
        return study.Part(X_all[rows], prep.make_targets(f, "binary"), prep.make_targets(f, "multiclass"),
                          f["category"].astype(str).to_numpy(), f["label"].astype(str).to_numpy())

    table = benchmark_models(part(train_f), part(val_f), epochs=epochs, seed=seed)
    result = {
        "dataset": "kdd99-10pct", "records": len(frame), "encoded_shape": list(X_all.shape),
        "load_seconds": load_seconds, "preprocess_seconds": preprocess_seconds,
        "preprocess_records_per_s": len(frame) / preprocess_seconds,
        "epochs_timed": epochs, "train_records": len(train_f),
        "models": table.to_dict("records"), "peak_memory_mib": peak_memory_mib(),
        "machine": machine_info(), "packages": package_versions(),
    }
    study.write_json(out_dir / "benchmark.json", result)
    table.to_csv(out_dir / "benchmark.csv", index=False)
    return result


def benchmark_markdown(result: dict[str, Any] | None) -> str:
    """The book's efficiency page body from a ``benchmark.json`` (or how to make one)."""
    if not result:
        return ("*No benchmark has been run for this build.* Run `make benchmark` (a few minutes), "
                "then rebuild the book.\n")
    m = result["machine"]
    lines = [
        f"Measured on {m['cpu_count']} × {m['cpu_model']}, {m['memory_gib']} GiB, {m['system']}, "
        f"Python {m['python']}; peak memory of the benchmark process {result['peak_memory_mib']:.0f} MiB.\n",
        f"- Loading and verifying `{result['dataset']}` ({result['records']:,} records): "
        f"{result['load_seconds']:.2f} s.",
        f"- Fitting the preprocessing on the training part and encoding all records to "
        f"{result['encoded_shape'][1]} columns: {result['preprocess_seconds']:.2f} s "
        f"({result['preprocess_records_per_s']:,.0f} records/s).\n",
    ]
    table = pd.DataFrame(result["models"])
    columns = {"model": "model", "train_records_per_s": "training (records/s)",
               **{f"infer_records_per_s_batch{b}": f"inference, batch {b} (records/s)" for b in BATCH_SIZES},
               "parameters": "parameters", "size_bytes": "file size (bytes)"}
    shown = table[[c for c in columns if c in table]].copy()
    for column in shown.columns[1:]:
        shown[column] = [f"{v:,.0f}" if pd.notna(v) else "–" for v in shown[column]]
    lines.append(shown.rename(columns=columns).to_markdown(index=False, colalign=["left"] + ["right"] * (len(shown.columns) - 1)))
    lines.append(f"\nTraining throughput of the neural models is per epoch ({result['epochs_timed']} timed) "
                 f"on {result['train_records']:,} training records; for the scikit-learn models it is "
                 "one complete fit. Inference: median over repeated calls on validation records.\n")
    return "\n".join(lines)
