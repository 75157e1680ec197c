"""Command line: ``python -m kdd_utils {fetch,validate,info,study}`` (also installed as ``kdd-utils``)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import datasets
from .errors import KDDError


def _fetch(args: argparse.Namespace) -> int:
    names = args.names or list(datasets.REGISTRY)
    for name in names:
        path = datasets.locate(name, data_dir=args.data_dir, cache_dir=args.cache_dir,
                               download=False if args.offline else None)
        print(f"{name:16s} OK  {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    frame = datasets.read_kdd(args.path)
    print(f"file:    {args.path}")
    print(f"format:  {frame.attrs['format']}")
    print(f"rows:    {len(frame)}")
    print(f"sha256:  {frame.attrs['sha256']} (of the decompressed content)")
    known = [f.name for f in datasets.REGISTRY.values() if f.sha256 == frame.attrs["sha256"]]
    print(f"matches: {', '.join(known) if known else 'no registered file'}")
    print("\ncategory counts:")
    print(frame["category"].value_counts().to_string())
    print("\nlabel counts:")
    print(frame["label"].value_counts().to_string())
    return 0


def _info(args: argparse.Namespace) -> int:
    try:
        folder = datasets._data_dir(args.data_dir)
    except KDDError as exc:
        print(f"warning: {exc}", file=sys.stderr)
        folder = None
    cache = Path(args.cache_dir) if args.cache_dir else datasets.default_cache_dir()
    print(f"data folder ({datasets.DATA_DIR_ENV}): {folder or 'not set'}")
    print(f"cache folder ({datasets.CACHE_DIR_ENV}): {cache}")
    print(f"downloads: {'off' if datasets._offline(None) else 'on'} ({datasets.OFFLINE_ENV})\n")
    print(f"{'name':16s} {'rows':>8s}  {'where':40s} description / source")
    for entry in datasets.REGISTRY.values():
        where = "missing (will be downloaded)"
        for base in ([folder] if folder else []) + [cache]:
            found = next((p for p in datasets._candidates(entry, base) if p.is_file()), None)
            if found:
                where = str(found)
                break
        rows = f"{entry.rows:,}" if entry.rows else "-"
        print(f"{entry.name:16s} {rows:>8s}  {where:40s} {entry.description}")
        print(f"{'':16s} {'':>8s}  sha256 {entry.sha256}  {entry.urls[0]}")
    print("\nstudy datasets: " + ", ".join(
        f"{d.name} (train {d.train}; test {', '.join(d.tests)})" for d in datasets.DATASETS.values()))
    return 0


def _study(args: argparse.Namespace) -> int:
    from . import runner

    profile = runner.load_profile(args.profile)
    start = time.perf_counter()
    if not args.book_only:
        selected = [r for r in profile.runs if not args.only or r.name in args.only]
        jobs = args.jobs or runner.default_jobs(len(selected))
        out = runner.run_profile(profile, only=args.only, jobs=jobs)
        print(f"results of profile {profile.name!r} in {out}")
    if args.linkcheck:
        out = runner.build_book(profile, builder="linkcheck")
        print(f"external links of profile {profile.name!r} checked: {out / 'output.txt'}")
    elif not args.no_book:
        html = runner.build_book(profile)
        print(f"book of profile {profile.name!r}: {html / 'index.html'}")
    print(f"total time: {time.perf_counter() - start:.0f} s")
    return 0


def _check_book(args: argparse.Namespace) -> int:
    from . import bookcheck, runner
    from .study import project_root

    profile = runner.load_profile(args.profile)
    root = project_root()
    build = root / "_build" / profile.name
    html = build / "_build" / "html"
    if not (html / "index.html").is_file():
        raise KDDError(f"the book of profile {profile.name!r} has not been built ({html}).",
                       fix=f"build it first: make book PROFILE={profile.name}.")
    report = bookcheck.check_book(html, build / "src" / "_toc.yml", root / "runs" / profile.name / "screenshots")
    print(f"{len(report['pages'])} pages OK in headless Chromium; results table: {report['table_rows']} rows")
    for shot in report["screenshots"]:
        print(f"screenshot: {shot}")
    return 0


def _benchmark(args: argparse.Namespace) -> int:
    from .benchmark import benchmark_markdown, run_benchmark
    from .study import project_root

    out = Path(args.out) if args.out else project_root() / "runs" / "benchmark"
    result = run_benchmark(out, data_dir=args.data_dir, epochs=args.epochs, sample_fraction=args.sample_fraction)
    print(benchmark_markdown(result))
    print(f"written: {out / 'benchmark.json'}, {out / 'benchmark.csv'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m kdd_utils",
        description="Find, download, verify and validate KDD Cup 99 / NSL-KDD data files.")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help=f"folder to look in first (default ${datasets.DATA_DIR_ENV})")
    common.add_argument("--cache-dir", help=f"cache folder (default ${datasets.CACHE_DIR_ENV} or the user cache)")
    p = sub.add_parser("fetch", parents=[common], help="find or download and verify files; print their paths")
    p.add_argument("names", nargs="*", help="registry names (default: all)")
    p.add_argument("--offline", action="store_true", help="never download")
    p.set_defaults(func=_fetch)
    p = sub.add_parser("validate", help="check any KDD-format file and print its counts")
    p.add_argument("path")
    p.set_defaults(func=_validate)
    p = sub.add_parser("info", parents=[common], help="list the registry and what is present locally")
    p.set_defaults(func=_info)
    p = sub.add_parser("study", help="run the notebooks of a profile with papermill and build the book")
    p.add_argument("profile", help="profile name (profiles/NAME.yml) or path to a .yml file")
    p.add_argument("--only", nargs="+", metavar="RUN", help="execute only these runs of the profile")
    p.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="runs executed at once (default: one per CPU core, at most one per run)")
    p.add_argument("--no-book", action="store_true", help="execute the notebooks, do not build the book")
    p.add_argument("--book-only", action="store_true", help="build the book from earlier results")
    p.add_argument("--linkcheck", action="store_true",
                   help="check the book's external links (Sphinx linkcheck; needs the network) instead of building HTML")
    p.set_defaults(func=_study)
    p = sub.add_parser("benchmark", parents=[common],
                       help="time preprocessing, training and inference of the LSTM and the baselines")
    p.add_argument("--epochs", type=int, default=1, help="epochs timed for the neural models")
    p.add_argument("--sample-fraction", type=float, default=1.0, help="share of the KDD99 10%% file used")
    p.add_argument("--out", help="output folder (default runs/benchmark)")
    p.set_defaults(func=_benchmark)
    p = sub.add_parser("check-book", help="open every page of a built book in headless Chromium")
    p.add_argument("profile", help="profile whose book to check")
    p.set_defaults(func=_check_book)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (2 on a user error)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KDDError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
