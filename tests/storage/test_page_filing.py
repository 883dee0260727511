"""Pages filed in one transaction per batch: the rows separate calls would have written, the
frontier moved by what each page turned out to be, errors kept to their own page, and the
capture a revisit points at read from the database (on both databases)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from parsers.record import ArticleRecord, PageType, ParserInfo
from storage.contract import FetchInfo
from storage.db import Database
from storage.exceptions import RecordError
from storage.frontier import Discovered, Frontier, Visit
from storage.page_filing import Filed, PageFiler, PageFiling, prepare_save
from storage.warc import HttpRequest, HttpResponse, WarcArchive, WarcRef
from storage.warc_reader import refers_to
from tests.storage.tables import Rows

HOUR = timedelta(hours=1)
RECHECK = (HOUR, 3 * HOUR)
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SITE = "x.test"


def _url(n: int) -> str:
    return f"https://x.test/news/{n}"


def _record(
    n: int, page_type: PageType = "article", body: str = "First paragraph."
) -> ArticleRecord:
    return ArticleRecord(
        url=_url(n),
        canonical_url=_url(n),
        site=SITE,
        page_type=page_type,
        headline=f"Story {n}",
        body=("First paragraph.",),
        parser=ParserInfo("x.test", "1"),
    )


def _unfileable(record: ArticleRecord) -> ArticleRecord:
    """No http(s) URL and no site: the store cannot give it an identity."""
    return replace(record, url="file:///tmp/page.html", canonical_url="", site="")


def _fetch(n: int, when: datetime = T0, **changes: Any) -> FetchInfo:
    fetch = FetchInfo(_url(n), when, status=200, final_url=_url(n), site=SITE)
    return replace(fetch, **changes)


def _frontier(database: Database, *numbers: int) -> Frontier:
    frontier = Frontier(database, RECHECK)
    frontier.add(SITE, [Discovered(_url(n)) for n in numbers], T0)
    return frontier


def _state(rows: Rows, n: int) -> tuple[str, int, datetime | None, int]:
    (row,) = [row for row in rows("frontier_urls") if row["url"] == _url(n)]
    return row["state"], row["recheck_step"], row["next_due_at"], row["failure_count"]


def test_a_batch_writes_every_row_and_moves_each_url_by_what_it_was(
    database: Database, rows: Rows
) -> None:
    _frontier(database, 1, 2, 3, 4)
    filer = PageFiler(database, RECHECK)
    now = T0 + HOUR

    filed = filer.file(
        [
            PageFiling(_fetch(1), _record(1), Visit(_url(1), now, etag='"a"', digest="d1")),
            PageFiling(_fetch(2), _record(2, "other"), Visit(_url(2), now)),
            PageFiling(_fetch(3, status=304, revisit=True), None, Visit(_url(3), now), "unchanged"),
            PageFiling(_fetch(4, status=None), None, Visit(_url(4), now, error="reset"), "error"),
        ]
    )

    assert [one.outcome for one in filed] == ["changed", "not_article", "unchanged", "error"]
    assert filed[0].saved is not None and filed[0].saved.outcome == "new"
    assert [one.saved for one in filed[1:]] == [None, None, None]
    assert [row["id"] for row in rows("fetches")] == [one.fetch_id for one in filed]
    parses = rows("page_parses")
    assert [(row["url"], row["fetch_id"], row["page_type"]) for row in parses] == [
        (_url(1), filed[0].fetch_id, "article"),
        (_url(2), filed[1].fetch_id, "other"),
    ]
    (version,) = rows("article_versions")
    assert version["fetch_id"] == filed[0].fetch_id
    assert _state(rows, 1) == ("active", 0, now + HOUR, 0)
    assert _state(rows, 2) == ("other", 0, None, 0)
    assert _state(rows, 3) == ("active", 1, now + 3 * HOUR, 0)
    assert _state(rows, 4)[0::3] == ("new", 1)
    first = next(row for row in rows("frontier_urls") if row["url"] == _url(1))
    assert (first["etag"], first["last_digest"], first["last_fetched_at"]) == ('"a"', "d1", now)


def test_a_page_seen_again_unchanged_moves_to_the_next_recheck(
    database: Database, rows: Rows
) -> None:
    _frontier(database, 1)
    filer = PageFiler(database, RECHECK)
    filer.file([PageFiling(_fetch(1), _record(1), Visit(_url(1), T0))])

    (again,) = filer.file([PageFiling(_fetch(1, T0 + HOUR), _record(1), Visit(_url(1), T0 + HOUR))])

    assert again.saved is not None and again.saved.outcome == "unchanged"
    assert again.outcome == "unchanged"
    assert _state(rows, 1) == ("active", 1, T0 + 4 * HOUR, 0)


def test_no_visit_leaves_the_url_due(database: Database, rows: Rows) -> None:
    _frontier(database, 1)
    (filed,) = PageFiler(database, RECHECK).file([PageFiling(_fetch(1))])
    assert filed == Filed(filed.fetch_id, None, None)
    assert _state(rows, 1) == ("new", 0, T0, 0)
    assert len(rows("fetches")) == 1


def test_a_visit_without_a_parse_needs_an_outcome() -> None:
    with pytest.raises(ValueError, match="needs an outcome"):
        PageFiling(_fetch(1), None, Visit(_url(1), T0))


def test_a_failing_page_gets_its_error_and_the_others_are_filed(
    database: Database, rows: Rows
) -> None:
    _frontier(database, 1, 3)
    unfileable = _unfileable(_record(2))
    pages = [
        PageFiling(_fetch(1), _record(1), Visit(_url(1), T0)),
        PageFiling(_fetch(2), unfileable, Visit(_url(2), T0)),
        PageFiling(_fetch(3), _record(3), Visit(_url(3), T0)),
    ]

    first, failed, third = PageFiler(database, RECHECK).file_each(pages)

    assert isinstance(failed, RecordError)
    assert isinstance(first, Filed) and isinstance(third, Filed)
    assert [row["canonical_url"] for row in rows("articles")] == [_url(1), _url(3)]
    assert [row["url"] for row in rows("fetches")] == [_url(1), _url(3)]
    assert _state(rows, 3)[0] == "active"


def test_a_save_prepared_elsewhere_is_used_and_a_refused_record_prepares_nothing(
    database: Database, rows: Rows
) -> None:
    record = _record(1)
    prepared = prepare_save(record)
    assert prepared is not None and prepared.record is record
    assert prepare_save(_record(2, "listing")) is None
    assert prepare_save(_unfileable(record)) is None

    (filed,) = PageFiler(database, RECHECK).file([PageFiling(_fetch(1), record, prepared=prepared)])

    assert filed.saved is not None and filed.saved.outcome == "new"
    assert [row["content_hash"] for row in rows("article_versions")] == [
        prepared.snapshot.content_hash
    ]


def test_two_filers_meeting_the_same_new_article_store_it_once(
    database: Database, rows: Rows
) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def file_once() -> None:
        filer = PageFiler(database, RECHECK)
        barrier.wait()
        (filed,) = filer.file([PageFiling(_fetch(1), _record(1))])
        assert filed.saved is not None
        outcomes.append(filed.saved.outcome)

    threads = [threading.Thread(target=file_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["new", "unchanged"]
    assert len(rows("articles")) == 1 and len(rows("fetches")) == 2


def test_the_previous_capture_is_the_latest_full_response_with_what_a_revisit_names(
    database: Database, tmp_path: Path
) -> None:
    filer = PageFiler(database, RECHECK)
    with WarcArchive(tmp_path / "warc") as archive:
        refs = [_archive(archive, 1, T0 + n * HOUR, b"body %d" % n) for n in range(2)]
        revisit = replace(_fetch(1, T0 + 2 * HOUR, status=304, revisit=True), warc_record_id="r")
        filer.file(
            [PageFiling(_warc_fetch(1, T0 + n * HOUR, ref)) for n, ref in enumerate(refs)]
            + [PageFiling(revisit), PageFiling(_fetch(2, status=None))]
        )

    captures = filer.previous_captures([_url(1), _url(2), _url(3)])

    assert list(captures) == [_url(1)]
    capture = captures[_url(1)]
    assert capture.ref == refs[1]
    assert capture.refers == refers_to(tmp_path / "warc", refs[1])


def _archive(archive: WarcArchive, n: int, when: datetime, body: bytes) -> WarcRef:
    request = HttpRequest("GET", _url(n), [("Accept", "*/*")])
    return archive.write_exchange(request, HttpResponse(200, "OK", [], body), when)


def _warc_fetch(n: int, when: datetime, ref: WarcRef) -> FetchInfo:
    return _fetch(
        n,
        when,
        warc_file=ref.filename,
        warc_offset=ref.offset,
        warc_length=ref.length,
        payload_digest=ref.payload_digest,
        warc_record_id=ref.record_id,
    )
