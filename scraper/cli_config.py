"""`newsarchive config`: validate schedules.yaml before a cron job trips on it, and show it.

`check` prints one line per site; `show` prints every setting in effect (defaults filled in,
overrides applied) as YAML, so an analyst sees what a run will actually do.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import click
import yaml
from sqlalchemy.engine import make_url

from scraper.cli_options import config_option
from scraper.config import Config, SiteEntry, default_config_path, load_config
from scraper.settings import Schedule, Settings

_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_PATH = click.Path(path_type=Path, dir_okay=False)


@click.group("config")
def config_group() -> None:
    """Validate schedules.yaml and show the configuration in effect."""


@config_group.command("check")
@click.argument("path", required=False, type=_PATH)
@config_option
def check_command(path: Path | None, config_path: Path | None) -> None:
    """Validate PATH (or --config) and print one line per site.

    PATH defaults to $NEWSARCHIVE_CONFIG, else ./schedules.yaml."""
    config = load_config(path or config_path or default_config_path())
    for site in config.sites:
        click.echo(site.summary())
    enabled = len(config.enabled_sites())
    click.echo(
        f"{config.path}: ok, {len(config.sites)} sites ({enabled} enabled), "
        f"database {safe_database_url(config.settings.database_url)}"
    )


@config_group.command("show")
@click.argument("path", required=False, type=_PATH)
@config_option
def show_command(path: Path | None, config_path: Path | None) -> None:
    """Print the effective configuration of PATH or --config (defaults and overrides
    applied) as YAML."""
    config = load_config(path or config_path or default_config_path())
    click.echo(yaml.safe_dump(effective(config), sort_keys=False, allow_unicode=True), nl=False)


def effective(config: Config) -> dict[str, object]:
    """The config as plain data in schedules.yaml's own vocabulary (durations as '1h')."""
    return {
        "settings": _settings(config.settings),
        "sites": {site.host: _site(site) for site in config.sites},
    }


def safe_database_url(url: str) -> str:
    """The database URL with any password masked, fit for a terminal or a log."""
    return make_url(url).render_as_string(hide_password=True)


def duration_text(value: timedelta) -> str:
    """timedelta(hours=1, minutes=30) -> '1h30m': how durations are written in the file."""
    seconds = round(value.total_seconds())
    parts = []
    for unit, size in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def _settings(settings: Settings) -> dict[str, object]:
    return {
        "data_dir": str(settings.data_dir),
        "database": safe_database_url(settings.database_url),
        "warc_dir": str(settings.warc_dir),
        "contact_url": settings.contact_url,
        "user_agent": settings.user_agent,
        "connections_per_host": settings.connections_per_host,
        "min_delay": settings.min_delay,
        "allow_private_addresses": settings.allow_private_addresses,
        "concurrency": settings.concurrency,
        "parse_workers": settings.parse_workers,
        "timeouts": asdict(settings.timeouts),
        "retries": asdict(settings.retries),
        "max_retry_after": settings.max_retry_after,
        "max_redirects": settings.max_redirects,
        "max_response_bytes": settings.max_response_bytes,
        "max_decompressed_bytes": settings.max_decompressed_bytes,
        "robots_cache_ttl": settings.robots_cache_ttl,
        "recheck": [duration_text(step) for step in settings.recheck],
        "schedule": _schedule(settings.schedule),
        "resolve": {host: f"{address}:{port}" for host, (address, port) in settings.resolve},
    }


def _site(site: SiteEntry) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": site.name,
        "parser": site.parser,
        "timezone": site.timezone,
        "language": site.language,
        "enabled": site.enabled,
        "date_formats": list(site.date_formats),
        "feeds": list(site.feeds),
        "sitemaps": list(site.sitemaps),
        "robots_sitemaps": site.robots_sitemaps,
        "sections": [
            {
                "url": section.url,
                "link_selector": section.link_selector,
                "link_pattern": section.link_pattern.pattern if section.link_pattern else None,
            }
            for section in site.sections
        ],
        "start_urls": list(site.start_urls),
        "include": [pattern.pattern for pattern in site.include],
        "exclude": [pattern.pattern for pattern in site.exclude],
        "schedule": _schedule(site.schedule),
        "recheck": [duration_text(step) for step in site.recheck],
        "connections_per_host": site.connections_per_host,
        "min_delay": site.min_delay,
        "allow_private_addresses": site.allow_private_addresses,
    }
    return {key: value for key, value in entry.items() if value != []}


def _schedule(schedule: Schedule) -> dict[str, object]:
    when: dict[str, object] = (
        {"cron": schedule.cron}
        if schedule.cron
        else {"interval": duration_text(schedule.interval or timedelta())}
    )
    return {**when, "timezone": schedule.timezone, "jitter": duration_text(schedule.jitter)}
