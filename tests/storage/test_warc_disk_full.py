"""The WARC writer on a full disk: the error says so, and the file still ends on a complete
record whether the space ran out on a write, on the fsync after it, or on a new file."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.exceptions import ArchiveFullError, WarcWriteError
from storage.warc import HttpRequest, HttpResponse, WarcArchive, read_response, verify
from storage.warc_files import OPEN_SUFFIX

FETCHED_AT = datetime(2025, 12, 6, 9, 24, tzinfo=UTC)
REQUEST = HttpRequest("GET", "https://www.example.com/a", {})


def response(body: bytes) -> HttpResponse:
    return HttpResponse(200, "OK", {}, body)


def failing(code: int) -> Callable[..., int]:
    """An `os.write` or `os.fsync` that fails with `code` every time."""

    def fail(fd: int, *data: bytes | memoryview) -> int:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_or_quota_is_told_apart_from_other_write_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    with WarcArchive(tmp_path) as archive:
        first = archive.write_exchange(REQUEST, response(b"one"), FETCHED_AT)
        real_write = os.write

        def full(fd: int, data: bytes | memoryview) -> int:
            real_write(fd, bytes(data)[:10])  # a torn start of the record
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "write", full)
        with pytest.raises(ArchiveFullError) as raised:
            archive.write_exchange(REQUEST, response(b"two"), FETCHED_AT)
        monkeypatch.undo()
    assert raised.value.kind == "disk_full"
    assert verify(tmp_path, [first]).ok


def test_an_io_error_is_not_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with WarcArchive(tmp_path) as archive:
        archive.write_exchange(REQUEST, response(b"one"), FETCHED_AT)
        monkeypatch.setattr(os, "write", failing(errno.EIO))
        with pytest.raises(WarcWriteError) as raised:
            archive.write_exchange(REQUEST, response(b"two"), FETCHED_AT)
        monkeypatch.undo()
    assert not isinstance(raised.value, ArchiveFullError)


def test_a_file_that_cannot_be_started_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No empty `.open` file per failed attempt: the folder holds only what was written."""
    archive = WarcArchive(tmp_path)
    monkeypatch.setattr(os, "write", failing(errno.ENOSPC))
    for _ in range(3):
        with pytest.raises(ArchiveFullError, match="could not start WARC file"):
            archive.write_exchange(REQUEST, response(b"one"), FETCHED_AT)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []

    ref = archive.write_exchange(REQUEST, response(b"one"), FETCHED_AT)  # space again
    archive.close()
    assert read_response(tmp_path, ref).body == b"one"
    assert not list(tmp_path.glob(f"*{OPEN_SUFFIX}"))


def test_a_full_disk_found_by_the_batch_fsync_cuts_back_the_unsynced_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filesystem that allocates late reports ENOSPC on fsync: the records written since the
    last sync (no row names them yet) are cut off, the ones before it stay."""
    with WarcArchive(tmp_path, sync_each=False) as archive:
        kept = archive.write_exchange(REQUEST, response(b"kept"), FETCHED_AT)
        archive.sync()
        synced_end = (tmp_path / f"{kept.filename}.open").stat().st_size
        archive.write_exchange(REQUEST, response(b"lost one"), FETCHED_AT)
        archive.write_exchange(REQUEST, response(b"lost two"), FETCHED_AT)
        monkeypatch.setattr(os, "fsync", failing(errno.ENOSPC))
        with pytest.raises(ArchiveFullError, match="could not sync"):
            archive.sync()
        monkeypatch.undo()
        after = archive.write_exchange(REQUEST, response(b"after"), FETCHED_AT)
        archive.sync()
    report = verify(tmp_path, [kept, after])
    assert report.ok, report.problems
    assert report.records == 5  # warcinfo and two exchanges: nothing of the cut ones
    assert after.offset == synced_end
    assert read_response(tmp_path, after).body == b"after"
