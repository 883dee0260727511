"""Crash safety: a writer killed mid-file loses at most the record it was writing."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.cli import main as warcio_main

from storage.exceptions import WarcWriteError
from storage.warc import HttpRequest, HttpResponse, WarcArchive, WarcRef, read_response, verify

PROJECT = Path(__file__).resolve().parents[2]
FETCHED_AT = datetime(2025, 12, 6, 9, 24, tzinfo=UTC)

# Writes `count` exchanges (forever when negative), printing each reference once it is
# written, then dies without closing the archive, as a killed crawler would.
WRITER = """
import json, os, sys
from datetime import datetime, timezone
from pathlib import Path
from storage.warc import HttpRequest, HttpResponse, WarcArchive

archive = WarcArchive(Path(sys.argv[1]))
count, size = int(sys.argv[2]), int(sys.argv[3])
at = datetime(2025, 12, 6, tzinfo=timezone.utc)
index = 0
while count < 0 or index < count:
    body = os.urandom(size)
    request = HttpRequest("GET", f"https://www.example.com/{index}", {})
    ref = archive.write_exchange(request, HttpResponse(200, "OK", {}, body), at)
    print(json.dumps(ref), flush=True)
    index += 1
os._exit(0)
"""


def _writer(root: Path, count: int, size: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(count), str(size)],
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        stdout=subprocess.PIPE,
        text=True,
    )


def _ref(line: str) -> WarcRef:
    return WarcRef(*json.loads(line))


def _crashed_writer(root: Path, count: int, size: int = 2_000) -> list[WarcRef]:
    process = _writer(root, count, size)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    return [_ref(line) for line in output.splitlines()]


def _open_file(root: Path) -> Path:
    (path,) = root.glob("*.warc.gz.open")
    return path


def test_a_torn_last_record_is_cut_off_on_the_next_start(tmp_path: Path) -> None:
    refs = _crashed_writer(tmp_path, count=3)
    left_open = _open_file(tmp_path)
    complete_size = left_open.stat().st_size
    with left_open.open("rb") as handle:  # the first half of a real record, as a kill leaves it
        handle.seek(refs[-1].offset)
        torn = handle.read(refs[-1].length // 2)
    with left_open.open("ab") as handle:
        handle.write(torn)

    archive = WarcArchive(tmp_path)

    (repair,) = archive.repairs
    assert repair.filename == refs[0].filename
    assert (repair.kept_bytes, repair.removed_bytes) == (complete_size, len(torn))
    assert "torn record" in repair.note
    assert not list(tmp_path.glob("*.open"))
    assert (tmp_path / repair.filename).stat().st_size == complete_size
    assert [read_response(tmp_path, ref).target_uri for ref in refs] == [
        f"https://www.example.com/{index}" for index in range(3)
    ]
    assert verify(tmp_path, refs).ok


def test_the_repaired_file_passes_warcio_check(tmp_path: Path) -> None:
    refs = _crashed_writer(tmp_path, count=2)
    with _open_file(tmp_path).open("ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")  # a gzip header, no data
    WarcArchive(tmp_path)

    with pytest.raises(SystemExit) as checked:
        warcio_main(["check", str(tmp_path / refs[0].filename)])
    assert checked.value.code == 0


def test_a_file_left_open_without_torn_bytes_only_gets_its_name(tmp_path: Path) -> None:
    refs = _crashed_writer(tmp_path, count=2)
    size = _open_file(tmp_path).stat().st_size

    archive = WarcArchive(tmp_path)

    assert archive.repairs[0].removed_bytes == 0
    assert (tmp_path / refs[0].filename).stat().st_size == size
    assert verify(tmp_path, refs).ok


def test_a_file_with_no_complete_record_is_removed(tmp_path: Path) -> None:
    _crashed_writer(tmp_path, count=1)
    left_open = _open_file(tmp_path)
    with left_open.open("r+b") as handle:
        handle.truncate(100)  # killed while writing the file's first record

    archive = WarcArchive(tmp_path)

    assert archive.repairs[0].kept_bytes == 0
    assert archive.repairs[0].note == "removed: no complete record"
    assert list(tmp_path.iterdir()) == []


def test_a_writer_killed_at_any_moment_keeps_every_record_it_reported(tmp_path: Path) -> None:
    process = _writer(tmp_path, count=-1, size=300_000)
    assert process.stdout is not None
    refs = [_ref(process.stdout.readline()) for _ in range(4)]
    process.kill()
    process.wait(timeout=30)
    process.stdout.close()

    archive = WarcArchive(tmp_path)

    assert len(archive.repairs) == 1
    assert not list(tmp_path.glob("*.open"))
    report = verify(tmp_path, refs)
    assert report.ok, report.problems
    assert [len(read_response(tmp_path, ref).body) for ref in refs] == [300_000] * 4


def test_a_live_writers_file_is_left_alone(tmp_path: Path) -> None:
    request = HttpRequest("GET", "https://www.example.com/a", {})
    response = HttpResponse(200, "OK", {}, b"<p>a</p>")
    with WarcArchive(tmp_path) as first:
        before = first.write_exchange(request, response, FETCHED_AT)

        second = WarcArchive(tmp_path)
        after = first.write_exchange(request, response, FETCHED_AT)

        assert second.repairs == ()
        assert after.filename == before.filename
        assert (tmp_path / f"{before.filename}.open").is_file()
        report = verify(tmp_path, [before, after])
        assert report.ok and report.in_progress == [before.filename]
    assert verify(tmp_path, [before, after]).ok


def test_a_failed_write_is_rolled_back_and_the_archive_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = HttpRequest("GET", "https://www.example.com/a", {})
    with WarcArchive(tmp_path) as archive:
        first = archive.write_exchange(request, HttpResponse(200, "OK", {}, b"one"), FETCHED_AT)
        archive_inode = (tmp_path / f"{first.filename}.open").stat().st_ino
        real_write = os.write

        def disk_full_halfway(fd: int, data: bytes | memoryview) -> int:
            if os.fstat(fd).st_ino == archive_inode:
                real_write(fd, bytes(data)[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", disk_full_halfway)
        with pytest.raises(WarcWriteError, match="No space left"):
            archive.write_exchange(request, HttpResponse(200, "OK", {}, b"two"), FETCHED_AT)
        monkeypatch.undo()
        third = archive.write_exchange(request, HttpResponse(200, "OK", {}, b"six"), FETCHED_AT)

    report = verify(tmp_path, [first, third])
    assert report.ok, report.problems
    assert report.records == 5  # warcinfo and two exchanges: nothing of the failed one
    assert read_response(tmp_path, third).body == b"six"
