"""Extraction benchmark: newsarchive's parser against trafilatura and newspaper4k.

    python benchmarks/extraction.py [--datasets PATH] [--systems a,b] [--sets a,b]
                                    [--limit N] [--json PATH] [--write-baseline]

Prints one table per set (each field's metrics, each system's score side by side, the
better peer and the project's margin), then pages per second of each system measured in
the same run, single core. See benchmarks/README.md for the metric definitions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from benchmarks.baseline import BASELINE_PATH, write_baseline
from benchmarks.pages import DEFAULT_DATASETS, SET_NAMES, load_pages
from benchmarks.report import render, to_json
from benchmarks.runner import RunResult, run
from benchmarks.systems import PROJECT, SYSTEMS, build_systems


def main(argv: list[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    problem = _check(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    pages = load_pages(args.datasets, args.sets, args.limit)
    systems = build_systems(args.systems)
    with _progress() as progress:
        task = progress.add_task(f"{len(systems)} system(s)", total=len(pages))
        result = run(args.datasets, pages, systems, lambda: progress.advance(task))
    print(render(result))
    if args.json:
        figures = to_json(result, str(args.datasets))
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.write_baseline:
        return _write_baseline(result)
    return 0


def _write_baseline(result: RunResult) -> int:
    """A baseline taken while parse() raises would lock a broken parser in."""
    errors = result.timings[PROJECT].errors
    if errors:
        kinds = ", ".join(f"{kind} x{count}" for kind, count in errors.items())
        print(f"error: baseline not written, parse() raised: {kinds}", file=sys.stderr)
        return 1
    write_baseline(result)
    print(f"baseline written: {BASELINE_PATH}", file=sys.stderr)
    return 0


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--systems", type=_names, default=list(SYSTEMS))
    parser.add_argument("--sets", type=_names, default=list(SET_NAMES))
    parser.add_argument("--limit", type=int, help="at most N pages of each dataset")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help=f"write the project's scores to {BASELINE_PATH.name} (all sets, no --limit)",
    )
    return parser


def _check(args: argparse.Namespace) -> str | None:
    """One clear line for a bad command line (no traceback)."""
    unknown = [name for name in args.systems if name not in SYSTEMS]
    unknown += [name for name in args.sets if name not in SET_NAMES]
    if unknown:
        known = ", ".join([*SYSTEMS, *SET_NAMES])
        return f"unknown system or set: {', '.join(unknown)} (known: {known})"
    if not (args.datasets / "loaders.py").is_file():
        return f"no datasets at {args.datasets} (give --datasets PATH)"
    if args.write_baseline and (
        PROJECT not in args.systems or args.limit is not None or set(args.sets) != set(SET_NAMES)
    ):
        return "--write-baseline needs the newsarchive system, every set and no --limit"
    return None


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


if __name__ == "__main__":
    sys.exit(main())
