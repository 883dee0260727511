"""The small fields: headline, standfirst, section, tags, language and canonical URL.

Each is a cascade from the most deliberate statement (JSON-LD) to the least (visible markup).
"""

from __future__ import annotations

import re
from typing import Any

from parsers.extract.page import JsonObject, Page, clean_text, node_text
from parsers.urls import normalize_url, same_site

TITLE_SEPARATORS = re.compile(r"\s+(?:[|\u2013\u2014»·•:]|-{1,2}|::)\s+")
STANDFIRST_SELECTORS = (
    ".standfirst",
    ".article-standfirst",
    ".dek",
    ".article-dek",
    ".subtitle",
    ".sub-title",
    ".subheadline",
    ".article-summary",
    ".entry-subtitle",
    ".td-post-sub-title",
    ".excerpt",
    ".lede",
    ".article__subtitle",
    "[itemprop=description]",
)
SECTION_SELECTORS = (
    ".cat-links a",
    ".entry-category a",
    ".post-category a",
    ".article-section",
    ".section-name",
    ".kicker",
    "a[rel='category tag']",
    "a[rel=category]",
)
MAX_TAGS = 30


def find_headline(page: Page) -> str | None:
    """Prefer the visible h1 when the page's own metadata agrees it is the title."""
    meta_titles = [t for t in _meta_titles(page) if t]
    h1s = [node_text(node) for node in page.tree.css("h1")[:5]]
    h1s = [text for text in h1s if 3 <= len(text) <= 300]
    folded_meta = [_fold(t) for t in meta_titles]
    for h1 in h1s:
        folded = _fold(h1)
        if any(folded in meta or meta in folded for meta in folded_meta):
            return h1
    for title in meta_titles:
        return _strip_site_name(title, page)
    if h1s:
        return h1s[0]
    return None


def _meta_titles(page: Page) -> list[str]:
    titles = [_jsonld_text(obj.get("headline")) for obj in page.articles_in_jsonld()]
    titles.append(page.meta_first("og:title", "twitter:title", "title", "dc.title") or "")
    title_node = page.tree.css_first("title")
    titles.append(node_text(title_node))
    return titles


def _strip_site_name(title: str, page: Page) -> str:
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_name = _fold(page.meta_first("og:site_name", "application-name") or "")
    kept = [part for part in parts if _fold(part) != site_name]
    return max(kept or parts, key=len)


def find_standfirst(page: Page, headline: str | None) -> str | None:
    for selector in STANDFIRST_SELECTORS:
        text = node_text(page.tree.css_first(selector))
        if 20 <= len(text) <= 600 and text != headline:
            return text
    for obj in page.articles_in_jsonld():
        text = _jsonld_text(obj.get("description"))
        if text:
            return text
    return page.meta_first("og:description", "description", "twitter:description")


def find_section(page: Page) -> str | None:
    for obj in page.articles_in_jsonld():
        section = obj.get("articleSection")
        text = _jsonld_text(section[0] if isinstance(section, list) and section else section)
        if text:
            return text
    meta = page.meta_first("article:section", "section", "parsely-section")
    if meta:
        return meta
    for selector in SECTION_SELECTORS:
        text = node_text(page.tree.css_first(selector))
        if 2 <= len(text) <= 60:
            return text
    return None


def find_tags(page: Page) -> tuple[str, ...]:
    values: list[str] = list(page.meta.get("article:tag", []))
    if not values:
        for obj in page.articles_in_jsonld():
            keywords = obj.get("keywords")
            if isinstance(keywords, str):
                values.extend(keywords.split(","))
            elif isinstance(keywords, list):
                values.extend(k for k in keywords if isinstance(k, str))
    if not values:
        values = [node_text(node) for node in page.tree.css("a[rel~=tag]")]
    seen: dict[str, str] = {}
    for value in values:
        text = clean_text(value)
        if text and len(text) <= 80:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())[:MAX_TAGS]


def find_language(page: Page) -> str | None:
    html = page.tree.css_first("html")
    candidates = [
        html.attributes.get("lang") if html is not None else None,
        page.meta_first("content-language", "og:locale", "language", "dc.language"),
    ]
    candidates += [_jsonld_text(obj.get("inLanguage")) for obj in page.articles_in_jsonld()]
    for candidate in candidates:
        code = _language_code(candidate)
        if code:
            return code
    return page.site.language if page.site is not None else None


def _language_code(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)?\s*$", value)
    return match.group(1).lower() if match else None


def find_canonical_url(page: Page) -> str:
    """rel=canonical or og:url when it points into the same site, else the fetched URL."""
    link = page.tree.css_first("link[rel=canonical]")
    candidates = [
        link.attributes.get("href") if link is not None else None,
        page.meta_first("og:url"),
    ]
    for candidate in candidates:
        absolute = page.absolute(candidate)
        if absolute and absolute.startswith("http") and same_site(absolute, page.url):
            return normalize_url(absolute)
    return normalize_url(page.url)


def _jsonld_text(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        obj: JsonObject = value
        return _jsonld_text(obj.get("name") or obj.get("@value"))
    return ""


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()
