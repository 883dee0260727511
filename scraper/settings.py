"""Every default of the scraper in one place, so a reader finds each number once.

`Settings()` is what runs when schedules.yaml says nothing; its `settings:` section overrides
any field by name, and a site entry overrides the politeness and recheck fields for itself.
Delays and timeouts are float seconds (what httpx and asyncio take); schedules are timedeltas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

MB = 2**20

CONFIG_ENV = "NEWSARCHIVE_CONFIG"
DATABASE_ENV = "NEWSARCHIVE_DB"
DEFAULT_CONFIG_PATH = Path("schedules.yaml")
DEFAULT_DATA_DIR = Path("data")
CONTACT_URL = "https://github.com/newsarchive/newsarchive"


def _package_version() -> str:
    try:
        return version("newsarchive")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


def user_agent_for(contact_url: str) -> str:
    """Site owners see who is fetching and where to write: the contact URL is in the agent."""
    return f"newsarchive/{_package_version()} (+{contact_url})"


def sqlite_url_in(data_dir: Path) -> str:
    """The embedded archive lives next to its WARC files unless a database URL is given."""
    return f"sqlite:///{(data_dir / 'archive.sqlite3').as_posix()}"


# Frequent at first, when a story is most likely to be corrected, then backing off with age;
# after the last step the URL is not rechecked unless discovery reports a newer date.
RECHECK_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(days=1),
    timedelta(days=2),
    timedelta(days=4),
    timedelta(days=7),
    timedelta(days=14),
    timedelta(days=30),
)


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds; `total` bounds one request with its body, so a slow trickle cannot hold a slot."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0
    total: float = 120.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Timeouts, resets and 5xx are retried `attempts` times, waiting base * 2**n (capped)."""

    attempts: int = 3
    backoff_base: float = 1.0
    backoff_cap: float = 60.0


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a site's discovery runs: every `interval`, or at a crontab `cron` (in `timezone`)."""

    interval: timedelta | None = timedelta(hours=1)
    cron: str | None = None
    timezone: str = "UTC"
    jitter: timedelta = timedelta(minutes=1)

    def describe(self) -> str:
        when = f"cron '{self.cron}' {self.timezone}" if self.cron else f"every {self.interval}"
        return f"{when}, jitter {self.jitter}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Global settings; `database_url` and `warc_dir` default to places under `data_dir`."""

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = sqlite_url_in(DEFAULT_DATA_DIR)
    warc_dir: Path = DEFAULT_DATA_DIR / "warc"
    contact_url: str = CONTACT_URL
    user_agent: str = user_agent_for(CONTACT_URL)
    # Politeness per host (a site entry may override these three).
    connections_per_host: int = 1
    min_delay: float = 2.0
    allow_private_addresses: bool = False
    # Work in flight across all hosts at once.
    concurrency: int = 16
    # Processes that parse pages (0: a thread of the crawler). Parsing is the CPU-bound
    # part of a crawl; set this to the number of cores for large crawls. With workers,
    # filing (WARC records and database rows) also moves to a process of its own.
    parse_workers: int = 0
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: RetryPolicy = field(default_factory=RetryPolicy)
    # A Retry-After longer than this defers the host to a later run instead of sleeping.
    max_retry_after: float = 3600.0
    max_redirects: int = 10
    max_response_bytes: int = 10 * MB
    max_decompressed_bytes: int = 50 * MB
    robots_cache_ttl: float = 86400.0
    recheck: tuple[timedelta, ...] = RECHECK_SCHEDULE
    schedule: Schedule = field(default_factory=Schedule)
    # host -> (address, port) to connect to instead of resolving it (`curl --resolve`): for
    # the demo, tests and staging mirrors; the URL and Host header keep the real name.
    resolve: tuple[tuple[str, tuple[str, int]], ...] = ()
