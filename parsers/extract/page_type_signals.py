"""What the pristine page declares about its kind, read before the body extractor prunes it.

Structured data and meta tags are already parsed by `Page`; the tag counts come from the
page's shared tag walk, microdata types and the markers of forum posts, shop items and
comment threads from its class index; only the linked teaser headings need a query here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.extract.page import ARTICLE_TYPES, Page, jsonld_types
from parsers.extract.page_type_url import UrlShape, url_shape
from parsers.extract.page_type_vocab import (
    AUTHOR_LABEL_META,
    AUTHOR_LABELS,
    CMS_ARTICLE,
    CMS_FORUM,
    CMS_LISTING,
    CMS_PAGE,
    CMS_PRODUCT,
    COMMENT_MARKERS,
    DOC_GENERATORS,
    FORUM_GENERATORS,
    FORUM_MARKERS,
    FORUM_TYPES,
    LISTING_TYPES,
    PRODUCT_MARKERS,
    PRODUCT_TYPES,
    PUBLISHED_META,
    SCHOLARLY_META,
)

LINKED_HEADINGS = ":is(h2, h3, h4) a[href]"
FORUM_MARKERS_MIN = 3
FORUM_THREAD_MARKERS = 10


@dataclass(frozen=True, slots=True)
class Markers:
    """Counts of the marked blocks of forums, shops and comment threads."""

    forum: int = 0
    product: int = 0
    comments: int = 0


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the pristine page declares, read before the body extractor prunes it."""

    jsonld_article: bool = False
    jsonld_other: bool = False
    jsonld_listing: bool = False
    jsonld_product: bool = False
    og_article: bool = False
    og_product: bool = False
    published_meta: bool = False
    scholarly: bool = False
    author_label: bool = False
    cms_article: bool = False
    cms_listing: bool = False
    cms_page: bool = False
    cms_product: bool = False
    cms_forum: bool = False
    forum_generator: bool = False
    doc_generator: bool = False
    links: int = 0
    images: int = 0
    times: int = 0
    code_blocks: int = 0
    sections: int = 0
    article_blocks: int = 0
    linked_headings: int = 0
    forum_markers: int = 0
    product_markers: int = 0
    comment_blocks: int = 0
    url: UrlShape = field(default_factory=UrlShape)

    @property
    def product(self) -> bool:
        """Declared a product, not an article (a review article may name its product)."""
        declared = self.jsonld_product or self.og_product or self.cms_product
        return declared and not (self.jsonld_article or self.og_article)


def page_signals(page: Page) -> PageSignals:
    """Structured data and meta are already parsed; the tree is walked once, here."""
    declared = {t for obj in page.jsonld for t in jsonld_types(obj)}
    types = set(declared)
    markers = _markers(page, types)
    tags = page.tag_walk().counts
    body = page.tree.body
    classes = (body.attributes.get("class") or "").lower().split() if body is not None else []
    og_type = (page.meta_first("og:type") or "").lower()
    generator = page.meta_first("generator") or ""
    labels = {(page.meta_first(name) or "").lower() for name in AUTHOR_LABEL_META}
    return PageSignals(
        jsonld_article=bool(types & ARTICLE_TYPES),
        jsonld_other=bool(declared) and not (declared & ARTICLE_TYPES),
        jsonld_listing=bool(types & LISTING_TYPES),
        jsonld_product=bool(types & PRODUCT_TYPES),
        og_article=og_type == "article",
        og_product=og_type.startswith("product") or og_type.endswith(":item"),
        published_meta=any(name in page.meta for name in PUBLISHED_META),
        scholarly=any(name in page.meta for name in SCHOLARLY_META),
        author_label=bool(labels & AUTHOR_LABELS),
        cms_article=any(CMS_ARTICLE.fullmatch(token) for token in classes),
        cms_listing=any(CMS_LISTING.fullmatch(token) for token in classes),
        cms_page=any(CMS_PAGE.fullmatch(token) for token in classes),
        cms_product=any(CMS_PRODUCT.fullmatch(token) for token in classes),
        cms_forum=any(CMS_FORUM.fullmatch(token) for token in classes),
        forum_generator=bool(FORUM_GENERATORS.search(generator)),
        doc_generator=bool(DOC_GENERATORS.search(generator)),
        links=tags.get("a", 0),
        images=tags.get("img", 0),
        times=tags.get("time", 0),
        code_blocks=tags.get("pre", 0),
        sections=tags.get("section", 0),
        article_blocks=tags.get("article", 0),
        linked_headings=len(page.tree.css(LINKED_HEADINGS)),
        forum_markers=markers.forum,
        product_markers=markers.product,
        comment_blocks=markers.comments,
        url=url_shape(page.url),
    )


def _markers(page: Page, types: set[str]) -> Markers:
    """Marked blocks; microdata types are added to the JSON-LD ones in `types`."""
    for node in page.select_all("[itemtype]"):
        itemtype = node.attributes.get("itemtype") or ""
        types.update(t.rstrip("/").rsplit("/", 1)[-1].lower() for t in itemtype.split())
    forum = _count_marked(page, FORUM_MARKERS)
    if types & FORUM_TYPES:
        forum += FORUM_MARKERS_MIN
    products = _count_marked(page, PRODUCT_MARKERS)
    return Markers(forum, products, _count_marked(page, COMMENT_MARKERS))


def _count_marked(page: Page, selectors: tuple[str, ...]) -> int:
    return sum(len(page.select_all(selector)) for selector in selectors)
