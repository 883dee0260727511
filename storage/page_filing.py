"""Fetched pages filed in one transaction each batch: fetch row, parse row, save, frontier move.

Filed one call at a time, a crawled page cost four commits (its fetch, its parse, its save,
its frontier move) and as many trips to a worker thread. Here a batch of pages shares one
transaction built from the store's in-session functions (`storage.saving`) and the
frontier's (`storage.frontier_visits`). A batch that loses a race to another writer runs
again from the start, as a store save does; `file_each` files a batch that fails for any
other reason page by page, so only the faulty page's error is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, Row, bindparam, insert, select

from parsers.record import ArticleRecord
from parsers.urls import site_of
from storage.contract import FetchInfo, SaveResult
from storage.db import Database
from storage.exceptions import RecordError
from storage.frontier_visits import Outcome, Visit, record_visits
from storage.models import Fetch, PageParse
from storage.saving import Incoming, insert_fetch, save_in
from storage.upserts import KnownIds, TransactionIds
from storage.warc_records import RefersTo, WarcRef, warc_date
from storage.write_retries import write_with_retries

CHUNK = 500  # URLs per IN list: well under every database's limit on bound parameters

_INSERT_PARSE = insert(PageParse)
# Every archived full response of the URLs, newest first per URL: a revisit points at the
# first one. Its target URI and date are the fetch row's final URL and fetch time (what the
# WARC writer put in the record), so the record need not be read back.
_CAPTURES = (
    select(
        Fetch.url,
        Fetch.final_url,
        Fetch.fetched_at,
        Fetch.warc_file,
        Fetch.warc_offset,
        Fetch.warc_length,
        Fetch.payload_digest,
        Fetch.warc_record_id,
    )
    .where(
        Fetch.url.in_(bindparam("urls", expanding=True)),
        Fetch.revisit.is_(False),
        Fetch.warc_file.is_not(None),
        Fetch.warc_record_id.is_not(None),
        Fetch.status.is_not(None),
    )
    .order_by(Fetch.url, Fetch.fetched_at.desc(), Fetch.id.desc())
)

_CaptureRow = Row[
    str, str | None, datetime, str | None, int | None, int | None, str | None, str | None
]


@dataclass(frozen=True, slots=True)
class PageFiling:
    """One fetch to file, with what followed it.

    `record`: the parse (a `page_parses` row, and a save when it is an article). `visit`: the
    frontier's update, moved on with `outcome` when nothing was parsed, else with what the
    record says (`not_article`, or `changed`/`unchanged` by its save). No visit leaves the
    frontier as it was (the URL stays due). `prepared`: `prepare_save(record)` when it was
    made already (by a parsing process: it is pure CPU work).
    """

    fetch: FetchInfo
    record: ArticleRecord | None = None
    visit: Visit | None = None
    outcome: Outcome | None = None
    prepared: Incoming | None = None

    def __post_init__(self) -> None:
        if self.visit is not None and self.record is None and self.outcome is None:
            raise ValueError(f"a visit of {self.fetch.url} without a parse needs an outcome")


@dataclass(frozen=True, slots=True)
class Filed:
    """What filing a page did: its fetch row, its save (articles only), the frontier's move."""

    fetch_id: int
    saved: SaveResult | None = None
    outcome: Outcome | None = None


class Capture(NamedTuple):
    """An archived full response, as a revisit record refers to it."""

    ref: WarcRef
    refers: RefersTo | None  # None: unknown here, read it from the record


class PageFiler:
    """Files fetched pages into one database; safe to share between threads."""

    def __init__(self, database: Database, recheck: Sequence[timedelta]) -> None:
        self.database = database
        self.recheck = tuple(recheck)
        self._known_ids = KnownIds()

    def file(self, pages: Sequence[PageFiling]) -> list[Filed]:
        """File the pages in one transaction, in order; all or nothing."""
        if not pages:
            return []
        batch = [(page, _incoming(page)) for page in pages]

        def work(connection: Connection, ids: TransactionIds) -> list[Filed]:
            filed = [_file_one(connection, ids, page, incoming) for page, incoming in batch]
            parses = [
                _parse_row(page, one.fetch_id)
                for (page, _), one in zip(batch, filed, strict=True)
                if page.record is not None
            ]
            if parses:
                connection.execute(_INSERT_PARSE, parses)
            visits = [
                (page.visit, one.outcome)
                for (page, _), one in zip(batch, filed, strict=True)
                if page.visit is not None and one.outcome is not None
            ]
            record_visits(connection, visits, self.recheck)
            return filed

        return write_with_retries(
            self.database, self._known_ids, work, what=f"a batch of {len(pages)} pages"
        )

    def file_each(self, pages: Sequence[PageFiling]) -> list[Filed | Exception]:
        """`file`, and when the batch fails, each page on its own: every page gets its filing
        or the error that stopped it, never another page's."""
        try:
            return list(self.file(pages))
        except Exception as exc:  # attributed to its page below, raised by that page's caller
            if len(pages) == 1:
                return [exc]
        return [_filed_or_error(self, page) for page in pages]

    def previous_captures(self, urls: Iterable[str]) -> dict[str, Capture]:
        """The latest archived full response of each URL that has one (by fetched URL)."""
        wanted = sorted(set(urls))
        found: dict[str, Capture] = {}
        with self.database.engine.connect() as connection:
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                for row in connection.execute(_CAPTURES, {"urls": chunk}):
                    if row.url not in found:
                        found[row.url] = _capture(row)
        return found


def _file_one(
    connection: Connection,
    ids: TransactionIds,
    page: PageFiling,
    incoming: Incoming | None,
) -> Filed:
    """The page's fetch row and save; its parse row and frontier move are written with the
    batch's (one statement each for all)."""
    fetch_id = insert_fetch(connection, ids, page.fetch)
    saved, outcome = None, page.outcome
    if page.record is not None:
        outcome = "not_article"
    if incoming is not None:
        seen_at = _aware(page.fetch.fetched_at)
        saved = save_in(connection, ids, incoming, fetch_id, seen_at, False)
        outcome = "changed" if saved.outcome in ("new", "new_version") else "unchanged"
    return Filed(fetch_id, saved, outcome)


def _filed_or_error(filer: PageFiler, page: PageFiling) -> Filed | Exception:
    try:
        return filer.file([page])[0]
    except Exception as exc:  # the page's own error, raised by its caller
        return exc


def prepare_save(record: ArticleRecord) -> Incoming | None:
    """What the save of an article derives from the record (its identity, content hash and
    stored form); None for other pages, and for a record the store refuses (the filing then
    raises the store's error)."""
    if record.page_type != "article":
        return None
    try:
        return Incoming.of(record)
    except RecordError:
        return None


def _incoming(page: PageFiling) -> Incoming | None:
    """What the save needs of an article (computed once, before any retry); None: no save."""
    record = page.record
    if record is None or record.page_type != "article":
        return None
    if page.prepared is not None and page.prepared.record is record:
        return page.prepared
    return Incoming.of(record)


def _parse_row(page: PageFiling, fetch_id: int) -> dict[str, object]:
    """Which fields the parse filled (every parsed page, saved or not): parser health."""
    record = page.record
    assert record is not None
    return {
        "site": page.fetch.site or site_of(page.fetch.url),
        "url": record.url,
        "fetch_id": fetch_id,
        "parsed_at": datetime.now(UTC),
        "parser": record.parser.name,
        "page_type": record.page_type,
        "fields_found": list(record.fields_found()),
    }


def _capture(row: _CaptureRow) -> Capture:
    """The query's conditions make the file and the record id present."""
    record_id = row.warc_record_id or ""
    ref = WarcRef(
        row.warc_file or "",
        row.warc_offset or 0,
        row.warc_length or 0,
        row.payload_digest,
        record_id,
    )
    if row.final_url is None:  # not written by the crawler: the record itself says
        return Capture(ref, None)
    return Capture(ref, RefersTo(row.final_url, warc_date(_aware(row.fetched_at)), record_id))


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
