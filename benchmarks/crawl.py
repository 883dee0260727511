"""Crawl benchmark: the whole pipeline (fetch, parse, store, raw archive) end to end.

    python benchmarks/crawl.py [--hosts 50] [--pages 100] [--db URL] [--json PATH]

Serves generated news sites (`DemoSite.synthetic`: feed, sitemaps, section pages, articles)
from one local server, crawls them all with pacing off (connections per host raised, no
minimum delay), then rechecks every article as a later run would and reports how many
rechecks ended as a 304 or an identical payload (no parse, no version). Target: at least
200 pages per second on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    with _server_process(args.hosts, args.pages) as address:
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
            first, first_seconds = _timed(config, RunOptions(), database)
            offset = timedelta(hours=2)
            later = RunOptions(clock=lambda: datetime.now(UTC) + offset)
            second, second_seconds = _timed(config, later, database)
        finally:
            database.close()
    return _figures(site, first, first_seconds, second, second_seconds, database_url)


@contextmanager
def _server_process(hosts: int, pages: int) -> Iterator[tuple[str, int]]:
    """The sites served by another process, as a real site would be: the crawler's own
    process (and its GIL) does only the crawling."""
    port = _free_port()
    command = [sys.executable, "-m", "scraper.demo_site", "--synthetic", str(hosts)]
    command += ["--pages", str(pages), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        _wait_for(port, server)
        yield ("127.0.0.1", port)
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


def _timed(config: Config, options: RunOptions, database: Database) -> tuple[RunReport, float]:
    start = time.perf_counter()
    report = run_once(config, (), options, database)
    return report, time.perf_counter() - start


def _figures(
    site: DemoSite,
    first: RunReport,
    first_seconds: float,
    second: RunReport,
    second_seconds: float,
    database_url: str | None,
) -> dict[str, object]:
    articles = len(site.article_urls())
    stored = sum(s.new_articles for s in first.sites)
    rechecked = sum(s.not_modified + s.same_payload + s.fetched for s in second.sites)
    cheap = sum(s.not_modified + s.same_payload for s in second.sites)
    return {
        "hosts": len(site.hosts),
        "articles_served": articles,
        "articles_stored": stored,
        "first_run_seconds": round(first_seconds, 2),
        "pages_per_second": round(stored / first_seconds, 1),
        "recheck_run_seconds": round(second_seconds, 2),
        "rechecks": rechecked,
        "rechecks_304_or_same_digest": cheap,
        "recheck_cheap_share": round(cheap / rechecked, 4) if rechecked else None,
        "errors": sum(sum(s.errors.values()) for s in (*first.sites, *second.sites)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database": database_url or "sqlite (temporary file)",
        "target_pages_per_second": TARGET_PAGES_PER_SECOND,
    }


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
