"""schedules.yaml as typed, validated config: global settings and one entry per site.

A bad file stops everything with one line naming the file, line, site and key (ConfigError,
exit 2), so a cron job never runs half a configuration. The schema is documented in the
shipped schedules.yaml itself; `Settings` (scraper/settings.py) holds every default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Literal

from apscheduler.triggers.cron import (  # type: ignore[import-untyped, unused-ignore]
    CronTrigger,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from parsers import SiteConfig, get_parser
from parsers.urls import site_of
from scraper.config_fields import Document, Fields, KeyPath, shown_url, url_problem
from scraper.config_sections import SectionPage, section_pages
from scraper.exceptions import ConfigError
from scraper.settings import (
    CONFIG_ENV,
    DATABASE_ENV,
    DEFAULT_CONFIG_PATH,
    RetryPolicy,
    Schedule,
    Settings,
    Timeouts,
    sqlite_url_in,
    user_agent_for,
)

ParserKind = Literal["site", "generic"]

TOP_KEYS = frozenset({"settings", "sites"})
SETTINGS_KEYS = frozenset(
    {
        *("data_dir", "database", "warc_dir", "contact_url", "user_agent"),
        *("connections_per_host", "min_delay", "allow_private_addresses", "concurrency"),
        *("timeouts", "retries", "max_retry_after", "max_redirects"),
        *("max_response_bytes", "max_decompressed_bytes", "robots_cache_ttl"),
        *("recheck", "schedule", "resolve", "parse_workers"),
    }
)
SITE_KEYS = frozenset(
    {
        *("name", "parser", "timezone", "language", "date_formats", "enabled", "robots_sitemaps"),
        *("start_urls", "feeds", "sitemaps", "sections", "include", "exclude"),
        *("schedule", "recheck", "connections_per_host", "min_delay", "allow_private_addresses"),
    }
)
TIMEOUT_KEYS = frozenset({"connect", "read", "write", "pool", "total"})
RETRY_KEYS = frozenset({"attempts", "backoff_base", "backoff_cap"})
SCHEDULE_KEYS = frozenset({"interval", "cron", "timezone", "jitter"})

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")


@dataclass(frozen=True, slots=True)
class SiteEntry:
    """One site: where to discover its articles, how to read them, when and how politely.

    Politeness, recheck and schedule fields hold the effective values (the site's override,
    else the global setting), so callers never merge defaults themselves.
    """

    host: str
    name: str
    parser: ParserKind
    timezone: str
    language: str
    schedule: Schedule
    recheck: tuple[timedelta, ...]
    connections_per_host: int
    min_delay: float
    allow_private_addresses: bool
    enabled: bool = True
    robots_sitemaps: bool = True
    date_formats: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[SectionPage, ...] = ()
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    def site_config(self) -> SiteConfig:
        return SiteConfig(self.timezone, self.language, self.date_formats)

    def owns(self, url: str) -> bool:
        """The URL is on this site (its host or a subdomain of it)."""
        site = site_of(url)
        return site == self.host or site.endswith(f".{self.host}")

    def accepts(self, url: str) -> bool:
        """Whether a discovered URL is archived: on the site, matching include, not exclude."""
        if not self.owns(url) or any(pattern.search(url) for pattern in self.exclude):
            return False
        return not self.include or any(pattern.search(url) for pattern in self.include)

    def summary(self) -> str:
        state = "" if self.enabled else "  (disabled)"
        return (
            f"{self.host:<26} parser={self.parser:<7} feeds={len(self.feeds)} "
            f"sitemaps={len(self.sitemaps)} sections={len(self.sections)} "
            f"tz={self.timezone} lang={self.language}{state}"
        )


@dataclass(frozen=True, slots=True)
class Config:
    settings: Settings
    sites: tuple[SiteEntry, ...]
    path: Path | None = None

    def enabled_sites(self) -> tuple[SiteEntry, ...]:
        return tuple(site for site in self.sites if site.enabled)

    def site(self, name: str) -> SiteEntry:
        """The entry a user named on the command line ('www.' and case forgiven)."""
        host = site_of(f"https://{name.strip()}/")
        for site in self.sites:
            if site.host == host:
                return site
        known = ", ".join(site.host for site in self.sites) or "none"
        raise ConfigError(f"{self.path or 'config'}: no site {name!r} (known sites: {known})")

    def site_for_url(self, url: str) -> SiteEntry | None:
        """The most specific entry owning a URL (a subdomain entry beats its parent's)."""
        owners = [site for site in self.sites if site.owns(url)]
        return max(owners, key=lambda site: len(site.host), default=None)

    def with_database(self, url: str) -> Config:
        """The config with a database URL from a --db option (validated like the file's)."""
        if problem := _database_problem(url):
            raise ConfigError(f"--db: {problem}")
        return replace(self, settings=replace(self.settings, database_url=url))


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else DEFAULT_CONFIG_PATH


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate schedules.yaml; NEWSARCHIVE_DB (if set) replaces the database URL."""
    env = os.environ if environ is None else environ
    doc = Document(path)
    top = Fields(doc, (), doc.root, TOP_KEYS)
    settings = _settings(doc, top.raw("settings"))
    if url := env.get(DATABASE_ENV, "").strip():
        if problem := _database_problem(url):
            raise ConfigError(f"{DATABASE_ENV}: {problem}")
        settings = replace(settings, database_url=url)
    sites = _sites(doc, top.raw("sites"), settings)
    return Config(settings=settings, sites=sites, path=path)


def _settings(doc: Document, value: object) -> Settings:
    default = Settings()
    if value is None:
        return default
    fields = Fields(doc, ("settings",), value, SETTINGS_KEYS)
    data_dir = Path(fields.text("data_dir", str(default.data_dir)))
    database = fields.text("database", "") or sqlite_url_in(data_dir)
    if problem := _database_problem(database):
        fields.fail("database", problem)
    contact = fields.text("contact_url", default.contact_url)
    if problem := url_problem(contact):
        fields.fail("contact_url", f"{problem}: {shown_url(contact)!r}")
    agent = fields.text("user_agent", user_agent_for(contact))
    if "http" not in agent:
        fields.fail("user_agent", "must carry a contact URL, e.g. 'name/1.0 (+https://...)'")
    response_cap = fields.size("max_response_bytes", default.max_response_bytes)
    return Settings(
        data_dir=data_dir,
        database_url=database,
        warc_dir=Path(fields.text("warc_dir", str(data_dir / "warc"))),
        contact_url=contact,
        user_agent=agent,
        connections_per_host=fields.integer(
            "connections_per_host", default.connections_per_host, minimum=1
        ),
        min_delay=fields.seconds("min_delay", default.min_delay),
        allow_private_addresses=fields.boolean(
            "allow_private_addresses", default.allow_private_addresses
        ),
        concurrency=fields.integer("concurrency", default.concurrency, minimum=1),
        parse_workers=fields.integer("parse_workers", default.parse_workers, minimum=0),
        timeouts=_timeouts(fields.sub("timeouts", TIMEOUT_KEYS), default.timeouts),
        retries=_retries(fields.sub("retries", RETRY_KEYS), default.retries),
        max_retry_after=fields.seconds("max_retry_after", default.max_retry_after),
        max_redirects=fields.integer("max_redirects", default.max_redirects, minimum=0),
        max_response_bytes=response_cap,
        max_decompressed_bytes=_decompressed_cap(fields, response_cap, default),
        robots_cache_ttl=fields.seconds("robots_cache_ttl", default.robots_cache_ttl),
        recheck=_recheck(fields, default.recheck),
        schedule=_schedule(fields, default.schedule),
        resolve=_resolve(fields),
    )


def _resolve(fields: Fields) -> tuple[tuple[str, tuple[str, int]], ...]:
    """`resolve: {host: "address:port"}`; each address must be an IP address."""
    value = fields.raw("resolve")
    if value is None:
        return ()
    if not isinstance(value, dict):
        fields.fail("resolve", "expected a mapping of host: 'address:port'")
    found = []
    for host, target in value.items():
        address, _, port = str(target).rpartition(":")
        if not isinstance(host, str) or not _HOST.fullmatch(host.lower()):
            fields.fail(("resolve", str(host)), "not a host name")
        try:
            ip_address(address.strip("[]"))
            number = int(port)
        except ValueError:
            fields.fail(("resolve", host), f"expected 'address:port', got {target!r}")
        if not 0 < number < 65536:
            fields.fail(("resolve", host), f"port out of range: {number}")
        found.append((host.lower(), (address.strip("[]"), number)))
    return tuple(found)


def _decompressed_cap(fields: Fields, response_cap: int, default: Settings) -> int:
    cap = fields.size("max_decompressed_bytes", max(default.max_decompressed_bytes, response_cap))
    if cap < response_cap:
        fields.fail("max_decompressed_bytes", "must not be smaller than max_response_bytes")
    return cap


def _timeouts(fields: Fields | None, default: Timeouts) -> Timeouts:
    if fields is None:
        return default
    seconds = {key: fields.seconds(key, getattr(default, key), 0.001) for key in TIMEOUT_KEYS}
    return Timeouts(**seconds)


def _retries(fields: Fields | None, default: RetryPolicy) -> RetryPolicy:
    if fields is None:
        return default
    policy = RetryPolicy(
        attempts=fields.integer("attempts", default.attempts, minimum=0),
        backoff_base=fields.seconds("backoff_base", default.backoff_base),
        backoff_cap=fields.seconds("backoff_cap", default.backoff_cap),
    )
    if policy.backoff_cap < policy.backoff_base:
        fields.fail("backoff_cap", "must not be smaller than backoff_base")
    return policy


def _recheck(fields: Fields, default: tuple[timedelta, ...]) -> tuple[timedelta, ...]:
    """Ascending waits after each fetch of an article; after the last one, rechecks stop."""
    if fields.raw("recheck") is None:
        return default
    steps = tuple(fields.duration(path, text) for path, text in fields.text_list("recheck"))
    if not steps:
        fields.fail("recheck", "must list at least one duration")
    for index in range(1, len(steps)):
        if steps[index] < steps[index - 1]:
            fields.fail(("recheck", index), "must not be shorter than the step before it")
    return steps


def _schedule(fields: Fields, default: Schedule) -> Schedule:
    """A site's own interval or cron replaces the default's; timezone and jitter fall back."""
    sub = fields.sub("schedule", SCHEDULE_KEYS)
    if sub is None:
        return default
    if sub.has("interval") and sub.has("cron"):
        sub.fail("cron", "give either interval or cron, not both")
    zone = sub.timezone("timezone", default.timezone)
    jitter = sub.duration("jitter", sub.raw("jitter")) if sub.has("jitter") else default.jitter
    if sub.has("cron"):
        cron = sub.text("cron", "")
        try:
            CronTrigger.from_crontab(cron, timezone=zone)
        except ValueError as exc:
            sub.fail("cron", f"bad cron expression {cron!r}: {exc}")
        return Schedule(interval=None, cron=cron, timezone=zone, jitter=jitter)
    interval = default.interval
    if sub.has("interval"):
        interval = sub.duration("interval", sub.raw("interval"))
    return Schedule(interval=interval, cron=default.cron, timezone=zone, jitter=jitter)


def _sites(doc: Document, value: object, settings: Settings) -> tuple[SiteEntry, ...]:
    if not isinstance(value, dict) or not value:
        doc.fail(("sites",), "expected a mapping of site hosts to their entries")
    entries: dict[str, SiteEntry] = {}
    for key, body in value.items():
        entry = _site(doc, key, body, settings)
        if entry.host in entries:
            first = doc.line_of(("sites", entries[entry.host].host))
            doc.fail(("sites", key), f"same site as {entries[entry.host].host!r} (line {first})")
        entries[entry.host] = entry
    return tuple(entries.values())


def _site(doc: Document, key: str, body: object, settings: Settings) -> SiteEntry:
    path: KeyPath = ("sites", key)
    if not _HOST.fullmatch(key):
        doc.fail(path, "a site key is a lower-case host name such as 'defensenews.com'")
    host = site_of(f"https://{key}/")
    fields = Fields(doc, path, body, SITE_KEYS)
    if not any(fields.raw(key) for key in ("feeds", "sitemaps", "sections")):
        fields.fail("feeds", "missing: a site needs at least one of feeds, sitemaps, sections")

    def off_site(url: str) -> str | None:
        owner = site_of(url)
        on_site = owner == host or owner.endswith(f".{host}")
        return None if on_site else f"not on {host}"

    return SiteEntry(
        host=host,
        name=fields.text("name", host),
        parser=_parser_kind(fields, host),
        timezone=fields.timezone("timezone"),
        language=fields.language("language"),
        date_formats=fields.date_formats("date_formats"),
        enabled=fields.boolean("enabled", True),
        robots_sitemaps=fields.boolean("robots_sitemaps", True),
        start_urls=fields.urls("start_urls", off_site),
        feeds=fields.urls("feeds"),
        sitemaps=fields.urls("sitemaps"),
        sections=section_pages(fields, off_site),
        include=fields.patterns("include"),
        exclude=fields.patterns("exclude"),
        schedule=_schedule(fields, settings.schedule),
        recheck=_recheck(fields, settings.recheck),
        connections_per_host=fields.integer(
            "connections_per_host", settings.connections_per_host, minimum=1
        ),
        min_delay=fields.seconds("min_delay", settings.min_delay),
        allow_private_addresses=fields.boolean(
            "allow_private_addresses", settings.allow_private_addresses
        ),
    )


def _parser_kind(fields: Fields, host: str) -> ParserKind:
    kind = fields.required_text("parser")
    if kind == "generic":
        return "generic"
    if kind != "site":
        fields.fail("parser", f"must be 'site' or 'generic', got {kind!r}")
    if get_parser(f"https://{host}/").name == "generic":
        fields.fail("parser", f"'site' but no site parser is registered for {host}; use generic")
    return "site"


def _database_problem(url: str) -> str | None:
    try:
        make_url(url).get_dialect()  # an unknown database or driver is an ArgumentError too
    except ArgumentError:
        return f"not a database URL: {url!r} (e.g. sqlite:///data/archive.sqlite3)"
    return None
