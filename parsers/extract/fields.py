"""The small fields: headline, standfirst, section, tags, language and canonical URL.

Each is a cascade from the most deliberate statement (JSON-LD) to the least (visible markup).
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborNode

from parsers.extract.page import JsonObject, Page, clean_text, jsonld_types, node_text
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
HEADLINE_SELECTORS = (
    "[itemprop=headline]",
    ".entry-title",
    ".post-title",
    ".article-title",
    ".article__title",
    ".headline",
    "h1",
)
MASTHEAD_PATTERN = re.compile(r"logo|brand|masthead|site-title|site-name|navbar", re.I)
MIN_HEADLINE_CHARS = 3
MAX_HEADLINE_CHARS = 300
MIN_HEADLINE_WORDS = 2
MAX_HEADLINE_CANDIDATES = 3
TITLE_OVERLAP_SHARE = 0.4
MAX_TRUSTED_H1S = 2
PERMALINK_MARKS = re.compile(r"\s*[¶#§🔗]$")
META_TITLE_NAMES = (
    "og:title",
    "twitter:title",
    "dc.title",
    "dc:title",
    "dcterms.title",
    "dcterm:title",
    "parsely-title",
    "sailthru.title",
    "title",
)


def find_headline(page: Page) -> str | None:
    """The visible headline; metadata titles only confirm it or stand in when it is missing."""
    meta_titles = [t for t in _meta_titles(page) if t]
    site_names = _site_names(page, meta_titles)
    visible = [c for c in _visible_headlines(page) if _fold(c[0]) not in site_names]
    folded_meta = [_fold(t) for t in meta_titles]
    for text, _ in visible:
        folded = _fold(text)
        for meta, title in zip(folded_meta, meta_titles, strict=True):
            if meta and _same_title(folded, meta):
                # A visible headline that wraps the title in a dateline or kicker: the title.
                return title if meta in folded and meta != folded else text
    # Unconfirmed by metadata, only a lone h1 beats the page's declared title: a class
    # named "headline" or one of many h1s is as likely a teaser or a section label.
    if len(page.select_all("h1")) <= MAX_TRUSTED_H1S or not meta_titles:
        for text, is_h1 in sorted(visible, key=lambda candidate: not candidate[1]):
            if len(text.split()) >= MIN_HEADLINE_WORDS and (is_h1 or not meta_titles):
                return text
    for title in meta_titles:
        return _strip_site_name(title, page)
    return visible[0][0] if visible else None


def _same_title(visible: str, meta: str) -> bool:
    """One contains the other and is not a mere fragment of it (a site name, a section)."""
    shorter, longer = sorted((visible, meta), key=len)
    return shorter in longer and len(shorter) >= TITLE_OVERLAP_SHARE * len(longer)


def _visible_headlines(page: Page) -> list[tuple[str, bool]]:
    """Explicit headline markup first, then h1s outside the masthead; flagged when an h1."""
    found: list[tuple[str, bool]] = []
    for selector in HEADLINE_SELECTORS:
        for node in page.select_all(selector)[:MAX_HEADLINE_CANDIDATES]:
            if selector == "h1" and _in_masthead(node):
                continue
            text = PERMALINK_MARKS.sub("", clean_text(node.text(deep=True)))
            is_h1 = node.tag == "h1"
            if MIN_HEADLINE_CHARS <= len(text) <= MAX_HEADLINE_CHARS and (text, is_h1) not in found:
                found.append((text, is_h1))
    return found


def _in_masthead(node: LexborNode) -> bool:
    ancestor = node.parent
    while ancestor is not None and ancestor.tag not in ("body", "html"):
        if ancestor.tag == "nav" or (
            ancestor.tag == "header" and ancestor.css_first("nav") is not None
        ):
            return True
        label = f"{ancestor.attributes.get('class') or ''} {ancestor.attributes.get('id') or ''}"
        if MASTHEAD_PATTERN.search(label):
            return True
        ancestor = ancestor.parent
    return False


def _site_names(page: Page, meta_titles: list[str]) -> set[str]:
    names = {_fold(page.meta_first("og:site_name", "application-name") or "")}
    parts = TITLE_SEPARATORS.split(page.title_text)
    if len(parts) >= 2:
        names.add(_fold(parts[-1]))
        names.add(_fold(parts[0])) if len(parts[0].split()) <= 3 else None
    names.discard("")
    return names


def _meta_titles(page: Page) -> list[str]:
    titles = [_jsonld_text(obj.get("headline")) for obj in page.articles_in_jsonld()]
    titles.append(page.meta_first(*META_TITLE_NAMES) or "")
    titles.append(page.title_text)
    return titles


def _strip_site_name(title: str, page: Page) -> str:
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_name = _fold(page.meta_first("og:site_name", "application-name") or "")
    kept = [part for part in parts if _fold(part) != site_name]
    return max(kept or parts, key=len)


def find_standfirst(page: Page, headline: str | None) -> str | None:
    visible = find_printed_standfirst(page, headline)
    if visible:
        return visible
    for obj in page.articles_in_jsonld():
        text = _jsonld_text(obj.get("description"))
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
        text = _jsonld_text(section[0] if isinstance(section, list) and section else section)
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
        names = [node_text(link) for link in page.tree.css(BREADCRUMB_LINKS)]
    folded_url = page.url.rstrip("/")
    candidates = [
        name
        for name in names
        if MIN_SECTION_CHARS <= len(name) <= MAX_SECTION_CHARS
        and name.casefold() not in HOME_LABELS
        and name != folded_url
    ]
    headline = _fold(find_headline(page) or "")
    candidates = [name for name in candidates if _fold(name) != headline]
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
        name = _jsonld_text(item.get("name")) or _jsonld_text(item.get("item"))
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
