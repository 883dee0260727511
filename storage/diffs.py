"""What changed between two versions of an article: fields, paragraphs and words.

A body is compared paragraph by paragraph (the unit a newsroom edits and a reader sees);
inside a paragraph that was reworded, words show what moved. The same `VersionDiff` feeds the
one-line summaries of `history`, the coloured terminal diff, unified text and the web page.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from parsers.record import ArticleRecord

WordOpKind = Literal["equal", "insert", "delete"]
ParagraphOpKind = Literal["equal", "insert", "delete", "change"]

# Two paragraphs at least this similar (difflib ratio) are one paragraph reworded, not one
# removed and another added.
SAME_PARAGRAPH_RATIO = 0.5
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A field other than the body whose value moved (text as shown to a reader)."""

    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class WordOp:
    kind: WordOpKind
    text: str


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    """One paragraph of the aligned bodies; `words` is set for a reworded paragraph."""

    kind: ParagraphOpKind
    before: str | None
    after: str | None
    words: tuple[WordOp, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
            "words": [{"kind": op.kind, "text": op.text} for op in self.words],
        }


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """Version `before_number` against `after_number` of one article."""

    before_number: int
    after_number: int
    fields: tuple[FieldChange, ...]
    paragraphs: tuple[ParagraphChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(p.kind != "equal" for p in self.paragraphs)

    def count(self, kind: ParagraphOpKind) -> int:
        return sum(1 for paragraph in self.paragraphs if paragraph.kind == kind)

    def summary(self) -> str:
        """One line: "headline, updated changed; 2 paragraphs added, 1 changed"."""
        parts = []
        if self.fields:
            parts.append(", ".join(change.name for change in self.fields) + " changed")
        counts = [
            _plural(self.count("insert"), "added"),
            _plural(self.count("delete"), "removed"),
            _plural(self.count("change"), "changed"),
        ]
        body = [count for count in counts if count]
        if body:
            parts.append(_paragraphs_phrase(body))
        return "; ".join(parts) if parts else "no change in the text or fields"

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready data (the CLI's and the web API's `diff`)."""
        return {
            "from": self.before_number,
            "to": self.after_number,
            "changed": self.changed,
            "summary": self.summary(),
            "fields": [
                {"name": change.name, "before": change.before, "after": change.after}
                for change in self.fields
            ],
            "paragraphs": [paragraph.to_dict() for paragraph in self.paragraphs],
        }

    def unified(self, context: int = 1) -> Iterator[str]:
        """The diff as unified text: changed fields first, then the body by paragraph."""
        yield f"--- version {self.before_number}"
        yield f"+++ version {self.after_number}"
        for change in self.fields:
            yield f"@@ {change.name} @@"
            if change.before is not None:
                yield f"-{change.before}"
            if change.after is not None:
                yield f"+{change.after}"
        before = [p.before for p in self.paragraphs if p.before is not None]
        after = [p.after for p in self.paragraphs if p.after is not None]
        lines = difflib.unified_diff(before, after, n=context, lineterm="")
        for line in lines:
            if not line.startswith(("---", "+++")):
                yield line


def compare(
    before: ArticleRecord, after: ArticleRecord, before_number: int = 0, after_number: int = 0
) -> VersionDiff:
    """The differences from `before` to `after` (numbers label the versions compared)."""
    fields = tuple(
        FieldChange(name, old, new) for name, old, new in _field_pairs(before, after) if old != new
    )
    return VersionDiff(before_number, after_number, fields, align(before.body, after.body))


def first_summary(record: ArticleRecord) -> str:
    """What a history shows for a first version (there is nothing to compare it with)."""
    captions = sum(1 for image in record.images if image.caption)
    return (
        f"first seen: {_plural(len(record.body), 'paragraph', plural_only=True)}, "
        f"{_plural(len(record.images), 'image', plural_only=True)}"
        + (f" ({captions} captioned)" if record.images else "")
    )


def align(before: Sequence[str], after: Sequence[str]) -> tuple[ParagraphChange, ...]:
    """Pair the paragraphs of two bodies: kept, added, removed or reworded."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changes: list[ParagraphChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.extend(ParagraphChange("equal", text, text) for text in before[i1:i2])
        else:
            changes.extend(_pair_block(before[i1:i2], after[j1:j2]))
    return tuple(changes)


def word_ops(before: str, after: str) -> tuple[WordOp, ...]:
    """Word-level edits that turn `before` into `after` (white space kept with the words)."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp("delete", "".join(old[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("insert", "".join(new[j1:j2])))
    return tuple(ops)


def _pair_block(old: Sequence[str], new: Sequence[str]) -> Iterator[ParagraphChange]:
    """Within a replaced block, pair each old paragraph with the next similar new one."""
    start = 0
    for text in old:
        match = _similar_from(text, new, start)
        if match is None:
            yield ParagraphChange("delete", text, None)
            continue
        for added in new[start:match]:
            yield ParagraphChange("insert", None, added)
        yield ParagraphChange("change", text, new[match], word_ops(text, new[match]))
        start = match + 1
    for added in new[start:]:
        yield ParagraphChange("insert", None, added)


def _similar_from(text: str, candidates: Sequence[str], start: int) -> int | None:
    for index in range(start, len(candidates)):
        matcher = difflib.SequenceMatcher(None, text, candidates[index], autojunk=False)
        if matcher.quick_ratio() >= SAME_PARAGRAPH_RATIO and (
            matcher.ratio() >= SAME_PARAGRAPH_RATIO
        ):
            return index
    return None


def _field_pairs(
    before: ArticleRecord, after: ArticleRecord
) -> Iterator[tuple[str, str | None, str | None]]:
    yield "headline", before.headline, after.headline
    yield "standfirst", before.standfirst, after.standfirst
    yield "byline", _joined(before.authors), _joined(after.authors)
    yield "published", _when(before.published_at), _when(after.published_at)
    yield "updated", _when(before.updated_at), _when(after.updated_at)
    yield "section", before.section, after.section
    yield "tags", _joined(before.tags), _joined(after.tags)
    yield "captions", _captions(before), _captions(after)


def _joined(values: Sequence[str]) -> str | None:
    return "; ".join(values) if values else None


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _captions(record: ArticleRecord) -> str | None:
    texts = [
        " ".join(part for part in (image.caption, image.credit) if part)
        for image in record.images
        if image.caption or image.credit
    ]
    return " | ".join(texts) if texts else None


def _plural(count: int, word: str, *, plural_only: bool = False) -> str:
    if plural_only:
        return f"{count} {word}{'' if count == 1 else 's'}"
    return f"{count} {word}" if count else ""


def _paragraphs_phrase(counts: list[str]) -> str:
    """ "2 added", "1 changed" -> "2 paragraphs added, 1 changed": the counts share the noun."""
    number, _, verb = counts[0].partition(" ")
    noun = "paragraph" if number == "1" else "paragraphs"
    return ", ".join([f"{number} {noun} {verb}", *counts[1:]])
