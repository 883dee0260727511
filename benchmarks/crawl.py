"""Crawl benchmark: the whole pipeline (fetch, parse, store, raw archive) end to end.

    python benchmarks/crawl.py [--hosts 50] [--pages 100] [--db URL] [--json PATH]

Serves generated news sites (`DemoSite.synthetic`: feed, sitemaps, section pages, articles)
from one local server, crawls them all with pacing off (connections per host raised, no
minimum delay), then rechecks every article as a later run would and reports how many
rechecks ended as a 304 or an identical payload (no parse, no version). Target: at least
200 pages per second on 2 cores.

CPU is reported per page for the crawler's own process (all its threads), the whole crawl
(the crawler and the parsing and filing processes it starts), the server, and the whole
machine (every process, anything else running meanwhile included). On a busy machine the
crawl's CPU per page varies much less than the wall-clock rate: 2 cores give at most
2000 / (crawl + server CPU ms per page) pages per second. Story clustering is part of the
work: most of it is done as pages are filed, and the run's last step, which clusters what
is left, is timed apart.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scraper.config import Config, load_config
from scraper.demo_config import demo_config_text
from scraper.demo_site import DemoSite
from scraper.run import RunOptions, RunReport, run_once
from storage.db import Database, open_database

TARGET_PAGES_PER_SECOND = 200.0
SERVER_START_SECONDS = 30.0


def main(argv: list[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsarchive-crawl-") as scratch:
        figures = measure(args, Path(scratch))
    _print(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def measure(args: argparse.Namespace, scratch: Path) -> dict[str, object]:
    """Two runs: the first crawl, then a recheck of everything (the clock moved on 2 h)."""
    site = DemoSite.synthetic(hosts=args.hosts, pages_per_host=args.pages)
    database_url = args.db
    with _server_process(args.hosts, args.pages) as (address, server_pid):
        path = scratch / "schedules.yaml"
        text = demo_config_text(
            site,
            scratch / "data",
            database=database_url,
            connections_per_host=args.connections,
            address=address,
            parse_workers=args.parse_workers,
        )
        path.write_text(text, encoding="utf-8")
        config = load_config(path, environ={})
        database = open_database(config.settings.database_url)
        try:
            first = _timed(config, RunOptions(), database, server_pid)
            offset = timedelta(hours=2)
            later = RunOptions(clock=lambda: datetime.now(UTC) + offset)
            second = _timed(config, later, database, server_pid)
        finally:
            database.close()
    return _figures(site, first, second, database_url)


@contextmanager
def _server_process(hosts: int, pages: int) -> Iterator[tuple[tuple[str, int], int]]:
    """The sites served by another process, as a real site would be: the crawler's own
    process (and its GIL) does only the crawling. Yields its address and process id."""
    port = _free_port()
    command = [sys.executable, "-m", "scraper.demo_site", "--synthetic", str(hosts)]
    command += ["--pages", str(pages), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        _wait_for(port, server)
        yield ("127.0.0.1", port), server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the demo server exited at start")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"the demo server did not listen on port {port}")


@dataclass(frozen=True, slots=True)
class _Timed:
    """A run's report, its wall-clock seconds, the crawler process's CPU seconds (all its
    threads; not the parsing processes), the whole crawl's (the crawler and the processes
    it started: parsing, filing) and the server's (None where unknown)."""

    report: RunReport
    seconds: float
    cpu_seconds: float
    crawl_cpu_seconds: float | None
    server_cpu_seconds: float | None
    machine_cpu_seconds: float | None  # every process on the machine, others' included


def _timed(config: Config, options: RunOptions, database: Database, server_pid: int) -> _Timed:
    machine, server = _machine_cpu(), _cpu_of(server_pid)
    crawl = _tree_cpu(os.getpid(), skip=server_pid)
    start, cpu = time.perf_counter(), time.process_time()
    report = run_once(config, (), options, database)
    seconds, used = time.perf_counter() - start, time.process_time() - cpu
    return _Timed(
        report,
        seconds,
        used,
        _since(crawl, _tree_cpu(os.getpid(), skip=server_pid)),
        _since(server, _cpu_of(server_pid)),
        _since(machine, _machine_cpu()),
    )


def _since(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def _machine_cpu() -> float | None:
    """CPU seconds all processes have used since boot, idle and I/O wait excluded (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(field) for field in fields]
    busy = sum(ticks) - ticks[3] - (ticks[4] if len(ticks) > 4 else 0)
    return busy / os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float | None:
    """CPU seconds another process has used so far (Linux /proc; None elsewhere)."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_cpu(root: int, skip: int) -> float | None:
    """CPU seconds of `root` and its descendants but `skip`'s branch, the ones that ended
    included (as their waiting parent's children's time): a run's parsing and filing
    processes end with it, children of the fork server, which stays (Linux /proc)."""
    stats = {pid: fields for pid in _pids() if (fields := _stat_fields(pid)) is not None}
    if root not in stats:
        return None
    children: dict[int, list[int]] = {}
    for pid, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        if pid == skip or pid not in stats:
            continue
        total += sum(int(field) for field in stats[pid][11:15])  # own and waited children's
        stack += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def _pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name (state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _figures(
    site: DemoSite, first: _Timed, second: _Timed, database_url: str | None
) -> dict[str, object]:
    articles = len(site.article_urls())
    stored = sum(s.new_articles for s in first.report.sites)
    rechecks = second.report.sites
    rechecked = sum(s.not_modified + s.same_payload + s.fetched for s in rechecks)
    cheap = sum(s.not_modified + s.same_payload for s in rechecks)
    return {
        "hosts": len(site.hosts),
        "articles_served": articles,
        "articles_stored": stored,
        "first_run_seconds": round(first.seconds, 2),
        "pages_per_second": round(stored / first.seconds, 1),
        "clustering_seconds": round(first.report.clustering_seconds, 2),
        "pages_per_second_before_clustering": round(
            stored / (first.seconds - first.report.clustering_seconds), 1
        ),
        "crawler_cpu_ms_per_page": _per_page_ms(first.cpu_seconds, stored),
        "crawl_cpu_ms_per_page": _per_page_ms(first.crawl_cpu_seconds, stored),
        "server_cpu_ms_per_page": _per_page_ms(first.server_cpu_seconds, stored),
        "machine_cpu_ms_per_page": _per_page_ms(first.machine_cpu_seconds, stored),
        "recheck_run_seconds": round(second.seconds, 2),
        "rechecks": rechecked,
        "rechecks_per_second": round(rechecked / second.seconds, 1),
        "recheck_cpu_ms_per_page": _per_page_ms(second.cpu_seconds, rechecked),
        "recheck_crawl_cpu_ms_per_page": _per_page_ms(second.crawl_cpu_seconds, rechecked),
        "recheck_server_cpu_ms_per_page": _per_page_ms(second.server_cpu_seconds, rechecked),
        "recheck_machine_cpu_ms_per_page": _per_page_ms(second.machine_cpu_seconds, rechecked),
        "rechecks_304_or_same_digest": cheap,
        "recheck_cheap_share": round(cheap / rechecked, 4) if rechecked else None,
        "errors": sum(sum(s.errors.values()) for s in (*first.report.sites, *rechecks)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database": database_url or "sqlite (temporary file)",
        "target_pages_per_second": TARGET_PAGES_PER_SECOND,
    }


def _per_page_ms(cpu_seconds: float | None, pages: int) -> float | None:
    return round(1000 * cpu_seconds / pages, 2) if pages and cpu_seconds is not None else None


def _print(figures: dict[str, object]) -> None:
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    rate = float(figures["pages_per_second"])  # type: ignore[arg-type]
    verdict = "meets" if rate >= TARGET_PAGES_PER_SECOND else "misses"
    print(f"{verdict} the target of {TARGET_PAGES_PER_SECOND:.0f} pages/s")


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--pages", type=int, default=100, help="articles per host")
    parser.add_argument("--connections", type=int, default=4, help="connections per host")
    parser.add_argument("--parse-workers", type=int, default=2, help="parsing processes")
    parser.add_argument("--db", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
