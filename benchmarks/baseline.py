"""The committed baseline of the project's own scores, and the check against it.

Scores only (fractions, 0 to 1): timings vary by machine, scores do not, since the parser is
a pure function of the page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.pages import ordered_sets
from benchmarks.runner import RunResult
from benchmarks.scoring import METRIC_KEYS
from benchmarks.systems import PROJECT

BASELINE_PATH = Path(__file__).resolve().parent / "baseline.json"
TOLERANCE = 0.005  # half a point
DIGITS = 4

Baseline = dict[str, dict[str, float]]  # set -> metric -> score


def project_scores(result: RunResult) -> Baseline:
    scores: Baseline = {}
    for set_name in ordered_sets(result.scores):
        own = result.scores[set_name].get(PROJECT, {})
        scores[set_name] = {
            metric: round(own[metric].value, DIGITS) for metric in METRIC_KEYS if metric in own
        }
    return scores


def write_baseline(result: RunResult, path: Path = BASELINE_PATH) -> None:
    document: dict[str, Any] = {
        "about": (
            "newsarchive's own scores on ../shared/datasets, written by "
            "`python benchmarks/extraction.py --systems newsarchive --write-baseline`; "
            "tests/test_quality_gate.py fails when one drops by more than "
            f"{TOLERANCE} (half a point)."
        ),
        "scores": project_scores(result),
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_baseline(path: Path = BASELINE_PATH) -> Baseline:
    scores: Baseline = json.loads(path.read_text(encoding="utf-8"))["scores"]
    return scores


def drops(baseline: Baseline, current: Baseline, tolerance: float = TOLERANCE) -> list[str]:
    """One line per baseline score now lower by more than `tolerance`, or gone."""
    found: list[str] = []
    for set_name, expected in baseline.items():
        measured = current.get(set_name, {})
        for metric, before in expected.items():
            now = measured.get(metric)
            if now is None:
                found.append(f"{set_name} {metric}: {before:.4f} -> not measured")
            elif now < before - tolerance:
                points = 100 * (now - before)
                found.append(
                    f"{set_name} {metric}: {before:.4f} -> {now:.4f} ({points:+.2f} points)"
                )
    return found
