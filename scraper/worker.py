"""`newsarchive worker`: fetch, parse and file due URLs claimed from a shared PostgreSQL frontier.

Any number of workers, on one machine or many, share one archive: each claims a batch of due
URLs with a lease (`storage.leases`), fetches them through the shared per-host pacing
(`scraper.worker_pacer`) and files them exactly as `newsarchive run` does (a `SitePass`'s
`fetch_article`: WARC records first, then fetch, parse, save and frontier rows), then
releases each URL's lease at once. It claims again when half its batch is done, and renews
the leases of what it still holds every third of a lease, so only a worker that died leaves
URLs behind, for others to claim when their leases run out.

Work is counted in rounds: from the first claim after an idle spell to the next idle spell
(nothing due). Each round ends like a run: story clusters updated, a report in the run log.

Stopping: the first SIGTERM or SIGINT stops claiming; URLs not started (and requests still
waiting for a host's turn) are released at once, requests in flight are fetched and filed.
A second signal cancels those too and releases their URLs. Exit code 0, or 1 when any URL
failed (an error other than the site's answer: a parse that crashed, a database error).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scraper.config import Config
from scraper.exceptions import StoppedWaiting
from scraper.host_overrides import HostOverrides
from scraper.run import RunOptions
from scraper.site_pass import Parser, Services, parse_page
from scraper.worker_log import event, failure
from scraper.worker_round import Round
from scraper.worker_services import Identity, open_services, warc_prefix
from storage.db import Database
from storage.exceptions import ArchiveFullError
from storage.frontier_visits import ERROR_RETRY
from storage.leases import FrontierLeases, LeasedUrl, require_postgres

DEFAULT_BATCH = 32
DEFAULT_LEASE_SECONDS = 300.0
IDLE_POLL_SECONDS = 2.0  # between claims while nothing is due
# URLs failing one after another mean this worker is broken (its disk, its database), not
# the URLs: it stops, rather than put the whole frontier to rest.
MAX_FAILURES_IN_A_ROW = 10
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass(slots=True)
class WorkerOptions:
    worker_id: str
    batch: int = DEFAULT_BATCH
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    once: bool = False  # exit when nothing is due instead of waiting for more
    idle_poll: float = IDLE_POLL_SECONDS
    overrides: HostOverrides = field(default_factory=HostOverrides)
    parser: Parser = parse_page
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    obey_robots: bool = True


class Worker:
    """One worker process's loop; `serve()` runs it until stopped (or idle, with `once`)."""

    def __init__(self, config: Config, database: Database, options: WorkerOptions) -> None:
        require_postgres(database, "newsarchive worker")
        self.config = config
        self.database = database
        self.options = options
        self.holder = f"{options.worker_id}:{uuid.uuid4().hex[:8]}"
        self.leases = FrontierLeases(database, self.holder, options.lease_seconds)
        self.sites = {entry.host: entry for entry in config.enabled_sites()}
        settings = config.settings
        # Hosts this worker fetches from at once: its claims keep to that many sites.
        self.spread = max(1, settings.concurrency // settings.connections_per_host)
        self.stop = asyncio.Event()  # no more claims; waiting requests give up
        self.failures = 0
        self._failed_in_a_row = 0
        self._held: dict[int, LeasedUrl] = {}  # claimed, not yet released
        self._lost: set[int] = set()  # leases another worker took over
        self._in_flight: set[asyncio.Task[None]] = set()
        self._releasing: list[int] = []  # finished URLs whose leases are being given back
        self._releaser: asyncio.Task[None] | None = None
        self._signals = 0
        self._claim_after = 0.0  # time.monotonic() before which a claim is not worth it

    async def serve(self, handle_signals: bool = True) -> int:
        """Work until stopped; the exit code. Signals are caught only while serving."""
        loop = asyncio.get_running_loop()
        if handle_signals:
            for number in STOP_SIGNALS:
                loop.add_signal_handler(number, self.request_stop)
        try:
            return await self._serve()
        finally:
            if handle_signals:
                for number in STOP_SIGNALS:
                    loop.remove_signal_handler(number)

    def request_stop(self) -> None:
        """First call: claim nothing more, finish what is in flight. Second: cancel that too."""
        self._signals += 1
        if self._signals == 1:
            self.stop.set()
            event("stopping", "stopping: finishing requests in flight", held=len(self._held))
        elif self._signals == 2:
            event("stopping_now", "stopping now: cancelling requests in flight")
            for task in self._in_flight:
                task.cancel()

    async def _serve(self) -> int:
        options = self.options
        run_options = RunOptions(
            overrides=options.overrides,
            parser=options.parser,
            clock=options.clock,
            obey_robots=options.obey_robots,
        )
        identity = Identity(self.holder, warc_prefix(options.worker_id))
        event(
            "worker_started",
            f"worker {self.holder}: {len(self.sites)} sites, batch {options.batch}, "
            f"lease {options.lease_seconds:g} s",
            worker=options.worker_id,
            holder=self.holder,
            sites=sorted(self.sites),
            batch=options.batch,
            lease_seconds=options.lease_seconds,
            warc_prefix=identity.warc_prefix,
        )
        async with AsyncExitStack() as stack:
            services = await open_services(
                stack, self.config, self.database, identity, run_options, self.stop
            )
            heartbeat = asyncio.create_task(self._heartbeat())
            work_round = Round(services, self.sites, self.database)
            try:
                await self._work(services, work_round)
            finally:
                heartbeat.cancel()
                await self._wind_down()
                await work_round.finish()
        code = 1 if self.failures or work_round.failures else 0
        event("stopped", f"worker {self.holder} stopped", exit_code=code, failures=self.failures)
        return code

    async def _work(self, services: Services, work_round: Round) -> None:
        stopping = asyncio.create_task(self.stop.wait())
        try:
            while not self.stop.is_set():
                if self._wants_more():
                    await self._claim(services, work_round)
                if self._in_flight:
                    waited = {*self._in_flight, stopping}
                    await asyncio.wait(waited, return_when=asyncio.FIRST_COMPLETED)
                    continue
                await work_round.finish()  # idle: the round is over
                if self.options.once:
                    return
                with suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(stopping), self.options.idle_poll)
        finally:
            stopping.cancel()

    def _wants_more(self) -> bool:
        """Claim when half the batch is done; after a claim that found less than it asked
        for, not again for a while, unless nothing at all is in hand."""
        if not self._in_flight:
            return True
        half_done = len(self._in_flight) <= self.options.batch // 2
        return half_done and time.monotonic() >= self._claim_after

    async def _claim(self, services: Services, work_round: Round) -> None:
        wanted = self.options.batch - len(self._in_flight)
        due_at = self.options.clock()
        try:
            claimed = await asyncio.to_thread(
                self.leases.claim, self.sites, wanted, due_at, self.spread
            )
        except Exception as exc:  # the database went away: counted, tried again after a rest
            self.failures += 1
            failure("claim_failed", f"claiming URLs failed: {type(exc).__name__}: {exc}")
            await asyncio.sleep(self.options.idle_poll)
            return
        if len(claimed) < wanted:  # the frontier is short for now
            self._claim_after = time.monotonic() + self.options.idle_poll
        for leased in claimed:
            self._held[leased.id] = leased
            task = asyncio.create_task(self._process(leased, services, work_round))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _process(self, leased: LeasedUrl, services: Services, work_round: Round) -> None:
        """Fetch and file one URL, then give its lease back (or rest it, when it failed)."""
        async with services.gate:
            if self.stop.is_set() or leased.id in self._lost:
                self._release(leased.id)  # never started
                return
            try:
                await work_round.pass_for(leased.site).fetch_article(leased.due)
            except StoppedWaiting:
                self._release(leased.id)
                return
            except ArchiveFullError as exc:  # not filed: another worker may have room
                self._release(leased.id)
                self._archive_full(exc)
                return
            except asyncio.CancelledError:
                self._release(leased.id)
                raise
            except Exception as exc:  # this URL's own fault: the others carry on
                self._failed(leased, exc, work_round)
                await self._rest(leased.id)
                return
        self._failed_in_a_row = 0
        self._release(leased.id)

    def _failed(self, leased: LeasedUrl, exc: Exception, work_round: Round) -> None:
        self.failures += 1
        self._failed_in_a_row += 1
        report = work_round.pass_for(leased.site).report
        report.failure = report.failure or f"{leased.due.url}: {type(exc).__name__}: {exc}"
        failure("url_failed", f"{leased.due.url}: {type(exc).__name__}: {exc}", url=leased.due.url)
        if self._failed_in_a_row == MAX_FAILURES_IN_A_ROW:
            message = f"{MAX_FAILURES_IN_A_ROW} URLs failed in a row: this worker stops"
            event("failing", message, level=logging.ERROR)
            self.request_stop()

    def _archive_full(self, exc: ArchiveFullError) -> None:
        """The WARC folder's disk is full: every page fetched now would be lost, so the
        worker stops (exit 1) and gives its URLs back."""
        self.failures += 1
        if not self.stop.is_set():
            message = f"{ArchiveFullError.kind}: {exc}: this worker stops"
            event(ArchiveFullError.kind, message, level=logging.ERROR, error=str(exc))
            self.request_stop()

    def _release(self, identifier: int) -> None:
        """Give the URL back: released with the others finished meanwhile, in one statement."""
        self._held.pop(identifier, None)
        self._releasing.append(identifier)
        if self._releaser is None or self._releaser.done():
            self._releaser = asyncio.create_task(self._release_pending())

    async def _release_pending(self) -> None:
        while self._releasing:
            ids, self._releasing = self._releasing, []
            try:
                await asyncio.to_thread(self.leases.release, ids)
            except Exception as exc:  # the leases run out by themselves
                event("release_failed", f"releasing leases failed: {exc}", level=logging.WARNING)

    async def _rest(self, identifier: int) -> None:
        """Keep a failed URL from the others for the frontier's error retry time."""
        self._held.pop(identifier, None)
        seconds = ERROR_RETRY.total_seconds()
        try:
            await asyncio.to_thread(self.leases.rest, [identifier], seconds)
        except Exception as exc:
            event("rest_failed", f"resting a failed URL failed: {exc}", level=logging.WARNING)

    async def _heartbeat(self) -> None:
        """Renew the leases of every URL still held, every third of a lease."""
        interval = self.options.lease_seconds / 3
        while True:
            await asyncio.sleep(interval)
            held = set(self._held)
            try:
                kept = await asyncio.to_thread(self.leases.renew, held)
            except Exception as exc:  # tried again next beat, well before the leases end
                event("renew_failed", f"renewing leases failed: {exc}", level=logging.WARNING)
                continue
            lost = (held & set(self._held)) - kept - self._lost  # not given back meanwhile
            if lost:
                self._lost |= lost
                event(
                    "leases_lost",
                    f"{len(lost)} leases ran out and were taken over",
                    level=logging.WARNING,
                    count=len(lost),
                )

    async def _wind_down(self) -> None:
        """Let requests in flight end (cancelled after a second signal), then give back
        every lease still held."""
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        if self._releaser is not None:
            await self._releaser
        try:
            await asyncio.to_thread(self.leases.release_all)
        except Exception as exc:
            event("release_failed", f"releasing leases failed: {exc}", level=logging.WARNING)
        self._held.clear()
