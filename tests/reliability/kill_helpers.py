"""Killing a `newsarchive` process with SIGKILL at a seeded point of its life.

A kill point is drawn from a seeded random.Random: what it waits for (a moment after the
start, a number of requests the local site has answered, the last article fetch, every
site's pass done, or a WARC write the process is made to die in) and how far into it. Where
the kill really landed is read back from what the server saw and what the process printed,
since a loaded machine moves every moment.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scraper.demo_site import DemoSite
from tests.scraper.process_helpers import WAIT_SECONDS, Newsarchive

POLL_SECONDS = 0.003
# Seconds from reaching a point to the kill: from the start, into the imports, the database's
# opening and the WARC repair; once every article was asked, into the filing and clustering.
DELAYS = {
    "start": (0.3, 2.0),
    "discovery": (0.0, 0.0),
    "fetch": (0.0, 0.03),
    "warc_write": (0.0, 0.0),
    "after_fetch": (0.0, 0.3),
    "close": (0.0, 0.3),
}
Kind = Literal["start", "discovery", "fetch", "warc_write", "after_fetch", "close"]
# Phases, as seen: nothing asked yet; only robots.txt, feeds, sitemaps and sections asked;
# some articles asked (each parsed and filed as it comes); every article asked but not every
# pass done; every pass done; and half-way through writing a WARC record.
START, DISCOVERY, FETCHING, FILING, CLOSING, WARC_WRITE = (
    "start-up",
    "discovery/robots.txt",
    "fetching/parsing/filing",
    "filing",
    "clustering/close",
    "mid WARC record",
)
# A process started with this folder on PYTHONPATH and the variable set kills itself half-way
# through that WARC write (see its sitecustomize.py): a kill no outside timing could place.
WARC_KILL_HOOK = Path(__file__).resolve().parent / "warc_kill_hook"
WARC_KILL_ENV = "NEWSARCHIVE_TEST_KILL_AT_WARC_WRITE"
SOURCES_PER_HOST = 9  # robots.txt aside, what a pass reads (and archives) before articles


@dataclass(frozen=True, slots=True)
class KillPoint:
    kind: Kind
    fraction: float  # how far into what `kind` waits for (0..1)
    delay: float  # seconds waited once it is reached

    def __str__(self) -> str:
        return f"{self.kind}@{self.fraction:.2f}+{self.delay * 1000:.0f}ms"


def plan(rng: random.Random, count: int, kinds: tuple[Kind, ...]) -> list[KillPoint]:
    """`count` seeded kill points, of each kind in turn (so every kind is met) at seeded
    depths; the kinds that leave no article to fetch (after the last fetch, at the close)
    come last, so the points before them still find work."""
    drawn = [kinds[index % len(kinds)] for index in range(count)]
    rng.shuffle(drawn)
    points = [_point(rng, kind) for kind in drawn]
    return sorted(points, key=lambda point: point.kind in ("after_fetch", "close"))


def _point(rng: random.Random, kind: Kind) -> KillPoint:
    low, high = DELAYS[kind]
    return KillPoint(kind, rng.random(), rng.uniform(low, high))


@dataclass(slots=True)
class Life:
    """One process from its start to its kill (or its own exit, when the point was missed)."""

    chain: str  # which archive: lives of one chain follow each other on it
    number: int
    point: KillPoint
    due: int  # articles not yet archived when it started
    requests: int = 0
    article_gets: int = 0
    passes_done: int = 0
    killed: bool = False
    torn_warc: bool = False
    repaired_on_start: bool = False
    phase: str = ""
    exit_code: int | None = None  # when it outran its kill point
    trouble: list[str] = field(default_factory=list)  # failures and errors it reported

    def line(self) -> str:
        what = "killed" if self.killed else f"exited ({self.exit_code}) before its kill point"
        extras = [
            *(["torn WARC record left"] if self.torn_warc else []),
            *(["repaired a WARC file on start"] if self.repaired_on_start else []),
            *self.trouble,
        ]
        return (
            f"{self.chain} life {self.number:2d} {what} in {self.phase} ({self.point}): "
            f"{self.requests} requests, {self.article_gets}/{self.due} due articles asked, "
            f"{self.passes_done} passes done" + "".join(f"; {extra}" for extra in extras)
        )


class Observer:
    """What one life has done so far, from the site's log (cleared when the life starts)
    and the process's JSON lines."""

    def __init__(self, site: DemoSite, process: Newsarchive, done_event: str) -> None:
        self.site = site
        self.process = process
        self.done_event = done_event
        self.articles = set(site.article_urls())

    def requests(self) -> int:
        return len(self.site.request_log)

    def article_gets(self) -> int:
        return sum(
            entry.method == "GET" and f"http://{entry.host}{entry.path}" in self.articles
            for entry in self.site.request_log
        )

    def passes_done(self) -> int:
        return len(self.process.named(self.done_event))

    def trouble(self) -> list[str]:
        """What the passes it finished reported as gone wrong, or skipped (a site lock)."""
        said = ("failure", "errors", "skipped")
        return [
            f"{done.get('site')}: {[done[key] for key in said if done.get(key)]}"
            for done in self.process.named(self.done_event)
            if any(done.get(key) for key in said)
        ]

    def wait(self, reached: Callable[[], bool]) -> bool:
        """Until `reached()`; False when the process exited first."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not reached():
            if self.process.process.poll() is not None:
                return False
            assert time.monotonic() < deadline, self.process.stderr_if_done()
            time.sleep(POLL_SECONDS)
        return True


def trigger(observer: Observer, point: KillPoint, due: int, passes: int) -> Callable[[], bool]:
    """When `point` is reached, for a life that has `due` articles to fetch over `passes`
    site passes (discovery: the robots.txt, feeds, sitemaps and sections of every host).
    With nothing due, a worker only waits: any point is then a moment after its start."""
    idle = due == 0 and observer.done_event == "round_done"
    if point.kind == "start" or idle:
        return lambda: True
    if point.kind == "warc_write":  # the process kills itself
        return lambda: False
    if due == 0 and point.kind in ("fetch", "after_fetch"):
        return lambda: observer.passes_done() >= passes
    if point.kind == "discovery":
        asked = 1 + int(point.fraction * 8 * len(observer.site.hosts))
        return lambda: observer.requests() >= asked
    if point.kind == "fetch":  # into the first half: the kills after it still find work
        gets = max(1, round(point.fraction * due / 2))
        return lambda: observer.article_gets() >= gets
    if point.kind == "after_fetch":
        return lambda: observer.article_gets() >= due
    return lambda: observer.passes_done() >= passes


def kill_at(observer: Observer, life: Life, passes: int) -> Life:
    """Wait for the life's kill point, then SIGKILL the process and say where it landed."""
    process = observer.process
    if observer.wait(trigger(observer, life.point, life.due, passes)):
        time.sleep(life.point.delay)
        life.killed = process.process.poll() is None
    elif life.point.kind == "warc_write":
        life.killed = process.process.returncode == -signal.SIGKILL
    process.kill()
    process.stderr_if_done()  # read to its end
    life.requests = observer.requests()
    life.article_gets = observer.article_gets()
    life.passes_done = observer.passes_done()
    life.exit_code = None if life.killed else process.process.returncode
    life.trouble = observer.trouble()
    if life.exit_code:
        life.trouble.append(process.stderr_if_done())
    life.repaired_on_start = any("left open by a stopped writer" in s for s in process.stderr)
    life.phase = phase_of(life, passes)
    return life


def phase_of(life: Life, passes: int) -> str:
    if life.point.kind == "warc_write" and life.killed:
        return WARC_WRITE
    if life.requests == 0:
        return START
    if life.passes_done >= passes:
        return CLOSING
    if life.article_gets == 0:
        return DISCOVERY
    if life.article_gets < life.due:
        return FETCHING
    return FILING


def environment(point: KillPoint, due: int, hosts: int) -> dict[str, str]:
    """What to add to a life's environment: for a WARC-write point, the hook and the write
    to die in, somewhere among the pass's sources and the first half of the `due` articles."""
    if point.kind != "warc_write":
        return {}
    writes = SOURCES_PER_HOST * hosts + due // 2
    paths = [str(WARC_KILL_HOOK), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {
        "PYTHONPATH": os.pathsep.join(paths),
        WARC_KILL_ENV: str(1 + int(point.fraction * writes)),
    }
