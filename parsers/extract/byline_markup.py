"""Bylines as the page prints them: microdata, rel=author links, byline blocks, "By" lines.

Printed markup also names the authors of teasers, comments and other articles' bio boxes, so
candidates are read nearest the headline first and never inside such blocks. The candidates come
from one CSS pass over the tree and the "By" lines from one over the headline's block, each made
only when the declared sources (JSON-LD, meta) fall short.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from selectolax.lexbor import LexborNode

from parsers.extract.author_names import OTHER_CREDIT, clean_author_names, fold_name
from parsers.extract.page import Page, clean_text, node_text

RawNames = list[str]

# Byline candidates; the h1 is the anchor they are ordered around. Every selector costs a
# little on every page that gets this far, so each earns its place on the measured pages.
PRINTED_PARTS = (
    "[itemprop~=author]",
    "a[rel~=author]",
    "[class*=byline i]",
    "[id*=byline i]",
    "[class*=author i]",
    "[class*=writer i]",
    "[class*=contributor i]",
    "a[href*='/author']",
    "a[href*='/contributor']",
    "a[href*='/auteur']",
    "a[href*='/autor']",
)
PRINTED_SELECTOR = ", ".join(PRINTED_PARTS)
SCAN_PARTS = ("h1", *PRINTED_PARTS)
# Class words that contain "author" and name no byline: "authority-control", "authorize".
AUTHORITY_MARK = re.compile(r"authori[tzs]\w*", re.IGNORECASE)
BYLINE_MARK = re.compile(r"author|byline|writer|contributor", re.IGNORECASE)
BYLINE_HREFS = ("/author", "/contributor", "/auteur", "/autor")
# Microdata may hold the name only in <meta itemprop="name" content="...">.
HIDDEN_NAME_SELECTOR = "meta[itemprop~=name][content]"

# "By Jane Doe" lines printed without any class to say so, near the headline.
BY_LINE_TAGS = frozenset(
    {"p", "span", "div", "li", "small", "address", "em", "strong", "h2", "h3", "h4", "h5", "a"}
)
BY_LINE_SELECTOR = f':is({", ".join(sorted(BY_LINE_TAGS))}):lexbor-contains("by" i)'
# "By Jane Doe", "Written by Jane Doe", and "May 2, 2024 by Jane Doe" (a date, then the byline);
# "by" before a number is prose.
BY_LINE = re.compile(
    r"^(?:[\w ,./—–-]{0,20}\d{4}\s+)?"
    r"(?:(?:written|posted|published|words|story|text|reported|article|authored)\s+)?by\b"
    r"(?!\s*\d)",
    re.IGNORECASE,
)
BY_LINE_LEVELS = 3  # how far above the headline a "By" line still counts as its byline

# class/id fragments of blocks whose authors are not the article's.
FOREIGN_MARKS = (
    "related", "recommend", "comment", "respond", "disqus", "sidebar", "teaser",
    "more-stories", "more-articles", "more-posts", "read-next", "readnext", "popular",
    "trending", "most-read", "newsletter", "promo", "navbar", "navigation", "menu",
    "breadcrumb", "site-footer", "page-footer", "global-footer", "footer-widget", "colophon",
    "site-header", "carousel", "slider", "swiper", "loop", "latest", "also-read",
    "you-may", "recirc", "outbrain", "taboola", "recent-posts", "post-navigation", "nav-links",
    "pagination", "testimonial",
)  # fmt: skip
FOREIGN_TAGS = frozenset({"nav", "figure", "figcaption"})
# Layout wrappers named after the sidebar they sit beside: "content-sidebar-wrap".
LAYOUT_TOKEN = re.compile(
    r"content-sidebar|sidebar-content|(?:has|with|no)-sidebar|sidebar-(?:left|right|wrap)|"
    r"(?:left|right)-sidebar"
)
FOREIGN_ITEMTYPES = re.compile(r"comment|review|answer|question|listitem", re.IGNORECASE)
# Whole-page containers: a class like "author-page" on them says nothing about a byline.
CONTAINER_TAGS = frozenset({"html", "body", "main", "article", "h1"})

# Element boundaries inside a byline: a word that joins the next piece, or the previous one.
PIECE = "\x1f"
CODE_MARKS = frozenset(";{}=<>")  # script text inside a byline block
JOINS_NEXT = re.compile(
    r"(?:^|\s)(?:by|and|und|et|with|von|par|por|de|van|der|le|la|dr\.?|mr\.?|ms\.?)$|[,&:;+]$",
    re.IGNORECASE,
)
JOINS_PREVIOUS = re.compile(r"^(?:[,&;+]|and\b|und\b|et\b)", re.IGNORECASE)

MAX_H1 = 5
MAX_BLOCK_CHARS = 200
MAX_RAW_BLOCK_CHARS = 1000  # indented templates pad a short byline with white space
MAX_BY_LINE_CHARS = 120
PROSE_TAGS = frozenset({"p", "li", "blockquote", "dd", "td"})
# More words than a byline with a lower-case handle holds ("By jdoe | 3 May 2024").
SENTENCE_MIN_WORDS = 6
TAG_ARCHIVE_HREF = re.compile(r"/(?:tags?|categor(?:y|ies)|topics?)/", re.IGNORECASE)
MAX_BLOCK_LINES = 6
MAX_CANDIDATES = 12
MAX_ANCESTORS = 40
MAX_SIBLINGS = 30


def is_microdata_author(node: LexborNode) -> bool:
    itemprop = node.attributes.get("itemprop") or ""
    return node.tag not in ("meta", "link") and "author" in itemprop.split()


def is_rel_author(node: LexborNode) -> bool:
    return node.tag == "a" and "author" in (node.attributes.get("rel") or "").split()


def is_any_candidate(node: LexborNode) -> bool:
    """Any candidate but one a class like "authority-control" selected: no byline there."""
    if node.tag in ("meta", "link"):
        return False
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if "authori" not in marks.lower():
        return True
    href = (attrs.get("href") or "").lower()
    return bool(
        BYLINE_MARK.search(AUTHORITY_MARK.sub(" ", marks))
        or is_microdata_author(node)
        or is_rel_author(node)
        or any(part in href for part in BYLINE_HREFS)
    )


# Kinds of printed candidates, in order of trust.
PRINTED_KINDS: tuple[Callable[[LexborNode], bool], ...] = (
    is_microdata_author,
    is_rel_author,
    is_any_candidate,
)


class BylineMarkup:
    """One page's printed bylines: the headline, the candidates and the foreign-block verdicts
    are computed once, and only when asked for."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._scanned: list[LexborNode] | None = None
        self._headline: LexborNode | bool | None = False
        self._headline_path: frozenset[int] | None = None
        self._nearest: list[LexborNode] | None = None
        self._foreign: dict[int, bool] = {}

    def printed_names(self) -> Iterator[RawNames]:
        """Each kind's candidates nearest the headline, with their siblings ("A and B")."""
        for wanted in PRINTED_KINDS:
            checked = 0
            for node in self.nearest_first():
                if not wanted(node) or self.is_foreign(node) or _links_in_prose(node):
                    continue
                checked += 1
                if checked > MAX_CANDIDATES:
                    break
                names = names_in_block(node)
                if names and not _names_only_tags(node, names):
                    yield names + _sibling_names(node, wanted)

    def by_lines_near_headline(self) -> Iterator[RawNames]:
        """ "By" lines in the headline's nearest enclosing blocks, nearest block first."""
        blocks = headline_blocks(self.headline(), BY_LINE_LEVELS)
        levels = {block.mem_id: level for level, block in enumerate(blocks)}
        root = blocks[-1] if blocks else None
        nodes = (
            [node for node in root.css(BY_LINE_SELECTOR) if starts_by_line(node)] if root else []
        )
        ranked = sorted(range(len(nodes)), key=lambda index: _level_of(nodes[index], levels))
        for node in (nodes[index] for index in ranked):
            text = printed_text(node)
            if len(text) <= MAX_BY_LINE_CHARS and not self.is_foreign(node):
                names = clean_author_names([text])
                if names and not _opens_a_sentence(node, text, names):
                    yield list(names)
                    return

    def scanned(self) -> list[LexborNode]:
        """The h1s and the byline candidates of the page, in one pass over the tree."""
        if self._scanned is None:
            self._scanned = self.page.query(SCAN_PARTS)
        return self._scanned

    def headline(self) -> LexborNode | None:
        """The h1 that repeats the page title, else the first h1 (a logo h1 may come first)."""
        if self._headline is False:
            h1s = [node for node in self.scanned() if node.tag == "h1"][:MAX_H1]
            title = fold_name(self.page.meta_first("og:title", "twitter:title") or "")
            if not title:
                title = fold_name(node_text(self.page.tree.css_first("title")))
            texts = {h1.mem_id: fold_name(node_text(h1)) for h1 in h1s}
            matching = [h1 for h1 in h1s if texts[h1.mem_id] and texts[h1.mem_id] in title]
            # The longest h1 the title repeats: a logo h1 repeats only the shorter site name.
            longest = max(matching, key=lambda h1: len(texts[h1.mem_id]), default=None)
            self._headline = longest or (h1s[0] if h1s else None)
        return self._headline if isinstance(self._headline, LexborNode) else None

    def nearest_first(self) -> list[LexborNode]:
        """Byline candidates after the headline (nearest first), then before it."""
        if self._nearest is None:
            headline = self.headline()
            nodes = [node for node in self.scanned() if node.tag != "h1" or node == headline]
            anchor = next((i for i, node in enumerate(nodes) if node == headline), -1)
            ordered = nodes[anchor + 1 :] + nodes[: max(anchor, 0)][::-1]
            self._nearest = [node for node in ordered if node.tag not in CONTAINER_TAGS]
        return self._nearest

    def is_foreign(self, node: LexborNode) -> bool:
        """Inside a teaser, comment, navigation or other block that does not hold the headline."""
        around_headline = self._around_headline()
        path: list[int] = []
        current: LexborNode | None = node
        verdict = False
        for _ in range(MAX_ANCESTORS):
            if current is None or current.mem_id in around_headline:
                break
            if current.mem_id in self._foreign:
                verdict = self._foreign[current.mem_id]
                break
            path.append(current.mem_id)
            if _is_foreign_block(current) or _is_teaser(current):
                verdict = True
                break
            current = current.parent
        for key in path:
            self._foreign[key] = verdict
        return verdict

    def _around_headline(self) -> frozenset[int]:
        """The headline and its ancestors: blocks around the headline belong to the article."""
        if self._headline_path is None:
            path, current = [], self.headline()
            while current is not None:
                path.append(current.mem_id)
                current = current.parent
            self._headline_path = frozenset(path)
        return self._headline_path


def _names_only_tags(node: LexborNode, names: RawNames) -> bool:
    """Every name the block gives is the text of a link to a tag or category archive: a
    topic printed in the byline's slot ("Personal finance | May 2"), not a person."""
    links = [node] if node.tag == "a" else node.css("a[href]")
    tags = {
        fold_name(link.text(deep=True))
        for link in links
        if TAG_ARCHIVE_HREF.search(link.attributes.get("href") or "")
    }
    found = clean_author_names(names) if tags else ()
    return bool(found) and all(fold_name(name) in tags for name in found)


def _links_in_prose(node: LexborNode) -> bool:
    """A lower-case link inside a paragraph ("made several hundred commits") is a citation,
    whatever its address says; a byline link is a name."""
    if node.tag != "a" or node.parent is None or node.parent.tag not in PROSE_TAGS:
        return False
    text = node.text(deep=True).strip()
    return text.islower() and len(node.parent.text(deep=True)) > MAX_BY_LINE_CHARS


def names_in_block(node: LexborNode) -> RawNames:
    """A short block's own text; a long one is an author box whose bio follows the name."""
    content = node.attributes.get("content")
    if content:
        return [content]
    text = printed_text(node)
    if not text:
        return [name.attributes.get("content") or "" for name in node.css(HIDDEN_NAME_SELECTOR)]
    if len(text) <= MAX_BLOCK_CHARS:
        return [text]
    return _first_name_line(node)


def printed_text(node: LexborNode) -> str:
    """The block's text with its element boundaries kept as " | ", so a name and the job
    title printed beside it stay apart; "By", "and" and commas still join their neighbours."""
    text, previous = "", ""
    for raw in node.text(deep=True, separator=PIECE).split(PIECE):
        piece = clean_text(raw)
        if not piece or CODE_MARKS.intersection(piece):
            continue
        joined = not text or JOINS_NEXT.search(previous) or JOINS_PREVIOUS.match(piece)
        text = f"{text} {piece}" if joined else f"{text} | {piece}"
        previous = piece
        if len(text) > MAX_BLOCK_CHARS:
            break
    return text.strip()


def headline_blocks(headline: LexborNode | None, levels: int) -> list[LexborNode]:
    """The blocks enclosing the headline, nearest first, at most `levels` and below <body>."""
    blocks: list[LexborNode] = []
    current = headline
    for _ in range(levels):
        current = current.parent if current is not None else None
        if current is None or current.tag in ("body", "html", "-document"):
            break
        blocks.append(current)
    return blocks


def text_lines(node: LexborNode) -> list[str]:
    """The block's non-empty lines, as its elements break them."""
    lines = (clean_text(line) for line in node.text(deep=True, separator="\n").splitlines())
    return [line for line in lines if line]


def _first_name_line(node: LexborNode) -> RawNames:
    """An author box with a bio: the name is one of its first short lines."""
    for line in text_lines(node)[:MAX_BLOCK_LINES]:
        if len(line) <= MAX_BY_LINE_CHARS and clean_author_names([line]):
            return [line]
    return []


def _sibling_names(node: LexborNode, wanted: Callable[[LexborNode], bool]) -> RawNames:
    """Co-authors printed as sibling elements just like this one ("<a>A</a> and <a>B</a>"),
    not those a credit for other work introduces ("Fact-checked by <a>B</a>")."""
    names: RawNames = []
    parent = node.parent
    siblings = (
        list(parent.iter(include_text=True))[: 2 * MAX_SIBLINGS] if parent is not None else []
    )
    kind = (node.tag, node.attributes.get("class"))
    before = ""  # the text printed just before the sibling: a text node or an element's
    for sibling in siblings:
        if sibling.tag == "-text":
            text = sibling.text_content or ""
            before = text if text.strip() else before
            continue
        credited = OTHER_CREDIT.search(before) is not None
        if sibling.mem_id == node.mem_id or (sibling.tag, sibling.attributes.get("class")) != kind:
            before = sibling.text(deep=True)
            continue
        before = ""
        if not credited and wanted(sibling) and sibling.css_matches(PRINTED_SELECTOR):
            names += names_in_block(sibling)  # it or a descendant matched
    return names


def _is_foreign_block(node: LexborNode) -> bool:
    if node.tag in FOREIGN_TAGS:
        return True
    attrs = node.attributes
    if _has_foreign_marks(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
        # A sticky-column script marks whichever column it pins, the main one too.
        return node.css_first("main") is None
    if node.tag == "footer" and node.parent is not None and node.parent.tag == "body":
        return True
    itemtype = attrs.get("itemtype")
    return bool(itemtype and FOREIGN_ITEMTYPES.search(itemtype))


@lru_cache(maxsize=4096)
def _has_foreign_marks(marks: str) -> bool:
    """Cached: a site repeats the same class lists on every page."""
    for token in marks.lower().split():
        if any(mark in token for mark in FOREIGN_MARKS) and not LAYOUT_TOKEN.search(token):
            return True
    return False


def _is_teaser(node: LexborNode) -> bool:
    """An article element beside other articles (and without the headline): a teaser."""
    if node.tag != "article" or node.parent is None:
        return False
    siblings = list(node.parent.iter(include_text=False))[:MAX_SIBLINGS]
    return sum(sibling.tag == "article" for sibling in siblings) > 1


def _level_of(node: LexborNode, levels: dict[int, int]) -> int:
    """How many blocks above the headline the node sits (it lies inside the last one)."""
    current: LexborNode | None = node
    for _ in range(MAX_ANCESTORS):
        if current is None:
            break
        if current.mem_id in levels:
            return levels[current.mem_id]
        current = current.parent
    return BY_LINE_LEVELS


def starts_by_line(node: LexborNode) -> bool:
    """Short once its layout white space is collapsed, and beginning with "By"."""
    raw = node.text(deep=True)
    if len(raw) > MAX_RAW_BLOCK_CHARS:
        return False
    text = " ".join(raw.split())
    return len(text) <= MAX_BLOCK_CHARS and BY_LINE.match(text) is not None


def _opens_a_sentence(node: LexborNode, text: str, names: tuple[str, ...]) -> bool:
    """ "By batching, we cut latency" in a list item: "by" opens a sentence, not a byline."""
    words = len(text.split())
    return node.tag in PROSE_TAGS and words > SENTENCE_MIN_WORDS and all(map(str.islower, names))
