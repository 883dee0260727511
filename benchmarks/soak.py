"""Soak benchmark: the worker pool against a local site that keeps publishing and updating.

    python benchmarks/soak.py [--minutes 10] [--workers 3] [--hosts 10] [--db URL] [--json PATH]

Starts a private PostgreSQL cluster (tests/pg_cluster.py; or a scratch database on the
server `--db` names), a generated news site on 127.0.0.1 that publishes new articles and
updates existing ones at steady seeded rates (`benchmarks.soak_site`), one
`newsarchive schedule --enqueue-only` and `--workers` `newsarchive worker` processes, as an
operator would run them. Discovery runs every `--discover-every` and articles are rechecked
on a short `--recheck` schedule, so updates are caught within the soak.

Prints a row per `--interval` as it ends (pages fetched, new articles, new versions, 304s,
same payloads, same parsed text, discovery fetches, errors, what the site made, peak
memory), then the peak RSS of every process (workers, scheduler and their child processes,
from /proc/PID/status) per interval with a flat / not-flat verdict, and the versions the
site made against those the archive caught, with the lag from change to archived version.
After the soak the site stops changing and the workers get up to `--drain` seconds to
catch up. The clock starts once every process has logged that it started.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.soak_archive import (
    archived_versions,
    current_uncaught,
    fetch_errors,
    interval_counts,
    match_versions,
    versions_kinds,
)
from benchmarks.soak_processes import (
    MemorySampler,
    SoakProcess,
    describe,
    memory_figures,
    peak_mb,
    start,
    stop_all,
    wait_started,
)
from benchmarks.soak_report import print_row, print_settings, print_summary
from benchmarks.soak_site import ChangeRates, ChangingSite
from scraper.demo_config import demo_config_text
from storage.db import open_database
from tests.pg_cluster import (
    PG_FAST_OPTIONS,
    as_cluster_owner,
    pg_bin_dir,
    private_cluster,
    scratch_database,
)

CONNECTIONS_PER_PROCESS = 25  # a worker opens at most 23 (README, "Scaling out")
DRAIN_CHECK_SECONDS = 5.0
COUNTED = (
    *("worker_fetches", "scheduler_fetches", "new_articles", "new_versions", "not_modified"),
    *("same_payload", "same_text", "errors", "site_new", "site_updates"),
)


def main(argv: list[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="newsarchive-soak-") as scratch,
        _archive_url(args) as url,
    ):
        figures = soak(args, Path(scratch), url)
    print_summary(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


@contextlib.contextmanager
def _archive_url(args: argparse.Namespace) -> Iterator[str]:
    """A new empty database: on `--db`'s server, else on a private cluster started here."""
    if args.db:
        with scratch_database(args.db, prefix="newsarchive_soak") as url:
            yield url
        return
    bin_dir, prefix = pg_bin_dir(), as_cluster_owner()
    if bin_dir is None or prefix is None:
        raise SystemExit("no PostgreSQL binaries (scripts/install-postgres.sh) and no --db URL")
    connections = (args.workers + 2) * CONNECTIONS_PER_PROCESS
    options = f"{PG_FAST_OPTIONS} -c max_connections={connections}"
    with private_cluster(bin_dir, prefix, options) as server, scratch_database(server) as url:
        yield url


def soak(args: argparse.Namespace, scratch: Path, url: str) -> dict[str, Any]:
    rates = ChangeRates(args.publish_per_minute, args.update_per_minute)
    soak_seconds = args.minutes * 60
    with ChangingSite(args.hosts, args.pages, rates, args.minutes, args.seed) as site:
        config = _write_config(site, scratch, url, args)
        open_database(url).close()  # migrated before any process starts
        engine = create_engine(url)
        processes = _start_processes(config, scratch, args)
        try:
            settings = _settings(args, site, url)
            settings["startup_s"] = round(wait_started(processes), 1)
            print_settings(settings)
            sampler = MemorySampler({one.label: one.pid for one in processes})
            run = _Soak(args, engine, site, sampler, processes)
            site.start_changes()
            rows, bounds = run.intervals()
            site.stop_changes()
            rows.append(run.drain())
            bounds.append((soak_seconds, run.elapsed()))
        finally:
            codes = stop_all(processes)
        archived, errors = archived_versions(engine), fetch_errors(engine)
        engine.dispose()
        made = site.versions()
        tracks = list(sampler.tracks.values())
    return {
        "settings": settings,
        "intervals": rows,
        "totals": {key: sum(row[key] for row in rows) for key in COUNTED},
        "memory": memory_figures(
            tracks, bounds, soak_seconds, args.flat_tolerance, args.flat_slack_mb
        ),
        "versions": match_versions(made, archived),
        "archived_kinds": versions_kinds(archived),
        "fetch_errors": errors,
        "processes": describe(processes),
        "exit_codes": codes,
        "server_statuses": {str(k): v for k, v in sorted(site.log.statuses().items())},
        "load_average_end": round(os.getloadavg()[0], 2),
    }


@dataclass
class _Soak:
    """What the soak's intervals read: the archive, the site, the processes and their
    memory samples, on one clock (seconds into the soak)."""

    args: argparse.Namespace
    engine: Engine
    site: ChangingSite
    sampler: MemorySampler
    processes: list[SoakProcess]
    wall: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def at(self, seconds: float) -> datetime:
        """The wall-clock moment `seconds` into the soak."""
        return self.wall + timedelta(seconds=seconds)

    def intervals(self) -> tuple[list[dict[str, Any]], list[tuple[float, float]]]:
        """A row per interval while the site changes, and each row's (begin, end)."""
        rows, bounds, soak_seconds = [], [], self.args.minutes * 60
        begin = 0.0
        while begin < soak_seconds:
            end = min(begin + self.args.interval, soak_seconds)
            self.sample_until(end)
            rows.append(self.row(_span(begin, end), begin, end))
            print_row(rows[-1])
            bounds.append((begin, end))
            begin = end
        return rows, bounds

    def drain(self) -> dict[str, Any]:
        """The site is still: wait until the archive holds every current version (or time's
        up)."""
        begin = self.elapsed()
        deadline = begin + self.args.drain
        while self.elapsed() < deadline:
            if current_uncaught(self.site.versions(), archived_versions(self.engine)) == 0:
                break
            self.sample_until(min(deadline, self.elapsed() + DRAIN_CHECK_SECONDS))
        end = self.elapsed()
        row = self.row("drain", begin, end)
        row["seconds"] = round(end - begin, 1)
        print_row(row)
        return row

    def sample_until(self, end: float) -> None:
        """Sample memory every `--sample-seconds` until `end` seconds into the soak; a
        process that exits meanwhile is noted (and reported), not restarted."""
        while True:
            now = self.elapsed()
            self.sampler.sample(now)
            for one in self.processes:
                if one.died_at is None and one.process.poll() is not None:
                    one.died_at = round(now, 1)
                    print(f"!! {one.label} exited with {one.process.returncode} at {now:.0f} s")
            if now >= end:
                return
            time.sleep(min(self.args.sample_seconds, max(0.0, end - now)))

    def row(self, label: str, begin: float, end: float) -> dict[str, Any]:
        start, stop = self.at(begin), self.at(end)
        counts = interval_counts(self.engine, start, stop)
        made = [v for v in self.site.versions() if start <= v.made_at < stop]
        peaks = {
            track.label: track.peak_kb(begin, end + 0.001) for track in self.sampler.tracks.values()
        }
        workers = [kb for name, kb in peaks.items() if name.startswith("w") and ">" not in name]
        seconds = max(end - begin, 1e-9)
        return {
            "interval": label,
            **counts,
            "pages_per_second": round(counts["worker_fetches"] / seconds, 1),
            "site_new": sum(1 for v in made if v.kind == "new"),
            "site_updates": sum(1 for v in made if v.kind == "update"),
            "worker_peak_mb": peak_mb(max((kb for kb in workers if kb), default=None)),
            "scheduler_peak_mb": peak_mb(peaks.get("scheduler")),
        }


def _span(begin: float, end: float) -> str:
    return f"{_clock_text(begin)}-{_clock_text(end)}"


def _clock_text(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _write_config(site: ChangingSite, scratch: Path, url: str, args: argparse.Namespace) -> Path:
    """The demo's schedules.yaml for the site, with the soak's short schedules."""
    text = demo_config_text(
        site.config_site,
        scratch / "data",
        database=url,
        min_delay=f"{args.min_delay}s",
        connections_per_host=args.connections,
        address=site.address,
        parse_workers=args.parse_workers,
    )
    document = yaml.safe_load(text)
    document["settings"]["recheck"] = args.recheck.split(",")
    document["settings"]["schedule"] = {"interval": args.discover_every, "jitter": "1s"}
    path = scratch / "schedules.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _start_processes(config: Path, scratch: Path, args: argparse.Namespace) -> list[SoakProcess]:
    logs = scratch / "logs"
    logs.mkdir()
    common = ["--config", str(config), "--log-format", "json"]
    processes = [start("scheduler", ["schedule", "--enqueue-only", "--run-now", *common], logs)]
    for number in range(args.workers):
        worker = ["worker", *common, "--id", f"w{number}", "--batch", str(args.batch)]
        worker += ["--lease", str(args.lease)]
        processes.append(start(f"w{number}", worker, logs))
    return processes


def _settings(args: argparse.Namespace, site: ChangingSite, url: str) -> dict[str, Any]:
    return {
        "minutes": args.minutes,
        "interval_s": args.interval,
        "drain_s (max)": args.drain,
        "workers": args.workers,
        "hosts": args.hosts,
        "initial_articles": site.article_count(),
        "publish_per_minute": args.publish_per_minute,
        "update_per_minute": args.update_per_minute,
        "seed": args.seed,
        "discovery_every": f"{args.discover_every} (jitter 1s), scheduler started with --run-now",
        "recheck": args.recheck,
        "min_delay_s": args.min_delay,
        "connections_per_host": args.connections,
        "parse_workers": args.parse_workers,
        "worker_batch": args.batch,
        "worker_lease_s": args.lease,
        "database": "--db server, scratch database" if args.db else "private PostgreSQL cluster",
        "site": f"http://{site.address[0]}:{site.address[1]}",
        "cpus": os.cpu_count(),
        "load_average_start": round(os.getloadavg()[0], 2),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--minutes", type=float, default=10.0, help="length of the soak (default 10)")
    add("--workers", type=int, default=3, help="newsarchive worker processes (default 3)")
    add("--hosts", type=int, default=10, help="sites served (default 10)")
    add("--pages", type=int, default=50, help="articles per host at the start (default 50)")
    add("--publish-per-minute", type=float, default=30.0, help="new articles (default 30)")
    add("--update-per-minute", type=float, default=90.0, help="article updates (default 90)")
    add("--interval", type=float, default=60.0, help="seconds per table row (default 60)")
    add("--drain", type=float, default=120.0, help="most seconds to catch up after (120)")
    add("--discover-every", default="15s", help="each site's discovery interval (15s)")
    add("--recheck", default="1m,3m,10m", help="recheck schedule (default 1m,3m,10m)")
    add("--min-delay", type=float, default=0.1, help="seconds between a host's requests")
    add("--connections", type=int, default=2, help="connections per host (default 2)")
    add("--parse-workers", type=int, default=1, help="parsing processes per worker (1)")
    add("--batch", type=int, default=32, help="URLs a worker claims at a time (32)")
    add("--lease", type=float, default=60.0, help="worker lease seconds (default 60)")
    add("--seed", type=int, default=1, help="the site's random seed (default 1)")
    add("--sample-seconds", type=float, default=2.0, help="memory sampling period (2)")
    add("--flat-tolerance", type=float, default=0.10, help="allowed growth (default 0.10)")
    add("--flat-slack-mb", type=float, default=5.0, help="growth always flat (5 MB)")
    add("--db", help="PostgreSQL server URL (a role that may create databases)")
    add("--json", help="also write every figure to this file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
