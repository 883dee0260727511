"""`Archive`: the archive as a researcher reads it, from a notebook or a script.

    >>> from storage import Archive
    >>> archive = Archive.open("sqlite:///data/demo/archive.sqlite3")  # doctest: +SKIP
    >>> page = archive.search("drone", site="example.com")  # doctest: +SKIP
    >>> archive.article(page.hits[0].url).versions  # doctest: +SKIP

`Archive.open()` is read-only by default (SQLite `query_only`, a read-only PostgreSQL
session): nothing a notebook does can change the archive a crawler keeps writing. Dates may
be given as `date`, `datetime` or ISO text; naive values are UTC, and a plain day as an upper
bound means the end of that day.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.exc import OperationalError

from storage.clusters import ClusterMember, Clusters
from storage.db import Database, database_url, open_database
from storage.diffs import VersionDiff, compare, first_summary
from storage.exceptions import ArchiveNotFoundError, SearchQueryError
from storage.export import ExportFilter, ExportFormat, export_rows, write_export
from storage.history import StoredArticle, StoredVersion, load_article
from storage.search import Search, SearchPage, SearchQuery
from storage.stats import ArchiveStats, Period, archive_stats

if TYPE_CHECKING:
    import pandas

DateLike = date | datetime | str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A version and what changed from the one before it (`diff` is None for the first)."""

    version: StoredVersion
    summary: str
    diff: VersionDiff | None


class Archive:
    """Search, read, compare and export what an archive database holds."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, url: str | None = None, *, read_only: bool = True) -> Archive:
        """The archive at `url` (default: $NEWSARCHIVE_DB, else data/archive.sqlite3).

        Read-only opening never creates or migrates an archive: a missing SQLite file or a
        database without the archive's tables is an `ArchiveNotFoundError`.
        """
        if not read_only:
            return cls(open_database(url))
        parsed = database_url(url)
        on_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
            None,
            "",
            ":memory:",
        )
        if on_file and not Path(str(parsed.database)).is_file():
            raise ArchiveNotFoundError(f"no archive at {parsed.database}")
        database = open_database(url, migrate=False, checkpoints=False)
        on_sqlite = database.dialect == "sqlite"
        event.listen(
            database.engine, "connect", _sqlite_read_only if on_sqlite else _postgres_read_only
        )
        _check_schema(database)
        return cls(database)

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def search(
        self,
        text: str = "",
        *,
        site: str | None = None,
        section: str | None = None,
        author: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        as_of: DateLike | None = None,
        has_versions: bool | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Ranked full-text search (words all present, "phrases", -exclusions, prefix*)."""
        query = SearchQuery(
            text=text,
            site=site,
            section=section,
            author=author,
            published_from=moment(since),
            published_to=moment(until, end_of_day=True),
            as_of=moment(as_of, end_of_day=True),
            has_versions=has_versions,
            limit=limit,
            offset=offset,
        )
        return Search(self.database).run(query)

    def article(self, ref: int | str) -> StoredArticle:
        """The article an id or any of its URLs names, with every version."""
        return load_article(self.database, ref)

    def history(self, ref: int | str) -> list[HistoryEntry]:
        """Each version with a one-line summary of what changed from the one before."""
        versions = self.article(ref).versions
        entries = [HistoryEntry(versions[0], first_summary(versions[0].record), None)]
        for before, after in pairwise(versions):
            diff = compare(before.record, after.record, before.number, after.number)
            entries.append(HistoryEntry(after, diff.summary(), diff))
        return entries

    def diff(
        self, ref: int | str, from_version: int | None = None, to_version: int | None = None
    ) -> VersionDiff:
        """Version `from_version` against `to_version` (default: the current version against
        the one before it; a one-version article is compared with itself)."""
        article = self.article(ref)
        after = article.version(to_version)
        if from_version is None:
            earlier = [v for v in article.versions if v.number < after.number]
            before = earlier[-1] if earlier else after
        else:
            before = article.version(from_version)
        return compare(before.record, after.record, before.number, after.number)

    def cluster(self, ref: int | str) -> list[ClusterMember]:
        """The same story elsewhere: the article's cluster, oldest first (itself included)."""
        article = self.article(ref)
        return Clusters(self.database).members(article.article_id)

    def rows(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Export rows (`storage.export.EXPORT_COLUMNS`), streamed; filters as `export`."""
        return export_rows(self.database, export_filter(**filters))

    def export(
        self, path: str | Path, export_format: ExportFormat = "jsonl", **filters: Any
    ) -> int:
        """Write an export file (jsonl, csv or parquet); the number of rows written.

        Filters: site, section, author, since, until, all_versions (every version, not only
        the current one).
        """
        return write_export(self.database, Path(path), export_format, export_filter(**filters))

    def to_dataframe(self, **filters: Any) -> pandas.DataFrame:
        """The export rows as a pandas DataFrame (pandas is optional: install it to use this)."""
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("to_dataframe needs pandas: pip install pandas") from exc
        from storage.export import COLUMN_NAMES

        return pandas.DataFrame.from_records(list(self.rows(**filters)), columns=COLUMN_NAMES)

    def stats(
        self,
        period: Period = "day",
        *,
        site: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
    ) -> ArchiveStats:
        """Articles per site per day or week, and versions per site."""
        return archive_stats(
            self.database,
            period,
            site=site,
            since=moment(since),
            until=moment(until, end_of_day=True),
        )


def export_filter(
    *,
    site: str | None = None,
    section: str | None = None,
    author: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    all_versions: bool = False,
) -> ExportFilter:
    return ExportFilter(
        site=site,
        section=section,
        author=author,
        published_from=moment(since),
        published_to=moment(until, end_of_day=True),
        all_versions=all_versions,
    )


def moment(value: DateLike | None, *, end_of_day: bool = False) -> datetime | None:
    """An aware datetime from a date, a datetime or ISO text (naive means UTC); a plain day
    as an upper bound (`end_of_day`) is its last microsecond."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = _parse_iso(value)
    if not isinstance(value, datetime):
        clock = time.max if end_of_day else time.min
        return datetime.combine(value, clock, tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _parse_iso(value: str) -> date | datetime:
    text_value = value.strip()
    try:
        if len(text_value) == 10:
            return date.fromisoformat(text_value)
        return datetime.fromisoformat(text_value)
    except ValueError as exc:
        raise SearchQueryError(f"not a date (YYYY-MM-DD or ISO 8601): {value!r}") from exc


def _sqlite_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def _postgres_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET default_transaction_read_only = on")
    dbapi_connection.commit()
    cursor.close()


def _check_schema(database: Database) -> None:
    try:
        with database.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if "articles" in tables and "alembic_version" in tables:
                connection.execute(text("SELECT 1 FROM articles LIMIT 1"))
                return
    except OperationalError as exc:
        database.close()
        raise ArchiveNotFoundError(f"cannot read the archive: {exc.orig}") from exc
    database.close()
    raise ArchiveNotFoundError(f"{database.url.render_as_string()} holds no newsarchive archive")
