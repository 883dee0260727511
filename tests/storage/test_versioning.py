"""The version rule of DESIGN.md, case by case."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from storage.contract import VersionKind
from storage.versioning import Snapshot, next_kind

DAY_1 = datetime(2025, 12, 6, tzinfo=UTC)
DAY_2 = datetime(2025, 12, 7, tzinfo=UTC)
RECORD: dict[str, Any] = {"headline": "A", "parser": {"name": "generic", "version": "1"}}
CURRENT = Snapshot("hash-a", DAY_1, RECORD)


@pytest.mark.parametrize(
    ("content_hash", "updated_at", "expected"),
    [
        ("hash-a", DAY_1, None),
        ("hash-a", None, None),
        ("hash-a", DAY_2, "date_only"),
        ("hash-b", DAY_2, "updated"),
        ("hash-b", DAY_1, "silent_edit"),
        ("hash-b", None, "silent_edit"),
    ],
    ids=["nothing-new", "date-lost", "date-only", "updated", "silent-edit", "silent-edit-no-date"],
)
def test_the_edit_rule(
    content_hash: str, updated_at: datetime | None, expected: VersionKind | None
) -> None:
    assert next_kind(CURRENT, Snapshot(content_hash, updated_at, RECORD)) == expected


def test_a_first_date_on_an_undated_article_is_an_update() -> None:
    undated = Snapshot("hash-a", None, RECORD)
    assert next_kind(undated, Snapshot("hash-a", DAY_1, RECORD)) == "date_only"


def test_the_same_instant_in_another_zone_is_no_change() -> None:
    in_india = DAY_1.astimezone(datetime.fromisoformat("2025-01-01T00:00+05:30").tzinfo)
    assert next_kind(CURRENT, Snapshot("hash-a", in_india, RECORD)) is None


def test_a_reparse_versions_changed_extraction_only() -> None:
    newer_parser = {**RECORD, "parser": {"name": "generic", "version": "2"}, "warnings": ["x"]}
    assert next_kind(CURRENT, Snapshot("hash-a", DAY_1, newer_parser), reparse=True) is None
    better = {**RECORD, "section": "Defence Industry"}
    assert next_kind(CURRENT, Snapshot("hash-a", DAY_1, better), reparse=True) == "reparse"


def test_a_reparse_never_counts_as_an_edit() -> None:
    moved = Snapshot("hash-b", DAY_2, {**RECORD, "headline": "B"})
    assert next_kind(CURRENT, moved, reparse=True) == "reparse"
