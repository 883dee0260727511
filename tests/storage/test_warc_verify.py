"""`verify`: damaged bytes, failed digests and bad references end up in a report, not a raise."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from storage.warc import (
    HttpRequest,
    HttpResponse,
    Problem,
    VerifyReport,
    WarcArchive,
    WarcRef,
    payload_digest,
    verify,
)

FETCHED_AT = datetime(2025, 12, 6, 9, 24, tzinfo=UTC)
PAGE = b"<html><body><h1>Navy buys six frigates</h1><p>" + b"Contract signed. " * 40 + b"</p>"


def _write(root: Path, count: int, max_file_bytes: int = 1 << 30) -> list[WarcRef]:
    with WarcArchive(root, max_file_bytes=max_file_bytes) as archive:
        return [
            archive.write_exchange(
                HttpRequest("GET", f"https://www.rnamedia.in/news/{index}", {}),
                HttpResponse(200, "OK", {"Content-Type": "text/html"}, PAGE + bytes([index])),
                FETCHED_AT,
            )
            for index in range(count)
        ]


def _problems_at(report: VerifyReport, offset: int, ref: WarcRef | None = None) -> list[str]:
    return [
        problem.message
        for problem in report.problems
        if (problem.offset, problem.ref) == (offset, ref)
    ]


def test_a_sound_archive_verifies_with_its_counts(tmp_path: Path) -> None:
    refs = _write(tmp_path, 3, max_file_bytes=700)

    report = verify(tmp_path, refs)

    assert report.ok, report.problems
    assert report.files == len({ref.filename for ref in refs}) > 1
    assert report.records == report.files + 6
    assert report.refs == 3
    assert (
        report.summary
        == f"{report.files} files, {report.records} records, 3 references checked: no problems"
    )


def test_a_flipped_byte_is_reported_at_its_record(tmp_path: Path) -> None:
    refs = _write(tmp_path, 3)
    path = tmp_path / refs[1].filename
    data = bytearray(path.read_bytes())
    data[refs[1].offset + refs[1].length // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    report = verify(tmp_path, refs)

    assert not report.ok
    assert any("corrupt" in message for message in _problems_at(report, refs[1].offset))
    assert _problems_at(report, refs[1].offset, refs[1])  # the reference's own check fails too
    assert not _problems_at(report, refs[0].offset, refs[0])
    assert not _problems_at(report, refs[2].offset, refs[2])


def test_a_body_changed_under_valid_gzip_fails_its_digests(tmp_path: Path) -> None:
    refs = _write(tmp_path, 2)
    last = refs[-1]
    path = tmp_path / last.filename
    data = path.read_bytes()
    record = gzip.decompress(data[last.offset : last.offset + last.length])
    tampered = gzip.compress(record.replace(b"frigates", b"frigatez"))
    path.write_bytes(data[: last.offset] + tampered + data[last.offset + last.length :])

    report = verify(tmp_path, [*refs[:-1], last._replace(length=len(tampered))])

    file_problems = _problems_at(report, last.offset)
    assert any(message.startswith("payload digest failed") for message in file_problems)
    assert any(message.startswith("block digest failed") for message in file_problems)
    assert _problems_at(report, last.offset, last._replace(length=len(tampered)))
    assert not _problems_at(report, refs[0].offset)


def _request_record(path: Path) -> WarcRef:
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            if record.rec_type == "request":
                headers = record.rec_headers
                record.content_stream().read()
                return WarcRef(
                    path.name,
                    iterator.get_record_offset(),
                    iterator.get_record_length(),
                    headers.get_header("WARC-Payload-Digest"),
                    headers.get_header("WARC-Record-ID"),
                )
    raise AssertionError("no request record")


def test_each_kind_of_bad_reference_is_reported_with_the_reference(tmp_path: Path) -> None:
    (good,) = _write(tmp_path, 1)
    bad = {
        "moved": good._replace(offset=good.offset + 1),
        "short": good._replace(length=good.length - 5),
        "no file": good._replace(filename="newsarchive-gone.warc.gz"),
        "other id": good._replace(record_id="<urn:uuid:00000000-0000-0000-0000-000000000000>"),
        "digest": good._replace(payload_digest=payload_digest(b"something else")),
        "request": _request_record(tmp_path / good.filename),
    }

    report = verify(tmp_path, [good, *bad.values()])

    assert report.refs == 7
    by_ref = {
        name: [p.message for p in report.problems if p.ref == ref] for name, ref in bad.items()
    }
    assert by_ref["moved"] == ["offset and length do not frame one whole record"]
    assert by_ref["short"] == ["offset and length do not frame one whole record"]
    assert by_ref["no file"] == [f"no WARC file newsarchive-gone.warc.gz under {tmp_path}"]
    assert by_ref["other id"] == [
        f"found record {good.record_id}, expected <urn:uuid:00000000-0000-0000-0000-000000000000>"
    ]
    wrong = bad["digest"].payload_digest
    assert by_ref["digest"] == [
        f"record payload digest {good.payload_digest}, reference says {wrong}"
    ]
    assert by_ref["request"] == ["reference points at a request record, not a response or revisit"]
    assert not [problem for problem in report.problems if problem.ref in (good, None)]


def test_a_revisit_whose_original_is_gone_is_reported(tmp_path: Path) -> None:
    request = HttpRequest("GET", "https://www.rnamedia.in/news/a", {})
    response = HttpResponse(200, "OK", {}, PAGE)
    with WarcArchive(tmp_path, max_file_bytes=500) as archive:
        original = archive.write_exchange(request, response, FETCHED_AT)
        revisit = archive.write_revisit_identical(request, response, FETCHED_AT, original)
    assert revisit.filename != original.filename
    (tmp_path / original.filename).unlink()

    report = verify(tmp_path, [revisit])

    assert [str(problem) for problem in report.problems] == [
        f"{revisit.filename} at byte {revisit.offset}: revisit refers to {original.record_id}, "
        "not a response in the archive"
    ]


def test_a_file_a_crashed_writer_left_open_is_reported_until_repaired(tmp_path: Path) -> None:
    refs = _write(tmp_path, 2)
    finished = tmp_path / refs[0].filename
    left_open = finished.with_name(finished.name + ".open")
    finished.rename(left_open)
    size = left_open.stat().st_size
    with left_open.open("ab") as handle:
        handle.write(torn := gzip.compress(b"WARC/1.1\r\n")[:-8])  # no gzip trailer

    report = verify(tmp_path, refs)

    assert report.problems == [
        Problem(refs[0].filename, None, "left open by a stopped writer; the next start repairs it"),
        Problem(refs[0].filename, size, f"last record is cut short after {len(torn)} bytes"),
    ]
    WarcArchive(tmp_path)
    assert verify(tmp_path, refs).ok


def test_files_that_are_not_warc_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "a-text.warc.gz").write_bytes(
        gzip.compress(b"hello, this is not a WARC record\r\n")
    )
    (tmp_path / "b-noise.warc.gz").write_bytes(bytes(range(256)) * 4)

    report = verify(tmp_path)

    assert report.files == 2
    messages = [str(problem) for problem in report.problems]
    assert messages[0].startswith("a-text.warc.gz at byte 0: not a WARC record")
    assert messages[1].startswith("b-noise.warc.gz at byte 0: gzip data is corrupt")


def test_a_missing_directory_is_a_problem(tmp_path: Path) -> None:
    report = verify(tmp_path / "nowhere")

    assert [problem.message for problem in report.problems] == ["no such WARC directory"]
