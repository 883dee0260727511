"""The raw archive's writer: every fetch as WARC records, appended durably, files rotated by size.

One `WarcArchive` per process is enough: a lock serialises the crawler's workers, and each
exchange is written with a single append, so a crash can tear at most the record being
written, which the next start cuts off (see warc_files).

Durability: by default every append is followed by fsync. A writer made with
`sync_each=False` leaves that to `sync()`, which the crawler calls once per batch of pages
before the batch's database rows commit. Either way a record is in the operating system's
hands (and survives the process being killed) before its row exists; after `sync()` it also
survives a power loss.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from datetime import datetime
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from storage.exceptions import ArchiveFullError, RevisitMismatchError, WarcWriteError
from storage.warc_files import (
    Repair,
    new_file_name,
    next_serial,
    repair_open_files,
    sync_directory,
)
from storage.warc_reader import refers_to
from storage.warc_records import (
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    HttpRequest,
    HttpResponse,
    Member,
    RefersTo,
    WarcRef,
    payload_digest,
    request_member,
    response_member,
    revisit_member,
    warc_date,
    warcinfo_member,
)
from storage.warc_settings import DEFAULT_MAX_FILE_BYTES, DEFAULT_PREFIX, DEFAULT_WARC_ROOT

_NAME_ATTEMPTS = 100
# A full disk or an exhausted quota: no write succeeds until someone frees space.
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def _write_error(what: str, error: OSError) -> WarcWriteError:
    """The error a failed write raises: `ArchiveFullError` when the disk (or quota) is full."""
    kind = ArchiveFullError if error.errno in _FULL_ERRNOS else WarcWriteError
    return kind(f"{what}: {error}")


def _software() -> str:
    try:
        return f"newsarchive/{metadata.version('newsarchive')}"
    except metadata.PackageNotFoundError:
        return "newsarchive"


class _OpenFile:
    """The file being appended to, held under an exclusive lock until it is finished."""

    def __init__(self, path: Path, handle: BinaryIO, name: str) -> None:
        self.path = path
        self.handle = handle
        self.name = name
        self.size = 0
        self.synced_size = 0  # what the last fsync made durable
        self.synced = True

    @classmethod
    def create(cls, root: Path, prefix: str) -> _OpenFile:
        for _ in range(_NAME_ATTEMPTS):
            name = new_file_name(prefix, next_serial(root, prefix))
            try:
                return cls._start(root / f"{name}.open", name)
            except FileExistsError:
                continue
        raise WarcWriteError(f"could not find a free WARC file name under {root}")

    @classmethod
    def _start(cls, path: Path, name: str) -> _OpenFile:
        try:
            handle = path.open("xb", buffering=0)
        except FileExistsError:
            raise
        except OSError as error:
            raise _write_error(f"could not create WARC file {path}", error) from error
        opened = cls(path, handle, name)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            sync_directory(path.parent)
            opened.append(warcinfo_member(name, _software()).data)
        except WarcWriteError as error:  # its kind kept: a full disk stays a full disk
            opened.discard()
            raise type(error)(f"could not start WARC file {name}: {error}") from error
        except OSError as error:
            opened.discard()
            raise _write_error(f"could not start WARC file {name}", error) from error
        return opened

    def discard(self) -> None:
        """Remove a file that never got a record (no reference can name it), then close it."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError:  # left for the next start's repair, which removes empty files
            pass
        finally:
            self.handle.close()

    def append(self, data: bytes, *, sync: bool = True) -> None:
        """Write all of data (durably when `sync`), or cut the file back to where it was and
        raise."""
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.handle.fileno(), view) :]
            if sync:
                os.fsync(self.handle.fileno())
        except OSError as error:
            self._roll_back(self.size)
            raise _write_error(f"could not write to WARC file {self.name}", error) from error
        self.size += len(data)
        self.synced = sync
        if sync:
            self.synced_size = self.size

    def sync(self) -> None:
        """Make every record appended durable; when that fails (a full disk found only now,
        on a filesystem that allocates late), cut the file back to what the last sync kept:
        no row names those records yet, and their bytes may already be lost."""
        if self.synced:
            return
        if not self.usable:
            raise WarcWriteError(f"WARC file {self.name} was closed by a failed write unsynced")
        try:
            os.fsync(self.handle.fileno())
        except OSError as error:
            self._roll_back(self.synced_size)
            raise _write_error(f"could not sync WARC file {self.name}", error) from error
        self.synced = True
        self.synced_size = self.size

    def _roll_back(self, size: int) -> None:
        """Cut the file back to `size` bytes, the end of a complete record."""
        try:
            os.ftruncate(self.handle.fileno(), size)
            os.lseek(self.handle.fileno(), size, os.SEEK_SET)
            self.size = size
        except OSError:
            self.handle.close()  # the next start repairs what is left

    @property
    def usable(self) -> bool:
        return not self.handle.closed

    def finish(self) -> None:
        """Give the file its final name; the lock goes with the handle when it closes."""
        if not self.usable:
            return
        try:
            os.fsync(self.handle.fileno())
            self.path.rename(self.path.with_name(self.name))
            sync_directory(self.path.parent)
        except OSError as error:
            raise _write_error(f"could not finish WARC file {self.name}", error) from error
        finally:
            self.handle.close()


class WarcArchive:
    """Appends exchanges to `<prefix>-<utc time>-<serial>-<pid>.warc.gz` files under root.

    Starting repairs any file a crashed writer left open; `repairs` says what was done.
    """

    def __init__(
        self,
        root: Path = DEFAULT_WARC_ROOT,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        prefix: str = DEFAULT_PREFIX,
        *,
        sync_each: bool = True,
    ) -> None:
        if max_file_bytes <= 0:
            raise ValueError(f"max_file_bytes must be positive, not {max_file_bytes}")
        if not prefix or "/" in prefix:
            raise ValueError(f"not a usable WARC file prefix: {prefix!r}")
        self.root = Path(root)
        self.max_file_bytes = max_file_bytes
        self.prefix = prefix
        self.sync_each = sync_each
        self.root.mkdir(parents=True, exist_ok=True)
        self.repairs: tuple[Repair, ...] = tuple(repair_open_files(self.root))
        self._lock = threading.Lock()
        self._file: _OpenFile | None = None

    def write_exchange(
        self,
        request: HttpRequest,
        response: HttpResponse,
        fetched_at: datetime,
        *,
        ip: str | None = None,
    ) -> WarcRef:
        """A response record and its request record; the reference is the response's."""
        request, response = HttpRequest(*request), HttpResponse(*response)
        date = warc_date(fetched_at)
        answer = response_member(response, request.url, date, ip)
        return self._append(answer, request_member(request, date, answer.record_id))

    def write_revisit_identical(
        self,
        request: HttpRequest,
        response: HttpResponse,
        fetched_at: datetime,
        original: WarcRef,
        *,
        ip: str | None = None,
        refers: RefersTo | None = None,
    ) -> WarcRef:
        """A revisit instead of a second copy of a body the archive already holds.

        `refers` is what the revisit points at when the caller knows it (the database keeps
        it); without it the original record is read back for its URI and date."""
        request, response = HttpRequest(*request), HttpResponse(*response)
        digest = payload_digest(response.body)
        if digest != original.payload_digest:
            raise RevisitMismatchError(
                f"body digest {digest} differs from the original's {original.payload_digest}"
            )
        target = refers or refers_to(self.root, original)
        return self._append_revisit(
            request, response, fetched_at, ip, PROFILE_IDENTICAL, target, digest
        )

    def write_revisit_not_modified(
        self,
        request: HttpRequest,
        response: HttpResponse,
        fetched_at: datetime,
        original: WarcRef | None = None,
        *,
        ip: str | None = None,
        refers: RefersTo | None = None,
    ) -> WarcRef:
        """A 304 answer to a conditional GET, pointing at the capture it confirms when known
        (`refers` as for `write_revisit_identical`)."""
        request, response = HttpRequest(*request), HttpResponse(*response)
        if response.status != 304:
            raise ValueError(f"a server-not-modified revisit needs a 304, not {response.status}")
        if original is None:
            return self._append_revisit(request, response, fetched_at, ip, PROFILE_NOT_MODIFIED)
        target = refers or refers_to(self.root, original)
        return self._append_revisit(
            request, response, fetched_at, ip, PROFILE_NOT_MODIFIED, target, original.payload_digest
        )

    def write_fetch(
        self,
        request: HttpRequest,
        response: HttpResponse,
        fetched_at: datetime,
        previous: WarcRef | None = None,
        *,
        ip: str | None = None,
        refers: RefersTo | None = None,
    ) -> WarcRef:
        """Pick the record a fetch needs: 304 revisit, identical-payload revisit, or exchange.
        `refers` describes `previous` when the caller knows it (see `write_revisit_identical`).
        """
        response = HttpResponse(*response)
        if response.status == 304:
            return self.write_revisit_not_modified(
                request, response, fetched_at, previous, ip=ip, refers=refers
            )
        if previous is not None and previous.payload_digest == payload_digest(response.body):
            return self.write_revisit_identical(
                request, response, fetched_at, previous, ip=ip, refers=refers
            )
        return self.write_exchange(request, response, fetched_at, ip=ip)

    def sync(self) -> None:
        """Make every record appended so far survive a power loss (a no-op when each append
        already did): call it before committing database rows that point at them."""
        with self._lock:
            if self._file is not None:
                self._file.sync()

    def close(self) -> None:
        """Finish the current file; the next write starts a new one."""
        with self._lock:
            if self._file is not None:
                self._file.finish()
                self._file = None

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _append_revisit(
        self,
        request: HttpRequest,
        response: HttpResponse,
        fetched_at: datetime,
        ip: str | None,
        profile: str,
        target: RefersTo | None = None,
        digest: str | None = None,
    ) -> WarcRef:
        date = warc_date(fetched_at)
        revisit = revisit_member(
            response, request.url, date, ip, profile=profile, refers_to=target, digest=digest
        )
        return self._append(revisit, request_member(request, date, revisit.record_id))

    def _append(self, first: Member, *rest: Member) -> WarcRef:
        """Append the members in one write; the reference is the first member's."""
        with self._lock:
            if self._file is None or not self._file.usable:
                self._file = _OpenFile.create(self.root, self.prefix)
            current = self._file
            offset = current.size
            current.append(b"".join(member.data for member in (first, *rest)), sync=self.sync_each)
            if current.size >= self.max_file_bytes:
                current.finish()
                self._file = None
        return WarcRef(current.name, offset, len(first.data), first.payload_digest, first.record_id)
