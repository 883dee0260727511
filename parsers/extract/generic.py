"""The generic extractor: one method per field, so a site class overrides only what it must.

Field order matters: every field reads the pristine tree except the body, which prunes it,
and the images, which are read from the body's container after pruning.
"""

from __future__ import annotations

from parsers.extract import fields
from parsers.extract.authors import find_authors
from parsers.extract.body import Content, extract_content
from parsers.extract.date_fields import DateFindings, find_dates
from parsers.extract.images import find_images
from parsers.extract.page import Page
from parsers.extract.page_type import PageSignals, classify_page, page_signals
from parsers.record import ArticleRecord, Image, PageType, ParserInfo
from parsers.site_config import SiteConfig
from parsers.urls import site_of


class GenericExtractor:
    """Reads any page; site classes subclass it and override single field methods."""

    name = "generic"
    version = "1"

    def site_config(self, given: SiteConfig | None) -> SiteConfig | None:
        """The facts to read the page with; a site class adds its own to the caller's."""
        return given

    def extract(self, page: Page) -> ArticleRecord:
        headline = self.headline(page)
        dates = self.dates(page)
        authors = self.authors(page)
        signals = page_signals(page)
        standfirst = self.standfirst(page, headline)
        section, tags, language = self.section(page), self.tags(page), self.language(page)
        canonical = self.canonical_url(page)
        printed_standfirst = fields.find_printed_standfirst(page, headline)
        dated = dates.published is not None or dates.updated is not None
        content = self.content(
            page, headline, printed_standfirst, product=signals.product, dated=dated
        )
        images = self.images(page, content)
        page_type = self.page_type(signals, content, dates, headline, authors)
        return ArticleRecord(
            url=page.url,
            canonical_url=canonical,
            site=site_of(canonical) or site_of(page.url),
            page_type=page_type,
            headline=headline,
            standfirst=standfirst,
            authors=authors,
            published_at=dates.published.value if dates.published else None,
            published_raw=dates.published.raw if dates.published else None,
            published_precision=dates.published.precision if dates.published else None,
            updated_at=dates.updated.value if dates.updated else None,
            updated_raw=dates.updated.raw if dates.updated else None,
            updated_precision=dates.updated.precision if dates.updated else None,
            section=section,
            tags=tags,
            language=language,
            body=content.paragraphs,
            images=images,
            parser=ParserInfo(self.name, self.version),
            warnings=tuple(page.warnings) + _missing(headline, content, dates, page_type),
        )

    def headline(self, page: Page) -> str | None:
        return fields.find_headline(page)

    def standfirst(self, page: Page, headline: str | None) -> str | None:
        return fields.find_standfirst(page, headline)

    def dates(self, page: Page) -> DateFindings:
        return find_dates(page)

    def authors(self, page: Page) -> tuple[str, ...]:
        return find_authors(page)

    def section(self, page: Page) -> str | None:
        return fields.find_section(page)

    def tags(self, page: Page) -> tuple[str, ...]:
        return fields.find_tags(page)

    def language(self, page: Page) -> str | None:
        return fields.find_language(page)

    def canonical_url(self, page: Page) -> str:
        return fields.find_canonical_url(page)

    def content(
        self,
        page: Page,
        headline: str | None,
        printed_standfirst: str | None,
        *,
        product: bool = False,
        dated: bool = False,
    ) -> Content:
        """The body; a standfirst printed above it is not repeated as its first paragraph.
        `product`: the page declares itself a product (its customer reviews are not its text);
        `dated`: it states a date (its calls to action are not its text either)."""
        junk = page.tag_walk().junk
        return extract_content(
            page.tree,
            headline,
            printed_standfirst,
            index=page.index,
            junk=junk,
            product=product,
            dated=dated,
        )

    def images(self, page: Page, content: Content) -> tuple[Image, ...]:
        return find_images(page, content.main)

    def page_type(
        self,
        signals: PageSignals,
        content: Content,
        dates: DateFindings,
        headline: str | None,
        authors: tuple[str, ...],
    ) -> PageType:
        found_date = dates.published is not None
        return classify_page(signals, content.paragraphs, found_date, headline, bool(authors))


def _missing(
    headline: str | None, content: Content, dates: DateFindings, page_type: str
) -> tuple[str, ...]:
    if page_type != "article":
        return ()
    missing = []
    if not headline:
        missing.append("headline: not found")
    if not content.paragraphs:
        missing.append("body: not found")
    if dates.published is None:
        missing.append("published_at: not found")
    return tuple(missing)
