"""Bylines printed anywhere on the page, found by the words that introduce them.

The last printed sources: "Written by Jane Doe" far below the headline, "Author: Jane Doe", and
a forum's "Thread starter". One query finds every element whose own text holds one of the words
(lexbor matches an element's own text only, so no ancestor is matched twice); it runs only
when every earlier source fell short, and foreign blocks (related posts, comments) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborNode

from parsers.extract.author_names import clean_author_names
from parsers.extract.byline_markup import (
    BY_LINE,
    BY_LINE_TAGS,
    MAX_BY_LINE_CHARS,
    MAX_CANDIDATES,
    BylineMarkup,
    RawNames,
    printed_text,
    starts_by_line,
)
from parsers.extract.select import unique

# Words whose elements are read: "by" lines, author labels and forum starter labels.
LABEL_WORDS = ("by", "author", "contributor", "starter")
LABEL_SCAN = "h1, " + ", ".join(f':lexbor-contains("{word}" i)' for word in LABEL_WORDS)
LINE_TAGS = BY_LINE_TAGS | {"dt", "dd", "b", "i", "label"}

# "Author: Jane Doe", "Contributors: Jane Doe", or the label alone beside the name's element.
AUTHOR_LABEL = re.compile(r"(?:authors?|contributors?|written by)\s*:?\s*", re.IGNORECASE)
# Forum labels naming a discussion's author, before the name or as a badge after it.
STARTER_LABEL = re.compile(
    r"thread starter|started by|discussion starter|topic starter", re.IGNORECASE
)
STARTER_TAIL = re.compile(r"\s*(?:,|\bon\b|\s\d).*$")  # "Jane, June 4" / "Jane on 4 June"
MAX_STARTER_LABELS = 5


class PageLabels:
    """One page's labelled lines, after the headline first; the query runs once, when asked."""

    def __init__(self, markup: BylineMarkup) -> None:
        self.markup = markup
        self._lines: list[LexborNode] | None = None

    def lines(self) -> list[LexborNode]:
        if self._lines is None:
            body, headline = self.markup.page.tree.body, self.markup.headline()
            found = unique(body.css(LABEL_SCAN)) if body else []
            anchor = next((i for i, node in enumerate(found) if node == headline), -1)
            ordered = found[anchor + 1 :] + found[: max(anchor, 0)]
            self._lines = [node for node in ordered if node.tag in LINE_TAGS]
        return self._lines

    def thread_starters(self) -> Iterator[RawNames]:
        """A discussion's author as forums label it: "Thread starter", "Started by"."""
        labels = [node for node in self.lines() if STARTER_LABEL.search(node.text(deep=False))]
        for node in labels[:MAX_STARTER_LABELS]:
            name = _starter_name(node)
            if name:
                yield [name]
                return

    def by_lines(self) -> Iterator[RawNames]:
        """ "Written by Jane Doe", "Author: Jane Doe" outside foreign blocks; only full names
        are taken, since such a line far from the headline is weaker evidence."""
        lines = [node for node in self.lines() if _starts_byline_or_label(node)]
        for node in lines[:MAX_CANDIDATES]:
            if self.markup.is_foreign(node):
                continue
            names = _names_after_label(node)
            if names and all(map(_is_full_name, names)):
                yield list(names)
                return


def _starter_name(node: LexborNode) -> str:
    """The name after "Started by" (or before a "Discussion starter" badge)."""
    text = printed_text(node)
    label = STARTER_LABEL.search(text)
    if label and not text[label.end() :].strip(" |:") and node.parent is not None:
        text = printed_text(node.parent)  # the name sits in the next element
        label = STARTER_LABEL.search(text)
    if label is None or len(text) > MAX_BY_LINE_CHARS:
        return ""
    after = text[label.end() :].strip(" |:").split(" | ")[0]
    before = text[: label.start()].strip(" |:").split(" | ")[-1]
    return STARTER_TAIL.sub("", after or before).strip(" ,")


def _starts_byline_or_label(node: LexborNode) -> bool:
    """A "By" line, or an "Author:" label (alone in its element, or with a colon)."""
    if starts_by_line(node):
        return True
    own = " ".join(node.text(deep=False).split())
    label = AUTHOR_LABEL.match(own)
    return bool(label and (own[label.end() :] == "" or own[: label.end()].endswith(":")))


def _names_after_label(node: LexborNode) -> tuple[str, ...]:
    """The names in the line's piece that says "by" or "Author"; a bare label ("Written by")
    reads its parent's line, where the name follows in the next element."""
    text = printed_text(node)
    if not clean_author_names([text]) and node.parent is not None:
        text = printed_text(node.parent)
    if len(text) > MAX_BY_LINE_CHARS:
        return ()
    pieces = text.split(" | ")
    for index, piece in enumerate(pieces):
        if AUTHOR_LABEL.fullmatch(piece) and index + 1 < len(pieces):
            return clean_author_names([f"{piece} {pieces[index + 1]}"])
        if BY_LINE.match(piece) or AUTHOR_LABEL.match(piece):
            return clean_author_names([piece])
    return clean_author_names([pieces[0]])


def _is_full_name(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and words[0][:1].isupper() and words[-1][:1].isupper()
