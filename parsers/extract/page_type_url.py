"""What an address alone says about its page: a story, a section, a shop, a forum, a manual.

Shared by the page-type classifier and the crawler's section pages (which only follow links
whose address reads as a story's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsers.extract.page_type_vocab import (
    DATE_PATH,
    DOC_URL,
    FORUM_URL,
    HOME_PAGES,
    ITEM_QUERY,
    LISTING_SEGMENTS,
    PAGED_URL,
    PRODUCT_PATH,
    SEARCH_URL,
    SECTION_ROOTS,
    SERVICE_SEGMENTS,
    STORY_SEGMENTS,
)

SLUG_WORD = re.compile(r"[a-z]{2,}", re.I)
PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|cms|jsp|cfm)$", re.I)
LONG_NUMBER = re.compile(r"\d{4,}")
# The last word of a compound segment, two letters at least: "garden-guides" -> "guides".
COMPOUND_TAIL = re.compile(r"[-_]([a-z]{2,})$")
LEAF_SLUG_WORDS = 3
# A slug right under a collection of stories needs fewer words: /blog/zoom-alternatives.
STORY_SLUG_WORDS = 2


@dataclass(frozen=True, slots=True)
class UrlShape:
    """What the address alone suggests: a story under a collection, a section, a shop..."""

    slug_words: int = 0
    leaf: bool = False
    story: bool = False
    listing: bool = False
    section_root: bool = False
    service: bool = False
    dated: bool = False
    product: bool = False
    forum: bool = False
    docs: bool = False


def url_shape(url: str) -> UrlShape:
    """The address read as a crawler would: story, section, listing, shop, forum or manual."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return UrlShape()
    segments = [segment.lower() for segment in parts.path.split("/") if segment]
    last = segments[-1] if segments else ""
    slug_words = len(SLUG_WORD.findall(PAGE_EXTENSION.sub("", last)))
    home = not segments or (len(segments) == 1 and last in HOME_PAGES)
    leaf = not home and (
        slug_words >= LEAF_SLUG_WORDS
        or bool(LONG_NUMBER.search(last))
        or last.endswith((".html", ".htm"))
    )
    query = "?" + parts.query if parts.query else ""
    listing = bool(LISTING_SEGMENTS.intersection(segments)) and not leaf
    return UrlShape(
        slug_words=slug_words,
        leaf=leaf,
        story=_is_story(segments, leaf, slug_words, parts.query),
        listing=listing or bool(PAGED_URL.search(parts.path + query) or SEARCH_URL.search(query)),
        section_root=home or last in SECTION_ROOTS,
        service=bool(SERVICE_SEGMENTS.intersection(segments)),
        dated=bool(DATE_PATH.search(parts.path)),
        product=bool(PRODUCT_PATH.search(parts.path)),
        forum=bool(FORUM_URL.search(url)),
        docs=bool(DOC_URL.search(url)),
    )


def _is_story(segments: list[str], leaf: bool, slug_words: int, query: str) -> bool:
    """A story-shaped slug under a collection of stories, or one item of it named by id.

    A one-word slot under /news/ is as often a section (/news/world) as a story; two words
    right under the collection (/posts/rust-ownership) are a story's slug.
    """
    if leaf and any(map(_collects_stories, segments[:-1])):
        return True
    parent = segments[-2] if len(segments) >= 2 else ""
    if _collects_stories(parent) and slug_words >= STORY_SLUG_WORDS:
        return True
    stem = PAGE_EXTENSION.sub("", segments[-1]) if segments else ""
    return bool(ITEM_QUERY.search(query)) and (not segments or stem in STORY_SEGMENTS)


def _collects_stories(segment: str) -> bool:
    """/blog/, or a named collection of them: /garden-guides/, /real-estate-news/, /our_blog/."""
    if segment in STORY_SEGMENTS:
        return True
    word = COMPOUND_TAIL.search(segment)
    return word is not None and word[1] in STORY_SEGMENTS
