"""Article, listing or other (placeholder until the page-type classifier lands)."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.extract.page import Page
from parsers.record import PageType


@dataclass(frozen=True, slots=True)
class PageSignals:
    article_jsonld: bool = False


def page_signals(page: Page) -> PageSignals:
    return PageSignals(article_jsonld=bool(page.articles_in_jsonld()))


def classify_page(
    signals: PageSignals, body: tuple[str, ...], has_published_date: bool, headline: str | None
) -> PageType:
    if signals.article_jsonld or (has_published_date and len(body) >= 3):
        return "article"
    return "other"
