"""Article, listing or other: the crawler meets section pages far more often than articles.

Two phases because the body extractor prunes the tree: `page_signals` reads what the
pristine page declares (structured data, CMS body classes, markup counts, URL shape) in
three CSS queries, and `classify_page` weighs that against the body finally extracted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from parsers.extract.page import ARTICLE_TYPES, Page, jsonld_types
from parsers.record import PageType

# JSON-LD and microdata types (lower-cased) by the kind of page they declare.
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog"})
PRODUCT_TYPES = frozenset({"product", "productgroup", "individualproduct", "offer", "vehicle"})
FORUM_TYPES = frozenset({"discussionforumposting", "qapage"})
# <body> class tokens that CMS themes write for the template they render (WordPress,
# Drupal, Shopify, Squarespace); a pattern must match a whole token.
CMS_ARTICLE = re.compile(
    r"single-post|single-format-\w+|post-template-default|(?:page-)?node-type-article"
    r"|template-article|view-item|blog-post|article-page|single-article"
)
CMS_LISTING = re.compile(
    r"archive|category(?:-[\w-]+)?|tag(?:-[\w-]+)?|blog|search(?:-results)?|paged"
    r"|post-type-archive(?:-[\w-]+)?|tax-[\w-]+|term-[\w-]+|template-(?:collection|blog|search)"
    r"|view-list|home|front-page"
)
CMS_PAGE = re.compile(r"page-template(?:-[\w-]+)?|page-id-\d+|basicpage|page-node-type-page")
CMS_PRODUCT = re.compile(r"single-product|template-product|product-template-default")

# One query counts plain elements by tag; one finds linked teaser headings; one finds
# microdata and the classes of forum and shop templates.
COUNTED_TAGS = "a[href], img, time, pre, section"
LINKED_HEADINGS = ":is(h2, h3, h4) a[href]"
MARKERS = (
    "[itemtype], [itemprop=price], [itemprop=offers], .username, .message--post, .bbWrapper, "
    ".postbody, .topic-post, .post-count, .price, .quantity, .add-to-cart"
)
FORUM_CLASSES = frozenset({"username", "message--post", "bbwrapper", "postbody", "topic-post"})
PRODUCT_CLASSES = frozenset({"price", "quantity", "add-to-cart"})

PUBLISHED_META = ("article:published_time", "datepublished", "publishdate", "pubdate", "date")
AUTHOR_META = ("author", "article:author", "parsely-author", "dc.creator")
FORUM_GENERATORS = re.compile(r"phpbb|vbulletin|xenforo|discourse|invision|mybb|smf|nodebb", re.I)
DOC_GENERATORS = re.compile(r"sphinx|mkdocs|docusaurus|gitbook|vitepress|docfx|antora", re.I)

# URL vocabularies: path segments that name collections of stories, lists and site sections.
STORY_SEGMENTS = frozenset(
    {"article", "articles", "story", "stories", "news", "post", "posts", "blog", "blogs",
     "entry", "entries", "archives", "a", "insights", "press", "press-releases", "opinion",
     "features", "reviews", "diary", "column", "columns"}
)  # fmt: skip
LISTING_SEGMENTS = frozenset(
    {"tag", "tags", "category", "categories", "topic", "topics", "section", "sections",
     "archive", "archives", "author", "authors", "search", "label", "labels", "page",
     "collections", "genre", "browse"}
)  # fmt: skip
SECTION_ROOTS = frozenset(
    {"news", "blog", "blogs", "articles", "latest", "stories", "press", "press-releases",
     "insights", "resources", "updates", "posts", "videos", "events", "opinion", "features",
     "analysis", "reviews", "media", "newsroom", "all"}
)  # fmt: skip
SERVICE_SEGMENTS = frozenset(
    {"services", "service", "solutions", "pricing", "plans", "compare", "locations",
     "areas-served", "industries", "consulting", "why-us", "about", "about-us", "contact",
     "careers", "programs", "admissions", "tuition"}
)  # fmt: skip
HOME_PAGES = frozenset({"index.html", "index.htm", "index.php", "default.aspx", "home"})
PAGED_URL = re.compile(r"/page/\d+/?$|[?&](?:page|paged|pg|start|offset)=\d+", re.I)
SEARCH_URL = re.compile(r"[?&](?:s|q|query|search|keyword)=", re.I)
DATE_PATH = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])(?:/|$)|/(?:19|20)\d\d[-/]\d\d[-/]\d\d")
PRODUCT_PATH = re.compile(r"/(?:products?|shop|store|item|dp|p|buy)/", re.I)
FORUM_URL = re.compile(
    r"^[a-z]+://(?:forums?|community|discuss|answers)\.|/(?:forums?|threads?|t|topic|viewtopic"
    r"|showthread|questions|community|discussions?|comments|talk)(?:/|\.php|$)",
    re.I,
)
DOC_URL = re.compile(
    r"^[a-z]+://(?:docs?|developers?|devdocs|api|wiki)\.|readthedocs|/(?:docs?|documentation"
    r"|reference|manual|api|wiki|kb|man)(?:/|$)",
    re.I,
)
SLUG_WORD = re.compile(r"[a-z]{2,}", re.I)
PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|cms|jsp|cfm)$", re.I)
LONG_NUMBER = re.compile(r"\d{4,}")
LEAF_SLUG_WORDS = 3

# Body measures. CJK text packs about three Latin characters' worth into each character.
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
CJK_WIDTH = 3
SENTENCE_ENDS = frozenset('.!?"\u201d)\u3002\uff01\uff1f\u300d\u300f')
PROSE_MIN_CHARS = 100
LONG_PARAGRAPH_CHARS = 150
MAX_MEAN_CHARS = 400
MAX_SLUG_WORDS = 8
MAX_HEADLINE_WORDS = 20
CHARS_PER_WORD = 6
FORUM_MARKERS_MIN = 3

# Hand-set weights, first drafted by a logistic fit on the wcxb dev split, then rounded
# and stripped of terms whose sign made no sense. A score above zero says yes.
ARTICLE_BIAS = -2.5
ARTICLE_WEIGHTS: dict[str, float] = {
    # What publishers declare about a single story.
    "jsonld_article": 1.7,
    "og_article": 1.0,
    "published": 0.75,
    "author_meta": 0.5,
    "cms_article": 1.9,
    "date_path": 3.0,
    "story_url": 2.2,
    "leaf_url": 0.1,
    "slug_words": 0.3,
    # A body of long prose paragraphs under a real headline.
    "prose_share": 1.4,
    "long_paragraphs": 0.25,
    "paragraph_chars": 0.1,
    "headline_words": 0.08,
    # The other kinds of page.
    "docs": -3.3,
    "code_blocks": -0.45,
    "forum": -1.9,
    "og_product": -2.4,
    "jsonld_product": -2.8,
    "cms_product": -2.5,
    "product_path": -0.9,
    "product_markers": -0.6,
    "section_root": -1.7,
    "listing_url": -1.0,
    "jsonld_listing": -0.4,
    "service_url": -3.1,
    "cms_page": -0.65,
    "times": -0.17,
    "images_per_kchar": -0.5,
    "links_per_kchar": -0.16,
}
LISTING_BIAS = -0.5
LISTING_WEIGHTS: dict[str, float] = {
    "jsonld_listing": 2.9,
    "cms_listing": 1.4,
    "listing_url": 1.3,
    "linked_headings": 0.3,
    "links_per_kchar": 0.3,
    "images_per_kchar": 0.3,
    "paragraph_chars": 0.4,
    # Home pages, services, forums, shops and manuals.
    "section_root": -0.8,
    "prose_share": -1.3,
    "docs": -2.2,
    "code_blocks": -1.0,
    "forum": -0.9,
    "jsonld_product": -2.3,
    "cms_product": -2.3,
    "og_product": -0.6,
    "product_path": -0.7,
    "service_url": -2.6,
    "cms_page": -1.4,
    "cms_article": -0.7,
    "sections": -0.3,
    "slug_words": -0.3,
}


@dataclass(frozen=True, slots=True)
class UrlShape:
    """What the address alone suggests: a story under a collection, a section, a shop..."""

    slug_words: int = 0
    leaf: bool = False
    story: bool = False
    listing: bool = False
    section_root: bool = False
    service: bool = False
    dated: bool = False
    product: bool = False
    forum: bool = False
    docs: bool = False


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the pristine page declares, read before the body extractor prunes it."""

    jsonld_article: bool = False
    jsonld_listing: bool = False
    jsonld_product: bool = False
    og_article: bool = False
    og_product: bool = False
    published_meta: bool = False
    author_meta: bool = False
    cms_article: bool = False
    cms_listing: bool = False
    cms_page: bool = False
    cms_product: bool = False
    forum_generator: bool = False
    doc_generator: bool = False
    links: int = 0
    images: int = 0
    times: int = 0
    code_blocks: int = 0
    sections: int = 0
    linked_headings: int = 0
    forum_markers: int = 0
    product_markers: int = 0
    url: UrlShape = field(default_factory=UrlShape)


def page_signals(page: Page) -> PageSignals:
    """Structured data and meta are already parsed; the tree is walked three times."""
    tree = page.tree
    types = {t for obj in page.jsonld for t in jsonld_types(obj)}
    forum_markers, product_markers = _markers(page, types)
    tags = _count_tags(page)
    body = tree.body
    classes = (body.attributes.get("class") or "").lower().split() if body is not None else []
    og_type = (page.meta_first("og:type") or "").lower()
    generator = page.meta_first("generator") or ""
    return PageSignals(
        jsonld_article=bool(types & ARTICLE_TYPES),
        jsonld_listing=bool(types & LISTING_TYPES),
        jsonld_product=bool(types & PRODUCT_TYPES),
        og_article=og_type == "article",
        og_product=og_type.startswith("product") or og_type.endswith(":item"),
        published_meta=any(name in page.meta for name in PUBLISHED_META),
        author_meta=page.meta_first(*AUTHOR_META) is not None,
        cms_article=any(CMS_ARTICLE.fullmatch(token) for token in classes),
        cms_listing=any(CMS_LISTING.fullmatch(token) for token in classes),
        cms_page=any(CMS_PAGE.fullmatch(token) for token in classes),
        cms_product=any(CMS_PRODUCT.fullmatch(token) for token in classes),
        forum_generator=bool(FORUM_GENERATORS.search(generator)),
        doc_generator=bool(DOC_GENERATORS.search(generator)),
        links=tags.get("a", 0),
        images=tags.get("img", 0),
        times=tags.get("time", 0),
        code_blocks=tags.get("pre", 0),
        sections=tags.get("section", 0),
        linked_headings=len(tree.css(LINKED_HEADINGS)),
        forum_markers=forum_markers,
        product_markers=product_markers,
        url=url_shape(page.url),
    )


def _count_tags(page: Page) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in page.tree.css(COUNTED_TAGS):
        tag = node.tag or ""
        counts[tag] = counts.get(tag, 0) + 1
    return counts


def _markers(page: Page, types: set[str]) -> tuple[int, int]:
    """Forum and shop markers; microdata types are added to the JSON-LD ones in `types`."""
    forum = product = 0
    for node in page.tree.css(MARKERS):
        attrs = node.attributes
        itemtype = attrs.get("itemtype")
        if itemtype:
            types.update(t.rstrip("/").rsplit("/", 1)[-1].lower() for t in itemtype.split())
        classes = set((attrs.get("class") or "").lower().split())
        forum += bool(classes & FORUM_CLASSES)
        product += bool(classes & PRODUCT_CLASSES) or attrs.get("itemprop") in ("price", "offers")
    if types & FORUM_TYPES:
        forum += FORUM_MARKERS_MIN
    return forum, product


def url_shape(url: str) -> UrlShape:
    """The address read as a crawler would: story, section, listing, shop, forum or manual."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return UrlShape()
    segments = [segment.lower() for segment in parts.path.split("/") if segment]
    last = segments[-1] if segments else ""
    slug_words = len(SLUG_WORD.findall(PAGE_EXTENSION.sub("", last)))
    home = not segments or (len(segments) == 1 and last in HOME_PAGES)
    leaf = not home and (
        slug_words >= LEAF_SLUG_WORDS
        or bool(LONG_NUMBER.search(last))
        or last.endswith((".html", ".htm"))
    )
    query = "?" + parts.query if parts.query else ""
    listing = bool(LISTING_SEGMENTS.intersection(segments)) and not leaf
    return UrlShape(
        slug_words=slug_words,
        leaf=leaf,
        story=leaf and bool(STORY_SEGMENTS.intersection(segments[:-1])),
        listing=listing or bool(PAGED_URL.search(parts.path + query) or SEARCH_URL.search(query)),
        section_root=home or last in SECTION_ROOTS,
        service=bool(SERVICE_SEGMENTS.intersection(segments)),
        dated=bool(DATE_PATH.search(parts.path)),
        product=bool(PRODUCT_PATH.search(parts.path)),
        forum=bool(FORUM_URL.search(url)),
        docs=bool(DOC_URL.search(url)),
    )


def classify_page(
    signals: PageSignals, body: tuple[str, ...], has_published_date: bool, headline: str | None
) -> PageType:
    """A declared story is an article; otherwise two weighed scores decide."""
    if body and _declares_article(signals, has_published_date) and not _declares_other(signals):
        return "article"
    evidence = page_evidence(signals, body, has_published_date, headline)
    if _score(evidence, ARTICLE_WEIGHTS, ARTICLE_BIAS) > 0:
        return "article"
    if _score(evidence, LISTING_WEIGHTS, LISTING_BIAS) > 0:
        return "listing"
    return "other"


def _declares_article(signals: PageSignals, has_published_date: bool) -> bool:
    """Structured data, CMS templates or URLs that name a single story (right >95% on wcxb)."""
    dated = has_published_date or signals.published_meta
    return (
        signals.jsonld_article
        or (signals.og_article and dated)
        or signals.cms_article
        or signals.url.dated
        or signals.url.story
    )


def _declares_other(signals: PageSignals) -> bool:
    """Signs of a section, service, forum, shop or manual that overrule a declared story."""
    url = signals.url
    return (
        url.listing
        or url.section_root
        or url.service
        or url.forum
        or url.docs
        or signals.jsonld_listing
        or signals.jsonld_product
        or signals.cms_product
        or signals.og_product
        or signals.forum_generator
        or signals.doc_generator
        or signals.forum_markers >= FORUM_MARKERS_MIN
    )


def page_evidence(
    signals: PageSignals, body: tuple[str, ...], has_published_date: bool, headline: str | None
) -> dict[str, float]:
    """Every signal as a number, on the scale the weight tables expect."""
    url = signals.url
    lengths = _text_lengths(body, headline)
    chars = sum(lengths)
    prose = sum(
        length
        for paragraph, length in zip(body, lengths, strict=True)
        if length >= PROSE_MIN_CHARS and paragraph.rstrip()[-1:] in SENTENCE_ENDS
    )
    per_kchar = 1000 / (chars + 500)
    headline_chars = sum(_text_lengths((headline,), headline)) if headline else 0
    return {
        "jsonld_article": float(signals.jsonld_article),
        "jsonld_listing": float(signals.jsonld_listing),
        "jsonld_product": float(signals.jsonld_product),
        "og_article": float(signals.og_article),
        "og_product": float(signals.og_product),
        "published": float(has_published_date or signals.published_meta),
        "author_meta": float(signals.author_meta),
        "cms_article": float(signals.cms_article),
        "cms_listing": float(signals.cms_listing),
        "cms_page": float(signals.cms_page),
        "cms_product": float(signals.cms_product),
        "forum": float(url.forum or signals.forum_generator) + _log(signals.forum_markers),
        "product_markers": _log(signals.product_markers),
        "docs": float(url.docs or signals.doc_generator),
        "code_blocks": _log(signals.code_blocks),
        "date_path": float(url.dated),
        "story_url": float(url.story),
        "leaf_url": float(url.leaf),
        "slug_words": float(min(url.slug_words, MAX_SLUG_WORDS)),
        "listing_url": float(url.listing),
        "section_root": float(url.section_root),
        "service_url": float(url.service),
        "product_path": float(url.product),
        "linked_headings": _log(signals.linked_headings),
        "times": _log(signals.times),
        "links_per_kchar": _log(signals.links * per_kchar),
        "images_per_kchar": _log(signals.images * per_kchar),
        "sections": _log(signals.sections),
        "paragraph_chars": min(chars / len(lengths), MAX_MEAN_CHARS) / 100 if lengths else 0.0,
        "long_paragraphs": _log(sum(length >= LONG_PARAGRAPH_CHARS for length in lengths)),
        "prose_share": prose / chars if chars else 0.0,
        "headline_words": min(headline_chars / CHARS_PER_WORD, MAX_HEADLINE_WORDS),
    }


def _text_lengths(texts: tuple[str, ...], sample: str | None) -> list[int]:
    """Lengths in Latin-character units, so CJK paragraphs are not judged as short."""
    probe = (sample or "") + (texts[0] if texts else "")
    if not CJK_CHAR.search(probe):
        return [len(text) for text in texts]
    return [len(text) + (CJK_WIDTH - 1) * len(CJK_CHAR.findall(text)) for text in texts]


def _log(count: float) -> float:
    return math.log1p(count)


def _score(evidence: dict[str, float], weights: dict[str, float], bias: float) -> float:
    return bias + sum(weight * evidence[name] for name, weight in weights.items())
