"""find_dates: each source of the cascade, published and updated kept apart, zones, precision."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from parsers.extract.date_fields import DateFindings, find_dates
from parsers.extract.page import Page
from parsers.site_config import SiteConfig

FETCHED = datetime(2025, 12, 7, 10, 0, tzinfo=UTC)
KOLKATA = ZoneInfo("Asia/Kolkata")
URL = "https://news.example/defence/drone-plant"


def dates_of(
    body: str, head: str = "", *, url: str = URL, site: SiteConfig | None = None
) -> DateFindings:
    html = f"<html lang='en'><head>{head}</head><body>{body}</body></html>"
    return find_dates(Page.from_html(html, url, FETCHED, site))


def jsonld(**fields: Any) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def meta(prop: str, content: str) -> str:
    return f'<meta property="{prop}" content="{content}">'


ARTICLE = "<article><h1>Turkey eyes drone plant</h1><p>{}</p></article>"
PROSE = "Ankara wants to expand its partnership. " * 5


def test_jsonld_gives_published_and_modified_apart() -> None:
    found = dates_of(
        ARTICLE.format(PROSE),
        jsonld(datePublished="2025-12-06T14:54:07+05:30", dateModified="2025-12-06T18:00:00+05:30"),
    )
    assert found.published is not None and found.updated is not None
    assert found.published.value == datetime(2025, 12, 6, 9, 24, 7, tzinfo=UTC)
    assert found.updated.value == datetime(2025, 12, 6, 12, 30, tzinfo=UTC)
    assert found.published.raw == "2025-12-06T14:54:07+05:30"


def test_yoast_graph_members_are_read() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "RNA"},
            {"@type": "Article", "datePublished": "2025-12-06T09:24:00+00:00"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    found = dates_of(ARTICLE.format(PROSE), head)
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


def test_a_modified_date_alone_never_becomes_the_published_one() -> None:
    found = dates_of(
        ARTICLE.format(PROSE),
        jsonld(dateModified="2025-12-06T18:00:00Z") + meta("og:updated_time", "2025-12-06"),
    )
    assert found.published is None
    assert found.updated is not None
    assert found.updated.value == datetime(2025, 12, 6, 18, 0, tzinfo=UTC)


def test_meta_tags_when_there_is_no_jsonld() -> None:
    head = meta("article:published_time", "2025-12-05T08:00:00+00:00") + meta(
        "article:modified_time", "2025-12-06T08:00:00+00:00"
    )
    found = dates_of(ARTICLE.format(PROSE), head)
    assert found.published is not None and found.updated is not None
    assert found.published.value.date().isoformat() == "2025-12-05"
    assert found.updated.value.date().isoformat() == "2025-12-06"


def test_jsonld_is_trusted_over_meta() -> None:
    head = jsonld(datePublished="2025-12-05T08:00:00Z") + meta(
        "article:published_time", "2025-11-01T08:00:00Z"
    )
    found = dates_of(ARTICLE.format(PROSE), head)
    assert found.published is not None
    assert found.published.value.date().isoformat() == "2025-12-05"


def test_itemprop_microdata_on_printed_elements() -> None:
    body = (
        "<article><h1>Title</h1>"
        '<time itemprop="datePublished" datetime="2025-12-05T10:00:00Z">5 Dec</time>'
        '<span itemprop="dateModified" content="2025-12-06T11:00:00Z">6 Dec</span>'
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is not None and found.updated is not None
    assert found.published.value == datetime(2025, 12, 5, 10, 0, tzinfo=UTC)
    assert found.updated.value == datetime(2025, 12, 6, 11, 0, tzinfo=UTC)


def test_wordpress_entry_date_classes() -> None:
    body = (
        "<article><h1>Title</h1><div class='entry-meta'>"
        '<time class="entry-date published" datetime="2025-12-05T10:00:00+00:00">Dec 5</time>'
        '<time class="updated" datetime="2025-12-06T11:00:00+00:00">Dec 6</time>'
        f"</div><p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is not None and found.updated is not None
    assert found.published.value.day == 5
    assert found.updated.value.day == 6


def test_rnamedia_published_and_last_updated_lines() -> None:
    body = (
        "<article><h1>After Corvette-Class Warships, Turkey Eyes Drone Facility</h1>"
        "<ul class='meta'><li>Published December 6, 2025 2:54 pm</li>"
        "<li>Last Updated December 6, 2025</li></ul>"
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body, site=SiteConfig(timezone="Asia/Kolkata"))
    assert found.published is not None and found.updated is not None
    assert found.published.value == datetime(2025, 12, 6, 14, 54, tzinfo=KOLKATA)
    assert found.published.precision == "minute"
    assert found.published.raw.startswith("December 6, 2025 2:54 pm")
    assert found.updated.value == datetime(2025, 12, 6, tzinfo=KOLKATA)
    assert found.updated.precision == "day"


def test_a_label_in_a_separate_element_names_the_date() -> None:
    body = (
        "<article><h1>Title</h1><div class='dates'><span>Updated:</span> "
        '<time datetime="2025-12-06T08:00:00Z">Dec 6</time></div>'
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is None
    assert found.updated is not None
    assert found.updated.value == datetime(2025, 12, 6, 8, 0, tzinfo=UTC)


def test_only_an_updated_line_leaves_published_empty() -> None:
    body = f"<article><h1>Title</h1><p>Last updated: Dec 6, 2025</p><p>{PROSE}</p></article>"
    found = dates_of(body)
    assert found.published is None
    assert found.updated is not None
    assert found.updated.value.date().isoformat() == "2025-12-06"


def test_a_printed_time_refines_a_declared_day() -> None:
    body = (
        "<article><h1>Title</h1><p class='byline'>Published December 6, 2025 2:54 pm</p>"
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body, jsonld(datePublished="2025-12-06"), site=SiteConfig("Asia/Kolkata"))
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 14, 54, tzinfo=KOLKATA)
    assert found.published.precision == "minute"


def test_a_printed_time_of_another_day_does_not_refine() -> None:
    body = (
        "<article><h1>Title</h1><p class='byline'>Published December 4, 2025 2:54 pm</p>"
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body, jsonld(datePublished="2025-12-06"))
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, tzinfo=UTC)
    assert found.published.precision == "day"


def test_a_declared_time_is_kept_over_a_printed_day() -> None:
    body = f"<article><h1>Title</h1><p>December 6, 2025</p><p>{PROSE}</p></article>"
    found = dates_of(body, jsonld(datePublished="2025-12-06T09:24:00Z"))
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


def test_an_unlabelled_byline_date_after_the_headline_is_the_published_one() -> None:
    body = (
        "<div class='hero'><h1>Turkey eyes drone plant</h1>"
        "<div><span>By RNA Desk</span> · <span>Dec 6, 2025</span> · 4 min read</div></div>"
        f"<div><p>{PROSE}</p></div>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, tzinfo=UTC)


def test_a_date_inside_the_prose_is_not_a_byline() -> None:
    body = (
        "<h1>Turkey eyes drone plant</h1>"
        f"<p>{PROSE} The talks began on <a href='#'>October 3, 2025</a> in Ankara.</p>"
    )
    assert dates_of(body).published is None


def test_dates_of_related_articles_are_ignored() -> None:
    body = (
        f"<article><h1>Title</h1><p>{PROSE}</p></article>"
        "<div class='related-posts'><a href='/x'>Other story</a>"
        '<time datetime="2025-11-01T10:00:00Z">Nov 1</time></div>'
    )
    assert dates_of(body).published is None


def test_the_url_is_the_last_resort() -> None:
    found = dates_of(ARTICLE.format(PROSE), url="https://news.example/2025/12/06/drone-plant/")
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, tzinfo=UTC)
    assert found.published.precision == "day"
    assert found.updated is None


def test_a_resave_stamped_on_both_declared_dates_yields_to_the_printed_one() -> None:
    body = f"<article><h1>Title</h1><p class='date'>March 3, 2024</p><p>{PROSE}</p></article>"
    head = jsonld(datePublished="2025-06-24T10:00:00Z", dateModified="2025-06-24T10:00:00Z")
    found = dates_of(body, head)
    assert found.published is not None and found.updated is not None
    assert found.published.value.date().isoformat() == "2024-03-03"
    assert found.updated.value.date().isoformat() == "2025-06-24"


def test_non_english_page_with_site_language() -> None:
    html = (
        "<html lang='uk'><body><article><h1>Втрати ворога</h1>"
        "<span class='aticle-date'>Опубліковано 6 грудня 2025 14:30</span>"
        f"<p>{PROSE}</p></article></body></html>"
    )
    site = SiteConfig(timezone="Europe/Kyiv", language="uk")
    found = find_dates(Page.from_html(html, URL, FETCHED, site))
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 14, 30, tzinfo=ZoneInfo("Europe/Kyiv"))


def test_garbage_pages_give_no_dates() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": </script>'
        + jsonld(datePublished="not a date", dateModified=["??"])
        + meta("article:published_time", "soon")
    )
    found = dates_of("<div class='date'>Share</div><time>tomorrow-ish</time>", head)
    assert found == DateFindings()
    assert find_dates(Page.from_html("", URL, FETCHED)) == DateFindings()
