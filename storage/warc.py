"""The raw WARC archive: write every fetch, read responses back, verify files and references.

    with WarcArchive(Path("data/warc")) as archive:
        ref = archive.write_fetch(request, response, fetched_at, previous=last_ref)
    archived = read_response(Path("data/warc"), ref)

The database keeps the returned `WarcRef`; nothing here depends on the database.
"""

from __future__ import annotations

from storage.warc_files import Repair
from storage.warc_reader import ArchivedResponse, iter_responses, read_response
from storage.warc_records import (
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    HttpRequest,
    HttpResponse,
    WarcRef,
    payload_digest,
)
from storage.warc_settings import DEFAULT_MAX_FILE_BYTES, DEFAULT_PREFIX, DEFAULT_WARC_ROOT
from storage.warc_verify import Problem, VerifyReport, verify
from storage.warc_writer import WarcArchive

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_PREFIX",
    "DEFAULT_WARC_ROOT",
    "PROFILE_IDENTICAL",
    "PROFILE_NOT_MODIFIED",
    "ArchivedResponse",
    "HttpRequest",
    "HttpResponse",
    "Problem",
    "Repair",
    "VerifyReport",
    "WarcArchive",
    "WarcRef",
    "iter_responses",
    "payload_digest",
    "read_response",
    "verify",
]
