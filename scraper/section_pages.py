"""Article links on section pages, and the next page of a paginated archive for backfill.

A site entry names its article links by a CSS selector and/or a URL pattern; with neither,
links whose address reads like a story (a slug of several words, a date or ID path) are taken.
A selector alone still skips tag, author and file links that teaser cards carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from parsers.decoding import decode_html
from parsers.extract.page import node_text
from parsers.extract.page_type import url_shape
from parsers.urls import normalize_url, same_site
from scraper.discovery_links import DiscoveredLink, absolute_http_url, parse_w3c_datetime
from scraper.exceptions import UsageError

# The default rule: a story slug has at least this many words, or the path carries a date
# or a long number (an article ID).
STORY_SLUG_WORDS = 3
_ARTICLE_ID = re.compile(r"(?<![^\W_])\d{5,}(?![^\W_])")
_DATED_PATH = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/)?[^/]")
# First path segments of taxonomy and utility pages, never articles however long the slug.
NOT_ARTICLE_ROOTS = frozenset(
    {"tag", "tags", "category", "categories", "author", "authors", "topic", "topics",
     "search", "page", "feed", "wp-content", "wp-json", "wp-admin", "wp-login.php",
     "login", "account", "subscribe", "newsletter", "cdn-cgi"}
)  # fmt: skip
NOT_PAGE_EXTENSION = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|avif|pdf|docx?|xlsx?|pptx?|zip|gz|mp[34]|mov|xml|rss|json|css|js)$",
    re.IGNORECASE,
)
# Pagination: rel=next, link words in the languages of the sites archived, CMS classes, and
# page-number forms in the address.
NEXT_WORDS = frozenset(
    {"next", "next page", "older", "older posts", "older entries", "older articles",
     "older stories", "more articles", "more stories", "load more", "suivant",
     "page suivante", "articles plus anciens", "weiter", "nächste", "nächste seite",
     "sonraki", "sonraki sayfa", "наступна", "наступна сторінка", "далі", "следующая",
     "далее", "siguiente", "successivo", "następna", "próxima", "अगला"}
)  # fmt: skip
NEXT_CLASSES = frozenset({"next", "nextpostslink", "pagination-next", "pager-next", "nav-next"})
_PATH_PAGE = re.compile(r"/page/(\d+)/?$", re.IGNORECASE)
PAGE_PARAMETERS = frozenset({"page", "paged", "pg"})
_LINK_WORD_NOISE = re.compile(r"[^\w\s]+")
_ARTICLE_ANCESTOR_DEPTH = 6


def links_from_section_page(
    html: str | bytes,
    page_url: str,
    *,
    css: str | None = None,
    url_pattern: str | re.Pattern[str] | None = None,
) -> list[DiscoveredLink]:
    """Article links of one section page: absolute, same-site, normalized, first seen first.

    `css` picks links or the blocks holding them (a teaser card: its <time> gives the date);
    `url_pattern` is a regular expression (text or compiled) searched in the absolute URL;
    both given, both must hold. Raises UsageError for a selector or pattern that does not compile.
    """
    tree = LexborHTMLParser(decode_html(html) if isinstance(html, bytes) else html)
    base = _base_url(tree, page_url)
    pattern = _compile(url_pattern)
    found: dict[str, DiscoveredLink] = {}
    for anchor, card in _candidates(tree, css):
        url = absolute_http_url(anchor.attributes.get("href") or "", base)
        if url is None or not _wanted(url, page_url, pattern, heuristic=css is None):
            continue
        title = node_text(anchor) or (anchor.attributes.get("title") or "").strip() or None
        published = _card_date(card or _article_of(anchor))
        found[url] = _merged(found.get(url), DiscoveredLink(url, "section", None, published, title))
    return list(found.values())


def next_page_url(html: str | bytes, page_url: str) -> str | None:
    """The next (older) page of a paginated section or archive, or None on the last page.

    Tried in order of reliability: rel=next, a link to page N+1 of the same listing, then a
    link whose words or class say "next" / "older posts". Never the page itself.
    """
    tree = LexborHTMLParser(decode_html(html) if isinstance(html, bytes) else html)
    base = _base_url(tree, page_url)
    here = normalize_url(page_url)
    for node in tree.css("link[rel~=next][href], a[rel~=next][href]"):
        url = _same_site_url(node, base, page_url)
        if url is not None and url != here:
            return url
    anchors = [
        (url, node)
        for node in tree.css("a[href]")
        if (url := _same_site_url(node, base, page_url)) is not None and url != here
    ]
    numbered = _next_numbered(anchors, here)
    if numbered is not None:
        return numbered
    return next((url for url, node in anchors if _says_next(node)), None)


def is_article_like(url: str) -> bool:
    """The default rule: the address of a story rather than a section, tag, file or utility."""
    if _utility_page(url):
        return False
    shape = url_shape(url)
    path = urlsplit(url).path
    if shape.listing or shape.product or shape.forum or shape.docs or shape.service:
        return False
    return (
        shape.slug_words >= STORY_SLUG_WORDS
        or bool(_ARTICLE_ID.search(path.rstrip("/").rpartition("/")[2]))
        or bool(_DATED_PATH.search(path))
    )


def _utility_page(url: str) -> bool:
    """A taxonomy, account or feed page, or a file: never an article, whatever selects it."""
    path = urlsplit(url).path
    segments = [segment for segment in path.lower().split("/") if segment]
    return not segments or segments[0] in NOT_ARTICLE_ROOTS or bool(NOT_PAGE_EXTENSION.search(path))


def _candidates(
    tree: LexborHTMLParser, css: str | None
) -> Iterator[tuple[LexborNode, LexborNode | None]]:
    """(anchor, the selected block it sits in) in document order."""
    if css is None:
        yield from ((anchor, None) for anchor in tree.css("a[href]"))
        return
    try:
        selected = tree.css(css)
    except SelectolaxError as exc:
        raise UsageError(f"section page CSS selector {css!r} does not parse") from exc
    for node in selected:
        if node.tag == "a":
            yield node, None
        else:
            yield from ((anchor, node) for anchor in node.css("a[href]"))


def _compile(url_pattern: str | re.Pattern[str] | None) -> re.Pattern[str] | None:
    if url_pattern is None or isinstance(url_pattern, re.Pattern):
        return url_pattern
    try:
        return re.compile(url_pattern)
    except re.error as exc:
        raise UsageError(f"section page URL pattern {url_pattern!r}: {exc}") from exc


def _wanted(url: str, page_url: str, pattern: re.Pattern[str] | None, *, heuristic: bool) -> bool:
    if not same_site(url, page_url) or url == normalize_url(page_url):
        return False
    if pattern is not None:
        return bool(pattern.search(url))
    return is_article_like(url) if heuristic else not _utility_page(url)


def _merged(known: DiscoveredLink | None, found: DiscoveredLink) -> DiscoveredLink:
    """One story linked twice (picture, then headline): the first link, completed by the next."""
    if known is None:
        return found
    return DiscoveredLink(
        known.url,
        "section",
        published=known.published or found.published,
        title=known.title or found.title,
    )


def _base_url(tree: LexborHTMLParser, page_url: str) -> str:
    """Relative links resolve against <base href> when the page declares one."""
    base = tree.css_first("base[href]")
    href = (base.attributes.get("href") or "").strip() if base is not None else ""
    return urljoin(page_url, href) if href else page_url


def _article_of(anchor: LexborNode) -> LexborNode | None:
    """The <article> teaser an anchor sits in, when the page marks teasers that way."""
    node = anchor.parent
    for _ in range(_ARTICLE_ANCESTOR_DEPTH):
        if node is None:
            return None
        if node.tag == "article":
            return node
        node = node.parent
    return None


def _card_date(card: LexborNode | None) -> datetime | None:
    if card is None:
        return None
    stamp = card.css_first("time[datetime]")
    return parse_w3c_datetime(stamp.attributes.get("datetime")) if stamp is not None else None


def _same_site_url(node: LexborNode, base: str, page_url: str) -> str | None:
    url = absolute_http_url(node.attributes.get("href") or "", base)
    return url if url is not None and same_site(url, page_url) else None


def _next_numbered(anchors: Iterable[tuple[str, LexborNode]], here: str) -> str | None:
    """A link to page N+1 of this listing (/page/N/, ?page=N, ?paged=N)."""
    number, listing = _page_number(here)
    for url, _ in anchors:
        other_number, other_listing = _page_number(url)
        if other_number == number + 1 and other_listing == listing:
            return url
    return None


def _page_number(url: str) -> tuple[int, str]:
    """(page number, the listing's address without it); a listing without a number is page 1."""
    parts = urlsplit(url)
    path_match = _PATH_PAGE.search(parts.path)
    path = parts.path[: path_match.start()] if path_match else parts.path
    query = parse_qsl(parts.query, keep_blank_values=True)
    numbers = [value for key, value in query if key.lower() in PAGE_PARAMETERS]
    number = path_match[1] if path_match else next(iter(numbers), "1")
    rest = sorted((key, value) for key, value in query if key.lower() not in PAGE_PARAMETERS)
    listing = urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), urlencode(rest), ""))
    return (int(number) if number.isdigit() else 0), listing


def _says_next(node: LexborNode) -> bool:
    classes = set((node.attributes.get("class") or "").lower().split())
    if classes & NEXT_CLASSES:
        return True
    labels = (node_text(node), node.attributes.get("aria-label"), node.attributes.get("title"))
    return any(_link_words(label) in NEXT_WORDS for label in labels if label)


def _link_words(label: str) -> str:
    """'Older posts »' and '« Next page ›' read as their words."""
    return " ".join(_LINK_WORD_NOISE.sub(" ", label.lower()).split())
