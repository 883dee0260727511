"""The headline element when no <h1> is it: the element that prints the page's title.

Bylines date an article next to its headline, so the byline walk needs the headline's node.
Some themes print it as an <h2>, a <legend> or a styled <p> (site builders), and some give the
<h1> to the site's name or to "0 Comments"; the page's own title then finds the real one.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.extract.page import clean_text

# Headings that may reword the title ("7 Ways to Help You..." for "7 Ways to ..."), and
# other elements that print it as it is (site builders' styled <p> and <div>, <legend>).
HEADINGS = ("h1", "h2", "h3")
TITLE_HOLDERS = ("legend", "p", "div")
MAX_HEADINGS = 8
# A heading rewords the title when it holds most of its words and not many more.
MIN_SHARED_WORDS = 0.8
MAX_EXTRA_WORDS_RATIO = 2.5
# A heading is about the page's title when it holds this share of its words.
MIN_TITLE_SHARE = 0.5
# "Headline | Site", "Site: Headline", "Headline - Site": the parts of a <title>.
TITLE_SEPARATORS = re.compile(r"\s+[|–—·»-]\s+|:\s+")
MIN_TITLE_CHARS = 15
MIN_HEADLINE_WORDS = 4
# The holder's text is the title itself, not a paragraph quoting it.
MAX_HOLDER_RATIO = 1.3
MAX_HOLDERS = 40  # ancestors match too: an exact holder may come after many
WORD = re.compile(r"\w+")
UNSAFE_IN_SELECTOR = re.compile(r'["\\\n]')


def names_title(node: LexborNode | None, titles: list[str]) -> bool:
    """Whether a headline candidate prints one of the titles (or a title prints it whole)."""
    text = _fold(clean_text(node.text(deep=True))) if node is not None else ""
    if not text:
        return False
    return any(
        title in text or (len(text) >= MIN_TITLE_CHARS and text in title) for title in titles
    )


def shares_title(node: LexborNode, titles: list[str]) -> bool:
    """Whether a heading holds at least half the words of a title: the page's headline, worded
    for readers where the title is worded for search ("Essential Guide to API Documentation:
    Best Practices and Strategies" for "API Documentation Guide: Best Practices & Tips")."""
    words = set(WORD.findall(_fold(clean_text(node.text(deep=True)))))
    for title in titles:
        title_words = set(WORD.findall(title))
        if words and len(words & title_words) >= MIN_TITLE_SHARE * len(title_words):
            return True
    return False


def title_parts(*declared: str | None) -> list[str]:
    """The declared titles and their longest part, folded, longest first."""
    parts: list[str] = []
    for title in declared:
        folded = _fold(clean_text(title or ""))
        pieces = [piece for piece in TITLE_SEPARATORS.split(folded) if piece]
        for candidate in (folded, max(pieces, key=len, default="")):
            if len(candidate) >= MIN_TITLE_CHARS and candidate not in parts:
                parts.append(candidate)
    return sorted(parts, key=len, reverse=True)


def is_weak_headline(node: LexborNode | None, titles: list[str]) -> bool:
    """No headline, or a short one that is not the title: a site name, "0 Comments"."""
    if node is None:
        return True
    words = clean_text(node.text(deep=True)).split()
    return len(words) < MIN_HEADLINE_WORDS and not names_title(node, titles)


def title_holder(tree: LexborHTMLParser, titles: list[str]) -> LexborNode | None:
    """A heading printing a title, else another element printing one as it is, else a
    heading rewording one (a styled <p> with the title beats an <h2> in the body)."""
    headings = tree.css(", ".join(HEADINGS))[:MAX_HEADINGS]
    texts = [_fold(clean_text(node.text(deep=True))) for node in headings]
    for title in titles:
        for node, text in zip(headings, texts, strict=True):
            if text == title:
                return node
    holder = _printing_holder(tree, titles)
    if holder is not None:
        return holder
    for node, text in zip(headings, texts, strict=True):
        if any(_rewords(text, title) for title in titles):
            return node
    return None


def _printing_holder(tree: LexborHTMLParser, titles: list[str]) -> LexborNode | None:
    """One css pass for all titles; ancestors match too, so the text must be the title's."""
    safe = [title for title in titles if not UNSAFE_IN_SELECTOR.search(title)]
    if not safe:
        return None
    selector = ", ".join(
        f'{tag}:lexbor-contains("{title}" i)' for title in safe for tag in TITLE_HOLDERS
    )
    for node in tree.css(selector)[:MAX_HOLDERS]:
        text = _fold(clean_text(node.text(deep=True)))
        if any(title in text and len(text) <= MAX_HOLDER_RATIO * len(title) for title in safe):
            return node
    return None


def _rewords(text: str, title: str) -> bool:
    words, title_words = set(WORD.findall(_fold(text))), set(WORD.findall(title))
    if not words or not title_words or len(words) > MAX_EXTRA_WORDS_RATIO * len(title_words):
        return False
    return len(words & title_words) >= MIN_SHARED_WORDS * len(title_words)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
