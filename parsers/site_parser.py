"""The base of every site class: the site's facts, and selectors where the generic cascade errs.

A site class is data first (recipe-scrapers' model): its hosts, timezone, language and printed
date formats, plus a CSS selector for a field only where the generic extractor reads that site
wrongly. Anything a selector does not find falls back to the generic cascade, so a layout
change degrades a field instead of emptying it (and parser health sees the drop).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from parsers.dates import FoundDate, parse_date
from parsers.extract.author_names import clean_author_names
from parsers.extract.date_fields import DateFindings
from parsers.extract.generic import GenericExtractor
from parsers.extract.page import Page, clean_text, node_text
from parsers.record import DatePrecision
from parsers.site_config import SiteConfig


class SiteParser(GenericExtractor):
    """Subclass, set `facts`, add a selector only for a field the site needs, `@register` it."""

    facts: ClassVar[SiteConfig] = SiteConfig()
    headline_selector: ClassVar[str | None] = None
    published_selector: ClassVar[str | None] = None
    updated_selector: ClassVar[str | None] = None
    author_selector: ClassVar[str | None] = None
    section_selector: ClassVar[str | None] = None

    def site_config(self, given: SiteConfig | None) -> SiteConfig:
        """The site's own facts, each overridden by the caller's (schedules.yaml) when set."""
        if given is None:
            return self.facts
        return SiteConfig(
            timezone=given.timezone or self.facts.timezone,
            language=given.language or self.facts.language,
            date_formats=given.date_formats or self.facts.date_formats,
        )

    def headline(self, page: Page) -> str | None:
        return self._selected_text(page, self.headline_selector) or super().headline(page)

    def section(self, page: Page) -> str | None:
        return self._selected_text(page, self.section_selector) or super().section(page)

    def authors(self, page: Page) -> tuple[str, ...]:
        if self.author_selector:
            printed = (node_text(node) for node in page.select_all(self.author_selector))
            names = clean_author_names(printed)
            if names:
                return names
        return super().authors(page)

    def dates(self, page: Page) -> DateFindings:
        """A date printed where the site's selector points wins; the cascade fills the rest."""
        published = self._selected_date(page, self.published_selector)
        updated = self._selected_date(page, self.updated_selector)
        if published is not None and updated is not None:
            return DateFindings(published, updated)
        generic = super().dates(page)
        return DateFindings(published or generic.published, updated or generic.updated)

    def _selected_text(self, page: Page, selector: str | None) -> str | None:
        if not selector:
            return None
        return clean_text(node_text(page.select_first(selector))) or None

    def _selected_date(self, page: Page, selector: str | None) -> FoundDate | None:
        if not selector:
            return None
        node = page.select_first(selector)
        if node is None:
            return None
        text = node_text(node)
        config = page.site or self.facts
        zone = config.tzinfo
        return _by_format(text, config.date_formats, zone) or parse_date(
            text,
            tz=zone,
            languages=(config.language,) if config.language else None,
            fetched_at=page.fetched_at,
        )


def _by_format(text: str, formats: tuple[str, ...], zone: tzinfo | None) -> FoundDate | None:
    """The formats the site is known to print, tried before any guessing."""
    for layout in formats:
        try:
            value = datetime.strptime(text, layout)
        except ValueError:
            continue
        has_clock = any(code in layout for code in ("%H", "%I", "%M"))
        precision: DatePrecision = "day"
        if has_clock:
            precision = "second" if "%S" in layout else "minute"
        aware = value if value.tzinfo is not None else value.replace(tzinfo=zone)
        if aware.tzinfo is None:
            return None
        return FoundDate(aware, text, precision)
    return None
