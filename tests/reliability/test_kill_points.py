"""kill -9 of `newsarchive run` (SQLite) and `newsarchive worker` (PostgreSQL) at seeded
random points, against a real local site, one kill after another on the same archive.

After every kill, before anything restarts, the archive must already be consistent: no
duplicate article, no version without its fetch, no fetch without a complete WARC record,
SQLite's integrity and foreign-key checks clean. Each restart repairs the WARC file the kill
left open and takes over the killed run's site locks; the last, uninterrupted run archives
every article the site holds, `warc verify` is clean and no lock or lease is left behind.
The lives and where each kill landed are printed (`-s`) and tallied in the summary.
"""

from __future__ import annotations

import random
import signal
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from scraper.cli import main
from scraper.config import load_config
from scraper.demo_site import DemoSite, synthetic_data
from scraper.worker_enqueue import enqueue_once
from scraper.worker_services import SLOT_MARGIN_SECONDS
from storage.db import Database, open_database
from storage.leases import live_leases
from tests.reliability.archive_checks import (
    crash_problems,
    final_problems,
    missing_articles,
    torn_warc_tail,
)
from tests.reliability.kill_helpers import Kind, Life, Observer, environment, kill_at, plan
from tests.reliability.tally import tried
from tests.reliability.worker_helpers import wait_until_done, worker_args
from tests.scraper.process_helpers import fresh_postgres_url, running, write_demo_config
from tests.storage.conftest import postgres_server

__all__ = ["postgres_server"]  # a fixture, imported for pytest

SEED = 8  # the number: the same kill points on every run of the suite
# Two archives killed side by side (each chain is a row of process starts, mostly waiting on
# imports), 15 kills of `run` in all, and 5 of `worker`.
RUN_CHAINS = {"run-a": (SEED, 8), "run-b": (SEED + 1, 7)}
WORKER_KILLS = 5
SPARE_POINTS = 10  # a point the process outruns (it exits first) is not a kill; draw more
RUN_KINDS: tuple[Kind, ...] = (
    *("start", "discovery", "fetch", "fetch", "warc_write", "after_fetch", "close"),
)
WORKER_KINDS: tuple[Kind, ...] = ("start", "fetch", "warc_write", "after_fetch", "close")
# Each answer waits a little, one request at a time per host: a pass over the site takes
# about a second, so request counts spread the kills over it.
LATENCY = 0.01
SITE_PAGES = {"hosts": 2, "pages_per_host": 40}
RUN_SETTINGS = {"connections_per_host": 1, "concurrency": 2}
# A killed worker's leases and host slots run out soon (slots last the total timeout + 5 s).
TOTAL_TIMEOUT = 2.0
WORKER_SETTINGS = {
    "connections_per_host": 2,
    "concurrency": 4,
    "timeouts": {"total": TOTAL_TIMEOUT},
}
LEASE = ("--lease", "3")
FINAL_SECONDS = 60.0  # a bound on the last worker's wait, never an expectation


def warc_dir_of(config: Path) -> Path:
    return load_config(config, environ={}).settings.warc_dir


def live(site: DemoSite, database: Database, life: Life, *args: str) -> Life:
    """Start `newsarchive ARGS`, kill it at the life's point, check the archive it left."""
    site.clear_log()
    worker = args[0] == "worker"
    added = environment(life.point, life.due, len(site.hosts))
    with running(*args, env=added) as process:
        observer = Observer(site, process, "round_done" if worker else "site_done")
        kill_at(observer, life, 1 if worker else len(site.hosts))
    warc_dir = warc_dir_of(Path(args[args.index("--config") + 1]))
    life.torn_warc = torn_warc_tail(warc_dir)
    print(life.line())
    tried(f"kill -9 {args[0]}: {life.phase}" if life.killed else f"{args[0]}: outran its kill")
    assert crash_problems(database, warc_dir) == [], life.line()
    assert life.killed or (life.exit_code == 0 and not life.trouble), life.line()
    return life


def kill_repeatedly(
    site: DemoSite, database: Database, chain: str, seed: int, kills: int, *args: str
) -> list[Life]:
    """Kill `newsarchive ARGS` at `kills` seeded points, restarting it after each."""
    rng = random.Random(seed)
    kinds = WORKER_KINDS if args[0] == "worker" else RUN_KINDS
    lives: list[Life] = []
    points = plan(rng, kills, kinds) + plan(rng, SPARE_POINTS, kinds)
    for number, point in enumerate(points, start=1):
        due = len(missing_articles(site, database))
        lives.append(live(site, database, Life(chain, number, point, due), *args))
        if sum(life.killed for life in lives) == kills:
            break
    assert sum(life.killed for life in lives) == kills, [life.line() for life in lives]
    return lives


def assert_spread(lives: list[Life]) -> None:
    """The kills landed in more than one phase, one tore a WARC record, and a restart
    repaired what a kill left open."""
    said = [life.line() for life in lives]
    assert len({life.phase for life in lives if life.killed}) >= 3, said
    assert any(life.torn_warc for life in lives), said
    assert any(life.repaired_on_start for life in lives), said


def assert_no_slot_outlives_its_lease(database: Database) -> None:
    """Request slots still live are a killed worker's, and run out within a slot's lease (a
    stale row is dropped by the next worker to ask that host for a turn)."""
    query = text("SELECT holder, expires_at - now() FROM host_slots WHERE expires_at > now()")
    with database.engine.connect() as connection:
        live = connection.execute(query).all()
    lease = timedelta(seconds=TOTAL_TIMEOUT + SLOT_MARGIN_SECONDS)
    assert all(holder.startswith("doomed:") and left <= lease for holder, left in live), live


def assert_warc_verify_clean(config: Path) -> None:
    assert main(["warc", "verify", "--config", str(config)]) == 0


def site_to_archive() -> DemoSite:
    return DemoSite(synthetic_data(**SITE_PAGES), latency=LATENCY)


def migrated_sqlite(folder: Path) -> str:
    """A new SQLite archive in `folder`; migrated here, as alembic runs one at a time."""
    folder.mkdir()
    url = f"sqlite:///{folder / 'archive.sqlite3'}"
    open_database(url).close()
    return url


def run_chain(tmp_path: Path, url: str, chain: str, seed: int, kills: int) -> list[Life]:
    """One SQLite archive: `run` killed `kills` times, then run to the end and checked."""
    with site_to_archive() as site:
        database = open_database(url, migrate=False)
        try:
            config = write_demo_config(site, tmp_path, url, **RUN_SETTINGS)
            run = ("run", "--config", str(config), "--log-format", "json")
            lives = kill_repeatedly(site, database, chain, seed, kills, *run)

            with running(*run) as last:
                assert last.finish() == 0, last.stderr_if_done()
            skipped = [done["site"] for done in last.named("site_done") if done["skipped"]]
            assert skipped == [], "a killed run's site lock kept the next run out"
            assert final_problems(site, database, warc_dir_of(config)) == []
            assert_warc_verify_clean(config)
        finally:
            database.close()
    return lives


def test_runs_killed_at_seeded_points_leave_an_archive_the_next_run_completes(
    tmp_path: Path,
) -> None:
    urls = {chain: migrated_sqlite(tmp_path / chain) for chain in RUN_CHAINS}
    with ThreadPoolExecutor(len(RUN_CHAINS)) as pool:
        chains = [
            pool.submit(run_chain, tmp_path / chain, urls[chain], chain, seed, kills)
            for chain, (seed, kills) in RUN_CHAINS.items()
        ]
        lives = [life for chain in chains for life in chain.result()]
    assert_spread(lives)


def test_workers_killed_at_seeded_points_leave_an_archive_the_next_worker_completes(
    tmp_path: Path, postgres_server: str
) -> None:
    with site_to_archive() as site, fresh_postgres_url(postgres_server) as url:
        database = open_database(url)
        try:
            config = write_demo_config(site, tmp_path, url, **WORKER_SETTINGS)
            enqueue_once(load_config(config, environ={}), database=database)
            worker = worker_args(config, "doomed", *LEASE)
            lives = kill_repeatedly(site, database, "worker", SEED, WORKER_KILLS, *worker)

            with running(*worker_args(config, "finisher", *LEASE)) as last:
                last.wait_for("worker_started")  # SIGTERM is handled from here on
                wait_until_done(database, (last,), FINAL_SECONDS)
                last.process.send_signal(signal.SIGTERM)
                assert last.finish() == 0, last.stderr_if_done()
            assert final_problems(site, database, warc_dir_of(config)) == []
            assert live_leases(database) == {}
            assert_no_slot_outlives_its_lease(database)
            assert_warc_verify_clean(config)
            assert_spread(lives)
        finally:
            database.close()
