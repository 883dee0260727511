"""The measured run: every system on every page, in turn, in this one process.

Systems take turns page by page, so they see the same pages under the same cache and load
conditions; only the extraction call is timed (reading the gzipped page is not), in CPU
time of this process, so other load on the machine does not inflate it (wall time is kept
too). `run` uses no multiprocessing, so pages per second are single-core figures;
`run_in_parallel` is for the quality gate, which needs scores only.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path

from benchmarks.pages import BenchPage, page_url, read_html
from benchmarks.scoring import Contributions, Tally, score_page
from benchmarks.systems import EMPTY, Extraction, System, build_systems

# After every page in the sets, so no true date is "in the future" of the fetch.
FETCHED_AT = datetime(2026, 6, 1, tzinfo=UTC)
WARM_UP_HTML = "<html><head><title>Warm up</title></head><body><p>Warm up.</p></body></html>"

SetScores = dict[str, dict[str, dict[str, Tally]]]  # set -> system -> metric -> tally


@dataclass(slots=True)
class Timing:
    """One system's CPU time per page (ms), its total wall time and the exceptions it raised."""

    ms: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class RunResult:
    systems: list[str]
    scores: SetScores
    timings: dict[str, Timing]
    pages: int
    set_pages: Counter[str]
    elapsed_s: float

    def value(self, set_name: str, system: str, metric: str) -> float | None:
        tally = self.scores.get(set_name, {}).get(system, {}).get(metric)
        return None if tally is None else tally.value

    def pages_scored(self, set_name: str, metric: str) -> int:
        tallies = [by_metric.get(metric) for by_metric in self.scores.get(set_name, {}).values()]
        return max((tally.pages for tally in tallies if tally is not None), default=0)


def run(
    datasets: Path,
    pages: Sequence[BenchPage],
    systems: Sequence[System],
    on_page: Callable[[], None] | None = None,
) -> RunResult:
    started = time.perf_counter()
    scores: SetScores = {}
    timings = {system.name: Timing() for system in systems}
    for system in systems:
        _extract(system, WARM_UP_HTML, "https://example.com/warm-up", Timing())
    for page in pages:
        html = read_html(datasets, page)
        url = page_url(page, html)
        for system in systems:
            output = _extract(system, html, url, timings[system.name])
            _add(scores, page.sets, system.name, score_page(page.truth, output, system.fields))
        if on_page is not None:
            on_page()
    set_pages = Counter(name for page in pages for name in page.sets)
    elapsed = time.perf_counter() - started
    names = [system.name for system in systems]
    return RunResult(names, scores, timings, len(pages), set_pages, elapsed)


def _add(scores: SetScores, sets: Sequence[str], system: str, found: Contributions) -> None:
    for set_name in sets:
        tallies = scores.setdefault(set_name, {}).setdefault(system, {})
        for metric, contribution in found.items():
            tallies.setdefault(metric, Tally()).add(contribution)


def run_in_parallel(
    datasets: Path, pages: Sequence[BenchPage], system_names: Sequence[str], workers: int
) -> RunResult:
    """Scores on several cores (for the quality gate); its timings are not single-core figures."""
    chunks = [pages[start::workers] for start in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        parts = pool.map(_run_chunk, repeat(datasets), chunks, repeat(tuple(system_names)))
        return merge(list(parts))


def _run_chunk(datasets: Path, pages: Sequence[BenchPage], names: tuple[str, ...]) -> RunResult:
    return run(datasets, pages, build_systems(names))


def merge(parts: Sequence[RunResult]) -> RunResult:
    """One result from runs over disjoint pages with the same systems."""
    merged = RunResult(parts[0].systems, {}, {}, 0, Counter(), 0.0)
    for part in parts:
        for set_name, by_system in part.scores.items():
            for system, by_metric in by_system.items():
                tallies = merged.scores.setdefault(set_name, {}).setdefault(system, {})
                for metric, tally in by_metric.items():
                    tallies.setdefault(metric, Tally()).absorb(tally)
        for system, timing in part.timings.items():
            into = merged.timings.setdefault(system, Timing())
            into.ms.extend(timing.ms)
            into.wall_s += timing.wall_s
            into.errors.update(timing.errors)
        merged.pages += part.pages
        merged.set_pages.update(part.set_pages)
        merged.elapsed_s = max(merged.elapsed_s, part.elapsed_s)
    return merged


def _extract(system: System, html: str, url: str, timing: Timing) -> Extraction:
    """Time one call; any exception is counted and costs the page its output."""
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        output = system.extract(html, url, FETCHED_AT)
    except Exception as exc:  # every failure of a system under test is a measurement
        output = EMPTY
        timing.errors[type(exc).__name__] += 1
    timing.ms.append((time.process_time() - started_cpu) * 1000)
    timing.wall_s += time.perf_counter() - started
    return output
