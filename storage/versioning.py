"""The version rule of DESIGN.md, as one pure function the store and the tests share.

A new version when `updated_at` changes (`updated`, or `date_only` when the content hash
did not move) or when the content changes with no new date (`silent_edit`); otherwise none.
A date the page no longer shows (None) is a parse gap, not a change. Re-parses of archived
pages are kept apart from real edits: `reparse` when the extraction itself changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.contract import VersionKind

# Record keys that say how a record was made rather than what the page says.
PROVENANCE_KEYS = frozenset({"parser", "warnings"})


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the rule compares: a stored version or an incoming record."""

    content_hash: str
    updated_at: datetime | None
    record: dict[str, Any]


def next_kind(
    current: Snapshot, incoming: Snapshot, *, reparse: bool = False
) -> VersionKind | None:
    """The kind of version `incoming` makes on top of `current`, or None for no version."""
    if reparse:
        return "reparse" if _extraction(incoming) != _extraction(current) else None
    date_moved = incoming.updated_at is not None and incoming.updated_at != current.updated_at
    content_moved = incoming.content_hash != current.content_hash
    if date_moved:
        return "updated" if content_moved else "date_only"
    return "silent_edit" if content_moved else None


def _extraction(snapshot: Snapshot) -> dict[str, Any]:
    return {key: value for key, value in snapshot.record.items() if key not in PROVENANCE_KEYS}
