"""Published and updated dates of a page: a cascade from declared data to printed text.

Published and updated are kept strictly apart: a modified date is never reported as the
publication date, even when it is the only date on the page, unless the printed markup calls
it the publication date. Within each, the most trusted source wins, and a less trusted one
only adds the time of day the trusted one left out.

Local times without a zone are read in the site's zone, else in an offset the page states
elsewhere, else in the zone its domain or language most likely means (date_zones).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from parsers.date_vocabulary import ENGLISH_MONTHS
from parsers.dates import FoundDate, parse_date, swapped_day
from parsers.extract.date_markup import (
    Candidate,
    Kind,
    Markup,
    Printed,
    around_headline,
    read_markup,
)
from parsers.extract.date_zones import likely_zone
from parsers.extract.page import JsonObject, Page, is_article_type, jsonld_types
from parsers.urls import site_of

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
    r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>0?[1-9]|1[0-2]|[a-z]{3,9})[/-]"
    r"(?P<day>0?[1-9]|[12]\d|3[01])(?!\d)",
    re.I,
)

DAY = timedelta(days=1)
# Declared published and modified this close were stamped together (an import, a re-save).
STAMP_WINDOW = timedelta(minutes=10)
EPOCH_MILLISECONDS = 10**11  # larger Unix times are milliseconds (10**11 s is year 5138)
# A printed day D is D in some zone from UTC-12 to UTC+14: these hours around its UTC day.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=14), timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class DateFindings:
    published: FoundDate | None = None
    updated: FoundDate | None = None


class _Scan:
    """One page's date search: each source is read only when a kind still needs it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        language = _page_language(page)
        self._languages = (language,) if language else None
        self._site_tz = page.site.tzinfo if page.site is not None else None
        self._stated_tz: tzinfo | None = None
        self._tz: tzinfo | None = None
        self._tz_known = False
        self._doubly_named: frozenset[str] | None = None
        self.url_day = _url_day(page.url)
        self._visible: list[Printed] | None = None
        self._header: list[Candidate] | None = None
        self._markup: Markup | None = None

    def read(self, text: str) -> FoundDate | None:
        """A date in the page's zone and language; "03/10/2023" the way the URL dates it."""
        found = parse_date(
            text, tz=self.zone(), languages=self._languages, fetched_at=self.page.fetched_at
        )
        other_way = swapped_day(found) if found is not None else None
        if found is None or other_way is None or other_way != self.url_day:
            return found
        value = found.value.replace(month=other_way.month, day=other_way.day)
        return replace(found, value=value)

    def zone(self) -> tzinfo | None:
        """Where undeclared local times are read: the site's zone, else the page's own offset,
        else the likely zone of its domain or language (date_zones)."""
        if not self._tz_known:
            self._tz_known = True
            self._stated_tz = self._site_tz or self._declared_offset()
            self._tz = self._stated_tz or likely_zone(
                _host(self.page.url), self._languages[0] if self._languages else None
            )
        return self._tz

    def stated_zone(self) -> tzinfo | None:
        """The zone the site or the page itself states, never a guess."""
        self.zone()
        return self._stated_tz

    def _declared_offset(self) -> tzinfo | None:
        """The first non-UTC offset among declared dates: UTC ones are often normalized."""
        for source in DECLARED_SOURCES:
            for kind in KINDS:
                for text in source(self, kind):
                    found = parse_date(
                        text, tz=None, languages=None, fetched_at=self.page.fetched_at
                    )
                    if found is not None and found.value.utcoffset():
                        return _zone_of_offset(found.value, self.page, self._languages)
        return None

    def doubly_named(self) -> frozenset[str]:
        """Values of meta tags named both as a modification and as the publication
        (<meta name="modified-date" itemprop="datePublished">): never the publication."""
        if self._doubly_named is None:
            self._doubly_named = frozenset(_doubly_named_metas(self.page))
        return self._doubly_named

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

    def in_local_zone(self, found: FoundDate | None) -> FoundDate | None:
        """A UTC-stated instant shown in the zone the site or page states, whose day it is;
        else in the page's likely zone when that puts it on the day its URL gives."""
        if found is None or found.precision == "day" or found.value.utcoffset():
            return found
        zone = self.stated_zone()
        if zone is None and self.url_day not in (None, found.value.date()):
            likely = self.zone()
            local = found.value.astimezone(likely) if likely else None
            zone = likely if local is not None and local.date() == self.url_day else None
        return replace(found, value=found.value.astimezone(zone)) if zone else found

    def visible(self) -> list[Printed]:
        """Printed date elements with what their markup says they are, in document order."""
        if self._visible is None:
            self._read_markup()
        return self._visible or []

    def _read_markup(self) -> None:
        self._markup = read_markup(self.page.tree)
        self._visible = self._markup.printed

    def header(self) -> list[Candidate]:
        if self._header is None:
            if self._markup is None:
                self._read_markup()
            self._header = list(around_headline(self._markup)) if self._markup else []
        return self._header


def find_dates(page: Page) -> DateFindings:
    scan = _Scan(page)
    published, updated = scan.best("published"), scan.best("updated")
    published = _printed_publication(scan, published, updated)
    return DateFindings(scan.in_local_zone(published), scan.in_local_zone(updated))


def _printed_publication(
    scan: _Scan, published: FoundDate | None, updated: FoundDate | None
) -> FoundDate | None:
    """An earlier printed date over declared dates that are one re-save stamp.

    Declared published and modified minutes apart at most (or the same wall-clock time under
    two offsets) were stamped by one import or re-save; the date printed by the headline, if
    earlier, is the real publication. Otherwise declared dates win: bylines also print update
    days, teasers, events and quoted dates (measured: trusting them costs more than it wins).
    """
    if published is None or updated is None:
        return published
    stamped = published.value >= updated.value - STAMP_WINDOW
    if not stamped and not _same_wall_clock(published, updated):
        return published
    printed = scan.best("published", (_visible_labelled, _header))
    if printed is None or printed.value >= published.value or _agrees(printed, published):
        return published
    return printed


def _same_wall_clock(one: FoundDate, other: FoundDate) -> bool:
    """One stamp written with two offsets ("14:20Z" and "14:20-04:00")."""
    return one.value.replace(tzinfo=None) == other.value.replace(tzinfo=None)


def _agrees(printed: FoundDate, declared: FoundDate) -> bool:
    """Same day, or a day the instant falls on in some zone, or "09.10.24" read the other way."""
    day = declared.value.date()
    return (
        _same_day(printed, declared)
        or _same_day_somewhere(printed, declared)
        or swapped_day(printed) in (day, declared.value.astimezone(UTC).date())
    )


def _page_language(page: Page) -> str | None:
    """The page's declared language (cheap look-ups only), else the site's."""
    root = page.tree.root
    declared = root.attributes.get("lang") if root is not None else None
    declared = declared or page.meta_first("content-language", "og:locale", "language")
    if declared:
        return declared.strip().replace("_", "-").split(",")[0] or None
    return page.site.language if page.site is not None else None


def _host(url: str) -> str:
    try:
        return site_of(url)
    except ValueError:
        return ""


def _zone_of_offset(value: datetime, page: Page, languages: tuple[str, ...] | None) -> tzinfo:
    """The likely zone when it has the stated offset at that instant (it knows summer time)."""
    likely = likely_zone(_host(page.url), languages[0] if languages else None)
    if likely is not None and value.astimezone(likely).utcoffset() == value.utcoffset():
        return likely
    return timezone(value.utcoffset() or timedelta(0))


def _doubly_named_metas(page: Page) -> Iterator[str]:
    if "datepublished" not in page.meta:
        return
    for node in page.tree.css("meta[itemprop]"):
        attrs = node.attributes
        names = f"{attrs.get('name') or ''} {attrs.get('property') or ''}".lower()
        value = attrs.get("content") or attrs.get("value")
        if value and META_UPDATED_NAME.search(names):
            yield value


def _has_time(found: FoundDate) -> bool:
    """Midnight on the dot is how many CMSs print a date that has no time."""
    return found.precision != "day" and found.value.timetz().replace(tzinfo=None) != time(0)


def _same_day(day: FoundDate, other: FoundDate) -> bool:
    target = day.value.date()
    return other.value.date() == target or other.value.astimezone(day.value.tzinfo).date() == target


def _same_day_somewhere(day: FoundDate, instant: FoundDate) -> bool:
    """A printed day that the instant falls on in some zone (UTC-12 to UTC+14)."""
    if day.precision != "day":
        return False
    start = datetime.combine(day.value.date(), time(0), UTC)
    return start - EARLIEST_OFFSET <= instant.value <= start + DAY + LATEST_OFFSET


# --- sources, in order of trust ------------------------------------------------------------


def _jsonld_articles(scan: _Scan, kind: Kind) -> Iterator[str]:
    for obj in scan.page.articles_in_jsonld():
        yield from _jsonld_dates(obj, kind)


def _meta(scan: _Scan, kind: Kind) -> Iterator[str]:
    texts = _meta_texts(scan.page.meta, kind)
    if kind == "updated":
        yield from texts
    else:
        doubly_named = scan.doubly_named()
        yield from (text for text in texts if text not in doubly_named)


def _meta_texts(meta: dict[str, list[str]], kind: Kind) -> Iterator[str]:
    for name in META_PUBLISHED if kind == "published" else META_UPDATED:
        yield from meta.get(name, ())[:2]
    pattern = META_PUBLISHED_NAME if kind == "published" else META_UPDATED_NAME
    for name, values in meta.items():
        if pattern.search(name) and not META_NOT_A_DATE.search(name):
            yield from values[:1]
    if kind == "published":
        yield from _parsely_page_date(meta.get("parsely-page", ()))


def _parsely_page_date(values: list[str] | tuple[()]) -> Iterator[str]:
    """Parse.ly's older tag: one JSON object in a meta, its "pub_date" the publication."""
    for value in values[:1]:
        try:
            data = json.loads(value)
        except ValueError:
            return
        if isinstance(data, dict) and isinstance(data.get("pub_date"), str):
            yield data["pub_date"]


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
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield from _epoch_text(value)


def _epoch_text(value: float) -> Iterator[str]:
    """Unix seconds or milliseconds, as some CMSs write datePublished."""
    seconds = value / 1000 if value > EPOCH_MILLISECONDS else value
    try:
        yield datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return


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
    day = scan.url_day if kind == "published" else None
    if day is not None:
        yield day.isoformat()


def _url_day(url: str) -> date | None:
    """The day a URL's path gives: /2025/12/06/, /2025-12-06-title, /2023/october/03/."""
    match = URL_DATE.search(url)
    if match is None:
        return None
    month = match["month"]
    number = int(month) if month.isdigit() else ENGLISH_MONTHS.get(month.lower())
    try:
        return date(int(match["year"]), number or 0, int(match["day"]))
    except ValueError:
        return None


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
DECLARED_SOURCES: tuple[Source, ...] = (_jsonld_articles, _meta, _jsonld_others)
KINDS: tuple[Kind, ...] = ("published", "updated")
