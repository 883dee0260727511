"""`parse()`: the one entry point from page bytes to an ArticleRecord.

It never raises on page content: a crawler meets every kind of broken page, and one bad
page must cost one warning, not a run.
"""

from __future__ import annotations

from datetime import UTC, datetime

from parsers.decoding import decode_html
from parsers.extract.generic import GenericExtractor
from parsers.extract.page import Page
from parsers.html_guard import bounded
from parsers.mojibake import repair_record
from parsers.record import ArticleRecord
from parsers.registry import get_parser
from parsers.site_config import SiteConfig
from parsers.urls import normalize_url, site_of

MAX_HTML_CHARS = 20_000_000


def parse(
    html: str | bytes,
    url: str,
    fetched_at: datetime | None = None,
    *,
    site: SiteConfig | None = None,
) -> ArticleRecord:
    """Extract the record of one page; `fetched_at` anchors relative dates ("3 hours ago")."""
    when = _aware(fetched_at)
    warnings: list[str] = []
    text = decode_html(html) if isinstance(html, bytes) else html
    if len(text) > MAX_HTML_CHARS:
        warnings.append(f"html: truncated to {MAX_HTML_CHARS} characters")
        text = text[:MAX_HTML_CHARS]
    text, cut = bounded(text.replace("\x00", ""))
    warnings.extend(cut)
    extractor: GenericExtractor = GenericExtractor()
    try:
        extractor = get_parser(url)
        page = Page.from_html(text, url, when, extractor.site_config(site))
        page.warnings.extend(warnings)
        return repair_record(extractor.extract(page))
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError, KeyError) as exc:
        return _failed(url, f"{extractor.name}: {type(exc).__name__}: {exc}", warnings)


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _failed(url: str, reason: str, warnings: list[str]) -> ArticleRecord:
    return ArticleRecord(
        url=url,
        canonical_url=normalize_url(url),
        site=site_of(url),
        warnings=(*warnings, f"parse failed: {reason}"),
    )
