"""The run's figures as text tables (one per set, then speed) and as JSON."""

from __future__ import annotations

import math
import statistics
from typing import Any

from benchmarks.pages import ordered_sets
from benchmarks.runner import RunResult, Timing
from benchmarks.scoring import LABELS, METRIC_KEYS
from benchmarks.systems import PEERS, PROJECT

SLOW_PAGE_MS = 1000.0
LABEL_WIDTH = 36
COLUMN_WIDTH = 12


def set_figures(result: RunResult, set_name: str) -> dict[str, dict[str, Any]]:
    """metric -> pages scored, each system's score, the best peer's and the project's margin."""
    figures: dict[str, dict[str, Any]] = {}
    for metric in METRIC_KEYS:
        values = {system: result.value(set_name, system, metric) for system in result.systems}
        scores = {system: value for system, value in values.items() if value is not None}
        if not scores:
            continue
        peers = [scores[peer] for peer in PEERS if peer in scores]
        best_peer = max(peers) if peers else None
        own = scores.get(PROJECT)
        margin = own - best_peer if own is not None and best_peer is not None else None
        figures[metric] = {
            "pages": result.pages_scored(set_name, metric),
            "scores": scores,
            "best_peer": best_peer,
            "margin": margin,
        }
    return figures


def speed_figures(result: RunResult) -> dict[str, dict[str, Any]]:
    return {name: _speed(timing) for name, timing in result.timings.items()}


def speed_ratios(result: RunResult) -> dict[str, float]:
    """Project pages/s over each peer's: above 1 means the project is faster."""
    speeds = speed_figures(result)
    if PROJECT not in speeds:
        return {}
    own = speeds[PROJECT]["pages_per_s"]
    return {
        f"{PROJECT}/{peer}": own / speeds[peer]["pages_per_s"]
        for peer in PEERS
        if peer in speeds and speeds[peer]["pages_per_s"]
    }


def to_json(result: RunResult, datasets: str) -> dict[str, Any]:
    return {
        "datasets": datasets,
        "systems": result.systems,
        "pages": result.pages,
        "elapsed_s": round(result.elapsed_s, 1),
        "sets": {name: set_figures(result, name) for name in ordered_sets(result.scores)},
        "speed": speed_figures(result),
        "speed_ratios": speed_ratios(result),
    }


def render(result: RunResult) -> str:
    parts = [render_set(result, name) for name in ordered_sets(result.scores)]
    parts.append(render_speed(result))
    parts.append(render_shortfalls(result))
    return "\n\n".join(part for part in parts if part)


def render_set(result: RunResult, set_name: str) -> str:
    columns = [*result.systems]
    with_peers = PROJECT in columns and any(peer in columns for peer in PEERS)
    if with_peers:
        columns += ["best peer", "margin"]
    header = f"{'metric':<{LABEL_WIDTH}}{'pages':>7}" + "".join(
        f"{column:>{COLUMN_WIDTH}}" for column in columns
    )
    title = f"== {set_name}: {result.set_pages.get(set_name, 0)} pages =="
    lines = [title, header, "-" * len(header)]
    for metric, figure in set_figures(result, set_name).items():
        cells = [_percent(figure["scores"].get(system)) for system in result.systems]
        if with_peers:
            cells += [_percent(figure["best_peer"]), _points(figure["margin"])]
        row = f"{LABELS[metric]:<{LABEL_WIDTH}}{figure['pages']:>7}"
        lines.append(row + "".join(f"{cell:>{COLUMN_WIDTH}}" for cell in cells))
    return "\n".join(lines)


def render_speed(result: RunResult) -> str:
    titles = ("system", "pages", "errors", "pages/s", "median ms", "p95 ms", "max ms", "> 1 s")
    lines = [
        f"== speed: {result.pages} pages, one process, one core, systems in turn per page;"
        " CPU time per page ==",
        "".join(f"{title:>{COLUMN_WIDTH}}" for title in titles),
    ]
    speeds = speed_figures(result)
    for name, figure in speeds.items():
        cells = (
            name,
            str(figure["pages"]),
            str(sum(figure["errors"].values())),
            f"{figure['pages_per_s']:.1f}",
            f"{figure['median_ms']:.1f}",
            f"{figure['p95_ms']:.1f}",
            f"{figure['max_ms']:.1f}",
            str(figure["over_1s"]),
        )
        lines.append("".join(f"{cell:>{COLUMN_WIDTH}}" for cell in cells))
    for name, timing in result.timings.items():
        if timing.errors:
            kinds = ", ".join(f"{kind} x{count}" for kind, count in timing.errors.most_common())
            lines.append(f"exceptions of {name}: {kinds}")
    for pair, ratio in speed_ratios(result).items():
        lines.append(f"speed ratio {pair}: {ratio:.1f}x pages per second")
    walls = ", ".join(f"{name} {figure['wall_pages_per_s']:.1f}" for name, figure in speeds.items())
    lines.append(f"wall-clock pages/s (includes other load on the machine): {walls}")
    lines.append(f"whole run: {result.elapsed_s:.0f} s")
    return "\n".join(lines)


def render_shortfalls(result: RunResult) -> str:
    """The rows where the project is below the better peer (the done-when check)."""
    if PROJECT not in result.systems or not any(peer in result.systems for peer in PEERS):
        return ""
    shortfalls = [
        f"  {set_name}: {LABELS[metric]} {_points(figure['margin'])} points"
        for set_name in ordered_sets(result.scores)
        for metric, figure in set_figures(result, set_name).items()
        if figure["margin"] is not None and figure["margin"] < 0
    ]
    if not shortfalls:
        return "newsarchive is at or above the better peer on every metric both report."
    return "\n".join(["newsarchive below the better peer:", *shortfalls])


def _speed(timing: Timing) -> dict[str, Any]:
    ms = sorted(timing.ms)
    total_s = sum(ms) / 1000
    return {
        "pages": len(ms),
        "errors": dict(timing.errors),
        "pages_per_s": round(len(ms) / total_s, 2) if total_s else 0.0,
        "wall_pages_per_s": round(len(ms) / timing.wall_s, 2) if timing.wall_s else 0.0,
        "median_ms": round(statistics.median(ms), 2) if ms else 0.0,
        "p95_ms": round(ms[math.ceil(0.95 * len(ms)) - 1], 2) if ms else 0.0,
        "max_ms": round(ms[-1], 2) if ms else 0.0,
        "over_1s": sum(value > SLOW_PAGE_MS for value in ms),
    }


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _points(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:+.1f}"
