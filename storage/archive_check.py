"""`warc verify` over an archive: every WARC file, and every fetch row's reference into them.

Kept apart from `storage.warc` (which knows no database) and from the store (which never
reads WARC files), so each can be used alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from storage.db import Database
from storage.models import Fetch
from storage.warc import VerifyReport, WarcRef, verify

BATCH = 5000


def fetch_refs(database: Database) -> Iterator[WarcRef]:
    """The WARC reference of every fetch row that has one, streamed in id order."""
    query = (
        select(
            Fetch.warc_file,
            Fetch.warc_offset,
            Fetch.warc_length,
            Fetch.payload_digest,
            Fetch.warc_record_id,
        )
        .where(Fetch.warc_file.is_not(None), Fetch.warc_record_id.is_not(None))
        .order_by(Fetch.id)
        .execution_options(yield_per=BATCH)
    )
    with database.session() as session:
        for name, offset, length, digest, record_id in session.execute(query):
            yield WarcRef(name or "", offset or 0, length or 0, digest, record_id or "")


def verify_archive(database: Database, warc_root: Path) -> VerifyReport:
    """Check the files under `warc_root` and that each fetch row leads to its record."""
    return verify(warc_root, fetch_refs(database))
