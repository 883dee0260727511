"""Page-type classification on small hand-written pages: article, listing or other."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers import parse
from parsers.extract.page import Page
from parsers.extract.page_type import (
    PageSignals,
    classify_page,
    page_signals,
    url_shape,
)

FETCHED = datetime(2025, 12, 6, 12, 0, tzinfo=UTC)

STORY = (
    "The ministry confirmed on Friday that the first batch of coastal patrol vessels had "
    "completed sea trials, two months ahead of the schedule agreed with the shipyard.",
    "Officials said the vessels will be based at three ports on the western seaboard, where "
    "they replace boats that entered service in the early nineties and are now worn out.",
    "The contract, signed last year, also covers training for crews and a ten-year support "
    "package, which the navy says will keep the fleet available for most of the year.",
    "Analysts noted that the programme is one of the few recent procurement projects to "
    "stay within its budget, although the second batch has not yet been funded.",
)


def _page(html: str, url: str) -> Page:
    return Page.from_html(html, url, FETCHED)


def _article_html(head: str = "", body_class: str = "") -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in STORY)
    return (
        f"<html><head><title>Coastal patrol vessels finish sea trials early</title>{head}"
        f"</head><body class='{body_class}'><nav><a href='/'>Home</a><a href='/news/'>News"
        "</a></nav><main><article><h1>Coastal patrol vessels finish sea trials early</h1>"
        f"<p class='byline'>By Asha Rao</p>{paragraphs}</article></main>"
        "<footer><a href='/about/'>About</a></footer></body></html>"
    )


def test_news_article_with_json_ld_is_an_article() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Coastal patrol vessels finish sea trials early", '
        '"datePublished": "2025-12-06T14:54:00+05:30"}</script>'
        '<meta property="og:type" content="article">'
    )
    page = _page(_article_html(jsonld), "https://example.com/defence/patrol-vessels-trials/")
    signals = page_signals(page)
    assert signals.jsonld_article
    assert signals.og_article
    assert classify_page(
        signals, STORY, True, "Coastal patrol vessels finish sea trials early"
    ) == ("article")


def test_plain_article_without_structured_data_is_an_article() -> None:
    url = "https://example.com/2025/12/coastal-patrol-vessels-finish-sea-trials-early"
    signals = page_signals(_page(_article_html(), url))
    assert not signals.jsonld_article
    assert signals.url.dated
    headline = "Coastal patrol vessels finish sea trials early"
    assert classify_page(signals, STORY, False, headline) == "article"


def test_plain_article_is_judged_by_its_body_when_the_url_says_nothing() -> None:
    signals = page_signals(_page(_article_html(), "https://example.com/patrol-vessels-trials"))
    headline = "Coastal patrol vessels finish sea trials early"
    assert classify_page(signals, STORY, False, headline) == "article"
    assert classify_page(signals, ("Read more", "Share this"), False, None) != "article"


def _section_html() -> str:
    teasers = "".join(
        f"<li class='teaser'><img src='/img/{n}.jpg' alt=''><h3><a href='/news/story-number-{n}-"
        f"about-defence'>Story number {n} about defence</a></h3><time datetime='2025-12-0{n}'>"
        f"Dec {n}</time><p>A short summary of story {n}.</p></li>"
        for n in range(1, 9)
    )
    return (
        "<html><head><title>Defence news</title>"
        '<meta property="og:type" content="website">'
        '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Defence"}'
        "</script></head><body class='archive category category-defence'><main><h1>Defence"
        f"</h1><ul class='list'>{teasers}</ul><a href='/category/defence/page/2/'>Next</a>"
        "</main></body></html>"
    )


def test_section_page_with_teaser_list_is_a_listing() -> None:
    signals = page_signals(_page(_section_html(), "https://example.com/category/defence/"))
    assert signals.jsonld_listing
    assert signals.cms_listing
    assert signals.linked_headings == 8
    assert signals.times == 8
    body = tuple(f"A short summary of story {n}." for n in range(1, 9))
    assert classify_page(signals, body, False, "Defence") == "listing"


def test_article_markup_on_a_tag_page_does_not_make_it_an_article() -> None:
    head = '<meta property="og:type" content="article">'
    signals = page_signals(_page(_article_html(head), "https://example.com/tag/navy/"))
    assert signals.url.listing
    assert classify_page(signals, ("Navy",), True, "Navy") != "article"


def test_product_page_is_other() -> None:
    html = (
        "<html><head><title>Tactical binoculars 10x42</title>"
        '<meta property="og:type" content="product">'
        '<script type="application/ld+json">{"@type": "Product", "name": "Binoculars", '
        '"offers": {"@type": "Offer", "price": "249.00"}}</script></head>'
        "<body class='single-product woocommerce'><h1>Tactical binoculars 10x42</h1>"
        "<p class='price'>$249.00</p><form class='cart'><button class='add-to-cart'>Add to cart"
        "</button></form><p>Waterproof, fog-proof and rubber armoured for field use.</p>"
        "</body></html>"
    )
    signals = page_signals(_page(html, "https://shop.example.com/product/binoculars-10x42/"))
    assert signals.jsonld_product
    assert signals.cms_product
    assert signals.product_markers >= 1
    body = ("Waterproof, fog-proof and rubber armoured for field use.",)
    assert classify_page(signals, body, False, "Tactical binoculars 10x42") == "other"


def test_forum_thread_is_other() -> None:
    posts = "".join(
        f"<article class='message message--post'><a class='username' href='/members/u{n}/'>"
        f"user{n}</a><time datetime='2025-11-0{n}'>Nov {n}</time><div class='bbWrapper'>"
        f"{STORY[n % len(STORY)]}</div></article>"
        for n in range(1, 6)
    )
    html = (
        "<html><head><title>Which patrol boats replace the old ones?</title>"
        '<meta name="generator" content="XenForo"></head><body><h1>Which patrol boats '
        f"replace the old ones?</h1>{posts}</body></html>"
    )
    url = "https://forum.example.com/threads/which-patrol-boats-replace-the-old-ones.12345/"
    signals = page_signals(_page(html, url))
    assert signals.url.forum
    assert signals.forum_generator
    assert signals.forum_markers >= 5
    assert classify_page(signals, STORY, True, "Which patrol boats replace the old ones?") == (
        "other"
    )


@pytest.mark.parametrize(
    "html",
    ["", "not html at all", "<<<>>>", "<html><body></body></html>", "\x00\ufffd" * 50],
)
def test_garbage_input_never_raises_and_is_not_an_article(html: str) -> None:
    signals = page_signals(_page(html, "https://example.com/"))
    assert classify_page(signals, (), False, None) != "article"
    assert parse(html, "https://example.com/", FETCHED).page_type in ("listing", "other")


def test_empty_signals_and_body_are_other() -> None:
    assert classify_page(PageSignals(), (), False, None) == "other"


@pytest.mark.parametrize(
    ("url", "attribute", "expected"),
    [
        ("https://example.com/news/navy-orders-six-new-frigates", "story", True),
        ("https://example.com/news/world", "story", False),
        ("https://example.com/posts/rust-ownership/", "story", True),
        ("https://example.com/blog/guides/world", "story", False),
        ("https://example.com/garden-guides/houseplants-for-low-light", "story", True),
        ("https://example.com/real_estate_news/rates-fall-again", "story", True),
        ("https://example.com/plan-a/three-word-slug-here", "story", False),
        ("https://example.com/article/35135610/", "story", True),
        ("https://example.com/news/", "section_root", True),
        ("https://example.com/", "section_root", True),
        ("https://example.com/category/defence/", "listing", True),
        ("https://example.com/news/page/3/", "listing", True),
        ("https://example.com/archives/2146078", "listing", False),
        ("https://example.com/2025/12/06/navy-orders-frigates/", "dated", True),
        ("https://example.com/services/consulting/", "service", True),
        ("https://docs.example.com/guide/install", "docs", True),
        ("https://example.com/forum/threads/boats.12/", "forum", True),
        ("https://example.com/topic/1571202-editing-pc-build/", "forum", True),
        ("https://example.com/topic/history-of-coffee", "forum", False),
        ("not a url", "leaf", False),
    ],
)
def test_url_shape(url: str, attribute: str, expected: bool) -> None:
    assert getattr(url_shape(url), attribute) is expected


def test_cjk_paragraphs_count_as_long_prose() -> None:
    """Seventy CJK characters carry as much text as a long English paragraph."""
    sentence = "防衛省は金曜日、沿岸警備艇の最初の一群が海上試験を完了したと発表した。"
    story = tuple(sentence * 2 for _ in range(4))
    page = _page("<html><body></body></html>", "https://example.jp/node/12345")
    headline = "沿岸警備艇が海上試験を予定より早く完了"
    assert classify_page(page_signals(page), story, True, headline) == "article"
