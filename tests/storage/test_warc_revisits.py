"""Revisit records: identical payloads and 304s, both WARC 1.1 profiles, with their originals."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from warcio.archiveiterator import ArchiveIterator

from storage.exceptions import RevisitMismatchError
from storage.warc import (
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    HttpRequest,
    HttpResponse,
    WarcArchive,
    verify,
)
from storage.warc_records import RefersTo

FETCHED_AT = datetime(2025, 12, 6, 9, 24, 7, 250000, tzinfo=UTC)
URL = "https://www.rnamedia.in/defence-industry/navy-frigates/?ref=home"
PAGE = b"<!doctype html><html><body><h1>Navy buys six frigates</h1></body></html>"


def _request() -> HttpRequest:
    return HttpRequest("GET", URL, [("User-Agent", "newsarchive-test")])


def _response(body: bytes = PAGE) -> HttpResponse:
    return HttpResponse(200, "", [("Content-Type", "text/html; charset=utf-8")], body)


class _Record(NamedTuple):
    type: str
    headers: dict[str, str]
    http: Any
    content: bytes


def _records(path: Path) -> list[_Record]:
    """The file's records as warcio's own iterator reads them."""
    with path.open("rb") as handle:
        return [
            _Record(
                record.rec_type,
                dict(record.rec_headers.headers),
                record.http_headers,
                record.content_stream().read(),
            )
            for record in ArchiveIterator(handle)
        ]


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[WarcArchive]:
    with WarcArchive(tmp_path) as opened:
        yield opened


def test_identical_payload_revisit_points_at_the_original(archive: WarcArchive) -> None:
    original = archive.write_exchange(_request(), _response(), FETCHED_AT)
    later = FETCHED_AT + timedelta(days=1)

    revisit = archive.write_revisit_identical(_request(), _response(), later, original)
    archive.close()

    assert revisit.payload_digest == original.payload_digest
    records = _records(archive.root / revisit.filename)
    assert [record.type for record in records] == [
        "warcinfo",
        "response",
        "request",
        "revisit",
        "request",
    ]
    headers = records[3].headers
    assert headers["WARC-Profile"] == PROFILE_IDENTICAL
    assert headers["WARC-Refers-To"] == original.record_id
    assert headers["WARC-Refers-To-Target-URI"] == URL
    assert headers["WARC-Refers-To-Date"] == "2025-12-06T09:24:07.250000Z"
    assert headers["WARC-Date"] == "2025-12-07T09:24:07.250000Z"
    assert headers["WARC-Payload-Digest"] == original.payload_digest
    assert records[3].content == b""
    assert records[4].headers["WARC-Concurrent-To"] == revisit.record_id
    assert verify(archive.root, [original, revisit]).ok


def test_identical_revisit_refuses_a_body_that_differs(archive: WarcArchive) -> None:
    original = archive.write_exchange(_request(), _response(), FETCHED_AT)

    with pytest.raises(RevisitMismatchError):
        archive.write_revisit_identical(_request(), _response(PAGE + b" "), FETCHED_AT, original)


def test_not_modified_revisit_keeps_the_304_and_its_original(archive: WarcArchive) -> None:
    original = archive.write_exchange(_request(), _response(), FETCHED_AT)
    not_modified = HttpResponse(304, "Not Modified", [("ETag", '"v1"')], b"")

    revisit = archive.write_revisit_not_modified(_request(), not_modified, FETCHED_AT, original)
    archive.close()

    record = _records(archive.root / revisit.filename)[3]
    headers = record.headers
    assert headers["WARC-Profile"] == PROFILE_NOT_MODIFIED
    assert headers["WARC-Refers-To"] == original.record_id
    assert headers["WARC-Refers-To-Target-URI"] == URL
    assert headers["WARC-Refers-To-Date"] == "2025-12-06T09:24:07.250000Z"
    assert record.http.statusline == "304 Not Modified"
    assert revisit.payload_digest == original.payload_digest
    assert verify(archive.root, [original, revisit]).ok


def test_not_modified_revisit_without_a_known_original(archive: WarcArchive) -> None:
    revisit = archive.write_revisit_not_modified(
        _request(), HttpResponse(304, "", {}, b""), FETCHED_AT
    )
    archive.close()

    headers = _records(archive.root / revisit.filename)[1].headers
    assert headers["WARC-Profile"] == PROFILE_NOT_MODIFIED
    assert "WARC-Refers-To" not in headers
    assert revisit.payload_digest is None


def test_not_modified_revisit_needs_a_304(archive: WarcArchive) -> None:
    with pytest.raises(ValueError, match="304"):
        archive.write_revisit_not_modified(_request(), _response(), FETCHED_AT)


def test_a_revisit_of_a_revisit_refers_to_the_first_capture(archive: WarcArchive) -> None:
    original = archive.write_exchange(_request(), _response(), FETCHED_AT)
    first = archive.write_revisit_identical(_request(), _response(), FETCHED_AT, original)

    second = archive.write_revisit_identical(_request(), _response(), FETCHED_AT, first)
    archive.close()

    headers = _records(archive.root / second.filename)[5].headers
    assert headers["WARC-Refers-To"] == original.record_id


def test_write_fetch_chooses_the_record_a_fetch_needs(archive: WarcArchive) -> None:
    first = archive.write_fetch(_request(), _response(), FETCHED_AT)
    same = archive.write_fetch(_request(), _response(), FETCHED_AT, previous=first)
    unchanged = archive.write_fetch(
        _request(), HttpResponse(304, "", {}, b""), FETCHED_AT, previous=same
    )
    edited = archive.write_fetch(_request(), _response(PAGE + b"<p>"), FETCHED_AT, previous=same)
    archive.close()

    types = {
        record.headers["WARC-Record-ID"]: (
            record.type,
            record.headers.get("WARC-Profile"),
        )
        for record in _records(archive.root / first.filename)
    }
    assert types[first.record_id] == ("response", None)
    assert types[same.record_id] == ("revisit", PROFILE_IDENTICAL)
    assert types[unchanged.record_id] == ("revisit", PROFILE_NOT_MODIFIED)
    assert types[edited.record_id] == ("response", None)


def test_a_revisit_told_its_original_does_not_read_it_back(archive: WarcArchive) -> None:
    original = archive.write_exchange(_request(), _response(), FETCHED_AT)
    archive.close()
    (archive.root / original.filename).unlink()  # a read-back would now fail
    known = RefersTo(URL, "2025-12-06T09:24:07.250000Z", original.record_id)

    same = archive.write_fetch(_request(), _response(), FETCHED_AT, original, refers=known)
    unchanged = archive.write_fetch(
        _request(), HttpResponse(304, "", {}, b""), FETCHED_AT, original, refers=known
    )
    archive.close()

    records = {r.headers["WARC-Record-ID"]: r for r in _records(archive.root / same.filename)}
    for ref in (same, unchanged):
        headers = records[ref.record_id].headers
        assert headers["WARC-Refers-To"] == original.record_id
        assert headers["WARC-Refers-To-Target-URI"] == URL
        assert headers["WARC-Refers-To-Date"] == known.date
        assert headers["WARC-Payload-Digest"] == original.payload_digest


def test_without_sync_each_records_wait_for_one_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    with WarcArchive(tmp_path, sync_each=False) as archive:
        first = archive.write_exchange(_request(), _response(), FETCHED_AT)
        synced.clear()  # starting a file syncs its header
        refs = [archive.write_exchange(_request(), _response(), FETCHED_AT) for _ in range(3)]
        assert synced == []
        archive.sync()
        archive.sync()  # nothing new: nothing to do
        assert len(synced) == 1
    assert verify(tmp_path, [first, *refs]).ok


def test_by_default_every_record_is_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    with WarcArchive(tmp_path) as archive:
        archive.write_exchange(_request(), _response(), FETCHED_AT)
        synced.clear()
        archive.write_exchange(_request(), _response(), FETCHED_AT)
        assert len(synced) == 1
        archive.sync()
        assert len(synced) == 1
