"""Authors of a page: a cascade from what the page declares to what it prints.

Declared sources (JSON-LD, meta) name the article's own author; printed ones (links, microdata,
byline blocks) also name the authors of teasers, comments and other articles' bio boxes, so
they are read nearest the headline first and never inside such blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from selectolax.lexbor import LexborNode

from parsers.extract.author_names import clean_author_names, looks_like_name
from parsers.extract.page import JsonObject, Page, jsonld_types, node_text

RawNames = list[str]

# Meta names that carry the article's byline, most deliberate first.
META_AUTHOR_NAMES = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "citation_author",
    "og:article:author",
)
# Only when nothing else names the author, and only when it reads as a name (not a handle).
LAST_RESORT_META = ("twitter:creator",)

# JSON-LD types whose `author` is not the page's author even when no article object exists.
NOT_PAGE_AUTHOR_TYPES = frozenset(
    {"review", "comment", "answer", "question", "rating", "aggregaterating", "product", "offer"}
)

MICRODATA_SELECTOR = "[itemprop~=author]:not(meta):not(link)"
REL_AUTHOR_SELECTOR = "a[rel~=author]"
BYLINE_SELECTOR = ", ".join(
    (
        "[class*=byline i]",
        "[id*=byline i]",
        "[class*=author i]",
        "[id*=author i]",
        "[class*=writer i]",
        "[class*=contributor i]",
        "[class*=creator i]",
        "[class*=posted-by i]",
        "[class*=reporter i]",
        "a[href*='/author/']",
        "a[href*='/authors/']",
    )
)
# Inside a byline block, the elements that hold just the name.
NAME_SELECTOR = ", ".join(
    (
        "[itemprop~=name]",
        ".fn",
        "[class*=author-name i]",
        "[class*=authorname i]",
        "[class*=author_name i]",
        "[class*=author__name i]",
        "a[rel~=author]",
        "a[href*='/author/']",
        "a[href*='/authors/']",
        "a[href*='/profile/']",
        "a[href*='/people/']",
        "a[href*='/staff/']",
        "a[href*='/contributors/']",
    )
)
# Blocks whose authors are not the article's: teasers, comments, navigation, page chrome.
FOREIGN_BLOCK = re.compile(
    r"related|recommend|comment|respond|disqus|sidebar|teaser|more-(?:stories|articles|posts)|"
    r"read-?next|popular|trending|most-read|newsletter|promo|navbar|navigation|menu|"
    r"breadcrumb|site-footer|colophon|masthead|site-header|carousel|slider|swiper|"
    r"(?:^|[\s_-])loop|(?:^|[\s_-])feed|latest|also-read|you-may|recirc|outbrain|taboola|"
    r"recent-posts|post-navigation|nav-links|pagination",
    re.IGNORECASE,
)
FOREIGN_TAGS = frozenset({"nav", "aside"})
ARTICLE_FOOTER = re.compile(r"entry|post|article|story", re.IGNORECASE)
FOREIGN_ITEMTYPES = re.compile(r"comment|review|answer|question|listitem", re.IGNORECASE)
# Whole-page containers: a class like "author-page" on them says nothing about a byline.
CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})
MAX_BLOCK_CHARS = 200
MAX_CANDIDATES = 12
MAX_ANCESTORS = 40


def find_authors(page: Page) -> tuple[str, ...]:
    """The first source in AUTHOR_SOURCES that yields a clean name wins."""
    try:
        for source in AUTHOR_SOURCES:
            for raw in source(page):
                names = clean_author_names(raw)
                if names:
                    return names
    except (ValueError, TypeError, AttributeError, RecursionError):
        page.warnings.append("authors: unreadable markup skipped")
    return ()


# --- declared sources -------------------------------------------------------------------


def jsonld_authors(page: Page) -> Iterator[RawNames]:
    """`author` of article objects, then of other page-level objects; @id links resolved."""
    by_id = {obj["@id"]: obj for obj in page.jsonld if isinstance(obj.get("@id"), str)}
    articles = page.articles_in_jsonld()
    others = [
        obj
        for obj in page.jsonld
        if obj not in articles and not NOT_PAGE_AUTHOR_TYPES.intersection(jsonld_types(obj))
    ]
    for obj in articles + others:
        for key in ("author", "creator"):
            names = list(_jsonld_names(obj.get(key), by_id, depth=0))
            if names:
                yield names
                break


def _jsonld_names(value: Any, by_id: dict[str, JsonObject], depth: int) -> Iterator[str]:
    if depth > 4 or value is None:
        return
    if isinstance(value, str):
        if value in by_id:
            yield from _jsonld_names(by_id[value], by_id, depth + 1)
        else:
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _jsonld_names(item, by_id, depth + 1)
    elif isinstance(value, dict):
        yield from _jsonld_object_names(value, by_id, depth)


def _jsonld_object_names(obj: JsonObject, by_id: dict[str, JsonObject], depth: int) -> Iterator[str]:
    name = obj.get("name")
    if isinstance(name, dict):
        name = name.get("@value")
    if isinstance(name, list):
        name = next((item for item in name if isinstance(item, str)), None)
    if isinstance(name, str) and name.strip():
        yield name
        return
    given, family = obj.get("givenName"), obj.get("familyName")
    if isinstance(given, str) and isinstance(family, str):
        yield f"{given} {family}"
        return
    ref = obj.get("@id")
    if isinstance(ref, str) and ref in by_id and by_id[ref] is not obj:
        yield from _jsonld_names(by_id[ref], by_id, depth + 1)


def meta_authors(page: Page) -> Iterator[RawNames]:
    for name in META_AUTHOR_NAMES:
        values = page.meta.get(name)
        if values:
            yield values


def last_resort_meta(page: Page) -> Iterator[RawNames]:
    for name in LAST_RESORT_META:
        values = [value for value in page.meta.get(name, ()) if looks_like_name(value.strip())]
        if values:
            yield values


# --- printed sources --------------------------------------------------------------------


def microdata_authors(page: Page) -> Iterator[RawNames]:
    yield from _printed_names(page, MICRODATA_SELECTOR)


def rel_authors(page: Page) -> Iterator[RawNames]:
    yield from _printed_names(page, REL_AUTHOR_SELECTOR)


def byline_authors(page: Page) -> Iterator[RawNames]:
    yield from _printed_names(page, BYLINE_SELECTOR)


def _printed_names(page: Page, selector: str) -> Iterator[RawNames]:
    """Names of the candidates nearest the headline, each with its siblings ("A and B")."""
    for node in _nearest_first(page, selector):
        names = _names_in_block(node)
        if not names:
            continue
        parent = node.parent
        for sibling in parent.css(selector) if parent is not None else ():
            if sibling.mem_id != node.mem_id and sibling.parent == parent:
                names += _names_in_block(sibling)
        yield names


def _nearest_first(page: Page, selector: str) -> Iterator[LexborNode]:
    """Candidates after the first h1 (nearest first), then before it (nearest first)."""
    nodes = page.tree.css("h1, " + selector)
    anchor = next((i for i, node in enumerate(nodes) if node.tag == "h1"), -1)
    after = [node for node in nodes[anchor + 1 :] if node.tag != "h1"]
    before = [node for node in reversed(nodes[: max(anchor, 0)]) if node.tag != "h1"]
    checked = 0
    for node in after + before:
        if checked >= MAX_CANDIDATES:
            return
        if node.tag in CONTAINER_TAGS or _in_foreign_block(node):
            continue
        checked += 1
        yield node


def _in_foreign_block(node: LexborNode) -> bool:
    current: LexborNode | None = node
    for _ in range(MAX_ANCESTORS):
        if current is None or current.tag in ("body", "html", "-document"):
            return False
        attrs = current.attributes
        marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if current.tag in FOREIGN_TAGS or FOREIGN_BLOCK.search(marks):
            return True
        if current.tag == "footer" and not ARTICLE_FOOTER.search(marks):
            return True
        itemtype = attrs.get("itemtype")
        if itemtype and FOREIGN_ITEMTYPES.search(itemtype):
            return True
        current = current.parent
    return False


def _names_in_block(node: LexborNode) -> RawNames:
    """The name elements inside a byline block, else its own short text."""
    content = node.attributes.get("content")
    if content:
        return [content]
    if not node.css_matches(NAME_SELECTOR):
        inner = [_own_text(name) for name in node.css(NAME_SELECTOR)[:MAX_CANDIDATES]]
        inner = [text for text in inner if text]
        if inner:
            return inner
    text = node_text(node)
    return [text] if 0 < len(text) <= MAX_BLOCK_CHARS else []


def _own_text(node: LexborNode) -> str:
    content = node.attributes.get("content")
    if content:
        return content
    text = node_text(node)
    return text if len(text) <= MAX_BLOCK_CHARS else ""


AuthorSource = Callable[[Page], Iterator[RawNames]]

# The cascade, in order of trust.
AUTHOR_SOURCES: tuple[AuthorSource, ...] = (
    jsonld_authors,
    meta_authors,
    microdata_authors,
    rel_authors,
    byline_authors,
    last_resort_meta,
)
