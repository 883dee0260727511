"""Reading the raw archive back: one record by reference, or every response in order.

`reparse` uses these to re-run the parsers without the network; the digests are checked on
every read so a damaged record is reported rather than parsed.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any, NamedTuple

from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParserException
from warcio.timeutils import iso_date_to_datetime

from storage.exceptions import WarcReadError, WarcReferenceError
from storage.warc_files import (
    OPEN_SUFFIX,
    Damage,
    archive_files,
    decompress_member,
    final_name,
    open_current,
    resolve,
    scan_members,
)
from storage.warc_records import RefersTo, WarcRef

_LOADER = ArcWarcRecordLoader(verify_http=False, arc2warc=False)
_RECORD_END = b"\r\n\r\n"


class ArchivedResponse(NamedTuple):
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    target_uri: str
    date: datetime


class ParsedRecord(NamedTuple):
    """One record with its payload read and its problems (digests, framing) listed."""

    record: Any
    payload: bytes
    problems: tuple[str, ...]

    @property
    def rec_type(self) -> str:
        return str(self.record.rec_type)

    def header(self, name: str) -> str | None:
        value = self.record.rec_headers.get_header(name)
        return None if value is None else str(value)


def digest_matches(declared: str, data: bytes) -> bool:
    """Check a `algorithm:value` digest in any of the encodings the WARC spec allows."""
    algorithm, _, value = declared.partition(":")
    try:
        raw = hashlib.new(algorithm.lower().replace("-", ""), data).digest()
    except ValueError:
        return False
    encoded = {base64.b32encode(raw).decode(), raw.hex(), base64.b64encode(raw).decode()}
    return value in encoded or value.lower() in encoded


def parse_record(data: bytes) -> ParsedRecord:
    """Parse one uncompressed record; raises WarcReadError when it is not a WARC record."""
    try:
        record = _LOADER.parse_record_stream(BytesIO(data), known_format="warc", check_digests=True)
        payload = record.raw_stream.read()
    except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, ValueError) as error:
        raise WarcReadError(f"not a WARC record: {str(error).strip()}") from error
    problems = [str(problem) for problem in record.digest_checker.problems]
    block = _block(data, record)
    if block is None:
        problems.append("record is not framed by its Content-Length and two CRLFs")
    elif record.rec_type == "revisit":
        declared = record.rec_headers.get_header("WARC-Block-Digest")
        if declared and not digest_matches(declared, block):
            problems.append(f"block digest failed: {declared}")
    return ParsedRecord(record, payload, tuple(problems))


def _block(data: bytes, record: Any) -> bytes | None:
    head_end = data.find(_RECORD_END)
    try:
        length = int(record.rec_headers.get_header("Content-Length"))
    except (TypeError, ValueError):
        return None
    start = head_end + len(_RECORD_END)
    if head_end < 0 or data[start + length :] != _RECORD_END:
        return None
    return data[start : start + length]


def load_record(root: Path, ref: WarcRef) -> ParsedRecord:
    """Like read_record, with messages that leave the location to the caller."""
    opened = open_current(resolve(root, ref.filename))
    if opened is None:
        raise WarcReferenceError(f"no WARC file {ref.filename} under {root}")
    with opened as handle:
        handle.seek(max(ref.offset, 0))
        data = handle.read(max(ref.length, 0))
    member = decompress_member(data) if ref.offset >= 0 and len(data) == ref.length else None
    if member is None:
        raise WarcReferenceError("offset and length do not frame one whole record")
    parsed = parse_record(member)
    record_id = parsed.header("WARC-Record-ID")
    if record_id != ref.record_id:
        raise WarcReferenceError(f"found record {record_id}, expected {ref.record_id}")
    return parsed


def read_record(root: Path, ref: WarcRef) -> ParsedRecord:
    """The record a reference names, after checking it frames one member with that record id."""
    try:
        return load_record(root, ref)
    except (WarcReferenceError, WarcReadError) as error:
        raise type(error)(f"{ref.filename} at byte {ref.offset}: {error}") from error


def read_response(root: Path, ref: WarcRef) -> ArchivedResponse:
    """The archived response a fetch row points at, body decoded as the site served it."""
    parsed = read_record(root, ref)
    if parsed.rec_type != "response":
        raise WarcReferenceError(
            f"{ref.filename} at byte {ref.offset} is a {parsed.rec_type} record, not a response"
        )
    if parsed.problems:
        raise WarcReadError(f"{ref.filename} at byte {ref.offset}: {'; '.join(parsed.problems)}")
    return _archived(parsed)


def refers_to(root: Path, ref: WarcRef) -> RefersTo:
    """What a revisit of this capture should point at: the original response behind it."""
    parsed = read_record(root, ref)
    if parsed.rec_type == "response":
        uri, date = parsed.header("WARC-Target-URI"), parsed.header("WARC-Date")
        if uri and date:
            return RefersTo(uri, date, ref.record_id)
    elif parsed.rec_type == "revisit":
        original = (
            parsed.header("WARC-Refers-To-Target-URI"),
            parsed.header("WARC-Refers-To-Date"),
            parsed.header("WARC-Refers-To"),
        )
        if all(original):
            return RefersTo(*(str(value) for value in original))
    raise WarcReferenceError(
        f"{ref.filename} at byte {ref.offset}: a {parsed.rec_type} record names no original"
    )


def iter_responses(root: Path) -> Iterator[tuple[WarcRef, ArchivedResponse]]:
    """Every archived response under root in file order, without the database."""
    for path in archive_files(root):
        yield from _file_responses(path)


def _file_responses(path: Path) -> Iterator[tuple[WarcRef, ArchivedResponse]]:
    name = final_name(path)
    opened = open_current(path)
    if opened is None:
        raise WarcReadError(f"{name} disappeared while it was being read")
    with opened as handle:
        for item in scan_members(handle):
            if isinstance(item, Damage):
                if item.truncated and path.name.endswith(OPEN_SUFFIX):
                    return  # the writer is mid-record, or a crash the next start repairs
                raise WarcReadError(
                    f"{name}: {item.reason} at byte {item.offset}; run `newsarchive warc verify`"
                )
            parsed = parse_record(item.data)
            if parsed.rec_type != "response":
                continue
            if parsed.problems:
                raise WarcReadError(f"{name} at byte {item.offset}: {'; '.join(parsed.problems)}")
            record_id = str(parsed.header("WARC-Record-ID"))
            digest = parsed.header("WARC-Payload-Digest")
            ref = WarcRef(name, item.offset, item.length, digest, record_id)
            yield ref, _archived(parsed)


def _archived(parsed: ParsedRecord) -> ArchivedResponse:
    http = parsed.record.http_headers
    if http is None:
        raise WarcReadError("response record carries no HTTP headers")
    return ArchivedResponse(
        status=int(http.get_statuscode()),
        headers=tuple((str(name), str(value)) for name, value in http.headers),
        body=_decoded_body(parsed),
        target_uri=str(parsed.header("WARC-Target-URI")),
        date=iso_date_to_datetime(parsed.header("WARC-Date"), tz_aware=True),
    )


def _decoded_body(parsed: ParsedRecord) -> bytes:
    """Undo chunking and compression left in responses written by other tools."""
    http = parsed.record.http_headers
    if not http.get_header("content-encoding") and not http.get_header("transfer-encoding"):
        return parsed.payload
    record = ArcWarcRecord(
        "warc",
        "response",
        parsed.record.rec_headers,
        BytesIO(parsed.payload),
        http,
        None,
        len(parsed.payload),
    )
    return bytes(record.content_stream().read())
