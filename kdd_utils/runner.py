"""Run the study under a profile with papermill, then build the Jupyter Book from the results.

A profile is a YAML file in ``profiles/`` (``ci.yml``, ``full.yml``, or your own)::

    title: Full study
    parameters:            # shared by every run; each notebook receives those it declares
      seed: 0
      epochs: 30
    runs:
      kdd99-binary:
        title: "KDD Cup 99, binary (the paper's setting)"
        parameters: {dataset: kdd99, task: binary}
        notebooks: ["01", "02", "03", "04"]   # optional: a subset, by number or name

Each run executes its notebooks (all of them unless the run names a subset) into
``runs/<profile>/<run>/`` (executed notebooks and every artefact), so one profile never
overwrites another's results. Runs are independent and may execute in parallel (``jobs``). The book is then staged
in ``_build/<profile>/src`` from the executed notebooks and built, from clean, with
execution off and warnings as errors into ``_build/<profile>/html``.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import KDDError
from .benchmark import benchmark_markdown
from .report import duplicates_markdown, headline_markdown, published_markdown
from .reproducibility import reproducibility_markdown
from .study import NOTEBOOKS, artefact, project_root, read_json, write_json

INJECTED_TAG = "injected-parameters"
BOOK_FILES = ("_config.yml", "references.bib", "book")


@dataclass
class Run:
    """One parameter set of a profile."""

    name: str
    title: str
    parameters: dict[str, Any]
    notebooks: list[str] = field(default_factory=lambda: list(NOTEBOOKS))


@dataclass
class Profile:
    """A named set of runs, read from ``profiles/<name>.yml``."""

    name: str
    title: str
    runs: list[Run]
    description: str = ""
    notebooks: list[str] = field(default_factory=lambda: list(NOTEBOOKS))


def profile_path(name_or_path: str, root: Path | None = None) -> Path:
    """The YAML file of a profile name (``profiles/<name>.yml``) or an explicit path."""
    root = root or project_root()
    path = Path(name_or_path)
    if path.suffix in (".yml", ".yaml"):
        return path if path.is_absolute() else Path.cwd() / path
    return root / "profiles" / f"{name_or_path}.yml"


def load_profile(name_or_path: str, root: Path | None = None) -> Profile:
    """Read and check a profile."""
    import yaml

    root = root or project_root()
    path = profile_path(name_or_path, root)
    if not path.is_file():
        known = sorted(p.stem for p in (root / "profiles").glob("*.yml"))
        raise KDDError(f"profile {name_or_path!r} not found ({path}).",
                       fix=f"use one of: {', '.join(known)}, or a path to a .yml file.")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise KDDError(f"the profile is not valid YAML ({exc}).", path=path,
                       fix="check its indentation and quoting.") from None
    shared = data.get("parameters") or {}
    runs_data = data.get("runs") or {}
    if not isinstance(runs_data, dict) or not runs_data:
        raise KDDError("the profile has no runs.", path=path,
                       fix="add a 'runs:' mapping of run names to their title and parameters.")
    runs = []
    for name, spec in runs_data.items():
        spec = spec or {}
        if not str(name).replace("-", "").replace("_", "").isalnum():
            raise KDDError(f"run name {name!r} may hold only letters, digits, '-' and '_'.", path=path)
        params = {**shared, **(spec.get("parameters") or {})}
        if "run_dir" in params:
            raise KDDError("run_dir is set by the runner, not by a profile.", path=path,
                           fix="remove run_dir from the profile.")
        notebooks = _notebook_names(spec["notebooks"], path) if "notebooks" in spec else list(NOTEBOOKS)
        runs.append(Run(str(name), str(spec.get("title", name)), params, notebooks))
    stem = path.stem
    return Profile(stem, str(data.get("title", stem)), runs, str(data.get("description", "")))


def _notebook_names(names: Any, path: Path) -> list[str]:
    """Full notebook names, in reading order, from names or their number prefixes ("03")."""
    if not isinstance(names, list) or not names:
        raise KDDError(f"notebooks: {names!r} is not a non-empty list.", path=path,
                       fix='list notebooks by number or name, e.g. ["01", "02", "03", "04"].')
    chosen = set()
    for name in names:
        match = [nb for nb in NOTEBOOKS if nb == str(name) or nb.split("_")[0] == str(name).zfill(2)]
        if not match:
            raise KDDError(f"notebook {name!r} is not one of the study's notebooks.", path=path,
                           fix=f"use one of: {', '.join(NOTEBOOKS)} (or their numbers).")
        chosen.add(match[0])
    return [nb for nb in NOTEBOOKS if nb in chosen]


def _declared_parameters(notebook: Path) -> dict[str, Any]:
    import papermill as pm

    return pm.inspect_notebook(str(notebook))


def check_profile(profile: Profile, root: Path) -> dict[str, set[str]]:
    """Every parameter of every run must be declared by at least one notebook (catches typos)."""
    declared = {nb: set(_declared_parameters(root / "notebooks" / f"{nb}.ipynb")) for nb in profile.notebooks}
    known = set().union(*declared.values())  # shared parameters may serve only some runs' notebooks
    for run in profile.runs:
        unknown = sorted(set(run.parameters) - known)
        if unknown:
            raise KDDError(
                f"run {run.name!r} of profile {profile.name!r} sets {unknown}, which no notebook declares.",
                fix=f"check the spelling; known parameters: {', '.join(sorted(known))}.")
    return declared


def _postprocess(path: Path, run: Run) -> None:
    """Hide the injected-parameters cell and make figure labels unique per run."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if INJECTED_TAG in tags and "hide-cell" not in tags:
            cell.metadata["tags"] = [*tags, "hide-cell"]
        figure = cell.metadata.get("mystnb", {}).get("figure")
        if figure and "name" in figure and not figure["name"].startswith(f"{run.name}-"):
            figure["name"] = f"{run.name}-{figure['name']}"
    nbformat.write(nb, path)


def error_outputs(path: Path) -> list[str]:
    """Descriptions of the error outputs of an executed notebook (empty when there are none)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{path}: cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return found


def run_notebook(notebook: str, run: Run, run_dir: Path, declared: dict[str, set[str]], root: Path) -> float:
    """Execute one notebook of a run with papermill; return its run time in seconds."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    params = {k: v for k, v in run.parameters.items() if k in declared[notebook]}
    params["run_dir"] = str(run_dir)
    output = run_dir / f"{notebook}.ipynb"
    start = time.perf_counter()
    try:
        pm.execute_notebook(str(root / "notebooks" / f"{notebook}.ipynb"), str(output),
                            parameters=params, cwd=str(root), progress_bar=False, kernel_name="python3")
    except PapermillExecutionError as exc:
        raise KDDError(
            f"notebook {notebook} of run {run.name!r} failed in cell {exc.exec_count} "
            f"(cell index {exc.cell_index}): {exc.ename}: {exc.evalue}",
            fix=f"open the executed copy {output} to see the traceback.") from None
    errors = error_outputs(output)
    if errors:
        raise KDDError(f"notebook {notebook} of run {run.name!r} has error outputs: {errors[0]}",
                       fix=f"open {output}.")
    _postprocess(output, run)
    return time.perf_counter() - start


def _limit_threads(threads: int) -> None:
    """In a worker process: let each run's kernels use ``threads`` CPU threads (inherited by
    the papermill kernels through the environment)."""
    for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        os.environ[name] = str(threads)


def _execute_run(run: Run, profile_name: str, run_dir: Path, declared: dict[str, set[str]],
                 root: Path) -> list[dict[str, Any]]:
    """Execute the notebooks of one run into a clean run folder; return their timings."""
    if run_dir.exists():
        shutil.rmtree(run_dir)  # a run starts clean: no stale artefact can leak into it
    run_dir.mkdir(parents=True)
    timings = []
    for notebook in run.notebooks:
        print(f"[{profile_name}/{run.name}] {notebook} ...", flush=True)
        seconds = run_notebook(notebook, run, run_dir, declared, root)
        print(f"[{profile_name}/{run.name}] {notebook} done in {seconds:.0f} s", flush=True)
        timings.append({"run": run.name, "notebook": notebook, "seconds": round(seconds, 1)})
    return timings


def default_jobs(n_runs: int) -> int:
    """Runs executed at once by default: one per CPU core, at most one per run.

    The study's models are small, so one training process cannot keep two cores busy; two
    runs side by side, one thread each, nearly halve the wall time on a 2-core machine.
    """
    return max(1, min(n_runs, os.cpu_count() or 1))


def run_profile(profile: Profile, root: Path | None = None, *, only: list[str] | None = None,
                workdir: Path | None = None, jobs: int = 1) -> Path:
    """Execute every notebook of every run (or of the runs named in ``only``); return the
    profile's run folder ``<workdir>/runs/<profile>`` (``workdir`` defaults to the root).

    With ``jobs > 1`` that many runs execute at once, each in its own process whose kernels
    get an equal share of the CPU threads.
    """
    root = root or project_root()
    declared = check_profile(profile, root)
    out = (workdir or root) / "runs" / profile.name
    unknown = sorted(set(only or []) - {run.name for run in profile.runs})
    if unknown:
        raise KDDError(f"profile {profile.name!r} has no run {', '.join(unknown)}.",
                       fix=f"use run names of the profile: {', '.join(r.name for r in profile.runs)}.")
    selected = [run for run in profile.runs if not only or run.name in only]
    start = time.perf_counter()
    timings: list[dict[str, Any]] = []
    if jobs <= 1 or len(selected) <= 1:
        for run in selected:
            timings += _execute_run(run, profile.name, out / run.name, declared, root)
    else:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        print(f"[{profile.name}] {len(selected)} runs, {jobs} at a time, {threads} thread(s) each", flush=True)
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_limit_threads, initargs=(threads,)) as pool:
            futures = [pool.submit(_execute_run, run, profile.name, out / run.name, declared, root)
                       for run in selected]
            try:
                for future in futures:
                    timings += future.result()
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    if timings:
        wall = time.perf_counter() - start
        pd.DataFrame(timings).to_csv(out / "timings.csv", index=False)
        write_json(out / "wall_time.json", {"runs": [r.name for r in selected], "jobs": min(jobs, len(selected)),
                                            "wall_seconds": round(wall, 1)})
        print(f"[{profile.name}] {len(selected)} runs in {wall:.0f} s "
              f"(wall time; notebooks: {sum(t['seconds'] for t in timings):.0f} s in all)", flush=True)
    collect_results(profile, workdir or root)
    return out


def collect_results(profile: Profile, workdir: Path | None = None) -> pd.DataFrame:
    """Gather the runs' ``results.json`` into one tidy table, saved as ``results.csv``."""
    out = (workdir or project_root()) / "runs" / profile.name
    rows = []
    for run in profile.runs:
        path = artefact(out / run.name, "results")
        if not path.is_file():
            continue
        results = read_json(path)
        for row in results["evaluations"]:
            rows.append({"run": run.name, "title": run.title, "dataset": results["dataset"],
                         "task": results["task"], "seed": results["seed"],
                         "drop_duplicates": bool(results.get("parameters", {}).get("drop_duplicates", False)),
                         **row})
    table = pd.DataFrame(rows)
    if len(table):
        table.to_csv(out / "results.csv", index=False)
    return table


def _expand_toc(toc: dict, profile: Profile, runs: list[Run]) -> dict:
    toc = copy.deepcopy(toc)
    parts = []
    for part in toc.get("parts", []):
        globs = [c.get("glob", "") for c in part.get("chapters", [])]
        if any(g.startswith("runs/") for g in globs):
            for run in runs:
                parts.append({"caption": run.title, "numbered": False,
                              "chapters": [{"file": f"runs/{run.name}/{nb}"} for nb in run.notebooks]})
        else:
            parts.append(part)
    toc["parts"] = parts
    return toc


def _configure_repository(config_file: Path) -> None:
    """Add the repository URL (``$BOOK_REPOSITORY_URL``, set by the publishing workflow) and its
    buttons to the staged ``_config.yml``; without it the book has no repository links."""
    import os

    import yaml

    url = os.environ.get("BOOK_REPOSITORY_URL", "").strip()
    if not url:
        return
    config = yaml.safe_load(config_file.read_text())
    config["repository"] = {"url": url, "branch": os.environ.get("BOOK_REPOSITORY_BRANCH", "main")}
    config.setdefault("html", {}).update(use_repository_button=True, use_issues_button=True)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))


def stage_book(profile: Profile, root: Path | None = None, *, workdir: Path | None = None) -> Path:
    """Copy the book pages and the executed notebooks of a profile into a clean source folder
    ``<workdir>/_build/<profile>/src``."""
    import yaml

    root = root or project_root()
    workdir = workdir or root
    build = workdir / "_build" / profile.name
    src = build / "src"
    if build.exists():
        shutil.rmtree(build)  # Sphinx builds incrementally: always build from clean
    src.mkdir(parents=True)
    for name in BOOK_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, src / name)
        else:
            shutil.copy2(source, src / name)
    runs_out = workdir / "runs" / profile.name
    done = []
    for run in profile.runs:
        notebooks = [runs_out / run.name / f"{nb}.ipynb" for nb in run.notebooks]
        missing = [p for p in notebooks if not p.is_file()]
        if missing:
            raise KDDError(f"run {run.name!r} of profile {profile.name!r} has not been executed ({missing[0]} is missing).",
                           fix=f"run the study first: make book PROFILE={profile.name}.")
        for path in notebooks:
            errors = error_outputs(path)
            if errors:
                raise KDDError(f"an executed notebook contains an error output: {errors[0]}",
                               fix="fix the notebook and run the study again.")
            (src / "runs" / run.name).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / "runs" / run.name / path.name)
        done.append(run)
    _configure_repository(src / "_config.yml")
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    (src / "_toc.yml").write_text(yaml.safe_dump(_expand_toc(toc, profile, done), sort_keys=False))
    generated = src / "book" / "_generated"
    generated.mkdir(parents=True, exist_ok=True)
    table = collect_results(profile, workdir)
    (generated / "results.md").write_text(headline_markdown(table))
    (generated / "duplicates.md").write_text(duplicates_markdown(table))
    (generated / "published.md").write_text(published_markdown(table))
    devices = {}
    for run in done:
        training = artefact(runs_out / run.name, "training")
        if training.is_file():
            devices[run.name] = read_json(training).get("accelerator", "not recorded")
    (generated / "reproducibility.md").write_text(reproducibility_markdown(profile, runs_out, devices))
    bench = workdir / "runs" / "benchmark" / "benchmark.json"
    (generated / "benchmark.md").write_text(benchmark_markdown(read_json(bench) if bench.is_file() else None))
    (generated / "profile.md").write_text(
        f"These pages show the profile **{profile.name}** ({profile.title}), "
        f"with {len(done)} runs: " + ", ".join(f"*{r.title}*" for r in done) + ".\n")
    return src


def build_book(profile: Profile, root: Path | None = None, *, workdir: Path | None = None,
               builder: str = "html") -> Path:
    """Stage and build the book with warnings as errors; return the output folder.

    ``builder="linkcheck"`` checks the external links instead (needs the network).
    """
    root = root or project_root()
    src = stage_book(profile, root, workdir=workdir)
    jb = Path(sys.executable).with_name("jb")
    command = [str(jb) if jb.exists() else "jb", "build", str(src), "--path-output", str(src.parent),
               "--builder", builder, "-W", "-n", "--keep-going"]
    print("$", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=src.parent)
    if result.returncode != 0:
        raise KDDError(f"the book build ({builder}) failed (exit {result.returncode}); see the output above.",
                       fix="fix the first warning or broken link; the build treats warnings as errors.")
    return src.parent / "_build" / builder
