"""What a reader needs to reproduce a profile: parameters, software, machine, run times, data."""

from __future__ import annotations

import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .datasets import DATASETS, REGISTRY

#: Packages whose versions the reproducibility page lists.
PACKAGES: tuple[str, ...] = (
    "tensorflow-cpu", "tensorflow", "keras", "numpy", "pandas", "scikit-learn", "imbalanced-learn",
    "matplotlib", "seaborn", "pooch", "papermill", "jupyter-book", "kdd-utils",
)


def package_versions() -> dict[str, str]:
    """Installed versions of `PACKAGES` (those not installed are left out)."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    """CPU count and model, memory, operating system and Python of this machine."""
    memory = _memory_gib()
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": round(memory, 1) if memory else None,
        "system": platform.platform(),
        "python": sys.version.split()[0],
    }


def notebook_durations(runs_dir: Path, runs: list[str], notebooks: list[str]) -> pd.DataFrame:
    """Each executed notebook's run time, from papermill's metadata."""
    import nbformat

    rows = []
    for run in runs:
        for notebook in notebooks:
            path = runs_dir / run / f"{notebook}.ipynb"
            if path.is_file():
                meta = nbformat.read(path, as_version=4).metadata.get("papermill", {})
                rows.append({"run": run, "notebook": notebook, "seconds": meta.get("duration")})
    return pd.DataFrame(rows, columns=["run", "notebook", "seconds"])


def _md_table(frame: pd.DataFrame, **kwargs: Any) -> str:
    return frame.to_markdown(index=False, **kwargs) + "\n"


def reproducibility_markdown(profile, runs_dir: Path, devices: dict[str, str] | None = None) -> str:
    """The body of the book's reproducibility page for a profile's results in ``runs_dir``."""
    out = [f"## Profile `{profile.name}`: {profile.title}\n"]
    if profile.description:
        out.append(profile.description + "\n")
    params = pd.DataFrame([{"run": r.name, "title": r.title,
                            **{k: (", ".join(map(str, v)) if isinstance(v, list) else v)
                               for k, v in r.parameters.items()}} for r in profile.runs])
    params = params.astype(object).where(params.notna(), "(default)")
    out += ["### Parameters of each run\n", _md_table(params)]

    out.append("### Software\n")
    versions = pd.DataFrame(sorted(package_versions().items()), columns=["package", "version"])
    out.append(f"Python {sys.version.split()[0]}.\n")
    out.append(_md_table(versions))

    out.append("### Machine\n")
    info = machine_info()
    accel = devices or {}
    rows = [("CPUs", f"{info['cpu_count']} × {info['cpu_model']}"),
            ("memory", f"{info['memory_gib']} GiB" if info["memory_gib"] else "unknown"),
            ("system", info["system"]),
            ("GPU", ", ".join(f"{run}: {dev}" for run, dev in accel.items()) or "not recorded")]
    out.append(_md_table(pd.DataFrame(rows, columns=["", "value"])))

    out.append("### Run time of each notebook\n")
    durations = notebook_durations(runs_dir, [r.name for r in profile.runs], profile.notebooks)
    if len(durations):
        total = durations["seconds"].sum()
        out.append(_md_table(durations, floatfmt=".1f"))
        out.append(f"\nTotal: {total:.0f} s ({total / 60:.1f} min), from papermill's metadata.\n")
        wall = runs_dir / "wall_time.json"
        if wall.is_file():
            w = json.loads(wall.read_text())
            out.append(f"Wall time of the last `study` command: {w['wall_seconds']:.0f} s "
                       f"({w['wall_seconds'] / 60:.1f} min) for {len(w['runs'])} run(s), {w['jobs']} at a time.\n")

    out.append("### Data files\n")
    names, seen = [], {}
    for run in profile.runs:
        ds = DATASETS.get(run.parameters.get("dataset", ""))
        if ds:
            names += [n for n in (ds.train, *ds.tests) if n not in names]
        exploration = runs_dir / run.name / "exploration.json"
        if exploration.is_file():
            for name, info in json.loads(exploration.read_text()).get("files", {}).items():
                seen.setdefault(name, set()).add(info.get("sha256"))
    files = pd.DataFrame([{
        "file": n, "records": REGISTRY[n].rows, "SHA-256 of the content": f"`{REGISTRY[n].sha256}`",
        "read by the runs": ("same checksum" if seen.get(n) == {REGISTRY[n].sha256}
                             else "not recorded" if n not in seen else "DIFFERENT"),
        "source": REGISTRY[n].urls[0]} for n in names])
    out.append("The loader verifies every file against its registered checksum before reading it; "
               "the data-exploration notebook of each run records the checksum of what it read.\n")
    out.append(_md_table(files))
    return "\n".join(out)
