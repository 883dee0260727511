"""What callers hand the store (a fetch) and what it answers (a save result)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Outcome = Literal["new", "unchanged", "new_version", "duplicate_of"]
VersionKind = Literal["first", "updated", "date_only", "silent_edit", "reparse"]


@dataclass(frozen=True, slots=True)
class FetchInfo:
    """One HTTP exchange as the crawler saw it, and where the WARC writer put its bytes.

    `status` is None when no response came; `revisit` marks a 304 or an identical payload
    archived as a WARC revisit record. `site` names the configured site the fetch was made
    for (default: the URL's host without `www.`).
    """

    url: str
    fetched_at: datetime
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    payload_digest: str | None = None
    warc_record_id: str | None = None
    revisit: bool = False
    error: str | None = None
    site: str | None = None


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a save did.

    `version_no` is the article's current version after the save; `kind` is set when this
    save made a version ("first" for a new article); `duplicate_of` is the canonical URL of
    the article that holds the record when the outcome is "duplicate_of".
    """

    outcome: Outcome
    article_id: int
    version_no: int
    kind: VersionKind | None = None
    duplicate_of: str | None = None
