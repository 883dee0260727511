"""Published and updated dates of a page: a cascade from declared data to printed text.

Published and updated are kept strictly apart: a modified date is never reported as the
publication date, even when it is the only date on the page, unless the printed markup calls
it the publication date. Within each, the most trusted source wins, and a less trusted one
only adds the time of day the trusted one left out.

Local times without a zone are read in the site's zone, else in an offset the page states
elsewhere, else in the zone its domain or language most likely means (date_zones).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta, tzinfo
from itertools import chain, islice

from parsers.dates import FoundDate, parse_date, swapped_day
from parsers.extract.date_byline import around_headline
from parsers.extract.date_conflicts import (
    agrees,
    consistent_instant,
    has_time,
    published_before_modified,
    same_day,
    same_wall_clock,
    stated_clock,
)
from parsers.extract.date_declared import (
    doubly_named_metas,
    jsonld_article_dates,
    jsonld_other_dates,
    meta_dates,
)
from parsers.extract.date_headline import title_parts
from parsers.extract.date_labels import ORIGINAL_LABEL, Kind
from parsers.extract.date_markup import (
    Candidate,
    Markup,
    Printed,
    in_foreign_block,
    links_to_page,
    read_markup,
)
from parsers.extract.date_zones import likely_printed_zone, likely_zone, zone_of_offset
from parsers.extract.page import Page
from parsers.extract.page_language import declared_language
from parsers.urls import site_of, url_day

__all__ = ["DateFindings", "FoundDate", "find_dates"]

# Declared published and modified this close were stamped together (an import, a re-save).
STAMP_WINDOW = timedelta(minutes=10)
# Values compared for a mislabelled offset: ISO instants stating their offset, a few.
ISO_INSTANT = re.compile(
    r"\s*\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)\s*"
)
MAX_INSTANTS = 12
# Machine-written dates ("2016-11-29T03:33:08"); anything else is printed for readers.
MACHINE_WRITTEN = re.compile(r"\s*\d{4}-\d\d-\d\d")


@dataclass(frozen=True, slots=True)
class DateFindings:
    published: FoundDate | None = None
    updated: FoundDate | None = None


class _Scan:
    """One page's date search: each source is read only when a kind still needs it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        language = declared_language(page)
        self._languages = (language,) if language else None
        self._site_tz = page.site.tzinfo if page.site is not None else None
        self._stated_tz: tzinfo | None = None
        self._tz: tzinfo | None = None
        self._tz_known = False
        self._printed_tz: tzinfo | None = None
        self._printed_tz_known = False
        self._doubly_named: frozenset[str] | None = None
        self.url_day = url_day(page.url)
        self._visible: list[Printed] | None = None
        self._header: list[Candidate] | None = None
        self._markup: Markup | None = None
        self._read: dict[str, FoundDate | None] = {}

    def read(self, text: str) -> FoundDate | None:
        """A date in the page's zone and language; "03/10/2023" the way the URL dates it.

        Remembered per text: several sources and checks read the same values."""
        if text not in self._read:
            self._read[text] = self._parse(text)
        return self._read[text]

    def _parse(self, text: str) -> FoundDate | None:
        zone = self.zone() if MACHINE_WRITTEN.match(text) else self.printed_zone()
        found = parse_date(
            text, tz=zone, languages=self._languages, fetched_at=self.page.fetched_at
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

    def printed_zone(self) -> tzinfo | None:
        """Where a printed clock ("Dec 1st 2016 1:01PM") is read: zone() when it has one, else
        the guess date_zones makes for English pages on generic domains."""
        zone = self.zone()
        if zone is None and not self._printed_tz_known:
            self._printed_tz_known = True
            language = self._languages[0] if self._languages else None
            self._printed_tz = likely_printed_zone(_host(self.page.url), language)
        return zone or self._printed_tz

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
                        language = self._languages[0] if self._languages else None
                        return zone_of_offset(found.value, _host(self.page.url), language)
        return None

    def doubly_named(self) -> frozenset[str]:
        """Values of meta tags named both as a modification and as the publication
        (<meta name="modified-date" itemprop="datePublished">): never the publication."""
        if self._doubly_named is None:
            self._doubly_named = frozenset(doubly_named_metas(self.page))
        return self._doubly_named

    def best(self, kind: Kind, sources: tuple[Source, ...] | None = None) -> FoundDate | None:
        """The first date, unless it lacks a time and a later one gives that same day a time.

        A relative date ("1 hour ago") counts back from the fetch: any absolute date found
        later in the cascade is better, so it is kept only as the last resort.
        """
        best: FoundDate | None = None
        relative: FoundDate | None = None
        for source in SOURCES if sources is None else sources:
            for text in source(self, kind):
                found = self.read(text)
                if found is None:
                    continue
                if found.relative:
                    relative = relative or found
                    continue
                if best is None:
                    best = found
                elif has_time(found) and same_day(best, found):
                    return _on_printed_day(found, best)
                if has_time(best):
                    return best
        return best or relative

    def instants(self, kind: Kind, *, printed: bool) -> Iterator[FoundDate]:
        """Machine-written instants of a kind: declared, then (if asked) printed ones."""
        declared = (text for source in DECLARED_SOURCES for text in source(self, kind))
        texts = chain(declared, self._datetime_attributes(kind)) if printed else declared
        instants = (text for text in texts if ISO_INSTANT.fullmatch(text))
        for text in islice(instants, MAX_INSTANTS):
            found = self.read(text)
            if found is not None:
                yield found

    def declared(self, kind: Kind) -> Iterator[FoundDate]:
        """Every absolute date the page declares for a kind, in order of trust."""
        for text in (text for source in DECLARED_SOURCES for text in source(self, kind)):
            found = self.read(text)
            if found is not None and not found.relative:
                yield found

    def _datetime_attributes(self, kind: Kind) -> Iterator[str]:
        """Printed dates of a kind, or unlabelled; without the full markup pass when it has
        not run yet: <time datetime> outside foreign blocks is where printed instants are."""
        if self._visible is not None:
            yield from (text for named, _, text in self._visible if named in (kind, None))
            return
        for node in self.page.tree.css("[datetime]")[:MAX_INSTANTS]:
            value = node.attributes.get("datetime")
            if value and not in_foreign_block(node):
                yield value

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
        page = self.page
        titles = title_parts(page.meta_first("og:title", "twitter:title"), page.title_text)
        self._markup = read_markup(page, titles)
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
    published = _before_modification(scan, published, updated)
    if published is not None and ISO_INSTANT.fullmatch(published.raw):
        published = _consistent_instant(scan, published)
    elif published is not None and scan.stated_zone() is None:  # read in a guessed zone?
        guesses = (scan.zone(), scan.printed_zone())
        published = stated_clock(published, guesses, scan.instants("published", printed=True))
    return DateFindings(scan.in_local_zone(published), scan.in_local_zone(updated))


def _before_modification(
    scan: _Scan, published: FoundDate | None, updated: FoundDate | None
) -> FoundDate | None:
    """See date_conflicts.published_before_modified; after the printed byline had its say (an
    earlier byline date is the publication there). Every declared value is read only when the
    publication still comes after the chosen modification."""
    if published is None or updated is None or published.value <= updated.value:
        return published
    return published_before_modified(
        published, scan.declared("published"), list(scan.declared("updated"))
    )


def _consistent_instant(scan: _Scan, published: FoundDate) -> FoundDate:
    """See date_conflicts.consistent_instant; printed values are read (a markup pass) only
    when a UTC value could be a local clock: the page's zone is not UTC."""
    zone = scan.zone()
    local = zone is not None and bool(published.value.astimezone(zone).utcoffset())
    printed = local and not published.value.utcoffset()
    return consistent_instant(published, scan.instants("published", printed=printed), zone)


def _on_printed_day(instant: FoundDate, day: FoundDate) -> FoundDate:
    """An instant that gives a day its time, shown in the day's zone when only there does it
    fall on that day (23:13 on the 23rd in New York is written 04:13Z on the 24th)."""
    local = instant.value.astimezone(day.value.tzinfo)
    if instant.value.date() == day.value.date() or local.date() != day.value.date():
        return instant
    return replace(instant, value=local)


def _printed_publication(
    scan: _Scan, published: FoundDate | None, updated: FoundDate | None
) -> FoundDate | None:
    """An earlier printed date over declared dates that are one re-save stamp.

    Declared published and modified minutes apart at most (or the same wall-clock time under
    two offsets) were stamped by one import or re-save; the date printed by the headline, if
    earlier, is the real publication; a printed day that agrees shows the stamp on that day.
    Otherwise declared dates win: bylines also print update
    days, teasers, events and quoted dates (measured: trusting them costs more than it wins;
    trusting an earlier byline on every page that declares a modification won one page and
    lost another, for a markup pass on every such page).
    """
    if published is None or updated is None:
        return published
    stamped = published.value >= updated.value - STAMP_WINDOW
    if not stamped and not same_wall_clock(published, updated):
        return published
    printed = scan.best("published", (_visible_labelled, _header))
    if printed is None:
        return published
    if printed.value >= published.value or agrees(printed, published):
        return _on_printed_day(published, printed)
    return printed


def _host(url: str) -> str:
    try:
        return site_of(url)
    except ValueError:
        return ""


# --- sources, in order of trust ------------------------------------------------------------


def _jsonld_articles(scan: _Scan, kind: Kind) -> Iterator[str]:
    yield from jsonld_article_dates(scan.page, kind)


def _meta(scan: _Scan, kind: Kind) -> Iterator[str]:
    texts = meta_dates(scan.page.meta, kind)
    if kind == "updated":
        yield from texts
    else:
        doubly_named = scan.doubly_named()
        yield from (text for text in texts if text not in doubly_named)


def _jsonld_others(scan: _Scan, kind: Kind) -> Iterator[str]:
    yield from jsonld_other_dates(scan.page, kind)


def _visible_original(scan: _Scan, kind: Kind) -> Iterator[str]:
    """A printed date labelled as the original publication: a page that re-dates a story
    prints the new date first and keeps the first one next to that label."""
    if kind == "published":
        for node_kind, _node, text in scan.visible():
            if node_kind != "updated" and ORIGINAL_LABEL.search(text):
                yield text


def _visible_labelled(scan: _Scan, kind: Kind) -> Iterator[str]:
    for node_kind, _node, text in scan.visible():
        if node_kind == kind:
            yield text


def _header(scan: _Scan, kind: Kind) -> Iterator[str]:
    yield from (text for text_kind, text in scan.header() if text_kind == kind)


def _visible_permalink(scan: _Scan, kind: Kind) -> Iterator[str]:
    """An unlabelled printed date inside a link to the page itself: the page's own permalink
    timestamp (a post's, a status's), where replies and teasers link elsewhere."""
    if kind == "published":
        for node_kind, node, text in scan.visible():
            if node_kind is None and links_to_page(node, scan.page.url):
                yield text


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


Source = Callable[["_Scan", Kind], Iterator[str]]
SOURCES: tuple[Source, ...] = (
    _jsonld_articles,
    _meta,
    _jsonld_others,
    _visible_original,
    _visible_labelled,
    _header,
    _visible_permalink,
    _visible_unlabelled,
    _url,
)
DECLARED_SOURCES: tuple[Source, ...] = (_jsonld_articles, _meta, _jsonld_others)
KINDS: tuple[Kind, ...] = ("published", "updated")
