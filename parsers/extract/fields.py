"""The small fields: headline, standfirst, section, tags, language and canonical URL.

Each is a cascade from the most deliberate statement (JSON-LD) to the least (visible markup).
"""

from __future__ import annotations

import re

from parsers.extract.headline import find_headline as find_headline  # re-exported
from parsers.extract.headline import fold, jsonld_text
from parsers.extract.page import JsonObject, Page, clean_text, jsonld_types, node_text
from parsers.extract.select import unique
from parsers.urls import normalize_url, same_site

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
    "[class*=standfirst]",
    "[class*=chapo]",
    "[class*=chapeau]",
    "[class*=_dek]",
    "[class*=-dek]",
    "[class*=subtitle]",
    "[class*=subheadline]",
    "[class*=excerpt]",
    "[class*=__lede]",
    ".news-spot",
    ".spot",
)
SECTION_SELECTORS = (
    ".cat-links a",
    ".entry-category a",
    ".post-category a",
    ".article-section",
    ".section-name",
    "[class*=kicker] a",
    "[class*=kicker]",
    "[class*=rubrique] a",
    "[class*=__section] a",
    "[class*=-section-name]",
    "a[rel='category tag']",
    "a[rel=category]",
)
BREADCRUMB_TRAILS = (
    "[class*=breadcrumb]",
    "[class*=crumbs]",
    ".pathway",
    "nav[aria-label*=readcrumb]",
    "[itemtype*=BreadcrumbList]",
)
BREADCRUMB_LINKS = ", ".join(f"{trail} a" for trail in BREADCRUMB_TRAILS)
# Asked first: most pages have no trail, and a link query tests every link's ancestors.
ANY_BREADCRUMB_TRAIL = ", ".join(BREADCRUMB_TRAILS)
HOME_LABELS = frozenset(
    {"home", "accueil", "startseite", "inicio", "ana sayfa", "anasayfa", "головна", "главная"}
)
TAG_SELECTORS = ("a[rel=tag]", "[class*=tags] a", "[class*=tag-list] a", "[class*=keywords] a")
MAX_TAGS = 30
MIN_STANDFIRST_CHARS = 20
MAX_STANDFIRST_CHARS = 600
MIN_SECTION_CHARS = 2
MAX_SECTION_CHARS = 60


def find_standfirst(page: Page, headline: str | None) -> str | None:
    visible = find_printed_standfirst(page, headline)
    if visible:
        return visible
    for obj in page.articles_in_jsonld():
        text = jsonld_text(obj.get("description"))
        if text:
            return text
    return page.meta_first("og:description", "description", "twitter:description")


def find_printed_standfirst(page: Page, headline: str | None) -> str | None:
    """The standfirst as the page prints it; a meta description is often the first paragraph
    itself, so only a printed standfirst may be taken out of the body."""
    for selector in STANDFIRST_SELECTORS:
        text = node_text(page.select_first(selector))
        if MIN_STANDFIRST_CHARS <= len(text) <= MAX_STANDFIRST_CHARS and text != headline:
            return text
    return None


def find_section(page: Page) -> str | None:
    for obj in page.articles_in_jsonld():
        section = obj.get("articleSection")
        text = jsonld_text(section[0] if isinstance(section, list) and section else section)
        if text:
            return text
    meta = page.meta_first("article:section", "section", "parsely-section")
    if meta:
        return meta
    for selector in SECTION_SELECTORS:
        text = node_text(page.select_first(selector))
        if MIN_SECTION_CHARS <= len(text) <= MAX_SECTION_CHARS:
            return text
    return _breadcrumb_section(page)


def _breadcrumb_section(page: Page) -> str | None:
    """The deepest breadcrumb above the article itself; JSON-LD breadcrumbs first."""
    names: list[str] = []
    for obj in page.jsonld:
        if "breadcrumblist" in jsonld_types(obj):
            names = _jsonld_breadcrumb_names(obj)
            break
    if not names and page.tree.css_first(ANY_BREADCRUMB_TRAIL) is not None:
        names = [node_text(link) for link in unique(page.tree.css(BREADCRUMB_LINKS))]
    folded_url = page.url.rstrip("/")
    candidates = [
        name
        for name in names
        if MIN_SECTION_CHARS <= len(name) <= MAX_SECTION_CHARS
        and name.casefold() not in HOME_LABELS
        and name != folded_url
    ]
    headline = fold(find_headline(page) or "")
    candidates = [name for name in candidates if fold(name) != headline]
    return candidates[-1] if candidates else None


def _position(item: JsonObject) -> int:
    position = item.get("position")
    return position if isinstance(position, int) else 0


def _jsonld_breadcrumb_names(obj: JsonObject) -> list[str]:
    items = obj.get("itemListElement")
    if not isinstance(items, list):
        return []
    ordered = sorted((item for item in items if isinstance(item, dict)), key=_position)
    names = []
    for item in ordered:
        name = jsonld_text(item.get("name")) or jsonld_text(item.get("item"))
        if name:
            names.append(name)
    return names


def find_tags(page: Page) -> tuple[str, ...]:
    values: list[str] = list(page.meta.get("article:tag", []))
    if not values:
        for obj in page.articles_in_jsonld():
            keywords = obj.get("keywords")
            if isinstance(keywords, str):
                values.extend(keywords.split(","))
            elif isinstance(keywords, list):
                values.extend(k for k in keywords if isinstance(k, str))
    for selector in TAG_SELECTORS:
        if values:
            break
        values = [node_text(node) for node in page.select_all(selector)]
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
    candidates += [jsonld_text(obj.get("inLanguage")) for obj in page.articles_in_jsonld()]
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
