"""`newsarchive parser new|check|list` and `save-fixture`: the analyst's parser toolkit."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import httpx
from rich.console import Console
from rich.table import Table

from parsers.registry import registered_sites
from parsers.site_config import SiteConfig
from parsers.urls import site_of
from scraper.exceptions import UsageError
from scraper.golden import GoldenPage, Mismatch, check_page, golden_pages
from scraper.scaffold import save_fixture, scaffold_site, site_host
from scraper.settings import CONTACT_URL, user_agent_for

DEFAULT_FIXTURES = Path("tests/fixtures")
SHOWN_CHARS = 70


@click.group("parser")
def parser_group() -> None:
    """Add, list and check site parsers."""


@parser_group.command("new")
@click.argument("host")
@click.argument("page", required=False)
@click.option("--url", help="The sample page's URL when PAGE is a file.")
@click.option("--timezone", "timezone_name", help="The site's timezone, e.g. Europe/Paris.")
@click.option("--language", help="The site's language, e.g. fr.")
@click.option("--root", type=click.Path(path_type=Path), default=".", help="Project checkout.")
def new_command(
    host: str,
    page: str | None,
    url: str | None,
    timezone_name: str | None,
    language: str | None,
    root: Path,
) -> None:
    """Scaffold a site parser for HOST, register it, and save PAGE (URL or file) as its fixture."""
    site = site_host(host)
    config = _site_config(timezone_name, language)
    fetched = _read_source(page, url) if page else None
    module = scaffold_site(root, site, config, "site parser scaffolded by `parser new`.")
    click.echo(f"wrote {module}")
    if fetched is None:
        click.echo(f"next: newsarchive save-fixture ARTICLE_URL --host {site}")
        return
    body, page_url, fetched_at = fetched
    spec = save_fixture(root / DEFAULT_FIXTURES, site, body, page_url, fetched_at)
    click.echo(f"wrote {spec.with_suffix('.html')}\nwrote {spec}")
    click.echo(f"next: correct {spec}, then run: newsarchive parser check {site}")


@parser_group.command("list")
def list_command() -> None:
    """Every host with a site parser, and the class that reads it."""
    for host, cls in registered_sites().items():
        click.echo(f"{host}\t{cls.__module__}.{cls.__name__}")


@parser_group.command("check")
@click.argument("host", required=False)
@click.option(
    "--fixtures", type=click.Path(path_type=Path), default=DEFAULT_FIXTURES, show_default=True
)
def check_command(host: str | None, fixtures: Path) -> None:
    """Parse every golden page (or HOST's) and print each field that differs; exit 1 if any."""
    site = site_host(host) if host else None
    pages = list(golden_pages(fixtures, site))
    if not pages:
        raise UsageError(f"no golden pages under {fixtures}" + (f" for {site}" if site else ""))
    failures = [(page, mismatch) for page in pages for mismatch in check_page(page)]
    fields = sum(len(page.expected) for page in pages)
    if failures:
        _print_mismatches(failures)
    click.echo(f"{len(pages)} pages, {fields} fields checked, {len(failures)} mismatches")
    if failures:
        raise click.exceptions.Exit(1)


@click.command("save-fixture")
@click.argument("source")
@click.option("--host", required=True, help="The site the page belongs to.")
@click.option("--url", help="The page's URL when SOURCE is a file.")
@click.option("--slug", help="File name for the pair (default: from the URL).")
@click.option("--fetched-at", help="ISO-8601 fetch time for a saved file (default: now).")
@click.option("--fixtures", type=click.Path(path_type=Path), default=DEFAULT_FIXTURES)
@click.option("--force", is_flag=True, help="Replace an existing pair.")
def save_fixture_command(
    source: str,
    host: str,
    url: str | None,
    slug: str | None,
    fetched_at: str | None,
    fixtures: Path,
    force: bool,
) -> None:
    """Store a page (URL or file) and the parser's output as a golden pair to correct by hand."""
    site = site_host(host)
    body, page_url, when = _read_source(source, url, fetched_at)
    spec = save_fixture(fixtures, site, body, page_url, when, slug=slug, overwrite=force)
    click.echo(f"wrote {spec.with_suffix('.html')}\nwrote {spec}")
    click.echo(f"next: correct the expected fields, then run: newsarchive parser check {site}")


def _read_source(
    source: str, url: str | None, fetched_at: str | None = None
) -> tuple[bytes, str, datetime]:
    """A page from the web (its URL is the source) or from a file (its URL must be given)."""
    if source.startswith(("http://", "https://")):
        return _download(source), url or source, datetime.now(UTC)
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{source}: no such file (give a file or an http(s) URL)")
    if not url or not url.startswith(("http://", "https://")):
        raise UsageError("a page read from a file needs --url, the address it was saved from")
    if not site_of(url):
        raise UsageError(f"{url}: not a valid URL")
    return _read_file(path), url, _fetch_time(fetched_at)


def _download(url: str) -> bytes:
    try:
        response = httpx.get(
            url,
            follow_redirects=True,
            timeout=30,
            headers={"User-Agent": user_agent_for(CONTACT_URL)},
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise UsageError(f"{url}: could not fetch ({exc})") from exc
    return response.content


def _read_file(path: Path) -> bytes:
    data = path.read_bytes()
    if not path.name.endswith(".gz"):
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise UsageError(f"{path}: not a readable gzip file ({exc})") from exc


def _fetch_time(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--fetched-at {text!r}: not an ISO-8601 time") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _site_config(timezone_name: str | None, language: str | None) -> SiteConfig:
    from parsers.exceptions import SiteConfigError

    try:
        return SiteConfig(timezone=timezone_name, language=language)
    except SiteConfigError as exc:
        raise UsageError(str(exc)) from exc


def _print_mismatches(failures: list[tuple[GoldenPage, Mismatch]]) -> None:
    table = Table("page", "field", "expected", "found", show_lines=True)
    for page, mismatch in failures:
        expected, found = _difference(mismatch)
        table.add_row(page.name, mismatch.field, expected, found)
    Console(width=160).print(table)


def _difference(mismatch: Mismatch) -> tuple[str, str]:
    """For lists, the first item that differs (and where); else both values, shortened."""
    expected, found = mismatch.expected, mismatch.found
    if mismatch.field.startswith("body_"):
        verb = "missing" if mismatch.field == "body_contains" else "leaked"
        return _short(expected), f"{verb}: {_short(found)}"
    if isinstance(expected, list) and isinstance(found, list):
        for index, (one, other) in enumerate(zip(expected, found, strict=False)):
            if one != other:
                return f"[{index}] {_short(one)}", f"[{index}] {_short(other)}"
        return f"{len(expected)} items", f"{len(found)} items"
    return _short(expected), _short(found)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
