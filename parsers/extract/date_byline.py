"""The byline by the headline: short lines printed around it, cut at their date labels.

Many themes print the article's date only there, in no date-named element ("By Jane Doe ·
Dec 12, 2025 · 6 min read"); a bounded walk over the text nodes next to the headline (and
next to the link to the author's page) finds it without reading the whole page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from selectolax.lexbor import LexborNode

from parsers.extract.date_labels import LABEL, Kind, label_kind
from parsers.extract.date_markup import (
    MAX_BYLINE_TEXT,
    SILENT_TAGS,
    Candidate,
    Markup,
    is_foreign_mark,
    marks_of,
)
from parsers.extract.page import clean_text

# How much text around the headline a byline's date may sit in.
HEADER_AFTER_CHARS = 1200
HEADER_BEFORE_CHARS = 300
AUTHOR_AFTER_CHARS = 200
AUTHOR_BEFORE_CHARS = 100
MAX_LINE_CHARS = 200
MAX_WALK_STEPS = 250
PROSE_TAGS = frozenset({"p", "blockquote", "pre", "li", "td", "dd", "figcaption"})
PROSE_LEVELS = 4
INLINE_TAGS = frozenset(
    {
        "a",
        "span",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "small",
        "time",
        "abbr",
        "font",
        "mark",
        "cite",
        "code",
        "sup",
        "sub",
        "q",
        "bdi",
    }
)
WALK_SKIPPED_TAGS = frozenset({"nav", "aside", "footer", "form", "button", "select"})
DIGIT = re.compile(r"\d")
# A <time datetime> naming an instant with its offset: the walk reads it instead of the
# text printed inside, as date_markup reads every date element (machine value first).
MACHINE_INSTANT = re.compile(
    r"\s*\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)\s*"
)
# A <time datetime> naming a day: read instead of the printed text unless that prints a clock
# (a time of day the attribute leaves out).
MACHINE_DAY = re.compile(r"\s*\d{4}-\d\d-\d\d\s*")
PRINTED_CLOCK = re.compile(r"\d:\d\d")


def around_headline(markup: Markup) -> Iterator[Candidate]:
    """Short lines printed just after the headline, then just before it, then around the link
    to the author's page: where bylines date an article.

    Runs of short texts make a line; prose breaks it, so a date inside a paragraph never
    counts. A line is cut at its labels; what no label names is the published date, as a
    byline prints it: "By Jane Doe · Dec 12, 2025 · 6 min read". Date elements the markup
    calls updated (a "changed" class, a label of their own) are stepped over: read again
    here, unlabelled, they would pass for the publication.

    A byline sits next to the headline: lines up to HEADER_BEFORE_CHARS after it come
    first, then the lines before it, then the rest after it (a list of other articles).
    """
    skipped = _Skipped(
        markup.teasers, frozenset(n.mem_id for k, n, _ in markup.printed if k == "updated")
    )
    walks = [(node, HEADER_AFTER_CHARS, HEADER_BEFORE_CHARS) for node in markup.headlines]
    walks += [(node, AUTHOR_AFTER_CHARS, AUTHOR_BEFORE_CHARS) for node in markup.author_links]
    for node, after, before in walks:
        lines_after = list(_short_lines(_walk_texts(node, skipped, after, forward=True)))
        near = [line for start, line in lines_after if start < before]
        far = [line for start, line in lines_after if start >= before]
        for line in chain(near, _lines_before(node, skipped, before), far):
            yield from _labelled_parts(line)


def _lines_before(node: LexborNode, skipped: _Skipped, budget: int) -> Iterator[str]:
    for _, line in _short_lines(_walk_texts(node, skipped, budget, forward=False)):
        yield line


def _labelled_parts(line: str) -> Iterator[Candidate]:
    kind: Kind = "published"
    start = 0
    for label in LABEL.finditer(line):
        yield from _digits_only(kind, line[start : label.start()])
        kind, start = label_kind(label), label.end()
    yield from _digits_only(kind, line[start:])


def _short_lines(units: list[tuple[int, str] | None]) -> Iterator[tuple[int, str]]:
    """Runs of short texts joined into lines, each with how far from the node it starts;
    None (prose) ends a line."""
    line: list[str] = []
    start = 0
    for unit in [*units, None]:
        if unit is not None:
            start = start if line else unit[0]
            line.append(unit[1])
        elif line:
            yield start, " ".join(line)[:MAX_LINE_CHARS]
            line = []


@dataclass(frozen=True, slots=True)
class _Skipped:
    """Elements the walk does not read: foreign blocks break the line, updated dates do not."""

    teasers: frozenset[int]
    updated: frozenset[int]


def _walk_texts(
    node: LexborNode, skipped: _Skipped, budget: int, *, forward: bool
) -> list[tuple[int, str] | None]:
    """Short texts next to a node in document order (with the characters walked before
    them), None for prose: a bounded DOM walk.

    Only text nodes are read; one inside a long paragraph is prose, whatever its links hold.
    Foreign blocks (teasers, asides, navigation) are stepped over and break the line.
    """
    units: list[tuple[int, str] | None] = []
    prose_blocks: dict[int, bool] = {}
    size = 0
    current = _step(node, forward=forward, enter=False)
    for _ in range(MAX_WALK_STEPS):
        if current is None or size >= budget:
            break
        if current.is_text_node:
            text = clean_text(current.text_content)
            if len(text) > MAX_BYLINE_TEXT or (text and _in_prose(current, prose_blocks)):
                units.append(None)
            elif text:
                units.append((size, text))
            size += len(text)
            enter = False
        elif current.mem_id in skipped.updated:
            enter = False
        elif (machine := _machine_value(current)) is not None:
            units.append((size, machine))
            size += len(clean_text(current.text(deep=True, separator=" ")))
            enter = False
        else:
            enter = not _skipped_in_walk(current, skipped.teasers)
            if not enter:
                units.append(None)
        current = _step(current, forward=forward, enter=enter)
    return units if forward else units[::-1]


def _machine_value(element: LexborNode) -> str | None:
    """The instant (with an offset) a <time> element names in its datetime attribute, or the
    day it names when its printed text gives no time of day."""
    if element.tag != "time":
        return None
    value = element.attributes.get("datetime")
    if not value:
        return None
    if MACHINE_INSTANT.fullmatch(value):
        return value.strip()
    if MACHINE_DAY.fullmatch(value) and not PRINTED_CLOCK.search(element.text(deep=True)):
        return value.strip()
    return None


def _skipped_in_walk(element: LexborNode, teasers: frozenset[int]) -> bool:
    if element.tag in SILENT_TAGS or element.tag in WALK_SKIPPED_TAGS:
        return True
    return element.mem_id in teasers or is_foreign_mark(marks_of(element))


def _in_prose(text_node: LexborNode, verdicts: dict[int, bool]) -> bool:
    """Inside a paragraph-like block whose whole text is long (cached per block): the first
    ancestor that is not inline text markup decides (a <td> of a layout table holding a
    byline's <div> does not)."""
    current = text_node.parent
    for _ in range(PROSE_LEVELS):
        if current is None:
            return False
        if current.tag in PROSE_TAGS:
            key = current.mem_id
            if key not in verdicts:
                verdicts[key] = len(current.text(separator=" ")) > MAX_BYLINE_TEXT * 2
            return verdicts[key]
        if current.tag not in INLINE_TAGS:
            return False
        current = current.parent
    return False


def _step(node: LexborNode, *, forward: bool, enter: bool) -> LexborNode | None:
    """The next node in document order (or the previous one), entering children or not."""
    if forward and enter and node.child is not None:
        return node.child
    if not forward and enter and node.last_child is not None:
        return node.last_child
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        sibling = current.next if forward else current.prev
        if sibling is not None:
            return sibling
        current = current.parent
    return None


def _digits_only(kind: Kind, text: str) -> Iterator[Candidate]:
    if DIGIT.search(text):
        yield kind, text
