"""Article, listing or other: the crawler meets section pages far more often than articles.

Two phases because the body extractor prunes the tree: `page_signals` reads what the
pristine page declares (structured data, meta, CMS body classes, markup counts, URL shape),
and `classify_page` weighs that against the body finally extracted, its headline and
whether a date and a byline were found. Each signal becomes a number (`page_evidence`). A
page marked up as a dated, signed story that nothing contradicts is an article outright;
otherwise two hand-set weight tables give an article score and a listing score.
"""

from __future__ import annotations

import math
import re

from parsers.extract.page_type_signals import (
    FORUM_MARKERS_MIN,
    FORUM_THREAD_MARKERS,
    PageSignals,
    page_signals,
)
from parsers.extract.page_type_url import UrlShape, url_shape
from parsers.extract.page_type_vocab import SALES_HEADLINE, STORY_HEADLINE
from parsers.record import PageType

__all__ = ["PageSignals", "UrlShape", "classify_page", "page_evidence", "page_signals", "url_shape"]

# Body measures. CJK text packs about three Latin characters' worth into each character.
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
CJK_WIDTH = 3
SENTENCE_ENDS = frozenset('.!?"\u201d)\u3002\uff01\uff1f\u300d\u300f')
PROSE_MIN_CHARS = 100
MAX_MEAN_CHARS = 400
MAX_SLUG_WORDS = 8
MAX_HEADLINE_WORDS = 12
SENTENCE_HEADLINE_WORDS = 8
CHARS_PER_WORD = 6
FORUM_POSTS_WEIGHT = 0.5

# Evidence that overrules a story's markup: WordPress pages and Yoast graphs mark services
# and landing pages up as articles too.
NOT_A_STORY = (
    "forum", "docs", "section_root", "listing_url", "service_url", "product_path",
    "jsonld_product", "og_product", "cms_product", "jsonld_listing", "cms_page", "jsonld_other",
)  # fmt: skip

# Hand-set weights: a score above zero says yes. The article table was drafted by a
# logistic fit (wcxb, plus the article-only test sets at a fifth of the weight), checked by
# ten-fold cross-validation grouped by site, then rounded; a date in the URL is raised to
# what it is on every set (always a story). See `page_evidence` for the scales.
ARTICLE_BIAS = -1.4
ARTICLE_WEIGHTS: dict[str, float] = {
    # What publishers, their CMS and their software declare.
    "jsonld_article": 0.9,
    "og_article": 0.9,
    "scholarly": 1.0,
    "published": 0.8,
    "byline": 0.8,
    "cms_article": 0.7,
    "comments": 1.1,
    "jsonld_other": -1.0,
    "jsonld_product": -1.5,
    "og_product": -1.2,
    "cms_page": -0.5,
    "cms_product": -0.5,
    "forum": -3.5,
    "docs": -2.5,
    # The address.
    "date_path": 3.0,
    "story_url": 2.2,
    "slug_words": 0.3,
    "section_root": -1.3,
    "service_url": -1.6,
    "product_path": -1.1,
    "listing_url": -0.7,
    # The markup around the body.
    "one_article_block": 0.8,
    "links_per_kchar": -0.4,
    "images_per_kchar": -0.2,
    "times": -0.3,
    "code_blocks": -0.4,
    "product_markers": -0.7,
    # The body and its headline.
    "prose_share": 0.7,
    "paragraph_chars": 0.35,
    "story_headline": 1.4,
    "sales_headline": -1.0,
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


def classify_page(
    signals: PageSignals,
    body: tuple[str, ...],
    has_published_date: bool,
    headline: str | None,
    has_byline: bool = False,
) -> PageType:
    """A declared story, or a positive article score, is an article; else a listing or other."""
    evidence = page_evidence(signals, body, has_published_date, headline, has_byline)
    if _declares_story(evidence) or _score(evidence, ARTICLE_WEIGHTS, ARTICLE_BIAS) > 0:
        return "article"
    if _score(evidence, LISTING_WEIGHTS, LISTING_BIAS) > 0:
        return "listing"
    return "other"


def _declares_story(evidence: dict[str, float]) -> bool:
    """Marked up as a story, dated and signed (or under a sentence-long headline), and
    nothing says page, shop, forum, manual or section: right on 98% of such wcxb pages,
    whatever the body looks like (a short bulletin under heavy site chrome included)."""
    if any(evidence[name] for name in NOT_A_STORY):
        return False
    marked = evidence["og_article"] or evidence["jsonld_article"] or evidence["cms_article"]
    signed = evidence["byline"] or evidence["headline_words"] >= SENTENCE_HEADLINE_WORDS
    return bool(marked and evidence["published"] and signed)


def page_evidence(
    signals: PageSignals,
    body: tuple[str, ...],
    has_published_date: bool,
    headline: str | None,
    has_byline: bool = False,
) -> dict[str, float]:
    """Every signal as a number, on the scale the weight tables expect."""
    return {
        **_declared(signals, has_published_date, has_byline),
        **_address(signals.url),
        **_markup(signals, body),
        **_body(body, headline),
    }


def _declared(signals: PageSignals, dated: bool, byline: bool) -> dict[str, float]:
    """What the publisher, its CMS and its software say the page is."""
    forum_software = signals.url.forum or signals.forum_generator or signals.cms_forum
    # Posts signed by user names also sit under blog articles, in their comment threads;
    # ten or more are a thread (no wcxb article has six).
    forum_posts = (signals.forum_markers >= FORUM_MARKERS_MIN) + (
        signals.forum_markers >= FORUM_THREAD_MARKERS
    )
    return {
        "jsonld_article": float(signals.jsonld_article),
        "jsonld_other": float(signals.jsonld_other),
        "jsonld_listing": float(signals.jsonld_listing),
        "jsonld_product": float(signals.jsonld_product),
        "og_article": float(signals.og_article),
        "og_product": float(signals.og_product),
        "scholarly": float(signals.scholarly),
        "published": float(dated or signals.published_meta),
        "byline": float(byline or signals.author_label),
        "cms_article": float(signals.cms_article),
        "cms_listing": float(signals.cms_listing),
        "cms_page": float(signals.cms_page),
        "cms_product": float(signals.cms_product),
        "forum": float(forum_software) + FORUM_POSTS_WEIGHT * forum_posts,
        "docs": float(signals.url.docs or signals.doc_generator),
        "comments": float(signals.comment_blocks > 0),
    }


def _address(url: UrlShape) -> dict[str, float]:
    return {
        "date_path": float(url.dated),
        "story_url": float(url.story),
        "slug_words": float(min(url.slug_words, MAX_SLUG_WORDS)),
        "listing_url": float(url.listing),
        "section_root": float(url.section_root),
        "service_url": float(url.service),
        "product_path": float(url.product),
    }


def _markup(signals: PageSignals, body: tuple[str, ...]) -> dict[str, float]:
    """Counts over the whole page; links and images per thousand characters of body."""
    per_kchar = 1000 / (sum(map(len, body)) + 500)
    return {
        "links_per_kchar": _log(signals.links * per_kchar),
        "images_per_kchar": _log(signals.images * per_kchar),
        "linked_headings": _log(signals.linked_headings),
        "times": _log(signals.times),
        "code_blocks": _log(signals.code_blocks),
        "sections": _log(signals.sections),
        "one_article_block": float(signals.article_blocks == 1),
        "product_markers": _log(signals.product_markers),
    }


def _body(body: tuple[str, ...], headline: str | None) -> dict[str, float]:
    """A story is prose paragraphs under a headline that reads like a story's."""
    lengths = _text_lengths(body, headline)
    chars = sum(lengths)
    prose = sum(
        length
        for paragraph, length in zip(body, lengths, strict=True)
        if length >= PROSE_MIN_CHARS and paragraph.rstrip()[-1:] in SENTENCE_ENDS
    )
    headline = headline or ""
    # Words of six characters, so a CJK headline is measured like a spaced one.
    headline_words = sum(_text_lengths((headline,), headline)) / CHARS_PER_WORD
    return {
        "prose_share": prose / chars if chars else 0.0,
        "paragraph_chars": min(chars / len(lengths), MAX_MEAN_CHARS) / 100 if lengths else 0.0,
        "headline_words": min(headline_words, MAX_HEADLINE_WORDS),
        "story_headline": float(STORY_HEADLINE.search(headline) is not None),
        "sales_headline": float(SALES_HEADLINE.search(headline) is not None),
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
