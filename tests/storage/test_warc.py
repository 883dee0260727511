"""The raw archive: exchanges and revisits written as WARC 1.1, read back, rotated, shared."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.cli import main as warcio_main

from storage.exceptions import WarcReferenceError
from storage.warc import (
    HttpRequest,
    HttpResponse,
    WarcArchive,
    WarcRef,
    iter_responses,
    payload_digest,
    read_response,
    verify,
)

INDIA = timezone(timedelta(hours=5, minutes=30))
FETCHED_AT = datetime(2025, 12, 6, 14, 54, 7, 250000, tzinfo=INDIA)
URL = "https://www.rnamedia.in/defence-industry/navy-frigates/?ref=home"
PAGE = b"<!doctype html><html><body><h1>Navy buys six frigates</h1></body></html>"


def _request(url: str = URL) -> HttpRequest:
    return HttpRequest("GET", url, [("User-Agent", "newsarchive-test"), ("Accept", "text/html")])


def _response(body: bytes = PAGE, status: int = 200) -> HttpResponse:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"v1"')]
    return HttpResponse(status, "", headers, body)


class _Record(NamedTuple):
    type: str
    headers: dict[str, str]
    http: Any
    content: bytes
    digest_ok: bool
    offset: int
    length: int


def _records(path: Path) -> list[_Record]:
    """Every record of a file as warcio's own iterator sees it, digests checked."""
    found = []
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle, check_digests=True)
        for record in iterator:
            content = record.content_stream().read()
            found.append(
                _Record(
                    record.rec_type,
                    dict(record.rec_headers.headers),
                    record.http_headers,
                    content,
                    record.digest_checker.passed is not False,
                    iterator.get_record_offset(),
                    iterator.get_record_length(),
                )
            )
    return found


def _only_file(root: Path) -> Path:
    (path,) = root.iterdir()
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[WarcArchive]:
    with WarcArchive(tmp_path / "warc") as opened:
        yield opened


def test_exchange_round_trips_through_read_response(archive: WarcArchive) -> None:
    ref = archive.write_exchange(_request(), _response(), FETCHED_AT, ip="203.0.113.7")

    archived = read_response(archive.root, ref)

    assert archived.status == 200
    assert archived.body == PAGE
    assert archived.target_uri == URL
    assert archived.date == FETCHED_AT
    assert ("ETag", '"v1"') in archived.headers
    assert ref.payload_digest == payload_digest(PAGE)
    assert ref.filename.startswith("newsarchive-") and ref.filename.endswith(".warc.gz")


def test_exchange_is_a_linked_warc_1_1_request_and_response(archive: WarcArchive) -> None:
    ref = archive.write_exchange(_request(), _response(), FETCHED_AT, ip="203.0.113.7")
    archive.close()

    records = _records(archive.root / ref.filename)

    assert [record.type for record in records] == ["warcinfo", "response", "request"]
    assert all(record.digest_ok for record in records)
    response, request = records[1].headers, records[2].headers
    assert response["WARC-Target-URI"] == request["WARC-Target-URI"] == URL
    assert response["WARC-Date"] == request["WARC-Date"] == "2025-12-06T09:24:07.250000Z"
    assert response["WARC-IP-Address"] == "203.0.113.7"
    assert response["WARC-Record-ID"] == ref.record_id
    assert request["WARC-Concurrent-To"] == ref.record_id
    assert response["WARC-Payload-Digest"] == ref.payload_digest
    assert response["WARC-Block-Digest"].startswith("sha1:")
    assert (records[1].offset, records[1].length) == (ref.offset, ref.length)
    request_line = records[2].http
    assert f"{request_line.protocol} {request_line.statusline}" == (
        "GET /defence-industry/navy-frigates/?ref=home HTTP/1.1"
    )
    assert request_line.get_header("Host") == "www.rnamedia.in"


class _GzipChunkedPage(BaseHTTPRequestHandler):
    """Serves the page gzip-encoded and chunked, as many news sites do."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        encoded = gzip.compress(PAGE)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(encoded), 40):
            chunk = encoded[start : start + 40]
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def gzip_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GzipChunkedPage)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/frigates"
    server.shutdown()
    server.server_close()


def test_a_real_gzip_chunked_fetch_replays_without_double_decoding(
    archive: WarcArchive, gzip_site: str
) -> None:
    with httpx.Client() as client:
        fetched = client.get(gzip_site)
    request = HttpRequest(
        fetched.request.method, str(fetched.request.url), fetched.request.headers.raw
    )
    response = HttpResponse(
        fetched.status_code, fetched.reason_phrase, fetched.headers.raw, fetched.content
    )

    ref = archive.write_exchange(request, response, FETCHED_AT, ip="127.0.0.1")
    archived = read_response(archive.root, ref)
    archive.close()

    assert archived.body == PAGE
    headers = dict(archived.headers)
    assert headers["X-Archive-Orig-Content-Encoding"] == "gzip"
    assert headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    assert headers["Content-Length"] == str(len(PAGE))
    assert "Content-Encoding" not in headers and "Transfer-Encoding" not in headers
    replayed = _records(archive.root / ref.filename)[1]
    assert replayed.content == PAGE and replayed.digest_ok


def test_a_still_encoded_body_is_kept_raw_and_decoded_on_read(
    archive: WarcArchive, gzip_site: str
) -> None:
    with httpx.Client() as client, client.stream("GET", gzip_site) as fetched:
        raw = b"".join(fetched.iter_raw())
        response = HttpResponse(200, "OK", fetched.headers.raw, raw, decoded=False)

    ref = archive.write_exchange(_request(gzip_site), response, FETCHED_AT)
    archived = read_response(archive.root, ref)
    archive.close()

    assert raw[:2] == b"\x1f\x8b" and archived.body == PAGE
    assert ref.payload_digest == payload_digest(raw)
    headers = dict(archived.headers)
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Length"] == str(len(raw))
    assert headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    replayed = _records(archive.root / ref.filename)[1]
    assert replayed.content == PAGE and replayed.digest_ok


def test_read_response_refuses_a_revisit_and_a_wrong_record_id(archive: WarcArchive) -> None:
    original = archive.write_exchange(_request(), _response(), FETCHED_AT)
    revisit = archive.write_revisit_identical(_request(), _response(), FETCHED_AT, original)

    with pytest.raises(WarcReferenceError, match="revisit record, not a response"):
        read_response(archive.root, revisit)
    with pytest.raises(WarcReferenceError, match="expected <urn:uuid:other>"):
        read_response(archive.root, original._replace(record_id="<urn:uuid:other>"))
    with pytest.raises(WarcReferenceError, match="not a WARC file name"):
        read_response(archive.root, original._replace(filename="../" + original.filename))


def test_fetch_times_need_a_timezone(archive: WarcArchive) -> None:
    with pytest.raises(ValueError, match="timezone"):
        archive.write_exchange(_request(), _response(), datetime(2025, 12, 6, 14, 54))


def test_files_rotate_by_size_and_every_reference_still_reads(tmp_path: Path) -> None:
    bodies = [PAGE + f"<p>{index} {'x' * 400}</p>".encode() for index in range(12)]
    with WarcArchive(tmp_path, max_file_bytes=2_000) as archive:
        refs = [
            archive.write_exchange(_request(f"{URL}&p={i}"), _response(body), FETCHED_AT)
            for i, body in enumerate(bodies)
        ]
        one_exchange = max(ref.length for ref in refs) * 3

    files = sorted(path.name for path in tmp_path.iterdir())
    assert len(files) > 2
    assert files == sorted({ref.filename for ref in refs})
    assert [int(name.split("-")[2]) for name in files] == list(range(1, len(files) + 1))
    assert all((tmp_path / name).stat().st_size < 2_000 + one_exchange for name in files)
    assert [read_response(tmp_path, ref).body for ref in refs] == bodies
    assert verify(tmp_path, refs).ok


def test_a_new_archive_continues_the_serials(tmp_path: Path) -> None:
    with WarcArchive(tmp_path) as archive:
        first = archive.write_exchange(_request(), _response(), FETCHED_AT)
    with WarcArchive(tmp_path) as archive:
        second = archive.write_exchange(_request(), _response(), FETCHED_AT)

    assert int(second.filename.split("-")[2]) == int(first.filename.split("-")[2]) + 1


def test_workers_writing_at_once_produce_whole_records(tmp_path: Path) -> None:
    workers, per_worker = 6, 15
    refs: list[WarcRef] = []
    with WarcArchive(tmp_path, max_file_bytes=20_000) as archive:

        def work(worker: int) -> None:
            for index in range(per_worker):
                body = PAGE + f"<p>{worker}-{index}</p>".encode()
                refs.append(archive.write_exchange(_request(), _response(body), FETCHED_AT))

        threads = [threading.Thread(target=work, args=(worker,)) for worker in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    report = verify(tmp_path, refs)
    assert report.ok, report.problems
    assert report.records == report.files + 2 * workers * per_worker
    bodies = {read_response(tmp_path, ref).body for ref in refs}
    assert len(bodies) == workers * per_worker


def test_iter_responses_yields_every_response_in_order_with_its_reference(tmp_path: Path) -> None:
    with WarcArchive(tmp_path) as archive:
        first = archive.write_exchange(_request(), _response(), FETCHED_AT)
        archive.write_revisit_identical(_request(), _response(), FETCHED_AT, first)
        archive.close()
        second = archive.write_exchange(_request(), _response(PAGE * 2), FETCHED_AT)
        assert (tmp_path / f"{second.filename}.open").is_file()

        found = list(iter_responses(tmp_path))

    assert [ref for ref, _ in found] == [first, second]
    assert [archived.body for _, archived in found] == [PAGE, PAGE * 2]


def test_responses_written_by_other_tools_are_decoded_when_read(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    encoded = gzip.compress(PAGE)
    with (tmp_path / "other-tool.warc.gz").open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        http_headers = StatusAndHeaders(
            "200 OK",
            [("Content-Encoding", "gzip"), ("Content-Length", str(len(encoded)))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            URL, "response", payload=BytesIO(encoded), http_headers=http_headers
        )
        writer.write_record(record)

    ((ref, archived),) = iter_responses(tmp_path)

    assert archived.body == PAGE
    assert read_response(tmp_path, ref).body == PAGE
    assert ref.payload_digest == payload_digest(encoded)


def test_files_pass_warcio_check_and_its_index_agrees_with_the_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with WarcArchive(tmp_path) as archive:
        original = archive.write_exchange(_request(), _response(), FETCHED_AT)
        revisit = archive.write_revisit_identical(_request(), _response(), FETCHED_AT, original)
        not_modified = archive.write_revisit_not_modified(
            _request(), HttpResponse(304, "", {}, b""), FETCHED_AT, original
        )
    path = str(_only_file(tmp_path))

    with pytest.raises(SystemExit) as checked:
        warcio_main(["check", "-v", path])
    assert checked.value.code == 0
    assert "digest pass" in capsys.readouterr().out

    warcio_main(["index", "-f", "offset,length,warc-type,warc-record-id", path])
    index = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_id = {entry["warc-record-id"]: entry for entry in index}
    for ref, kind in ((original, "response"), (revisit, "revisit"), (not_modified, "revisit")):
        entry = by_id[ref.record_id]
        assert (int(entry["offset"]), int(entry["length"]), entry["warc-type"]) == (
            ref.offset,
            ref.length,
            kind,
        )
    assert index[0]["warc-type"] == "warcinfo"
