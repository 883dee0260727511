"""Page-type signals and the cases they were added for, on small hand-written pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers import parse
from parsers.extract.page import Page
from parsers.extract.page_type import classify_page, page_evidence, page_signals, url_shape

FETCHED = datetime(2025, 12, 6, 12, 0, tzinfo=UTC)

STORY = (
    "The harbour authority said on Monday that dredging of the northern channel would start "
    "in March, after two years of delays caused by a dispute over where to dump the silt.",
    "Shipping companies have complained that larger vessels must wait for high tide before "
    "entering the port, which adds hours to every call and pushes up the cost of freight.",
    "The contract covers four million cubic metres of sand and mud, most of which will be "
    "used to rebuild beaches on the southern coast that were washed away by winter storms.",
)
SERVICE = (
    "Our certified technicians repair every brand of air conditioner, heat pump and furnace, "
    "and every visit comes with a written estimate before any work begins on your system.",
    "We have served homeowners across the valley for over twenty years. Call today to book a "
    "visit at a time that suits you, including evenings and weekends at no extra charge.",
    "Financing is available on new installations, and our maintenance plans keep your system "
    "running efficiently all year with two tune-ups and priority scheduling for members.",
)


def _page(html: str, url: str) -> Page:
    return Page.from_html(html, url, FETCHED)


def _html(head: str, body_class: str, main: str) -> str:
    return (
        f"<html><head><title>Page</title>{head}</head><body class='{body_class}'>"
        "<nav><a href='/'>Home</a><a href='/about/'>About</a><a href='/contact/'>Contact</a>"
        f"</nav><main>{main}</main><footer><a href='/privacy/'>Privacy</a></footer></body></html>"
    )


def _paragraphs(texts: tuple[str, ...]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


YOAST_PAGE_HEAD = (
    '<meta property="og:type" content="article">'
    '<meta property="article:modified_time" content="2025-06-01T10:00:00+00:00">'
    '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
    '{"@type": "WebPage", "name": "AC Repair", "datePublished": "2021-02-03T09:00:00+00:00"},'
    '{"@type": "Organization", "name": "Valley Heating"}]}</script>'
)
YOAST_POST_HEAD = (
    '<meta property="og:type" content="article">'
    '<meta property="article:published_time" content="2025-11-20T08:00:00+00:00">'
    '<meta name="twitter:label1" content="Written by">'
    '<meta name="twitter:data1" content="Mara Quist">'
    '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
    '{"@type": "Article", "headline": "Dredging of the northern channel starts in March"},'
    '{"@type": "WebPage", "name": "Dredging"}]}</script>'
)


def test_wordpress_page_marked_up_as_an_article_is_not_one() -> None:
    """Yoast gives WordPress pages og:type article and a dated WebPage: that is no story."""
    main = f"<h1>Air Conditioning Repair Services</h1>{_paragraphs(SERVICE)}"
    html = _html(YOAST_PAGE_HEAD, "page-template-default page page-id-42", main)
    signals = page_signals(_page(html, "https://valleyheating.example/ac-repair/"))
    assert signals.og_article
    assert signals.jsonld_other
    assert not signals.jsonld_article
    assert signals.cms_page
    headline = "Air Conditioning Repair Services"
    assert classify_page(signals, SERVICE, True, headline) != "article"


def test_wordpress_post_with_the_same_theme_is_an_article() -> None:
    main = f"<article><h1>Dredging of the northern channel starts in March</h1>{_paragraphs(STORY)}"
    html = _html(YOAST_POST_HEAD, "post-template-default single single-post", main + "</article>")
    url = "https://harbourtimes.example/dredging-northern-channel-march/"
    signals = page_signals(_page(html, url))
    assert signals.jsonld_article
    assert not signals.jsonld_other
    assert signals.author_label
    assert signals.cms_article
    headline = "Dredging of the northern channel starts in March"
    assert classify_page(signals, STORY, True, headline) == "article"


def test_short_bulletin_marked_as_a_dated_story_is_an_article() -> None:
    """A list of figures under heavy chrome still reads as a story when declared, dated, and
    under a sentence-long headline."""
    figures = tuple(f"vessels inspected in port {n} - {n * 7} (+{n})" for n in range(1, 15))
    chrome = "".join(f"<a href='/section-{n}/'>Section {n}</a>" for n in range(60))
    headline = "The harbour authority's inspection figures from 1 March to 14 March"
    main = f"<h1>{headline}</h1>{_paragraphs(figures)}"
    html = _html('<meta property="og:type" content="article">' + chrome, "", main)
    signals = page_signals(_page(html, "https://harbour.example/bulletin-14"))
    assert classify_page(signals, figures, True, headline) == "article"
    assert classify_page(signals, figures, False, headline) != "article"


def test_forum_software_body_classes_mark_a_forum() -> None:
    posts = "".join(f"<div class='bbp-reply-content'>{text}</div>" for text in STORY)
    html = _html(
        '<meta property="og:type" content="article">',
        "topic bbpress single single-topic",
        f"<h1>Dredger silt dumping</h1>{posts}",
    )
    url = "https://sailors.example/discussion/dredger-silt/"
    signals = page_signals(_page(html, url))
    assert signals.cms_forum
    headline = "Dredger silt dumping"
    evidence = page_evidence(signals, STORY, True, headline, True)
    assert evidence["forum"] >= 1
    assert classify_page(signals, STORY, True, headline, True) != "article"


def test_comment_threads_and_single_article_blocks_are_counted() -> None:
    main = (
        f"<article><h1>Dredging starts</h1>{_paragraphs(STORY)}</article>"
        "<div id='comments'><ol class='comment-list'><li>Good news.</li></ol></div>"
    )
    signals = page_signals(_page(_html("", "", main), "https://harbour.example/dredging"))
    assert signals.comment_blocks == 2
    assert signals.article_blocks == 1
    evidence = page_evidence(signals, STORY, False, "Dredging starts")
    assert evidence["comments"] == 1.0
    assert evidence["one_article_block"] == 1.0


@pytest.mark.parametrize(
    ("headline", "story", "sales"),
    [
        ("How to read a tide table", True, False),
        ("7 mistakes new skippers make", True, False),
        ("Dredging vs. beach nourishment: what the studies say", True, False),
        ("The best harbours on the south coast in 2025", True, False),
        ("Boat Repair Services", False, True),
        ("Marine electrician in Portsmouth, NH", False, True),
        ("Hull Cleaning In Portsmouth NH", False, True),
        ("Choosing DC motors for a bilge pump", False, False),
        ("Harbour Office", False, False),
    ],
)
def test_headline_vocabularies(headline: str, story: bool, sales: bool) -> None:
    evidence = page_evidence(page_signals(_page("", "https://e.example/")), (), False, headline)
    assert evidence["story_headline"] == float(story)
    assert evidence["sales_headline"] == float(sales)


@pytest.mark.parametrize(
    ("url", "dated"),
    [
        ("https://e.example/news/201903/keyboard/index.html", True),
        ("https://e.example/security/alert20190402.html", True),
        ("https://e.example/2013/middle_east/8/3/clashes/index.html", True),
        ("https://e.example/2025/11/dredging-starts/", True),
        ("https://e.example/events/2025/", False),
        ("https://e.example/product/B0D1PC8551", False),
        ("https://e.example/article/20191399", False),
    ],
)
def test_dates_in_urls(url: str, dated: bool) -> None:
    assert url_shape(url).dated is dated


@pytest.mark.parametrize(
    "url",
    [
        "https://e.example/noticias/local/fiscalia-estudia-recurrir-la-imputacion",
        "https://e.example/resources/how-to-read-a-tide-table/",
        "https://e.example/haberler/liman-tarama-calismasi-basliyor",
    ],
)
def test_story_collections_in_several_languages(url: str) -> None:
    assert url_shape(url).story


@pytest.mark.parametrize(
    ("url", "story"),
    [
        ("https://e.example/espn/commentary/news/story?id=5461430", True),
        ("https://e.example/article.php?aid=12&lang=en", True),
        ("https://e.example/?p=123", True),
        ("https://e.example/shop?id=12", False),
        ("https://e.example/news/?page=2", False),
        ("https://e.example/news/world", False),
    ],
)
def test_one_story_named_by_id_in_the_query(url: str, story: bool) -> None:
    assert url_shape(url).story is story


def test_parse_passes_the_byline_to_the_classifier() -> None:
    """A signed, dated story without structured data on a plain URL is still an article."""
    html = (
        "<html><head><title>Dredging of the northern channel starts in March</title></head>"
        "<body><h1>Dredging of the northern channel starts in March</h1>"
        "<p class='byline'>By Mara Quist</p><time datetime='2025-11-20'>20 November 2025</time>"
        f"{_paragraphs(STORY)}</body></html>"
    )
    record = parse(html, "https://harbourtimes.example/channel", FETCHED)
    assert record.authors
    assert record.page_type == "article"


def test_scholarly_paper_page_is_an_article() -> None:
    """A paper's abstract page under its repository's many links: Highwire Press tags (the
    ones Google Scholar reads) declare it a paper, as og:type article declares a story."""
    head = (
        "<meta name='citation_title' content='Merging models without losing alignment'>"
        "<meta name='citation_author' content='Quist, Mara'>"
        "<meta name='citation_date' content='2025/12/18'>"
    )
    links = "".join(f"<li><a href='/list/cs.{n}'>Subject {n}</a></li>" for n in range(40))
    main = (
        "<h1>Merging models without losing alignment</h1><div class='authors'>Mara Quist</div>"
        f"<blockquote>{' '.join(STORY)}</blockquote><ul>{links}</ul>"
    )
    url = "https://papers.example/abs/2512.16245"
    paper = parse(_html(head, "", main), url, FETCHED)
    plain = parse(_html("", "", main), url, FETCHED)
    assert paper.page_type == "article"
    assert plain.page_type != "article"


def _thread(posts: int) -> str:
    """A question signed and dated like a story, answered by `posts` signed posts."""
    head = (
        "<meta property='article:published_time' content='2025-11-20T08:00:00+00:00'>"
        "<meta name='author' content='Mara Quist'>"
    )
    replies = "".join(
        f"<div class='post'><span class='username'>user{n}</span><p>{STORY[n % 3]}</p></div>"
        for n in range(posts)
    )
    main = f"<h1>What to look for before buying new fish for a tank</h1>{replies}"
    return _html(head, "", main)


@pytest.mark.parametrize(("posts", "forum"), [(2, 0.0), (4, 0.5), (12, 1.0)])
def test_many_signed_posts_weigh_as_a_forum_thread(posts: int, forum: float) -> None:
    """A few user-signed posts may be a story's comments; ten or more are a forum thread."""
    page = _page(_thread(posts), "https://fish.example/groups/tanks/what-to-look-for-t17351")
    assert page_evidence(page_signals(page), STORY, True, "What to look for")["forum"] == forum


def test_forum_thread_signed_and_dated_like_a_story_is_not_an_article() -> None:
    url = "https://fish.example/groups/tanks/what-to-look-for-t17351.html"
    assert parse(_thread(12), url, FETCHED).page_type != "article"


def test_posts_stamped_with_date_created_are_forum_posts() -> None:
    """schema.org comments and forum postings are stamped dateCreated, stories datePublished."""
    posts = "".join(
        f"<div itemprop='comment' itemscope><span itemprop='author'>user{n}</span>"
        f"<meta itemprop='dateCreated' content='2025-11-2{n}'><p itemprop='text'>{STORY[n % 3]}"
        "</p></div>"
        for n in range(4)
    )
    page = _page(_html("", "", f"<h1>Will this method work?</h1>{posts}"), "https://f.example/1")
    assert page_signals(page).forum_markers == 4
