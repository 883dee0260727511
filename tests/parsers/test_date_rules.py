"""find_dates on small pages, one rule each: labels, the headline found by the title, the
byline's reading order, relative dates, mislabelled offsets, Unix-time attributes and a
publication stamped after every modification."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from parsers.extract.date_fields import DateFindings, find_dates
from parsers.extract.date_markup import is_foreign_mark
from parsers.extract.page import Page

FETCHED = datetime(2025, 12, 7, 10, 0, tzinfo=UTC)
URL = "https://news.example/defence/drone-plant"
NEW_YORK = ZoneInfo("America/New_York")  # printed clocks of English pages on generic domains
PROSE = "Ankara wants to expand its partnership with the drone maker this year. " * 4


def dates_of(body: str, head: str = "", *, url: str = URL, lang: str = "en") -> DateFindings:
    html = f"<html lang='{lang}'><head>{head}</head><body>{body}</body></html>"
    return find_dates(Page.from_html(html, url, FETCHED))


def published_of(body: str, *, url: str = URL) -> datetime | None:
    found = dates_of(body, url=url).published
    return found.value if found else None


def jsonld(**fields: Any) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def day(found: DateFindings) -> str | None:
    return found.published.value.date().isoformat() if found.published else None


def test_a_label_inside_a_date_element_after_the_author_names_an_update() -> None:
    body = (
        "<article><h1>Ten best car rentals in the USA</h1>"
        "<div class='publish-info'>Written By: Jane Doe Last Updated: August 1, 2025</div>"
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is None
    assert found.updated is not None and found.updated.value.day == 1


def test_a_changed_field_is_an_update_and_the_byline_walk_skips_it() -> None:
    body = (
        "<div><h1>How we keep pests out of the garden</h1><p>Written by Celeste</p>"
        "<div class='field field--name-changed'><time datetime='2025-12-02T14:36:23-05:00'>"
        f"December 2, 2025</time></div></div><p>{PROSE}</p>"
    )
    found = dates_of(body)
    assert found.published is None
    assert found.updated is not None and found.updated.value.day == 2


def test_updated_printed_right_before_a_time_element() -> None:
    body = (
        "<h1>The best cheap laptops under $500</h1><div>Updated "
        "<time datetime='2025-11-16T00:00:35.000-05:00'>November 16, 2025</time></div>"
        f"<p>{PROSE}</p>"
    )
    found = dates_of(body)
    assert found.published is None
    assert found.updated is not None


def test_japanese_labels() -> None:
    updated = dates_of(
        f"<h1>セキュリティ注意喚起のお知らせ</h1><p>最終更新日：2025年4月2日</p><p>{PROSE}</p>"
    )
    published = dates_of(
        f"<h1>セキュリティ注意喚起のお知らせ</h1><p>公開日 2025年2月13日</p><p>{PROSE}</p>"
    )
    assert updated.published is None and updated.updated is not None
    assert day(published) == "2025-02-13"


def test_a_headline_in_an_h2_that_prints_the_title() -> None:
    body = (
        "<div class='resource-head'><h2>Introducing the Cayenne data accelerator</h2>"
        "<div class='author'><p>Luke Kim</p><small>December 1, 2025</small></div></div>"
        f"<div><p>{PROSE}</p></div>"
    )
    head = "<title>Introducing the Cayenne Data Accelerator | Spice AI</title>"
    assert day(dates_of(body, head)) == "2025-12-01"
    assert dates_of(body).published is None


def test_a_site_name_h1_gives_way_to_the_element_printing_the_title() -> None:
    body = (
        "<div class='title'><h1><a href='/'>Roger's Blog</a></h1></div>"
        "<table><tr><td><fieldset><legend>Advent of Code 2025 week 1</legend> 6 December 2025"
        f"<div class='body'><p>{PROSE}</p></div></fieldset></td></tr></table>"
    )
    head = "<title>Roger's Blog: Advent of Code 2025 week 1</title>"
    assert day(dates_of(body, head)) == "2025-12-06"


def test_the_byline_just_before_the_headline_beats_a_list_far_after_it() -> None:
    listing = "".join(
        f"<li><span>2025.08.{n:02d}</span> <a href='/n{n}'>Release {n}</a></li>"
        for n in range(10, 14)
    )
    body = (
        "<div class='crumbs'>News releases 2025.03.08</div><h1>Fingerprint mouse released</h1>"
        f"<table><tr><td>{'Model number MA-139 price 9,900 yen ' * 12}</td></tr></table>"
        f"<div class='newest'><h3>Newest releases</h3><ul>{listing}</ul></div>"
    )
    assert day(dates_of(body)) == "2025-03-08"


def test_a_relative_date_gives_way_to_an_absolute_one_found_later() -> None:
    body = (
        "<article><div class='published-date'>1 hour ago</div>"
        "<h1>Clinton says the hack stems from a grudge</h1>"
        f"<p>By Josh Haskell December 5, 2025, 4:19 PM</p><p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is not None and not found.published.relative
    assert found.published.value == datetime(2025, 12, 5, 16, 19, tzinfo=NEW_YORK)


def test_a_relative_date_alone_still_counts() -> None:
    found = dates_of(
        f"<article><h1>Fresh news from the field</h1><p>2 hours ago</p><p>{PROSE}</p></article>"
    )
    assert found.published is not None and found.published.relative


def test_a_utc_clock_written_with_the_local_offset_yields_to_the_consistent_meta() -> None:
    head = (
        '<meta property="article:published_time" content="2022-10-11T19:11:05-04:00">'
        '<meta itemprop="datePublished" content="2022-10-11T15:11:05-04:00">'
    )
    found = dates_of(f"<h1>IMF dims its outlook</h1><p>{PROSE}</p>", head)
    assert found.published is not None
    assert found.published.value == datetime(2022, 10, 11, 19, 11, 5, tzinfo=UTC)


def test_a_local_clock_declared_as_utc_yields_to_the_printed_local_time() -> None:
    head = '<meta property="article:published_time" content="2025-04-19T20:00:00.000Z">'
    body = (
        "<article><h1>ガシャポンの新作が登場</h1>"
        "<time datetime='2025-04-19T20:00:00+09:00'>2025.04.19 20:00</time>"
        f"<p>{PROSE}</p></article>"
    )
    on_jp = dates_of(body, head, url="https://www.gizmodo.jp/2025/04/x.html", lang="ja")
    assert on_jp.published is not None
    assert on_jp.published.value == datetime(2025, 4, 19, 20, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_a_declared_utc_time_is_kept_when_the_page_zone_does_not_print_that_offset() -> None:
    head = '<meta property="article:published_time" content="2025-04-19T20:00:00.000Z">'
    body = (
        "<article><h1>A new toy on the market</h1>"
        f"<time datetime='2025-04-19T20:00:00+09:00'>April 19</time><p>{PROSE}</p></article>"
    )
    found = dates_of(body, head, url="https://www.example.com/x")
    assert found.published is not None
    assert found.published.value == datetime(2025, 4, 19, 20, 0, tzinfo=UTC)


def test_a_unix_time_attribute_is_a_date() -> None:
    body = (
        "<article><h1>Now before you write me off</h1>"
        "<small class='stamp'><span class='post-date' data-time='1764929245'>Dec 5</span></small>"
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 5, 10, 7, 25, tzinfo=UTC)


def test_a_printed_clock_is_local_time_but_a_machine_written_one_is_not_guessed() -> None:
    printed = dates_of(
        f"<article><h1>Title</h1><p class='date'>Dec 5, 2025 7:00 AM</p>{PROSE}</article>"
    )
    naive = dates_of(
        f"<article><h1>Title</h1><p>{PROSE}</p></article>",
        '<meta property="article:published_time" content="2025-12-05T03:33:08">',
    )
    assert printed.published is not None and naive.published is not None
    assert printed.published.value == datetime(2025, 12, 5, 7, 0, tzinfo=NEW_YORK)
    assert naive.published.value == datetime(2025, 12, 5, 3, 33, 8, tzinfo=UTC)


def test_an_instant_giving_a_printed_day_its_time_is_shown_on_that_day() -> None:
    body = (
        "<article><h1>Title</h1><p class='date'>Published December 5, 2025</p>"
        f"<p>{PROSE}</p><time datetime='2025-12-06T04:13:00Z'>x</time></article>"
    )
    found = dates_of(body)
    assert found.published is not None
    assert found.published.value == datetime(2025, 12, 6, 4, 13, tzinfo=UTC)
    assert found.published.value.date().isoformat() == "2025-12-05"


def test_a_declared_stamp_is_shown_on_the_day_the_byline_prints() -> None:
    body = (
        "<article><h1>Title</h1><p class='byline'>Published: Dec. 5, 2025, 6:47 p.m.</p>"
        f"<p>{PROSE}</p></article>"
    )
    head = jsonld(datePublished="2025-12-06T00:47:31Z", dateModified="2025-12-06T00:47:31Z")
    found = dates_of(body, head)
    assert found.published is not None and found.updated is not None
    assert found.published.value == datetime(2025, 12, 6, 0, 47, 31, tzinfo=UTC)
    assert found.published.value.date().isoformat() == "2025-12-05"
    assert found.updated.value.date().isoformat() == "2025-12-06"


def test_the_original_publication_date_wins_over_a_newer_printed_one() -> None:
    before = (
        "<article><h1>Title</h1><p class='date'>Published 30 Sep 2025, 11:07am</p>"
        f"<p>{PROSE}</p><p class='date'>This article was originally published on "
        "26 Sep 2023</p></article>"
    )
    after = (
        "<article><h1>Title</h1><p class='date'>12 Jan 2026 | Latest version</p>"
        "<p class='date'>3 Sept 2024 | Originally published</p>"
        f"<p>{PROSE}</p></article>"
    )
    newer = before.replace("originally published", "published")
    assert day(dates_of(before)) == "2023-09-26"
    assert day(dates_of(after)) == "2024-09-03"
    assert day(dates_of(newer)) == "2025-09-30"


def test_a_time_element_in_the_byline_gives_its_machine_instant() -> None:
    body = (
        "<div><h1>A second-generation pencil is rumored for March</h1><div class='byline'>"
        "<time datetime='2025-12-03T11:44:11-08:00'>Wednesday December 3, 2025 10:44 am PST"
        f"</time> by <a href='/author/jane-doe/'>Jane Doe</a></div></div><p>{PROSE}</p>"
    )
    assert published_of(body) == datetime(2025, 12, 3, 19, 44, 11, tzinfo=UTC)


def test_a_byline_time_element_without_an_offset_is_read_as_printed() -> None:
    body = (
        "<div><h1>Title</h1><div class='byline'><time datetime='2025-12-03'>"
        f"December 3, 2025 10:44 am PST</time> by Jane Doe</div></div><p>{PROSE}</p>"
    )
    assert published_of(body) == datetime(2025, 12, 3, 18, 44, tzinfo=UTC)


def test_a_timestamp_linking_to_the_page_itself_beats_one_linking_elsewhere() -> None:
    url = "https://social.example/jane/status/7452"
    body = (
        "<div class='reply-to'><a class='tweet-timestamp js-nav' href='/jane/status/7450'>"
        "<span data-time='1764800000'>Dec 3</span></a><p>An earlier post.</p></div>"
        "<div class='own'><a class='tweet-timestamp js-nav' href='/jane/status/7452'>"
        f"<span data-time='1764929245'>Dec 5</span></a><p>{PROSE}</p></div>"
    )
    assert published_of(body, url=url) == datetime(2025, 12, 5, 10, 7, 25, tzinfo=UTC)


def test_a_timestamp_linking_to_a_fragment_of_the_page_is_no_permalink() -> None:
    body = (
        "<article><h1>Title</h1><span data-time='1764800000'>Dec 3</span>"
        f"<p>{PROSE}</p><div class='note'><a href='/defence/drone-plant#note-12'>"
        "<span data-time='1764929245'>Dec 5</span></a></div></article>"
    )
    assert published_of(body) == datetime(2025, 12, 3, 22, 13, 20, tzinfo=UTC)


def test_a_script_hook_class_is_no_navigation_block() -> None:
    assert not is_foreign_mark("tweet-timestamp js-nav js-tooltip")
    assert is_foreign_mark("site-nav")


def test_a_byline_time_element_naming_a_day_gives_its_machine_day() -> None:
    body = (
        "<div><h1>Get that tech stack: Klatch Coffee</h1><div class='meta'>"
        f"<time datetime='2024-12-20'>August 28, 2024</time></div></div><p>{PROSE}</p>"
    )
    assert day(dates_of(body)) == "2024-12-20"


def test_a_teaser_h1_inside_an_article_is_not_the_headline_of_a_titled_page() -> None:
    head = "<title>API Documentation Guide: Best Practices &amp; Tips | Kong</title>"
    body = (
        "<div class='hero'><a href='/blog/learning-center'>Learning Center</a>"
        "<div>January 28, 2025</div><div>10 min read</div>"
        "<h1>Essential Guide to API Documentation: Best Practices and Strategies</h1></div>"
        f"<p>{PROSE}</p><p>{PROSE}</p><h2>Recommended posts</h2><article><div class='tags'>"
        "<a href='/blog'>Learning Center</a><time datetime='2025-04-14T04:00:00.000Z'>"
        "April 14, 2025</time></div><h1>What is Docs as Code?</h1></article>"
    )
    assert day(dates_of(body, head)) == "2025-01-28"


def test_a_publication_stamped_after_every_modification_yields_to_the_declared_article_date() -> (
    None
):
    head = (
        '<meta name="published-time" content="2026-03-09T08:45:32.183Z">'
        '<meta name="modified-date" content="2024-07-30">'
        '<meta name="published-date" content="2021-02-16">'
        '<meta name="modified-time" content="2026-01-15T17:15:38.126Z">'
    )
    found = dates_of(f"<h1>Emerging technologies</h1><p>{PROSE}</p>", head)
    assert day(found) == "2021-02-16"
    assert found.updated is not None and found.updated.value.date().isoformat() == "2024-07-30"


def test_an_abbr_gives_the_machine_date_of_its_title() -> None:
    body = (
        "<article><h1>Title</h1><p class='meta'>Posted at "
        "<abbr class='published' title='2025-12-03T20:38:00Z'>8:38 pm</abbr></p>"
        f"<p>{PROSE}</p></article>"
    )
    assert published_of(body) == datetime(2025, 12, 3, 20, 38, tzinfo=UTC)


def test_an_abbr_title_in_words_is_no_date() -> None:
    body = (
        "<article><h1>Title</h1><p>Dec 3, 2025 <abbr class='published' title='Eastern Time'>"
        f"ET</abbr></p><p>{PROSE}</p></article>"
    )
    assert day(dates_of(body)) == "2025-12-03"


def test_a_post_footer_dates_its_post_where_a_page_footer_does_not() -> None:
    body = (
        "<div class='post hentry'><h2 class='date-header'>Wednesday, December 3, 2025</h2>"
        f"<h3 class='post-title'>Title</h3><div class='post-body'>{PROSE}</div>"
        "<div class='post-footer'><span class='post-timestamp'>at "
        "<abbr class='published' itemprop='datePublished' title='2025-12-03T20:38:00Z'>"
        "8:38 pm</abbr></span></div></div>"
    )
    assert published_of(body) == datetime(2025, 12, 3, 20, 38, tzinfo=UTC)
    assert not is_foreign_mark("post-footer-line post-footer-line-1")
    assert not is_foreign_mark("entry-footer")
    assert is_foreign_mark("site-footer")


def test_a_time_in_a_guessed_zone_takes_the_offset_an_instant_states_for_its_clock() -> None:
    head = '<meta property="article:published_time" content="2025-12-03T22:05:00">'
    body = (
        "<article><h1>Title</h1><time datetime='2025-12-03T22:05:00.000Z'>Dec. 3, 2025 "
        f"2:05 PM PT</time><p>{PROSE}</p></article>"
    )
    found = dates_of(body, head, lang="en-US").published  # guessed: New York
    assert found is not None and found.value == datetime(2025, 12, 3, 22, 5, tzinfo=UTC)


def test_a_time_in_the_zone_the_page_states_keeps_it() -> None:
    head = (
        '<meta property="article:published_time" content="2025-12-03T22:05:00">'
        '<meta property="article:modified_time" content="2025-12-04T09:00:00-08:00">'
    )
    body = (
        "<article><h1>Title</h1><time datetime='2025-12-03T22:05:00.000Z'>Dec. 3</time>"
        f"<p>{PROSE}</p></article>"
    )
    found = dates_of(body, head, lang="en-US").published
    assert found is not None and found.value == datetime(2025, 12, 4, 6, 5, tzinfo=UTC)


def test_og_locale_gives_a_bare_lang_its_region_for_numeric_dates() -> None:
    byline = "<p>By Jane Doe - 03/11/2025</p>"
    body = f"<article><h1>Drone plant opens</h1>{byline}<p>{PROSE}</p></article>"
    assert day(dates_of(body)) == "2025-03-11"  # bare "en": month first
    british = '<meta property="og:locale" content="en_GB">'
    assert day(dates_of(body, british)) == "2025-11-03"
    french_region = '<meta property="og:locale" content="fr_FR">'
    assert day(dates_of(body, french_region)) == "2025-03-11"  # another language: not ours
