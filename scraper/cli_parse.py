"""`newsarchive parse`: what the extractor gets from saved pages, for analysts fixing parsers."""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import click
from rich.progress import Progress

from parsers import ArticleRecord, SiteConfig, parse
from parsers.exceptions import SiteConfigError
from scraper.exceptions import UsageError

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


@click.command("parse")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--url", help="The page's URL (default: the sidecar JSON's url, else file://).")
@click.option("--fetched-at", help="ISO-8601 time the page was fetched (anchors '3 hours ago').")
@click.option("--timezone", "timezone_name", help="Site timezone for dates without an offset.")
@click.option("--language", help="Site language, e.g. 'fr', when the page does not say.")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json")
@click.option("--batch", is_flag=True, help="PATH is a folder: parse every page (json: JSONL).")
@click.option("-o", "--output", type=click.File("w"), default="-", help="Write here (default -).")
def parse_command(
    path: Path,
    url: str | None,
    fetched_at: str | None,
    timezone_name: str | None,
    language: str | None,
    output_format: str,
    batch: bool,
    output: IO[str],
) -> None:
    """Parse a saved page (or, with --batch, a folder of pages) and print the record."""
    when = _parse_time(fetched_at)
    site = _site_config(timezone_name, language)
    if batch:
        _parse_folder(path, when, fetched_at is not None, site, output, output_format)
        return
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    record = parse(_read_page(path), _checked_url(url) or _page_url(path), when, site=site)
    if output_format == "text":
        output.write(render_text(record))
    else:
        output.write(json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n")


def _parse_folder(
    folder: Path,
    when: datetime,
    fetched_given: bool,
    site: SiteConfig | None,
    output: IO[str],
    output_format: str,
) -> None:
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder (--batch takes a folder of pages)")
    pages = sorted(_pages_in(folder))
    if not pages:
        raise UsageError(f"{folder}: no .html pages found")
    with Progress(console=None, transient=True, disable=not _stderr_is_terminal()) as progress:
        task = progress.add_task("parsing", total=len(pages))
        for page in pages:
            fetched_at = when if fetched_given else _sidecar_time(page, when)
            page_site = site or _sidecar_site(page)
            record = parse(_read_page(page), _page_url(page), fetched_at, site=page_site)
            if output_format == "text":
                output.write(f"== {page}\n{render_text(record)}\n")
            else:
                line = {"file": str(page), **record.to_dict()}
                output.write(json.dumps(line, ensure_ascii=False) + "\n")
            progress.advance(task)


def render_text(record: ArticleRecord) -> str:
    """A reader's view of a record: metadata lines, then the body, then the images."""
    lines = [
        f"headline:   {record.headline or '-'}",
        f"standfirst: {record.standfirst or '-'}",
        f"authors:    {', '.join(record.authors) or '-'}",
        f"published:  {_when(record.published_at, record.published_precision)}",
        f"updated:    {_when(record.updated_at, record.updated_precision)}",
        f"section:    {record.section or '-'}",
        f"page type:  {record.page_type}",
        f"canonical:  {record.canonical_url}",
        f"parser:     {record.parser}",
    ]
    lines += [f"warning:    {warning}" for warning in record.warnings]
    lines += ["", *(f"{paragraph}\n" for paragraph in record.body)]
    for image in record.images:
        lines.append(f"[image] {image.url}")
        lines += [f"        caption: {image.caption}"] if image.caption else []
        lines += [f"        credit:  {image.credit}"] if image.credit else []
    return "\n".join(lines) + "\n"


def _when(value: datetime | None, precision: str | None) -> str:
    if value is None:
        return "-"
    return value.date().isoformat() if precision == "day" else value.isoformat()


def _pages_in(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.is_file() and path.name.lower().endswith(PAGE_SUFFIXES):
            yield path


def _read_page(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from exc
    if not path.name.endswith(".gz"):
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise UsageError(f"{path}: not a readable gzip file ({exc})") from exc


def _page_url(path: Path) -> str:
    """A golden fixture's sidecar JSON knows the page's URL; otherwise the file's own."""
    url = _sidecar(path).get("url")
    return url if isinstance(url, str) and url else path.resolve().as_uri()


def _sidecar_time(path: Path, default: datetime) -> datetime:
    """A saved page is read as of when it was fetched, so "3 hours ago" means what it did."""
    text = _sidecar(path).get("fetched_at")
    try:
        return _parse_time(text) if isinstance(text, str) else default
    except UsageError:
        return default


def _sidecar_site(path: Path) -> SiteConfig | None:
    facts = _sidecar(path).get("site")
    if not isinstance(facts, dict):
        return None
    try:
        return SiteConfig(timezone=facts.get("timezone"), language=facts.get("language"))
    except (SiteConfigError, TypeError):
        return None


def _sidecar(path: Path) -> dict[str, object]:
    sidecar = path.with_name(path.name.split(".")[0] + ".json")
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def _checked_url(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError as exc:
        raise UsageError(f"--url {url!r} is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https", "file") or not (parts.netloc or parts.path):
        raise UsageError(f"--url {url!r} is not an http(s) or file URL")
    return url


def _parse_time(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--fetched-at {text!r} is not an ISO-8601 time") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _site_config(timezone_name: str | None, language: str | None) -> SiteConfig | None:
    if timezone_name is None and language is None:
        return None
    try:
        return SiteConfig(timezone=timezone_name, language=language)
    except SiteConfigError as exc:
        raise UsageError(f"--timezone: {exc}") from exc


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
