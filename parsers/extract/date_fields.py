"""Published and updated dates of a page: a cascade from declared data to printed text.

Published and updated are kept strictly apart: a modified date is never reported as the
publication date, even when it is the only date on the page, unless the printed markup calls
it the publication date. Within each, the most trusted source wins, and a less trusted one
only adds the time of day the trusted one left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import time

from selectolax.lexbor import LexborNode

from parsers.dates import FoundDate, parse_date
from parsers.extract.date_markup import (
    Candidate,
    Kind,
    Printed,
    around_headline,
    read_markup,
)
from parsers.extract.page import JsonObject, Page, is_article_type, jsonld_types

__all__ = ["DateFindings", "FoundDate", "find_dates"]

JSONLD_PUBLISHED_KEYS = ("datePublished", "dateCreated", "uploadDate")
JSONLD_UPDATED_KEYS = ("dateModified",)
# JSON-LD objects whose dates belong to something else than the page.
FOREIGN_JSONLD_TYPES = frozenset(
    {"comment", "review", "answer", "question", "person", "organization", "event", "offer"}
)

# Meta names (lower-cased, itemprop included) in order of trust.
META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "published", "published_time", "publish-date",
    "publishdate",
    "publish_date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date.created", "dc.date", "citation_publication_date",
    "citation_date", "og:pubdate", "article_date_original", "original-publish-date",
    "cxenseparse:recs:publishtime", "datecreated", "date",
)  # fmt: skip
META_UPDATED = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "article.updated", "modified_time", "dcterms.modified", "dc.date.modified",
    "last-modified", "lastmod", "revision_date",
)  # fmt: skip

# Other meta names that say what they hold ("w-published-date", "cdc:last_updated").
META_PUBLISHED_NAME = re.compile(r"publi(?:sh|cation)|pub-?date|first.?published|created")
META_UPDATED_NAME = re.compile(r"modif|updated|last.?update")
META_NOT_A_DATE = re.compile(r"publisher|author|expir|review|(?:^|:)published$")

URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)


@dataclass(frozen=True, slots=True)
class DateFindings:
    published: FoundDate | None = None
    updated: FoundDate | None = None


class _Scan:
    """One page's date search: each source is read only when a kind still needs it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        site_tz = page.site.tzinfo if page.site is not None else None
        language = _page_language(page)
        self._tz = site_tz
        self._languages = (language,) if language else None
        self._visible: list[Printed] | None = None
        self._header: list[Candidate] | None = None
        self._headline: LexborNode | None = None
        self._teasers: frozenset[int] = frozenset()

    def read(self, text: str) -> FoundDate | None:
        return parse_date(
            text, tz=self._tz, languages=self._languages, fetched_at=self.page.fetched_at
        )

    def best(self, kind: Kind, sources: tuple[Source, ...] | None = None) -> FoundDate | None:
        """The first date, unless it lacks a time and a later one gives that same day a time."""
        best: FoundDate | None = None
        for source in SOURCES if sources is None else sources:
            for text in source(self, kind):
                found = self.read(text)
                if found is None:
                    continue
                if best is None:
                    best = found
                elif _has_time(found) and _same_day(best, found):
                    return found
                if _has_time(best):
                    return best
        return best

    def visible(self) -> list[Printed]:
        """Printed date elements with what their markup says they are, in document order."""
        if self._visible is None:
            self._read_markup()
        return self._visible or []

    def _read_markup(self) -> None:
        markup = read_markup(self.page.tree)
        self._visible, self._headline = markup.printed, markup.headline
        self._teasers = markup.teasers

    def header(self) -> list[Candidate]:
        if self._header is None:
            if self._visible is None:
                self._read_markup()
            self._header = list(around_headline(self._headline, self._teasers))
        return self._header


def find_dates(page: Page) -> DateFindings:
    scan = _Scan(page)
    published, updated = scan.best("published"), scan.best("updated")
    if published is not None and updated is not None and published.value >= updated.value:
        # Declared as published no earlier than modified: a re-save stamped both. A date the
        # page prints as its own publication, earlier than that, is the true one.
        printed = scan.best("published", PRINTED_PUBLISHED_SOURCES)
        if printed is not None and printed.value < published.value:
            published = printed
    return DateFindings(published, updated)


def _page_language(page: Page) -> str | None:
    """The page's declared language (cheap look-ups only), else the site's."""
    root = page.tree.root
    declared = root.attributes.get("lang") if root is not None else None
    declared = declared or page.meta_first("content-language", "og:locale", "language")
    if declared:
        return declared.strip().replace("_", "-").split(",")[0] or None
    return page.site.language if page.site is not None else None


def _has_time(found: FoundDate) -> bool:
    """Midnight on the dot is how many CMSs print a date that has no time."""
    return found.precision != "day" and found.value.timetz().replace(tzinfo=None) != time(0)


def _same_day(day: FoundDate, other: FoundDate) -> bool:
    target = day.value.date()
    return other.value.date() == target or other.value.astimezone(day.value.tzinfo).date() == target


# --- sources, in order of trust ------------------------------------------------------------


def _jsonld_articles(scan: _Scan, kind: Kind) -> Iterator[str]:
    for obj in scan.page.articles_in_jsonld():
        yield from _jsonld_dates(obj, kind)


def _meta(scan: _Scan, kind: Kind) -> Iterator[str]:
    for name in META_PUBLISHED if kind == "published" else META_UPDATED:
        yield from scan.page.meta.get(name, ())[:2]
    pattern = META_PUBLISHED_NAME if kind == "published" else META_UPDATED_NAME
    for name, values in scan.page.meta.items():
        if pattern.search(name) and not META_NOT_A_DATE.search(name):
            yield from values[:1]


def _jsonld_others(scan: _Scan, kind: Kind) -> Iterator[str]:
    for obj in scan.page.jsonld:
        if not is_article_type(obj) and not FOREIGN_JSONLD_TYPES.intersection(jsonld_types(obj)):
            yield from _jsonld_dates(obj, kind)


def _jsonld_dates(obj: JsonObject, kind: Kind) -> Iterator[str]:
    for key in JSONLD_PUBLISHED_KEYS if kind == "published" else JSONLD_UPDATED_KEYS:
        value = obj.get(key)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value[:3] if isinstance(item, str))
        elif isinstance(value, dict) and isinstance(value.get("@value"), str):
            yield value["@value"]


def _visible_labelled(scan: _Scan, kind: Kind) -> Iterator[str]:
    for node_kind, _node, text in scan.visible():
        if node_kind == kind:
            yield text


def _header(scan: _Scan, kind: Kind) -> Iterator[str]:
    yield from (text for text_kind, text in scan.header() if text_kind == kind)


def _visible_unlabelled(scan: _Scan, kind: Kind) -> Iterator[str]:
    """A printed date nobody labels is the publication date: pages print that one first."""
    if kind == "published":
        for node_kind, _node, text in scan.visible():
            if node_kind is None:
                yield text


def _url(scan: _Scan, kind: Kind) -> Iterator[str]:
    match = URL_DATE.search(scan.page.url) if kind == "published" else None
    if match is not None:
        yield "-".join(f"{int(part):02d}" for part in match.groups())


Source = Callable[["_Scan", Kind], Iterator[str]]
SOURCES: tuple[Source, ...] = (
    _jsonld_articles,
    _meta,
    _jsonld_others,
    _visible_labelled,
    _header,
    _visible_unlabelled,
    _url,
)
PRINTED_PUBLISHED_SOURCES: tuple[Source, ...] = (_visible_labelled, _header)
