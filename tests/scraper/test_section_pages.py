"""Section pages: article links by selector, pattern or the default rule; pagination."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from scraper.exceptions import UsageError
from scraper.section_pages import is_article_like, links_from_section_page, next_page_url

SECTION_URL = "https://www.navalmonitor.example/category/navy/"

SECTION = """<!doctype html>
<html><head><meta charset="utf-8"><title>Navy | Naval Monitor</title></head>
<body>
<nav>
  <a href="/">Home</a> <a href="/about-us/">About</a> <a href="/category/navy/">Navy</a>
  <a href="/tag/indian-ocean-region-security/">Indian Ocean</a>
  <a href="/author/ravi-kumar-singh/">Ravi</a> <a href="mailto:desk@navalmonitor.example">Mail</a>
  <a href="#main">Skip</a>
</nav>
<main id="main">
  <article class="card">
    <a href="/2025/12/navy-orders-six-frigates/"><img src="/img/frigate.jpg" alt=""></a>
    <h2><a href="/2025/12/navy-orders-six-frigates/#respond">Navy orders six frigates</a></h2>
    <time datetime="2025-12-06T14:54:00+05:30">December 6, 2025</time>
    <a class="cat" href="/category/navy/shipbuilding/">Shipbuilding</a>
  </article>
  <article class="card">
    <h2><a href="https://navalmonitor.example/submarine-tender-reopened-after-protest?utm_source=home">
      Submarine tender   reopened</a></h2>
    <time datetime="2025-12-05">December 5, 2025</time>
  </article>
  <div class="card">
    <h2><a href="/news/184467">Mine hunter trials begin</a></h2>
  </div>
  <ul class="trending">
    <li><a href="https://othersite.example/2025/12/a-story-on-another-site/">Elsewhere</a></li>
    <li><a href="/wp-content/uploads/2025/12/annual-defence-report-2025.pdf">Report (PDF)</a></li>
    <li><a href="/2025/12/">December archive</a></li>
    <li><a href="/category/navy/page/2/">2</a></li>
  </ul>
</main>
</body></html>"""


def _urls(html: str | bytes, **options: str) -> list[str]:
    return [link.url for link in links_from_section_page(html, SECTION_URL, **options)]


def test_default_rule_takes_story_addresses_only() -> None:
    assert _urls(SECTION) == [
        "https://www.navalmonitor.example/2025/12/navy-orders-six-frigates/",
        "https://navalmonitor.example/submarine-tender-reopened-after-protest",
        "https://www.navalmonitor.example/news/184467",
    ]


def test_links_are_section_links_with_the_anchor_text_as_title() -> None:
    links = links_from_section_page(SECTION, SECTION_URL, css=None, url_pattern=None)

    assert [link.source for link in links] == ["section"] * 3
    assert [link.title for link in links] == [
        "Navy orders six frigates",
        "Submarine tender reopened",
        "Mine hunter trials begin",
    ]


def test_the_teaser_date_becomes_published() -> None:
    links = links_from_section_page(SECTION, SECTION_URL, css=None, url_pattern=None)

    assert [link.published for link in links] == [
        datetime(2025, 12, 6, 9, 24, tzinfo=UTC),
        datetime(2025, 12, 5, tzinfo=UTC),
        None,
    ]
    assert all(link.lastmod is None for link in links)


def test_css_selector_picks_links_inside_the_blocks_it_selects() -> None:
    links = links_from_section_page(SECTION, SECTION_URL, css="div.card", url_pattern=None)

    assert [(link.url, link.title) for link in links] == [
        ("https://www.navalmonitor.example/news/184467", "Mine hunter trials begin")
    ]


def test_css_selector_may_pick_the_anchors_themselves() -> None:
    assert _urls(SECTION, css="main h2 > a") == [
        "https://www.navalmonitor.example/2025/12/navy-orders-six-frigates/",
        "https://navalmonitor.example/submarine-tender-reopened-after-protest",
        "https://www.navalmonitor.example/news/184467",
    ]


def test_css_selector_still_drops_taxonomy_pages_and_files() -> None:
    assert _urls(SECTION, css="article.card, ul.trending") == [
        "https://www.navalmonitor.example/2025/12/navy-orders-six-frigates/",
        "https://navalmonitor.example/submarine-tender-reopened-after-protest",
        "https://www.navalmonitor.example/2025/12/",
    ]


def test_url_pattern_alone_decides() -> None:
    assert _urls(SECTION, url_pattern=r"/news/\d+$|/about-us/") == [
        "https://www.navalmonitor.example/about-us/",
        "https://www.navalmonitor.example/news/184467",
    ]


def test_a_compiled_url_pattern_is_taken_as_is() -> None:
    pattern = re.compile(r"/NEWS/\d+$", re.IGNORECASE)
    links = links_from_section_page(SECTION, SECTION_URL, css=None, url_pattern=pattern)

    assert [link.url for link in links] == ["https://www.navalmonitor.example/news/184467"]


def test_css_and_url_pattern_must_both_hold() -> None:
    assert _urls(SECTION, css="article.card", url_pattern=r"/20\d\d/") == [
        "https://www.navalmonitor.example/2025/12/navy-orders-six-frigates/"
    ]


def test_base_href_is_honoured() -> None:
    html = (
        '<html><head><base href="https://cdn.navalmonitor.example/mirror/"></head>'
        '<body><a href="fleet-review-draws-record-crowds">x</a></body></html>'
    )

    assert _urls(html) == [
        "https://cdn.navalmonitor.example/mirror/fleet-review-draws-record-crowds"
    ]


def test_bytes_are_decoded_by_the_page_charset() -> None:
    html = (
        '<html><head><meta charset="windows-1251"></head><body>'
        '<a href="/news/flot-poluchil-novyj-korabl">Флот получил новый корабль</a>'
        "</body></html>"
    ).encode("cp1251")

    (link,) = links_from_section_page(html, SECTION_URL, css=None, url_pattern=None)

    assert link.title == "Флот получил новый корабль"


def test_a_page_does_not_list_itself() -> None:
    page = "https://www.navalmonitor.example/2025/12/navy-orders-six-frigates/"
    html = f'<a href="{page}#comments">Comments</a><a href="{page}">Self</a>'

    assert links_from_section_page(html, page, css=None, url_pattern=None) == []


def test_a_bad_selector_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="CSS selector 'a\\[\\[' does not parse"):
        links_from_section_page(SECTION, SECTION_URL, css="a[[", url_pattern=None)


def test_a_bad_pattern_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="URL pattern '/news/\\(': missing"):
        links_from_section_page(SECTION, SECTION_URL, css=None, url_pattern="/news/(")


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://x.example/2025/12/navy-orders-six-frigates/", True),
        ("https://x.example/india-tests-new-missile", True),
        ("https://x.example/news/184467", True),
        ("https://x.example/world/story-1844671.html", True),
        ("https://x.example/2025/12/06/drills/", True),
        ("https://x.example/", False),
        ("https://x.example/2025/", False),
        ("https://x.example/2025/12/", False),
        ("https://x.example/news/", False),
        ("https://x.example/about-us/", False),
        ("https://x.example/contact.html", False),
        ("https://x.example/tag/indian-ocean-region-security/", False),
        ("https://x.example/author/ravi-kumar-singh/", False),
        ("https://x.example/category/navy/page/3/", False),
        ("https://x.example/wp-content/uploads/2025/12/very-long-file-name-here.jpg", False),
        ("https://x.example/search?q=new-frigate-class-ordered", False),
    ],
)
def test_default_rule(url: str, article: bool) -> None:
    assert is_article_like(url) is article


def _paged(links: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><main>...</main>{links}</body></html>"


def test_rel_next_wins() -> None:
    html = _paged(
        '<a href="/category/navy/page/3/">3</a>',
        head='<link rel="next" href="https://www.navalmonitor.example/category/navy/page/2/">',
    )

    assert next_page_url(html, SECTION_URL) == (
        "https://www.navalmonitor.example/category/navy/page/2/"
    )


@pytest.mark.parametrize(
    ("page_url", "links", "expected"),
    [
        (
            SECTION_URL,
            '<a href="/category/navy/page/3/">3</a><a href="/category/navy/page/2/">2</a>',
            "https://www.navalmonitor.example/category/navy/page/2/",
        ),
        (
            "https://www.navalmonitor.example/category/navy/page/2/",
            '<a href="/category/navy/">1</a><a href="/category/army/page/3/">Army 3</a>'
            '<a href="/category/navy/page/3/">3</a>',
            "https://www.navalmonitor.example/category/navy/page/3/",
        ),
        (
            "https://www.navalmonitor.example/news?cat=navy&page=4",
            '<a href="/news?page=3&cat=navy">3</a><a href="/news?page=5&cat=navy">5</a>',
            "https://www.navalmonitor.example/news?page=5&cat=navy",
        ),
    ],
)
def test_the_link_to_page_n_plus_one(page_url: str, links: str, expected: str) -> None:
    assert next_page_url(_paged(links), page_url) == expected


@pytest.mark.parametrize(
    "link",
    [
        '<div class="nav-previous"><a href="/archive/older-batch">← Older posts</a></div>',
        '<a href="/archive/older-batch">Page suivante »</a>',
        '<a href="/archive/older-batch" aria-label="Next page">›</a>',
        '<a class="next page-numbers" href="/archive/older-batch">→</a>',
        '<a href="/archive/older-batch">Наступна</a>',
    ],
)
def test_next_and_older_links_by_their_words_or_class(link: str) -> None:
    html = _paged('<a href="/archive/">Archive</a>' + link)

    assert (
        next_page_url(html, SECTION_URL) == "https://www.navalmonitor.example/archive/older-batch"
    )


@pytest.mark.parametrize(
    "links",
    [
        '<a href="/category/navy/">1</a><a href="/about-us/">About</a>',
        '<a href="https://othersite.example/category/navy/page/2/">Next</a>',
        '<a href="#top">Next</a><a href="/category/navy/" rel="next">Next</a>',
    ],
)
def test_the_last_page_has_no_next(links: str) -> None:
    assert next_page_url(_paged(links), SECTION_URL) is None
