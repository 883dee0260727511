"""Store benchmark: how fast the archive saves, finds duplicates and searches, as it grows.

    python benchmarks/store.py [--saves 1000] [--sizes 10000,100000,1000000]
        [--search-articles 200000] [--pg-sizes 10000,100000] [--pg-search-articles 80000]
        [--skip-postgres] [--pg URL] [--json PATH]

Saves: one thread files the rnamedia.in golden page (a 3,900-character body, one author, one
captioned image) as new articles under new URLs, the way the crawler does (record the
fetch, log the parse, save with the fetch's id), then again unchanged, then in batches of
50 a transaction (`Store.save_many`, reported per record). Target: at least 1,000
new-article saves per second on SQLite. Each phase is also reported per second of this
process's CPU time, which on SQLite (all its work done here) is the rate of an idle
machine: the wall-clock rates drop with whatever else the machine runs.

Deduplication: a synthetic archive (`benchmarks.store_data`) is filled with bulk inserts to
each size in stored versions; at each size, `Store.get_article` by URL (own, alias and
unknown URLs) and re-saves of stored records, which must end "unchanged", are timed, with
saves of new articles: flat times mean every lookup is an index lookup. Search: text
queries through `storage.search` over the same archive once it holds `--search-articles`
articles, after checking that bulk-filled rows are searchable.

SQLite runs on a temporary file; PostgreSQL on a private cluster (tests/pg_cluster.py,
`synchronous_commit=off`, as durable as SQLite's WAL with `synchronous=NORMAL`) or the
server given by `--pg`. PostgreSQL's search triggers make its bulk fill slow (about a
millisecond per version on two busy cores), hence its smaller default sizes: 80,000
articles are the 100,000-version archive. The default run takes about eight minutes there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.store_data import Wording
from benchmarks.store_report import print_report
from benchmarks.store_runs import BATCH, measure_archive, measure_saves
from storage.db import Database, open_database
from tests.pg_cluster import as_cluster_owner, pg_bin_dir, private_cluster, scratch_database

TARGET_SAVES_PER_SECOND = 1000.0
PG_OPTIONS = "-c synchronous_commit=off -c max_wal_size=4GB"

Fresh = Callable[[], AbstractContextManager[Database]]


def main(argv: list[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    started, load = time.perf_counter(), os.getloadavg()[0]
    wording = Wording.from_fixtures()
    figures: dict[str, Any] = {"started": datetime.now(UTC).isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory(prefix="newsarchive-store-") as scratch:
        fresh = _sqlite_databases(Path(scratch))
        figures["sqlite"] = _measure(fresh, wording, args.saves, args.sizes, args.search_articles)
    if not args.skip_postgres:
        with _postgres_server(args.pg) as server:
            fresh = _postgres_databases(server)
            sizes, search = args.pg_sizes, args.pg_search_articles
            figures["postgresql"] = _measure(fresh, wording, args.saves, sizes, search)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["load_average"] = {"start": round(load, 2), "end": round(os.getloadavg()[0], 2)}
    figures["cpus"] = os.cpu_count()
    figures["target_saves_per_second"] = TARGET_SAVES_PER_SECOND
    print_report(figures)
    for line in _cpu_rates(figures):
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _cpu_rates(figures: dict[str, Any]) -> list[str]:
    """Saves per second of this process's CPU time: what an idle machine reaches on SQLite,
    whose work is all done here, when other load slows the wall-clock rates down."""
    lines = []
    for name in ("sqlite", "postgresql"):
        saves = figures.get(name, {}).get("saves")
        if saves is None:
            continue
        whose = "" if name == "sqlite" else " (client only: the server's is not counted)"
        one, many = saves["save_new_by_fetch_id"], saves[f"save_many_{BATCH}_per_record"]
        lines.append(
            f"{name} new-article saves per CPU second{whose}: "
            f"{one['cpu_per_second']:,.0f}/s one a transaction, "
            f"{many['cpu_per_second']:,.0f}/s batched {BATCH} a transaction (Store.save_many)"
        )
    return lines


def _measure(
    fresh: Fresh, wording: Wording, saves: int, sizes: list[int], search_articles: int
) -> dict[str, Any]:
    """Saves on one new database, then the growing archive on another."""
    with fresh() as database:
        figures = {"saves": measure_saves(database, saves)}
    if sizes or search_articles:
        with fresh() as database:
            figures["archive"] = measure_archive(database, wording, sizes, search_articles)
    return figures


def _sqlite_databases(scratch: Path) -> Fresh:
    count = iter(range(1_000_000))

    @contextmanager
    def fresh() -> Iterator[Database]:
        database = open_database(f"sqlite:///{scratch / f'archive-{next(count)}.sqlite3'}")
        try:
            yield database
        finally:
            database.close()

    return fresh


def _postgres_databases(server: str) -> Fresh:
    @contextmanager
    def fresh() -> Iterator[Database]:
        with scratch_database(server, prefix="newsarchive_bench") as url:
            database = open_database(url)
            try:
                yield database
            finally:
                database.close()

    return fresh


@contextmanager
def _postgres_server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    bin_dir, prefix = pg_bin_dir(), as_cluster_owner()
    if bin_dir is None or prefix is None:
        raise SystemExit("no PostgreSQL binaries to run (or no 'postgres' user): --skip-postgres")
    with private_cluster(bin_dir, prefix, PG_OPTIONS) as server:
        yield server


def _counts(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=1000, help="records per save phase")
    parser.add_argument(
        "--sizes", type=_counts, default=[10_000, 100_000, 1_000_000], help="versions (SQLite)"
    )
    parser.add_argument("--search-articles", type=int, default=200_000, help="SQLite")
    parser.add_argument("--pg-sizes", type=_counts, default=[10_000, 100_000])
    parser.add_argument("--pg-search-articles", type=int, default=80_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--pg", help="a PostgreSQL server URL (default: a private cluster)")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
