"""Exports for analysis: one row per article (or per version), streamed in constant memory.

The columns are a documented, stable schema (`EXPORT_COLUMNS`, listed in the README and
checked against it by a test): a column is only ever added at the end, never renamed or
dropped, so scripts reading an export keep working. Rows are read with a server-side cursor
in batches and written as they come; the file appears under its name only when complete.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from sqlalchemy import ColumnElement, Select, exists, func, select

from storage.db import Database
from storage.exceptions import ExportError
from storage.export_parquet import write_parquet
from storage.models import Article, ArticleVersion, Author, Site, VersionAuthor

ExportFormat = Literal["jsonl", "csv", "parquet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
BATCH_SIZE = 1000


@dataclass(frozen=True, slots=True)
class ExportColumn:
    name: str
    kind: Literal["int", "str", "bool", "datetime", "list"]
    description: str


EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("article_id", "int", "the article's id in this archive"),
    ExportColumn("version_no", "int", "1 for the first version, counting up"),
    ExportColumn("version_kind", "str", "first, updated, date_only, silent_edit or reparse"),
    ExportColumn("version_saved_at", "datetime", "when the archive stored this version"),
    ExportColumn("is_current", "bool", "whether this is the article's latest version"),
    ExportColumn("site", "str", "the site (host without www.)"),
    ExportColumn("url", "str", "the article's canonical URL"),
    ExportColumn("fetched_url", "str", "the URL this version was fetched from"),
    ExportColumn("headline", "str", "the headline"),
    ExportColumn("standfirst", "str", "the standfirst / dek"),
    ExportColumn("authors", "list", "byline names in printed order"),
    ExportColumn("published_at", "datetime", "publication time (UTC)"),
    ExportColumn("published_precision", "str", "minute, second or day"),
    ExportColumn("updated_at", "datetime", "the page's last-updated time (UTC)"),
    ExportColumn("updated_precision", "str", "minute, second or day"),
    ExportColumn("section", "str", "the site's section"),
    ExportColumn("tags", "list", "the page's tags"),
    ExportColumn("language", "str", "language code"),
    ExportColumn("body", "str", "the body, paragraphs separated by a blank line"),
    ExportColumn("word_count", "int", "words in the body"),
    ExportColumn("captions", "list", "image captions with their credits"),
    ExportColumn("image_urls", "list", "image URLs in page order"),
    ExportColumn("cluster_id", "int", "story cluster (the same story on other sites)"),
    ExportColumn("first_seen", "datetime", "when the archive first saw the article"),
    ExportColumn("last_seen", "datetime", "when the archive last saw the article"),
    ExportColumn("content_hash", "str", "normalized content hash of this version"),
    ExportColumn("parser", "str", "parser name and version that made this version"),
)
COLUMN_NAMES = tuple(column.name for column in EXPORT_COLUMNS)
# How list columns are joined in CSV (JSONL and Parquet keep them as lists).
CSV_LIST_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which rows to export; None leaves a filter open. Dates are aware, bounds inclusive."""

    site: str | None = None
    section: str | None = None
    author: str | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None
    all_versions: bool = False

    def __post_init__(self) -> None:
        for name in ("published_from", "published_to"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ExportError(f"{name} must carry a time zone")


def count_rows(database: Database, filters: ExportFilter) -> int:
    """How many rows `export_rows` yields (for progress bars)."""
    query = _rows_query(filters).with_only_columns(func.count()).order_by(None)
    with database.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def export_rows(
    database: Database, filters: ExportFilter, batch_size: int = BATCH_SIZE
) -> Iterator[dict[str, Any]]:
    """Rows in `EXPORT_COLUMNS` order (article id, then version), read in batches."""
    query = _rows_query(filters).execution_options(stream_results=True, yield_per=batch_size)
    with database.engine.connect() as connection:
        for row in connection.execute(query):
            yield _export_row(row)


def write_export(
    database: Database,
    destination: Path | None,
    export_format: ExportFormat,
    filters: ExportFilter,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the rows to `destination` (None: standard output; not for Parquet); row count.

    The file is written beside its final name and renamed when complete, so an interrupted
    export never leaves a truncated file that looks finished.
    """
    if export_format not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {export_format!r}: use one of {EXPORT_FORMATS}")
    rows = _counted(export_rows(database, filters), progress)
    if destination is None:
        if export_format == "parquet":
            raise ExportError("parquet is a binary format: name an output file with -o")
        return _write_text(rows, sys.stdout, export_format)
    partial = destination.with_name(destination.name + ".partial")
    try:
        if export_format == "parquet":
            written = write_parquet(rows, partial, EXPORT_COLUMNS)
        else:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                written = _write_text(rows, stream, export_format)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    return written


def text_lines(rows: Iterable[dict[str, Any]], export_format: ExportFormat) -> Iterator[str]:
    """The JSON lines or CSV text of `rows`, one line (ending in a newline) at a time; CSV
    starts with its header. Files and streamed downloads share it, so they are identical."""
    if export_format == "jsonl":
        for row in rows:
            yield json.dumps(_jsonable(row), ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    yield _drained(buffer)
    for row in rows:
        writer.writerow(_csv_values(row))
        yield _drained(buffer)


def _drained(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _write_text(
    rows: Iterator[dict[str, Any]], stream: IO[str], export_format: ExportFormat
) -> int:
    count = -1 if export_format == "csv" else 0  # the CSV header is not a row
    for line in text_lines(rows, export_format):
        stream.write(line)
        count += 1
    stream.flush()
    return count


def _counted(
    rows: Iterator[dict[str, Any]], progress: Callable[[int], None] | None
) -> Iterator[dict[str, Any]]:
    if progress is None:
        yield from rows
        return
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % BATCH_SIZE == 0:
            progress(done)
    progress(done)


def _rows_query(filters: ExportFilter) -> Select[Any]:
    version = ArticleVersion
    return (
        select(
            version.article_id,
            version.version_no,
            version.kind,
            version.created_at,
            version.url,
            version.content_hash,
            version.record,
            (Article.current_version_id == version.id).label("is_current"),
            Article.canonical_url,
            Article.cluster_id,
            Article.first_seen,
            Article.last_seen,
            Site.name.label("site"),
        )
        .join(Article, Article.id == version.article_id)
        .join(Site, Site.id == Article.site_id)
        .where(*_conditions(filters))
        .order_by(version.article_id, version.version_no)
    )


def _conditions(filters: ExportFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not filters.all_versions:
        conditions.append(Article.current_version_id == ArticleVersion.id)
    if filters.site:
        conditions.append(Site.name == filters.site.lower().removeprefix("www."))
    if filters.section:
        conditions.append(func.lower(ArticleVersion.section) == filters.section.lower())
    if filters.published_from:
        conditions.append(ArticleVersion.published_at >= filters.published_from)
    if filters.published_to:
        conditions.append(ArticleVersion.published_at <= filters.published_to)
    if filters.author:
        conditions.append(
            exists()
            .where(VersionAuthor.version_id == ArticleVersion.id)
            .where(Author.id == VersionAuthor.author_id)
            .where(func.lower(Author.name) == filters.author.lower())
        )
    return conditions


def _export_row(row: Any) -> dict[str, Any]:
    record: dict[str, Any] = row.record
    body = record.get("body") or []
    images = record.get("images") or []
    parser = record.get("parser") or {}
    return {
        "article_id": row.article_id,
        "version_no": row.version_no,
        "version_kind": row.kind,
        "version_saved_at": row.created_at,
        "is_current": bool(row.is_current),
        "site": row.site,
        "url": row.canonical_url,
        "fetched_url": row.url,
        "headline": record.get("headline"),
        "standfirst": record.get("standfirst"),
        "authors": list(record.get("authors") or []),
        "published_at": _utc(record.get("published_at")),
        "published_precision": record.get("published_precision"),
        "updated_at": _utc(record.get("updated_at")),
        "updated_precision": record.get("updated_precision"),
        "section": record.get("section"),
        "tags": list(record.get("tags") or []),
        "language": record.get("language"),
        "body": "\n\n".join(body),
        "word_count": sum(len(paragraph.split()) for paragraph in body),
        "captions": [_caption(image) for image in images if image.get("caption")],
        "image_urls": [image.get("url") for image in images if image.get("url")],
        "cluster_id": row.cluster_id,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "content_hash": row.content_hash,
        "parser": f"{parser.get('name', '')} {parser.get('version', '')}".strip(),
    }


def _caption(image: dict[str, Any]) -> str:
    credit = image.get("credit")
    return f"{image['caption']} ({credit})" if credit else str(image["caption"])


def _utc(value: str | None) -> datetime | None:
    """The record keeps the page's own offset; exports are all UTC, like the columns."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(UTC)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in row.items()
    }


def _csv_values(row: dict[str, Any]) -> list[object]:
    values: list[object] = []
    for column in EXPORT_COLUMNS:
        value = row[column.name]
        if column.kind == "list":
            value = CSV_LIST_SEPARATOR.join(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        elif value is None:
            value = ""
        values.append(value)
    return values
