"""The options every archive command shares: --config, --db and --log-format.

`--config` defaults to $NEWSARCHIVE_CONFIG, else ./schedules.yaml; `--db` to $NEWSARCHIVE_DB,
else the config's database (SQLite under its data dir), so several archives can live side by
side and a cron line names exactly one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from scraper.config import Config, default_config_path, load_config
from scraper.exceptions import UsageError
from storage.db import Database, open_database
from storage.exceptions import DatabaseUrlError

F = TypeVar("F", bound=Callable[..., Any])


def config_option(function: F) -> F:
    option = click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="schedules.yaml to read (default: $NEWSARCHIVE_CONFIG, else ./schedules.yaml).",
    )
    return option(function)


def db_option(function: F) -> F:
    option = click.option(
        "--db",
        "database_url",
        default=None,
        help="SQLAlchemy URL of the archive (default: $NEWSARCHIVE_DB, else the config's).",
    )
    return option(function)


def log_format_option(function: F) -> F:
    option = click.option(
        "--log-format",
        type=click.Choice(["auto", "text", "json"]),
        default="auto",
        show_default=True,
        help="text: progress bars and tables; json: JSON lines; auto: text on a terminal.",
    )
    return option(function)


def wants_json(log_format: str) -> bool:
    return log_format == "json" or (log_format == "auto" and not sys.stdout.isatty())


def load(config_path: Path | None, database_url: str | None) -> Config:
    """The configuration, with --db (when given) replacing its database."""
    config = load_config(config_path or default_config_path())
    return config.with_database(database_url) if database_url else config


def open_archive(url: str) -> Database:
    """The archive database, migrated; a URL that cannot be used is a usage error (exit 2)."""
    try:
        return open_database(url)
    except DatabaseUrlError as exc:
        raise UsageError(str(exc)) from exc


def date_value(option: str, text: str) -> datetime:
    """A date or date-time given on the command line (UTC unless it says otherwise)."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{option}: not a date (YYYY-MM-DD): {text!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
