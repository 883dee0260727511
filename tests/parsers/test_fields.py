"""The small fields: headline, standfirst, section, tags, language, canonical URL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from parsers import SiteConfig
from parsers.extract.fields import (
    find_canonical_url,
    find_headline,
    find_language,
    find_section,
    find_standfirst,
    find_tags,
)
from parsers.extract.page import Page

URL = "https://www.example.com/news/navy-buys-six-frigates"
HEADLINE = "Navy buys six frigates"


def _page(html: str, url: str = URL, site: SiteConfig | None = None) -> Page:
    return Page.from_html(html, url, datetime(2025, 3, 5, tzinfo=UTC), site)


def _jsonld(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- headline ---------------------------------------------------------------------------


def test_headline_is_the_visible_h1_confirmed_by_og_title() -> None:
    page = _page(
        f'<html><head><meta property="og:title" content="{HEADLINE}"></head><body>'
        "<h1>Latest news from the fleet</h1>"
        f"<article><h1>{HEADLINE}</h1><p>Body.</p></article></body></html>"
    )
    assert find_headline(page) == HEADLINE


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Async streams in C#", "Async streams in C#"),
        ("Async streams in C# #", "Async streams in C#"),
        ("Async streams #", "Async streams"),
        ("Async streams¶", "Async streams"),
    ],
)
def test_a_headlines_permalink_mark_is_dropped_but_not_a_languages_sharp(
    printed: str, expected: str
) -> None:
    page = _page(f"<html><body><article><h1>{printed}</h1><p>Body.</p></article></body></html>")
    assert find_headline(page) == expected


def test_headline_is_the_visible_h1_confirmed_by_the_title_with_site_name() -> None:
    page = _page(
        f"<html><head><title>{HEADLINE} | Example News</title></head><body>"
        "<h1>Editor's picks this week</h1>"
        f"<h1>{HEADLINE}</h1></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_visible_headline_wrapped_in_a_kicker_gives_the_declared_title() -> None:
    page = _page(
        f'<html><head><meta property="og:title" content="{HEADLINE}"></head><body>'
        f"<h1>Exclusive: {HEADLINE}</h1></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_lone_unconfirmed_h1_beats_an_unrelated_declared_title() -> None:
    page = _page(
        "<html><head><title>Example News - defence and security</title></head><body>"
        f"<h1>{HEADLINE}</h1><p>Body.</p></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_an_h1_holding_a_paragraph_gives_way_to_the_declared_title() -> None:
    standfirst = (
        "Learn why the navy chose six frigates over four destroyers this year. Our analysts "
        "explain the costs, the crews and the shipyards involved, and what the decision means "
        "for the fleet over the next decade."
    )
    head = f"<title>{HEADLINE} | Example News</title>"
    page = _page(f"<html><head>{head}</head><body><h1>{standfirst}</h1></body></html>")
    assert find_headline(page) == HEADLINE


@pytest.mark.parametrize(
    "heading",
    ['<h1 id="comments">2 Comments</h1>', '<h1 class="page_title">3 thoughts on this</h1>'],
)
def test_the_comments_heading_is_not_the_headline(heading: str) -> None:
    head = f"<title>{HEADLINE}</title>"
    page = _page(f"<html><head>{head}</head><body><p>Body.</p>{heading}</body></html>")
    assert find_headline(page) == HEADLINE


def test_h1_logo_inside_a_header_with_nav_is_ignored() -> None:
    page = _page(
        "<html><head></head><body>"
        '<header><h1><a href="/">Defence Daily Review</a></h1>'
        '<nav><a href="/">Home</a><a href="/navy">Navy</a></nav></header>'
        f"<main><h1>{HEADLINE}</h1><p>Body.</p></main></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_h1_inside_a_plain_header_without_nav_is_a_headline() -> None:
    page = _page(
        f"<html><head></head><body><article><header><h1>{HEADLINE}</h1></header>"
        "<p>Body.</p></article></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_h1_in_a_logo_block_is_ignored() -> None:
    page = _page(
        '<html><head></head><body><div class="site-logo"><h1>Defence Daily Review</h1></div>'
        f"<h1>{HEADLINE}</h1></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_h1_that_is_the_site_name_is_ignored() -> None:
    page = _page(
        '<html><head><meta property="og:site_name" content="Example News"></head><body>'
        f"<h1>Example News</h1><h1>{HEADLINE}</h1></body></html>"
    )
    assert find_headline(page) == HEADLINE


SITE_NAME = "The Example Defence and Security Review"  # longer than the headline


def test_headline_falls_back_to_og_title_without_the_site_name() -> None:
    page = _page(
        f'<html><head><meta property="og:site_name" content="{SITE_NAME}">'
        f'<meta property="og:title" content="{HEADLINE} | {SITE_NAME}"></head>'
        "<body><p>No heading at all.</p></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_headline_falls_back_to_og_title_with_the_site_name_first() -> None:
    page = _page(
        f'<html><head><meta property="og:site_name" content="{SITE_NAME}">'
        f'<meta property="og:title" content="{SITE_NAME} - {HEADLINE}"></head>'
        "<body></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_a_domain_name_run_into_the_title_is_dropped() -> None:
    page = _page(f"<html><head><title>example.com {HEADLINE}</title></head><body></body></html>")
    assert find_headline(page) == HEADLINE
    page = _page(f"<html><head><title>Example.com: {HEADLINE}</title></head><body></body></html>")
    assert find_headline(page) == f"Example.com: {HEADLINE}"


def test_headline_falls_back_to_jsonld_headline() -> None:
    page = _page(
        "<html><head>"
        + _jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE})
        + "</head><body></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_h1_that_links_to_the_home_page_is_the_site_logo() -> None:
    page = _page(
        f"<html><head><title>{HEADLINE} | Fleet | Example News</title></head><body>"
        '<div class="top"><h1><a href="/">Welcome to the fleet blog</a></h1></div>'
        f"<article><h2>{HEADLINE}</h2><p>Body.</p></article></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_h1_inside_a_link_to_the_home_page_is_the_site_logo() -> None:
    page = _page(
        f"<html><head><title>{HEADLINE}</title></head><body>"
        '<a href="https://www.example.com/"><h1>Fleet watchers blog</h1></a>'
        "<p>Body.</p></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_h1_linking_to_its_own_article_is_still_a_headline() -> None:
    page = _page(
        "<html><head><title>Example News</title></head><body>"
        f'<h1><a href="/news/navy-buys-six-frigates">{HEADLINE}</a></h1></body></html>'
    )
    assert find_headline(page) == HEADLINE


def test_masthead_h1_counts_when_it_is_exactly_a_part_of_the_declared_title() -> None:
    page = _page(
        '<html><head><meta property="og:site_name" content="Example Wiki">'
        "<title>Frigate classes | Example Wiki</title>"
        + _jsonld({"@type": "Article", "headline": "Warship of medium size"})
        + "</head><body><header><nav><a href='/'>Home</a></nav><h1>Frigate classes</h1>"
        "</header><p>Body.</p></body></html>"
    )
    assert find_headline(page) == "Frigate classes"


def test_masthead_h1_that_only_shares_words_with_the_title_is_ignored() -> None:
    page = _page(
        f'<html><head><meta property="og:title" content="Exclusive report: {HEADLINE} today">'
        f'</head><body><div class="navbar"><h1>{HEADLINE}</h1></div></body></html>'
    )
    assert find_headline(page) == f"Exclusive report: {HEADLINE} today"


def test_h1_that_is_the_first_part_of_a_title_ending_in_the_host_name() -> None:
    page = _page(
        "<html><head><title>Type 26 frigates - Exampleencyclopedia</title></head><body>"
        "<h1>Type 26 frigates</h1><h1>Contents</h1><h1>History</h1></body></html>",
        url="https://en.exampleencyclopedia.org/wiki/Type_26",
    )
    assert find_headline(page) == "Type 26 frigates"


def test_heading_line_break_separates_words() -> None:
    page = _page(
        f"<html><head><title>{HEADLINE}</title></head><body>"
        "<h1>Navy buys<br>six frigates</h1></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_entities_escaped_twice_in_a_declared_title_are_decoded() -> None:
    page = _page(
        "<html><head>"
        + _jsonld({"@type": "NewsArticle", "headline": "Ships &#038; subs: the fleet plan"})
        + "</head><body></body></html>"
    )
    assert find_headline(page) == "Ships & subs: the fleet plan"


def test_h2_printing_the_whole_title_beats_a_section_h1() -> None:
    page = _page(
        f"<html><head><title>{HEADLINE}</title></head><body>"
        "<h1>Defence Procurement Center</h1><h2>Tools and resources</h2>"
        f"<h2>{HEADLINE}</h2><p>Body.</p></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_h2_printing_only_part_of_the_title_does_not_beat_the_h1() -> None:
    page = _page(
        "<html><head><title>Royal Navy - Six new frigates</title></head><body>"
        f"<h1>{HEADLINE}</h1><h2>Royal Navy</h2></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_plain_words_after_the_declared_title_are_the_headline_s_own() -> None:
    page = _page(
        f'<html><head><meta property="og:title" content="{HEADLINE}"></head><body>'
        f"<h1>{HEADLINE} for the northern fleet</h1></body></html>"
    )
    assert find_headline(page) == f"{HEADLINE} for the northern fleet"


def test_subtitle_set_off_after_the_declared_title_is_dropped() -> None:
    page = _page(
        f'<html><head><meta property="og:title" content="{HEADLINE}"></head><body>'
        f"<h1>{HEADLINE}: what it means for the fleet</h1></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_title_words_inside_longer_words_do_not_confirm_a_heading() -> None:
    page = _page(
        '<html><head><meta property="og:title" content="Site Config"></head><body>'
        "<h1>Initial Site Configuration</h1></body></html>"
    )
    assert find_headline(page) == "Initial Site Configuration"


def test_declared_title_falls_back_to_its_first_part_before_section_and_site() -> None:
    page = _page(
        f"<html><head><title>{HEADLINE} | Fleet news | {SITE_NAME}</title></head>"
        "<body><p>No heading.</p></body></html>"
    )
    assert find_headline(page) == HEADLINE


def test_declared_title_fallback_drops_a_part_that_spells_the_host_name() -> None:
    page = _page(
        "<html><head><title>Examplepedia.com - Frigate news</title></head>"
        "<body><p>No heading.</p></body></html>",
        url="https://examplepedia.com/frigate-news",
    )
    assert find_headline(page) == "Frigate news"


def test_declared_title_fallback_keeps_a_spaced_colon_inside_the_headline() -> None:
    page = _page(
        f"<html><head><title>Fleet report : six frigates | {SITE_NAME}</title></head>"
        "<body><p>No heading.</p></body></html>"
    )
    assert find_headline(page) == "Fleet report : six frigates"


def test_declared_title_fallback_reads_a_short_name_before_a_sentence_as_the_site() -> None:
    page = _page(
        "<html><head><title>Fleet Command | Dec. 3: navy commissions six new frigates in the"
        " northern port</title></head><body><p>No heading.</p></body></html>"
    )
    assert find_headline(page) == "Dec. 3: navy commissions six new frigates in the northern port"


def test_declared_title_fallback_keeps_a_short_first_part_before_a_short_name() -> None:
    page = _page(
        "<html><head><title>Frigates | Fleet Outfitters Co-op</title></head>"
        "<body><p>No heading.</p></body></html>"
    )
    assert find_headline(page) == "Frigates"


def test_headline_of_a_page_with_no_title_is_none() -> None:
    assert find_headline(_page("<html><head></head><body><p>x</p></body></html>")) is None


# --- standfirst -------------------------------------------------------------------------


STANDFIRST = "The deal ends a decade-long competition for the navy's largest order."


def test_standfirst_comes_from_the_visible_dek_before_metadata() -> None:
    page = _page(
        '<html><head><meta property="og:description" content="A teaser for social cards.">'
        f"</head><body><h1>{HEADLINE}</h1><p class='standfirst'>{STANDFIRST}</p></body></html>"
    )
    assert find_standfirst(page, HEADLINE) == STANDFIRST


def test_standfirst_too_short_falls_through_to_jsonld_description() -> None:
    page = _page(
        "<html><head>"
        + _jsonld({"@type": "NewsArticle", "description": STANDFIRST})
        + '<meta name="description" content="Meta description."></head><body>'
        "<p class='standfirst'>Short</p></body></html>"
    )
    assert find_standfirst(page, HEADLINE) == STANDFIRST


def test_standfirst_equal_to_the_headline_is_skipped() -> None:
    page = _page(
        f"<html><head></head><body><p class='subtitle'>{HEADLINE} for the northern fleet</p>"
        "</body></html>"
    )
    assert find_standfirst(page, f"{HEADLINE} for the northern fleet") is None


def test_standfirst_falls_back_to_og_description() -> None:
    page = _page(
        f'<html><head><meta property="og:description" content="{STANDFIRST}"></head>'
        "<body></body></html>"
    )
    assert find_standfirst(page, HEADLINE) == STANDFIRST


# --- section ----------------------------------------------------------------------------


def test_section_from_jsonld_article_section_wins() -> None:
    page = _page(
        "<html><head>"
        + _jsonld(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebPage", "name": "Page"},
                    {"@type": "NewsArticle", "articleSection": ["Naval", "Europe"]},
                ],
            }
        )
        + '<meta property="article:section" content="Meta Section"></head><body>'
        '<span class="cat-links"><a href="/c/x">Visible</a></span></body></html>'
    )
    assert find_section(page) == "Naval"


def test_section_from_meta_article_section() -> None:
    page = _page(
        '<html><head><meta property="article:section" content="Land Forces"></head><body>'
        '<span class="cat-links"><a href="/c/x">Visible</a></span></body></html>'
    )
    assert find_section(page) == "Land Forces"


def test_section_from_wordpress_cat_links_takes_the_first_category() -> None:
    page = _page(
        '<html><head></head><body><span class="cat-links"><a href="/c/air" rel="category tag">'
        'Air Power</a>, <a href="/c/eu" rel="category tag">Europe</a></span></body></html>'
    )
    assert find_section(page) == "Air Power"


def test_section_from_jsonld_breadcrumbs_in_position_order_skips_home_and_headline() -> None:
    crumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 3, "name": "Submarines"},
            {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://example.com/"},
            {"@type": "ListItem", "position": 4, "name": HEADLINE},
            {"@type": "ListItem", "position": 2, "name": "Naval Warfare"},
        ],
    }
    page = _page(
        f"<html><head>{_jsonld(crumbs)}<title>{HEADLINE}</title></head>"
        f"<body><h1>{HEADLINE}</h1></body></html>"
    )
    assert find_section(page) == "Submarines"


def test_jsonld_breadcrumb_item_without_a_name_uses_the_item_name() -> None:
    crumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "item": {"@id": "/", "name": "Home"}},
            {"@type": "ListItem", "position": 2, "item": {"@id": "/naval/", "name": "Naval"}},
        ],
    }
    page = _page(f"<html><head>{_jsonld(crumbs)}</head><body></body></html>")
    assert find_section(page) == "Naval"


def test_section_from_visible_breadcrumbs_skips_home_and_headline() -> None:
    page = _page(
        f"<html><head><title>{HEADLINE}</title></head><body>"
        '<nav class="breadcrumbs"><a href="/">Home</a> » '
        '<a href="/defence-industry/">Defence Industry</a> » '
        f'<a href="{URL}">{HEADLINE}</a></nav>'
        f"<h1>{HEADLINE}</h1></body></html>"
    )
    assert find_section(page) == "Defence Industry"


@pytest.mark.parametrize("home", ["Home", "HOME", "Accueil", "Ana Sayfa", "Головна"])
def test_breadcrumbs_with_only_home_give_no_section(home: str) -> None:
    page = _page(
        f'<html><head></head><body><div class="breadcrumb"><a href="/">{home}</a></div>'
        f"<h1>{HEADLINE}</h1></body></html>"
    )
    assert find_section(page) is None


def test_no_section_anywhere_is_none() -> None:
    assert find_section(_page("<html><head></head><body><p>x</p></body></html>")) is None


# --- tags -------------------------------------------------------------------------------


def test_tags_from_article_tag_meta_deduplicated_case_blind() -> None:
    page = _page(
        '<html><head><meta property="article:tag" content="Navy">'
        '<meta property="article:tag" content=" Frigates ">'
        '<meta property="article:tag" content="navy"></head>'
        '<body><a rel="tag" href="/t/other">Other</a></body></html>'
    )
    assert find_tags(page) == ("Navy", "Frigates")


@pytest.mark.parametrize(
    "keywords", ["Navy, Frigates , Procurement", ["Navy", "Frigates", "Procurement"]]
)
def test_tags_from_jsonld_keywords(keywords: Any) -> None:
    page = _page(
        "<html><head>"
        + _jsonld({"@type": "NewsArticle", "keywords": keywords})
        + '</head><body><a rel="tag" href="/t/other">Other</a></body></html>'
    )
    assert find_tags(page) == ("Navy", "Frigates", "Procurement")


def test_tags_from_rel_tag_links_but_not_category_links() -> None:
    page = _page(
        '<html><head></head><body><span class="cat-links">'
        '<a rel="category tag" href="/c/naval">Naval</a></span>'
        '<span class="tag-links"><a rel="tag" href="/t/navy">Navy</a>'
        '<a rel="tag" href="/t/frigates">Frigates</a></span></body></html>'
    )
    assert find_tags(page) == ("Navy", "Frigates")


def test_category_links_alone_give_no_tags() -> None:
    page = _page(
        '<html><head></head><body><span class="cat-links">'
        '<a rel="category tag" href="/c/naval">Naval</a></span></body></html>'
    )
    assert find_tags(page) == ()


def test_tags_are_capped() -> None:
    metas = "".join(f'<meta property="article:tag" content="tag {n}">' for n in range(50))
    tags = find_tags(_page(f"<html><head>{metas}</head><body></body></html>"))
    assert len(tags) == 30
    assert tags[0] == "tag 0"


# --- language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<html lang="fr-FR"><body></body></html>', "fr"),
        ('<html lang="EN"><body></body></html>', "en"),
        ('<html><head><meta property="og:locale" content="tr_TR"></head></html>', "tr"),
        ('<html lang="not a code"><head><meta http-equiv="content-language" content="uk">', "uk"),
        (
            "<html><head>" + _jsonld({"@type": "NewsArticle", "inLanguage": "de-DE"}) + "</head>",
            "de",
        ),
    ],
)
def test_language_is_a_lower_case_primary_code(html: str, language: str) -> None:
    assert find_language(_page(html)) == language


def test_page_language_wins_over_the_site_language() -> None:
    page = _page('<html lang="uk"><body></body></html>', site=SiteConfig(language="ru"))
    assert find_language(page) == "uk"


def test_site_language_applies_when_the_page_is_silent() -> None:
    page = _page('<html lang=""><body></body></html>', site=SiteConfig(language="fr"))
    assert find_language(page) == "fr"


def test_no_language_anywhere_is_none() -> None:
    assert find_language(_page("<html><body></body></html>")) is None


# --- canonical URL ----------------------------------------------------------------------


def _canonical(head: str, url: str = URL) -> str:
    return find_canonical_url(_page(f"<html><head>{head}</head><body></body></html>", url))


def test_canonical_link_on_the_same_site_is_used_and_normalized() -> None:
    head = '<link rel="canonical" href="https://example.com/news/navy-buys-six-frigates/#top">'
    assert _canonical(head) == "https://example.com/news/navy-buys-six-frigates/"


def test_relative_canonical_link_is_resolved_against_the_page() -> None:
    head = '<link rel="canonical" href="/news/navy-buys-six-frigates?utm_medium=rss">'
    assert _canonical(head) == URL


def test_canonical_on_an_amp_page_folds_to_the_article() -> None:
    head = '<link rel="canonical" href="https://amp.example.com/news/x/amp/">'
    assert _canonical(head) == "https://example.com/news/x/"


def test_canonical_on_another_site_is_ignored_for_og_url_on_this_one() -> None:
    head = (
        '<link rel="canonical" href="https://other.example.org/syndicated-story">'
        '<meta property="og:url" content="https://www.example.com/news/og-story">'
    )
    assert _canonical(head) == "https://www.example.com/news/og-story"


def test_canonical_on_another_site_falls_back_to_the_fetched_url_normalized() -> None:
    head = '<link rel="canonical" href="https://other.example.org/syndicated-story">'
    assert _canonical(head, URL + "?utm_source=rss#c") == URL


@pytest.mark.parametrize(
    "href", ["javascript:void(0)", "data:text/html,x", "http://[bad", "", "mailto:x@example.com"]
)
def test_unusable_canonical_falls_back_to_the_fetched_url(href: str) -> None:
    assert _canonical(f'<link rel="canonical" href="{href}">') == URL


def test_no_canonical_gives_the_fetched_url_normalized() -> None:
    assert _canonical("", "HTTPS://WWW.EXAMPLE.COM:443/news/navy-buys-six-frigates") == URL
