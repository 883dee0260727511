"""The recorder: pages handed in together are archived, synced once and filed in one batch;
every row points at a record that was written first; a revisit names its original without
reading it back; one page's failure stays that page's (on both databases)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import storage.warc_writer
from scraper.fetch_result import FetchResult, SentRequest
from scraper.filing_process import FilingSetup, ProcessWriter
from scraper.recorder import Page, Recorder, ThreadWriter
from scraper.run_workers import process_context
from storage.db import Database
from storage.exceptions import WarcWriteError
from storage.frontier import Discovered, Frontier, Visit
from storage.page_filing import Filed, PageFiler
from storage.warc import WarcArchive, WarcRef
from storage.warc_reader import read_record
from tests.storage.conftest import database, postgres_database, postgres_server, rows
from tests.storage.tables import Rows

__all__ = ["database", "postgres_database", "postgres_server", "rows"]  # fixtures, for pytest

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
SITE = "x.test"


def _url(n: int) -> str:
    return f"https://x.test/news/{n}"


def _result(n: int, status: int = 200, body: bytes = b"<p>page</p>") -> FetchResult:
    request = SentRequest("GET", _url(n), (("User-Agent", "tester"),))
    return FetchResult(
        url=_url(n),
        final_url=_url(n),
        status=status,
        reason="",
        headers=(("Content-Type", "text/html"),),
        request=request,
        body=body if status == 200 else b"",
        raw_body=body if status == 200 else b"",
        http_version="HTTP/1.1",
        fetched_at=T0 + n * timedelta(seconds=1),
        elapsed=0.01,
        redirects=(),
        attempts=1,
        not_modified=status == 304,
    )


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[WarcArchive]:
    with WarcArchive(tmp_path / "warc", sync_each=False) as opened:
        yield opened


def _recorder(database: Database, archive: WarcArchive) -> Recorder:
    return Recorder(ThreadWriter(archive, PageFiler(database, (HOUR,))))


def _file_all(recorder: Recorder, pages: list[Page]) -> list[object]:
    async def run() -> list[object]:
        return list(
            await asyncio.gather(*(recorder.file(p) for p in pages), return_exceptions=True)
        )

    return asyncio.run(run())


def test_pages_handed_in_together_share_one_sync_and_one_batch(
    database: Database, archive: WarcArchive, rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _recorder(database, archive)
    events: list[str] = []
    write, sync = recorder.writer.write, archive.sync

    async def counted(pages: list[Page]) -> list[Filed | Exception]:
        events.append("batch")
        return await write(pages)

    monkeypatch.setattr(recorder.writer, "write", counted)
    monkeypatch.setattr(archive, "sync", lambda: events.append("sync") or sync())

    filed = _file_all(recorder, [Page(_result(n), SITE, fetched_before=False) for n in range(20)])

    assert events.count("batch") < 20 and events.count("sync") == events.count("batch")
    fetches = rows("fetches")
    assert [row["id"] for row in fetches] == [getattr(one, "fetch_id", None) for one in filed]
    for row in fetches:
        ref = WarcRef(
            row["warc_file"],
            row["warc_offset"],
            row["warc_length"],
            row["payload_digest"],
            row["warc_record_id"],
        )
        assert read_record(archive.root, ref).rec_type == "response"


def test_the_archive_is_synced_before_the_rows_commit(
    database: Database, archive: WarcArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    filer = PageFiler(database, (HOUR,))
    recorder = Recorder(ThreadWriter(archive, filer))
    order: list[str] = []
    sync, file_each = archive.sync, filer.file_each
    monkeypatch.setattr(archive, "sync", lambda: order.append("sync") or sync())
    monkeypatch.setattr(filer, "file_each", lambda pages: order.append("rows") or file_each(pages))

    _file_all(recorder, [Page(_result(1), SITE, fetched_before=False)])

    assert order == ["sync", "rows"]


def test_a_recheck_names_its_original_from_the_database_and_moves_the_frontier(
    database: Database, archive: WarcArchive, rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    Frontier(database, (HOUR,)).add(SITE, [Discovered(_url(1))], T0)
    recorder = _recorder(database, archive)
    _file_all(recorder, [Page(_result(1), SITE, fetched_before=False)])

    def no_read_back(*args: object) -> None:
        raise AssertionError("the original record was read back")

    monkeypatch.setattr(storage.warc_writer, "refers_to", no_read_back)
    recheck = Page(
        _result(1, status=304), SITE, True, visit=Visit(_url(1), T0 + HOUR), outcome="unchanged"
    )
    _file_all(recorder, [recheck])

    original, revisit = rows("fetches")
    assert (original["revisit"], revisit["revisit"]) == (False, True)
    headers = read_record(archive.root, _ref_of(revisit)).record.rec_headers
    assert headers.get_header("WARC-Refers-To") == original["warc_record_id"]
    assert headers.get_header("WARC-Refers-To-Target-URI") == _url(1)
    (frontier,) = rows("frontier_urls")
    assert (frontier["state"], frontier["recheck_step"]) == ("done", 1)


def test_a_page_whose_record_cannot_be_written_gets_the_error_alone(
    database: Database, archive: WarcArchive, rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _recorder(database, archive)
    write_fetch = archive.write_fetch

    def failing(request: object, *args: object, **kwargs: object) -> WarcRef:
        if request.url == _url(2):  # type: ignore[attr-defined]
            raise WarcWriteError("disk full")
        return write_fetch(request, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(archive, "write_fetch", failing)

    filed = _file_all(recorder, [Page(_result(n), SITE, fetched_before=False) for n in (1, 2, 3)])

    assert isinstance(filed[1], WarcWriteError)
    assert [row["url"] for row in rows("fetches")] == [_url(1), _url(3)]


def test_a_failed_sync_files_no_row_and_tells_every_page(
    database: Database, archive: WarcArchive, rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _recorder(database, archive)

    def failing_sync() -> None:
        raise WarcWriteError("fsync failed")

    monkeypatch.setattr(archive, "sync", failing_sync)

    filed = _file_all(recorder, [Page(_result(n), SITE, fetched_before=False) for n in (1, 2)])

    assert all(isinstance(one, WarcWriteError) for one in filed)
    assert rows("fetches") == []


def _ref_of(row: dict[str, object]) -> WarcRef:
    return WarcRef(
        str(row["warc_file"]),
        int(row["warc_offset"]),  # type: ignore[call-overload]
        int(row["warc_length"]),  # type: ignore[call-overload]
        str(row["payload_digest"]),
        str(row["warc_record_id"]),
    )


def test_a_filing_process_that_cannot_start_fails_its_pages_and_still_closes(
    tmp_path: Path,
) -> None:
    not_a_folder = tmp_path / "warc"
    not_a_folder.write_text("")  # the WARC folder cannot be made
    setup = FilingSetup(f"sqlite:///{tmp_path / 'a.sqlite3'}", not_a_folder, (HOUR,))

    async def run() -> list[object]:
        writer = ProcessWriter(setup, process_context())
        try:
            recorder = Recorder(writer)
            pages = [Page(_result(n), SITE, fetched_before=False) for n in (1, 2)]
            return list(
                await asyncio.gather(*(recorder.file(p) for p in pages), return_exceptions=True)
            )
        finally:
            await writer.aclose()

    assert [type(one) for one in asyncio.run(run())] == [BrokenProcessPool] * 2
