"""WARC files on disk: names, gzip-member framing, the open-file lock and crash repair.

A file being written is named `<name>.warc.gz.open` and held under an exclusive flock; it gets
its final name when it is closed. A `.open` file nobody holds was left by a crashed writer, so
the next writer to start cuts it back to its last complete record and renames it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Literal, NamedTuple

from storage.exceptions import WarcReferenceError

log = logging.getLogger(__name__)

FINAL_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".warc.gz.open"
_CHUNK = 1 << 20
_SERIAL = re.compile(r"-(\d{5,})-\d+\.warc\.gz(?:\.open)?$")


class GzipMember(NamedTuple):
    offset: int
    length: int
    data: bytes


class Damage(NamedTuple):
    """Where a file stops being readable; `truncated` means a clean prefix of a member."""

    offset: int
    truncated: bool
    reason: str


class Repair(NamedTuple):
    """What the start-up did to a file a crashed writer left open."""

    filename: str
    kept_bytes: int
    removed_bytes: int
    note: str


def final_name(path: Path) -> str:
    return path.name.removesuffix(".open")


def new_file_name(prefix: str, serial: int) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return f"{prefix}-{stamp}-{serial:05d}-{os.getpid()}{FINAL_SUFFIX}"


def next_serial(root: Path, prefix: str) -> int:
    serials = [
        int(match.group(1))
        for path in root.glob(f"{prefix}-*")
        if (match := _SERIAL.search(path.name))
    ]
    return max(serials, default=0) + 1


def archive_files(root: Path) -> list[Path]:
    """Every WARC file under root, finished or open, in name (hence time) order."""
    paths = [*root.glob(f"*{FINAL_SUFFIX}"), *root.glob(f"*{OPEN_SUFFIX}")]
    return sorted(paths, key=final_name)


def resolve(root: Path, filename: str) -> Path:
    """The file a reference names, also while it is still being written."""
    if not filename or Path(filename).name != filename or filename in {".", ".."}:
        raise WarcReferenceError(f"not a WARC file name: {filename!r}")
    for candidate in (root / filename, root / (filename + ".open")):
        if candidate.is_file():
            return candidate
    raise WarcReferenceError(f"no WARC file {filename} under {root}")


def scan_members(stream: BinaryIO) -> Iterator[GzipMember | Damage]:
    """Walk the gzip members of a file; a final Damage says where reading had to stop."""
    offset = 0
    pending = b""
    while True:
        data = pending or stream.read(_CHUNK)
        if not data:
            return
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        parts: list[bytes] = []
        consumed = 0
        while True:
            try:
                parts.append(decompressor.decompress(data))
            except zlib.error as error:
                yield Damage(offset, False, f"gzip data is corrupt: {error}")
                return
            if decompressor.eof:
                pending = decompressor.unused_data
                consumed += len(data) - len(pending)
                yield GzipMember(offset, consumed, b"".join(parts))
                offset += consumed
                break
            consumed += len(data)
            data = stream.read(_CHUNK)
            if not data:
                yield Damage(offset, True, f"last record is cut short after {consumed} bytes")
                return


def decompress_member(data: bytes) -> bytes | None:
    """The record in exactly one gzip member, or None when data is not exactly one member."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        record = decompressor.decompress(data)
    except zlib.error:
        return None
    if not decompressor.eof or decompressor.unused_data:
        return None
    return record


@contextmanager
def held_lock(path: Path, mode: Literal["rb", "r+b"] = "r+b") -> Iterator[BinaryIO | None]:
    """The file under an exclusive lock, or None while a writer holds it."""
    with path.open(mode) as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        try:
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def is_being_written(path: Path) -> bool:
    if not path.name.endswith(OPEN_SUFFIX):
        return False
    try:
        with held_lock(path, "rb") as handle:  # read-only is enough to test a flock
            return handle is None
    except FileNotFoundError:  # finished and renamed meanwhile
        return False


def open_current(path: Path) -> BinaryIO | None:
    """Open a listed file for reading even if it was finished (renamed) since the listing."""
    for candidate in (path, path.with_name(final_name(path))):
        try:
            return candidate.open("rb")
        except FileNotFoundError:
            continue
    return None


def sync_directory(directory: Path) -> None:
    """Make a create or rename durable, not only the file's bytes."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def repair_open_files(root: Path) -> list[Repair]:
    """Finish every `.open` file no live writer holds: cut its torn tail, give it its name."""
    repairs = []
    for path in sorted(root.glob(f"*{OPEN_SUFFIX}")):
        try:
            with held_lock(path) as handle:
                if handle is not None:
                    repairs.append(_repair(path, handle))
        except FileNotFoundError:  # another process repaired it first
            continue
    if repairs:
        sync_directory(root)
    return repairs


def _repair(path: Path, handle: BinaryIO) -> Repair:
    size = os.fstat(handle.fileno()).st_size
    good_end, damage = _complete_prefix(handle)
    kept = size
    note = "all records complete"
    if damage is not None and damage.truncated:
        handle.truncate(good_end)
        handle.flush()
        os.fsync(handle.fileno())
        kept = good_end
        note = f"cut {size - good_end} bytes of a torn record after byte {good_end}"
    elif damage is not None:
        note = f"left as is ({damage.reason} at byte {damage.offset}); run warc verify"
    name = final_name(path)
    if kept == 0:
        path.unlink()
        note = "removed: no complete record"
    else:
        path.rename(path.with_name(name))
    log.warning("WARC file %s was left open by a stopped writer: %s", name, note)
    return Repair(name, kept, size - kept, note)


def _complete_prefix(handle: BinaryIO) -> tuple[int, Damage | None]:
    """End of the last complete member, and what stopped the scan there, if anything."""
    handle.seek(0)
    good_end = 0
    for item in scan_members(handle):
        if isinstance(item, Damage):
            return good_end, item
        good_end = item.offset + item.length
    return good_end, None
