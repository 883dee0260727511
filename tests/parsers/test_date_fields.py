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
NEW_YORK = ZoneInfo("America/New_York")  # printed clocks of English pages on generic domains
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
    assert found.published.value == datetime(2025, 12, 6, tzinfo=NEW_YORK)


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


def page_dates(html: str, url: str = URL, site: SiteConfig | None = None) -> DateFindings:
    return find_dates(Page.from_html(html, url, FETCHED, site))


def test_meta_values_kept_in_a_value_attribute_are_read() -> None:
    head = '<meta name="article:published_time" value="2025-12-06T09:24:00Z">'
    found = dates_of(ARTICLE.format(PROSE), head)
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


def test_unix_times_in_jsonld_are_read() -> None:
    seconds = dates_of(ARTICLE.format(PROSE), jsonld(datePublished=1765013040))
    millis = dates_of(ARTICLE.format(PROSE), jsonld(datePublished=1765013040000))
    assert seconds.published is not None and millis.published is not None
    assert seconds.published.value == millis.published.value
    assert seconds.published.value == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


def test_parsely_page_meta_gives_the_publication() -> None:
    data = json.dumps({"title": "x", "pub_date": "2025-12-06T09:24:00Z"})
    found = dates_of(ARTICLE.format(PROSE), f"<meta name='parsely-page' content='{data}'>")
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


def test_local_times_follow_the_country_domain_or_language() -> None:
    body = "<article><h1>タイトル</h1><p class='date'>2025年12月06日 09:00</p></article>"
    japanese = page_dates(f"<html lang='ja'><body>{body}</body></html>")
    german = page_dates(
        f"<html><body>{ARTICLE.format(PROSE)}</body></html>",
        url="https://news.example.de/2025/12/06/x",
    )
    english = page_dates(f"<html lang='en'><body>{body}</body></html>")
    vanity = page_dates(f"<html lang='en'><body>{body}</body></html>", url="https://x.io/a")
    assert japanese.published is not None and german.published is not None
    assert english.published is not None and vanity.published is not None
    assert japanese.published.value == datetime(2025, 12, 6, 0, 0, tzinfo=UTC)
    assert german.published.value == datetime(2025, 12, 6, tzinfo=ZoneInfo("Europe/Berlin"))
    assert english.published.value == datetime(2025, 12, 6, 9, 0, tzinfo=NEW_YORK)
    assert vanity.published.value == datetime(2025, 12, 6, 9, 0, tzinfo=UTC)  # no guess


def test_the_site_zone_wins_over_the_guess() -> None:
    body = "<article><h1>タイトル</h1><p class='date'>2025年12月06日 09:00</p></article>"
    site = SiteConfig(timezone="Asia/Kolkata")
    found = page_dates(f"<html lang='ja'><body>{body}</body></html>", site=site)
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 9, 0, tzinfo=KOLKATA)


def test_an_offset_the_page_declares_is_used_for_its_printed_times() -> None:
    body = f"<article><h1>Title</h1><p class='date'>December 6, 2025 2:54 pm</p>{PROSE}</article>"
    found = dates_of(body, jsonld(dateModified="2025-12-06T18:00:00+05:30"))
    assert found.published is not None
    assert found.published.value.utcoffset() == KOLKATA.utcoffset(datetime(2025, 12, 6))
    assert found.published.value.astimezone(UTC) == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


def test_a_naive_datetime_attribute_borrows_the_zone_printed_in_the_element() -> None:
    body = (
        "<article><h1>Title</h1><p><time itemprop='datePublished' datetime='2025-12-06 08:00:00'>"
        f"12/06/2025 08:00 AM EST</time></p><p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 13, 0, tzinfo=UTC)


def test_a_utc_instant_is_shown_in_the_zone_the_page_states() -> None:
    head = jsonld(
        datePublished="2025-12-06T02:41:00+00:00", dateModified="2025-12-06T10:00:00-08:00"
    )
    found = dates_of(ARTICLE.format(PROSE), head)
    assert found.published is not None
    assert found.published.value.utcoffset() is not None
    assert found.published.value.date().isoformat() == "2025-12-05"
    assert found.published.value == datetime(2025, 12, 6, 2, 41, tzinfo=UTC)


def test_a_utc_instant_is_shown_on_the_day_its_url_gives_when_the_guess_agrees() -> None:
    html = (
        "<html lang='en-US'><head>"
        + meta("article:published_time", "2025-12-06T02:41:00+00:00")
        + f"</head><body>{ARTICLE.format(PROSE)}</body></html>"
    )
    on_url_day = page_dates(html, url="https://news.example/2025/12/05/drone-plant/")
    no_url_day = page_dates(html)
    assert on_url_day.published is not None and no_url_day.published is not None
    assert on_url_day.published.value.date().isoformat() == "2025-12-05"
    assert no_url_day.published.value.date().isoformat() == "2025-12-06"
    assert on_url_day.published.value == no_url_day.published.value


def test_the_url_date_settles_which_way_a_numeric_date_reads() -> None:
    body = f"<article><h1>Title</h1><p class='date'>03/10/2025</p><p>{PROSE}</p></article>"
    found = dates_of(body, url="https://news.example/blog/2025/october/03/title/")
    assert found.published is not None
    assert found.published.value.date().isoformat() == "2025-10-03"


def test_url_dates_in_other_shapes() -> None:
    plus = dates_of(ARTICLE.format(PROSE), url="https://blog.example/articles/2025-12-06+Title")
    named = dates_of(ARTICLE.format(PROSE), url="https://blog.example/2025/december/06/title")
    assert plus.published is not None and named.published is not None
    assert plus.published.value.date() == named.published.value.date()
    assert plus.published.value.date().isoformat() == "2025-12-06"


def test_a_headline_outside_the_articles_belongs_to_the_largest() -> None:
    body = (
        "<h1>Title</h1><article><footer><span class='meta-date'>December 6, 2025</span>"
        f"</footer><p>{PROSE * 3}</p></article>"
        "<article><p>Jane Doe</p></article>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value.date().isoformat() == "2025-12-06"


def test_a_side_column_of_main_holds_the_byline() -> None:
    body = (
        f"<main><aside class='side-col'><p class='article-date'>December 6, 2025</p></aside>"
        f"<div><h1>Title</h1><p>{PROSE}</p></div></main>"
    )
    outside = body.replace("<main>", "").replace("</main>", "")
    assert dates_of(body).published is not None
    assert dates_of(outside).published is None


def test_a_date_named_block_holding_more_than_the_date() -> None:
    tags = " ".join(f"<a href='/t/{n}'>topic number {n}</a>" for n in range(12))
    body = (
        f"<h1>Title</h1><p>{PROSE}</p><div class='date-section-header'>"
        f"<span>Posted on December 6, 2025</span>{tags}</div>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value.date().isoformat() == "2025-12-06"


def test_a_byline_next_to_the_author_link_far_from_the_headline() -> None:
    body = (
        "<h1>Title</h1>"
        + f"<p>{PROSE}</p>" * 13
        + "<div><p>Written by <a href='/blog/author/jane'>Jane Doe</a></p><p>December 6, 2025</p>"
        "</div>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value.date().isoformat() == "2025-12-06"


def test_twin_headlines_are_both_searched() -> None:
    body = (
        "<div class='desktop'><h1>Title</h1><div><span>Jane Doe</span> · <span>"
        f"December 6, 2025</span></div></div><p>{PROSE * 3}</p>"
        f"<article><h1>Title</h1><p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value.date().isoformat() == "2025-12-06"


def test_a_resave_stamp_minutes_apart_or_under_two_offsets() -> None:
    body = f"<article><h1>Title</h1><p class='date'>March 3, 2024</p><p>{PROSE}</p></article>"
    minutes = dates_of(
        body, jsonld(datePublished="2025-06-24T10:00:00Z", dateModified="2025-06-24T10:04:00Z")
    )
    offsets = dates_of(
        body, jsonld(datePublished="2025-06-24T10:00:00Z", dateModified="2025-06-24T10:00:00-04:00")
    )
    real_edit = dates_of(
        body, jsonld(datePublished="2025-06-24T10:00:00Z", dateModified="2025-06-25T10:00:00Z")
    )
    assert minutes.published is not None and offsets.published is not None
    assert real_edit.published is not None
    assert minutes.published.value.date().isoformat() == "2024-03-03"
    assert offsets.published.value.date().isoformat() == "2024-03-03"
    assert real_edit.published.value.date().isoformat() == "2025-06-24"


def test_a_byline_date_that_is_the_declared_modification_is_not_the_publication() -> None:
    body = f"<article><h1>Title</h1><p>By Jane · November 14, 2025</p><p>{PROSE}</p></article>"
    head = jsonld(datePublished="2024-09-06T13:12:36Z", dateModified="2025-11-14T06:49:57Z")
    found = dates_of(body, head)
    assert found.published is not None and found.updated is not None
    assert found.published.value.date().isoformat() == "2024-09-06"
    assert found.updated.value.date().isoformat() == "2025-11-14"


def test_a_label_inside_a_time_element_names_its_attribute_date() -> None:
    posted = (
        "<article><h1>Title</h1><p class='meta'><time datetime='2025-12-06T09:24:00Z'>"
        f"Posted: Dec 6, 2025</time></p><p>{PROSE}</p></article>"
    )
    updated = posted.replace("Posted:", "Updated")
    assert dates_of(posted).published is not None
    assert dates_of(updated).published is None
    assert dates_of(updated).updated is not None


def test_datetime_and_data_date_attributes_on_any_element() -> None:
    custom = (
        "<div><relative-time datetime='2025-12-06T09:24:00Z'>Dec 6</relative-time></div>"
        f"<h1>Title</h1><p>{PROSE}</p>"
    )
    data = (
        "<h1>Title</h1><span class='date smart-date' data-origindate='2025-12-06 09:24:00 +0800'>"
        f"</span><p>{PROSE}</p>"
    )
    first, second = dates_of(custom), dates_of(data)
    assert first.published is not None and second.published is not None
    assert first.published.value == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)
    assert second.published.value == datetime(2025, 12, 6, 1, 24, tzinfo=UTC)


def test_a_date_in_breadcrumbs_with_the_headline_is_read() -> None:
    body = (
        "<article><h1>Title</h1><div class='headline-container embed-breadcrumbs'>"
        "<nav><a href='/c'>Section</a></nav><span><time datetime='2025-12-06T09:24:00Z'>"
        f"Posted on 6 Dec 2025</time></span></div><p>{PROSE}</p></article>"
    )
    assert dates_of(body).published is not None


def test_a_meta_named_both_modified_and_published_is_not_the_publication() -> None:
    head = (
        '<meta name="publish-date" content="2025-12-06T07:36:07+05:30">'
        '<meta name="modified-date" itemprop="datePublished" content="2025-12-06T15:49:34+05:30">'
    )
    found = dates_of(ARTICLE.format(PROSE), head)
    assert found.published is not None and found.updated is not None
    assert found.published.value == datetime(2025, 12, 6, 2, 6, 7, tzinfo=UTC)
    assert found.updated.value == datetime(2025, 12, 6, 10, 19, 34, tzinfo=UTC)
