"""What the store remembers of fetches for the crawler: the last full capture of a URL (what a
WARC revisit record refers to) and the parse log that parser health is computed from."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from parsers.record import ArticleRecord, PageType, ParserInfo
from storage.contract import FetchInfo
from storage.store import Store
from storage.warc import WarcRef
from tests.storage.tables import Rows

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
URL = "https://x.test/news/a"
WARC = "newsarchive-20260105-00000.warc.gz"


def _response(n: int, when: datetime, url: str = URL, **changes: Any) -> FetchInfo:
    """A 200 response archived as record n of the WARC file, with `changes` made to it."""
    fetch = FetchInfo(
        url,
        when,
        status=200,
        warc_file=WARC,
        warc_offset=1000 * n,
        warc_length=900 + n,
        payload_digest=f"sha1:DIGEST{n}",
        warc_record_id=f"<urn:uuid:0000000{n}>",
    )
    return replace(fetch, **changes)


def _ref(n: int) -> WarcRef:
    return WarcRef(WARC, 1000 * n, 900 + n, f"sha1:DIGEST{n}", f"<urn:uuid:0000000{n}>")


def test_no_capture_of_a_url_never_fetched(store: Store) -> None:
    store.record_fetch(_response(1, T0, url="https://x.test/other"))
    assert store.last_capture(URL) is None


def test_the_latest_full_response_is_the_capture(store: Store) -> None:
    store.record_fetch(_response(1, T0))
    store.record_fetch(_response(3, T0 + 2 * HOUR))
    store.record_fetch(_response(2, T0 + HOUR))  # recorded late, fetched earlier

    assert store.last_capture(URL) == _ref(3)


def test_revisits_failures_and_unarchived_fetches_are_not_captures(store: Store) -> None:
    store.record_fetch(_response(1, T0))
    store.record_fetch(_response(2, T0 + HOUR, status=304, revisit=True))
    store.record_fetch(_response(3, T0 + 2 * HOUR, revisit=True))
    store.record_fetch(_response(4, T0 + 3 * HOUR, status=None, error="connection reset"))
    store.record_fetch(_response(5, T0 + 4 * HOUR, warc_record_id=None))
    store.record_fetch(_response(6, T0 + 5 * HOUR, url="https://x.test/news/b"))

    assert store.last_capture(URL) == _ref(1)


def test_only_revisits_means_no_capture(store: Store) -> None:
    store.record_fetch(_response(1, T0, status=304, revisit=True))
    assert store.last_capture(URL) is None


def test_of_two_captures_at_one_moment_the_later_recorded_wins(store: Store) -> None:
    store.record_fetch(_response(1, T0))
    store.record_fetch(_response(2, T0))
    assert store.last_capture(URL) == _ref(2)


def _record(page_type: PageType = "article") -> ArticleRecord:
    return ArticleRecord(
        url=URL,
        canonical_url=URL,
        site="x.test",
        page_type=page_type,
        headline="Talks resume",
        authors=("RNA Desk",),
        published_at=T0,
        body=("First paragraph.",),
        parser=ParserInfo("x.test", "3"),
    )


def test_every_parse_is_logged_with_the_fields_it_found(store: Store, rows: Rows) -> None:
    fetch_id = store.record_fetch(_response(1, T0))
    before = datetime.now(UTC)

    store.record_parse(_record(), fetch_id, "x.test")
    store.record_parse(_record("other"), None, "x.test")

    after = datetime.now(UTC)
    logged = rows("page_parses")
    assert [{key: value for key, value in row.items() if key != "parsed_at"} for row in logged] == [
        {
            "id": 1,
            "site": "x.test",
            "url": URL,
            "fetch_id": fetch_id,
            "parser": "x.test",
            "page_type": "article",
            "fields_found": ["headline", "authors", "published_at", "body"],
        },
        {
            "id": 2,
            "site": "x.test",
            "url": URL,
            "fetch_id": None,
            "parser": "x.test",
            "page_type": "other",
            "fields_found": ["headline", "authors", "published_at", "body"],
        },
    ]
    assert all(before <= row["parsed_at"] <= after for row in logged)
    assert rows("articles") == []
