"""Quality gate: the project's scores on ../shared/datasets may not drop below the baseline.

Runs only the project's adapter over every set (the benchmark's own code, no copy of it)
and fails when a score is more than half a point under benchmarks/baseline.json. Skips when
the datasets folder is absent. After a deliberate change, rewrite the baseline with
`python benchmarks/extraction.py --systems newsarchive --write-baseline`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmarks` is not installed

from benchmarks.baseline import BASELINE_PATH, Baseline, drops, project_scores, read_baseline
from benchmarks.pages import DEFAULT_DATASETS, SET_NAMES, load_pages
from benchmarks.runner import RunResult, run_in_parallel
from benchmarks.systems import PROJECT

BASELINE_SETS = sorted(read_baseline()) if BASELINE_PATH.is_file() else list(SET_NAMES)


@pytest.fixture(scope="module")
def gate_run() -> RunResult:
    if not (DEFAULT_DATASETS / "loaders.py").is_file():
        pytest.skip(f"no datasets at {DEFAULT_DATASETS}")
    pages = load_pages(DEFAULT_DATASETS)
    workers = max(1, len(os.sched_getaffinity(0)))
    return run_in_parallel(DEFAULT_DATASETS, pages, [PROJECT], workers)


@pytest.fixture(scope="module")
def current_scores(gate_run: RunResult) -> Baseline:
    return project_scores(gate_run)


@pytest.mark.datasets
@pytest.mark.parametrize("set_name", BASELINE_SETS)
def test_no_score_drops_below_the_baseline(set_name: str, current_scores: Baseline) -> None:
    assert BASELINE_PATH.is_file(), f"missing {BASELINE_PATH}: write it with --write-baseline"
    baseline = {set_name: read_baseline()[set_name]}
    found = drops(baseline, current_scores)
    assert not found, "scores dropped more than half a point:\n" + "\n".join(found)


@pytest.mark.datasets
def test_parse_never_raises_on_the_datasets(gate_run: RunResult) -> None:
    errors = gate_run.timings[PROJECT].errors
    assert not errors, f"parse() raised (or reported 'parse failed') on real pages: {errors}"


def test_drops_flags_falls_beyond_half_a_point_and_lost_metrics() -> None:
    baseline = {"wcxb": {"title.exact": 0.8, "body.f1": 0.9, "authors.name_f1": 0.5}}
    current = {"wcxb": {"title.exact": 0.796, "body.f1": 0.894}}
    assert drops(baseline, current) == [
        "wcxb body.f1: 0.9000 -> 0.8940 (-0.60 points)",
        "wcxb authors.name_f1: 0.5000 -> not measured",
    ]


def test_drops_accepts_gains() -> None:
    assert drops({"mozilla": {"body.f1": 0.7}}, {"mozilla": {"body.f1": 0.95}}) == []
