"""Version comparison: paragraphs aligned, words within reworded ones, fields, summaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from parsers.record import ArticleRecord, Image
from storage.diffs import align, compare, first_summary, word_ops

BASE = ArticleRecord(
    url="https://example.com/a",
    canonical_url="https://example.com/a",
    site="example.com",
    page_type="article",
    headline="Navy orders six frigates",
    authors=("Ann Lee",),
    published_at=datetime(2025, 12, 1, 9, 0, tzinfo=UTC),
    body=(
        "The navy ordered six frigates on Monday.",
        "The ships will be built at two yards.",
        "Deliveries start in 2029.",
    ),
    images=(Image("https://example.com/f.jpg", "A frigate at sea", "Navy"),),
)


def test_identical_records_have_no_change() -> None:
    diff = compare(BASE, BASE, 1, 2)
    assert not diff.changed
    assert diff.summary() == "no change in the text or fields"
    assert all(p.kind == "equal" for p in diff.paragraphs)


def test_added_removed_and_reworded_paragraphs_are_told_apart() -> None:
    after = replace(
        BASE,
        body=(
            "The navy ordered six frigates on Monday.",
            "The ships will be built at three yards in the north.",
            "A spokesman declined to comment.",
        ),
    )
    diff = compare(BASE, after, 1, 2)
    kinds = [p.kind for p in diff.paragraphs]
    assert kinds == ["equal", "change", "delete", "insert"]
    changed = diff.paragraphs[1]
    assert [op.text for op in changed.words if op.kind == "delete"] == ["two", "yards."]
    assert "three" in "".join(op.text for op in changed.words if op.kind == "insert")
    assert diff.summary() == "1 paragraph added, 1 removed, 1 changed"


def test_field_changes_are_named_in_the_summary() -> None:
    after = replace(
        BASE,
        headline="Navy orders seven frigates",
        authors=("Ann Lee", "Bo Chen"),
        updated_at=datetime(2025, 12, 2, tzinfo=UTC),
        images=(Image("https://example.com/f.jpg", "A frigate in port", "Navy"),),
    )
    diff = compare(BASE, after, 1, 2)
    names = [change.name for change in diff.fields]
    assert names == ["headline", "byline", "updated", "captions"]
    assert diff.fields[1].after == "Ann Lee; Bo Chen"
    assert diff.summary() == "headline, byline, updated, captions changed"


def test_unified_text_marks_removed_and_added_lines() -> None:
    after = replace(BASE, headline="New", body=(*BASE.body, "One more line."))
    lines = list(compare(BASE, after, 1, 3).unified())
    assert lines[:2] == ["--- version 1", "+++ version 3"]
    assert "-Navy orders six frigates" in lines and "+New" in lines
    assert "+One more line." in lines
    assert not any(line.startswith("-The navy") for line in lines)


def test_first_summary_counts_paragraphs_and_captioned_images() -> None:
    assert first_summary(BASE) == "first seen: 3 paragraphs, 1 image (1 captioned)"
    assert (
        first_summary(replace(BASE, body=("x",), images=())) == "first seen: 1 paragraph, 0 images"
    )


def test_word_ops_rebuild_both_sides() -> None:
    ops = word_ops("the quick brown fox", "the slow brown dog jumps")
    before = "".join(op.text for op in ops if op.kind != "insert")
    after = "".join(op.text for op in ops if op.kind != "delete")
    assert (before, after) == ("the quick brown fox", "the slow brown dog jumps")


paragraphs = st.lists(st.sampled_from(["a b c", "a b d", "x y z", "p q", "long text here"]))


@given(paragraphs, paragraphs)
def test_alignment_keeps_every_paragraph_in_order(old: list[str], new: list[str]) -> None:
    changes = align(old, new)
    assert [c.before for c in changes if c.before is not None] == old
    assert [c.after for c in changes if c.after is not None] == new
    for change in changes:
        if change.kind == "change":
            assert "".join(op.text for op in change.words if op.kind != "insert") == change.before
            assert "".join(op.text for op in change.words if op.kind != "delete") == change.after
