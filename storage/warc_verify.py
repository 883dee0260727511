"""`warc verify`: every file read end to end, every digest checked, every reference followed.

Problems are collected into a report instead of raised, so one damaged file does not hide
the state of the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from storage.exceptions import WarcReadError, WarcReferenceError
from storage.warc_files import (
    OPEN_SUFFIX,
    Damage,
    GzipMember,
    archive_files,
    final_name,
    is_being_written,
    open_current,
    scan_members,
)
from storage.warc_reader import load_record, parse_record
from storage.warc_records import PROFILE_IDENTICAL, WarcRef

_REFERABLE = ("response", "revisit")


class Problem(NamedTuple):
    filename: str
    offset: int | None
    message: str
    ref: WarcRef | None = None

    def __str__(self) -> str:
        where = self.filename if self.offset is None else f"{self.filename} at byte {self.offset}"
        return f"{where}: {self.message}"


class _Revisit(NamedTuple):
    filename: str
    offset: int
    original_id: str
    digest: str | None


@dataclass
class VerifyReport:
    files: int = 0
    records: int = 0
    refs: int = 0
    in_progress: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        checked = f"{self.files} files, {self.records} records, {self.refs} references"
        found = f"{len(self.problems)} problems" if self.problems else "no problems"
        return f"{checked} checked: {found}"

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)


@dataclass
class _Seen:
    """What the file pass learns for the cross-record checks: response ids, revisit targets."""

    responses: dict[str, str | None] = field(default_factory=dict)
    revisits: list[_Revisit] = field(default_factory=list)


def verify(root: Path, refs: Iterable[WarcRef] | None = None) -> VerifyReport:
    """Check every WARC file under root, the revisits' originals, and the given references."""
    report = VerifyReport()
    seen = _Seen()
    if not root.is_dir():
        report.add(Problem(str(root), None, "no such WARC directory"))
    for path in archive_files(root):
        _check_file(path, report, seen)
    _check_revisits(seen, report)
    for ref in refs or ():
        _check_ref(root, ref, report)
    return report


def _check_file(path: Path, report: VerifyReport, seen: _Seen) -> None:
    name = final_name(path)
    live = is_being_written(path)
    if live:
        report.in_progress.append(name)
    elif path.name.endswith(OPEN_SUFFIX):
        report.add(Problem(name, None, "left open by a stopped writer; the next start repairs it"))
    handle = open_current(path)
    if handle is None:
        report.add(Problem(name, None, "disappeared while the archive was being verified"))
        return
    report.files += 1
    with handle:
        for item in scan_members(handle):
            if isinstance(item, Damage):
                if not (live and item.truncated):
                    report.add(Problem(name, item.offset, item.reason))
                return
            _check_member(name, item, report, seen)


def _check_member(name: str, member: GzipMember, report: VerifyReport, seen: _Seen) -> None:
    report.records += 1
    try:
        parsed = parse_record(member.data)
    except WarcReadError as error:
        report.add(Problem(name, member.offset, str(error)))
        return
    for message in parsed.problems:
        report.add(Problem(name, member.offset, message))
    record_id = str(parsed.header("WARC-Record-ID"))
    digest = parsed.header("WARC-Payload-Digest")
    if parsed.rec_type == "response":
        seen.responses[record_id] = digest
    elif parsed.rec_type == "revisit" and (original := parsed.header("WARC-Refers-To")):
        identical = parsed.header("WARC-Profile") == PROFILE_IDENTICAL
        checked_digest = digest if identical else None
        seen.revisits.append(_Revisit(name, member.offset, original, checked_digest))


def _check_revisits(seen: _Seen, report: VerifyReport) -> None:
    for revisit in seen.revisits:
        if revisit.original_id not in seen.responses:
            message = f"revisit refers to {revisit.original_id}, not a response in the archive"
            report.add(Problem(revisit.filename, revisit.offset, message))
        elif revisit.digest and seen.responses[revisit.original_id] != revisit.digest:
            message = f"revisit digest {revisit.digest} differs from its original's"
            report.add(Problem(revisit.filename, revisit.offset, message))


def _check_ref(root: Path, ref: WarcRef, report: VerifyReport) -> None:
    report.refs += 1
    try:
        parsed = load_record(root, ref)
    except (WarcReferenceError, WarcReadError, OSError) as error:
        report.add(Problem(ref.filename, ref.offset, str(error), ref))
        return
    if parsed.rec_type not in _REFERABLE:
        message = f"reference points at a {parsed.rec_type} record, not a response or revisit"
        report.add(Problem(ref.filename, ref.offset, message, ref))
    digest = parsed.header("WARC-Payload-Digest")
    if digest != ref.payload_digest:
        message = f"record payload digest {digest}, reference says {ref.payload_digest}"
        report.add(Problem(ref.filename, ref.offset, message, ref))
    for message in parsed.problems:
        report.add(Problem(ref.filename, ref.offset, message, ref))
