"""The authors cascade: declared sources first, printed bylines near the headline after."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from parsers.extract.authors import find_authors
from parsers.extract.page import Page

FETCHED = datetime(2025, 12, 6, 12, 0, tzinfo=UTC)
URL = "https://news.example/2025/12/story/"


def authors_of(body: str, head: str = "") -> tuple[str, ...]:
    html = f"<html><head><title>Drone deal signed</title>{head}</head><body>{body}</body></html>"
    return find_authors(Page.from_html(html, URL, FETCHED))


def jsonld(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{name}" content="{content}">'


ARTICLE = "<article><h1>Drone deal signed</h1><p>Body text of the story.</p></article>"


# --- JSON-LD --------------------------------------------------------------------------------


def test_jsonld_author_string() -> None:
    head = jsonld({"@type": "NewsArticle", "author": "Jane Doe"})
    assert authors_of(ARTICLE, head) == ("Jane Doe",)


def test_jsonld_person_objects_in_a_list() -> None:
    data = {
        "@type": "NewsArticle",
        "author": [
            {"@type": "Person", "name": "Jane Doe"},
            {"@type": "Person", "name": "John Roe"},
        ],
    }
    assert authors_of(ARTICLE, jsonld(data)) == ("Jane Doe", "John Roe")


def test_jsonld_author_reference_is_resolved_in_the_graph() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "@id": f"{URL}#article", "author": {"@id": f"{URL}#/person/1"}},
            {"@type": "Person", "@id": f"{URL}#/person/1", "name": "RNA Desk"},
            {"@type": "Organization", "@id": f"{URL}#org", "name": "RNA Media"},
        ],
    }
    assert authors_of(ARTICLE, jsonld(graph)) == ("RNA Desk",)


def test_jsonld_given_and_family_names() -> None:
    data = {"@type": "BlogPosting", "author": {"givenName": "Jane", "familyName": "Doe"}}
    assert authors_of(ARTICLE, jsonld(data)) == ("Jane Doe",)


def test_jsonld_wins_over_meta() -> None:
    head = jsonld({"@type": "NewsArticle", "author": "Jane Doe"}) + meta("author", "Web Team")
    assert authors_of(ARTICLE, head) == ("Jane Doe",)


def test_review_authors_are_not_the_page_author() -> None:
    data = {"@type": "Product", "review": {"@type": "Review", "author": "A Customer"}}
    flat_review = {"@type": "Review", "author": "A Customer"}
    assert authors_of(ARTICLE, jsonld(data) + jsonld(flat_review)) == ()


# --- meta -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("author", "name"),
        ("article:author", "property"),
        ("parsely-author", "name"),
        ("sailthru.author", "name"),
        ("dc.creator", "name"),
        ("byl", "name"),
    ],
)
def test_meta_author_names(name: str, attr: str) -> None:
    assert authors_of(ARTICLE, meta(name, "By Jane Doe", attr)) == ("Jane Doe",)


def test_scholarly_author_lists_beat_a_first_author_creator() -> None:
    # JMIR writes DC.Creator for the first author only, and every author in citation_authors.
    listed = ("Huberty, Jennifer", "Green, Jeni", "Lee, Chong")
    head = meta("DC.Creator", "Jennifer Huberty") + "".join(
        meta("citation_authors", name) for name in listed
    )
    assert authors_of(ARTICLE, head) == ("Jennifer Huberty", "Jeni Green", "Chong Lee")


def test_a_citation_authors_tag_may_hold_the_whole_list() -> None:
    head = meta("citation_authors", "Alic, John A.; Mowery, David C.; Rubin, Edward S.")
    assert authors_of(ARTICLE, head) == ("John A. Alic", "David C. Mowery", "Edward S. Rubin")


def test_article_author_url_is_not_a_name() -> None:
    head = meta("article:author", "https://www.facebook.com/janedoe", "property")
    assert authors_of(ARTICLE, head) == ()


def test_twitter_creator_only_as_a_last_resort_and_only_as_a_name() -> None:
    assert authors_of(ARTICLE, meta("twitter:creator", "@janedoe")) == ()
    assert authors_of(ARTICLE, meta("twitter:creator", "Jane Doe")) == ("Jane Doe",)
    head = meta("twitter:creator", "Someone Else") + meta("author", "Jane Doe")
    assert authors_of(ARTICLE, head) == ("Jane Doe",)


def test_the_publisher_name_gives_way_to_a_printed_person() -> None:
    head = meta("author", "News Example") + meta("og:site_name", "News Example", "property")
    body = '<article><h1>Drone deal signed</h1><p class="byline">By Jane Doe</p></article>'
    assert authors_of(body, head) == ("Jane Doe",)


def test_the_publisher_name_is_kept_when_no_person_is_printed() -> None:
    head = meta("author", "News Example") + meta("og:site_name", "News Example", "property")
    assert authors_of(ARTICLE, head) == ("News Example",)


# --- printed markup -------------------------------------------------------------------------


def test_rel_author_link() -> None:
    body = (
        '<article><h1>Drone deal signed</h1><div class="meta">'
        '<a rel="author" href="/people/jane-doe">Jane Doe</a></div></article>'
    )
    assert authors_of(body) == ("Jane Doe",)


def test_itemprop_author_with_nested_name() -> None:
    body = (
        '<article><h1>Drone deal signed</h1><span itemprop="author" itemscope '
        'itemtype="https://schema.org/Person">By <span itemprop="name">Jane Doe</span>'
        "</span></article>"
    )
    assert authors_of(body) == ("Jane Doe",)


def test_itemprop_author_with_the_name_in_a_meta_tag() -> None:
    body = (
        '<article><h1>Drone deal signed</h1><div itemprop="author" itemscope '
        'itemtype="https://schema.org/Person"><meta itemprop="name" content="Jane Doe"></div>'
        "</article>"
    )
    assert authors_of(body) == ("Jane Doe",)


def test_two_author_links_in_one_byline() -> None:
    body = (
        '<article><h1>Drone deal signed</h1><p class="byline">By '
        '<a href="/author/jane-doe/">Jane Doe</a> and <a href="/author/john-roe/">John Roe</a>'
        "</p></article>"
    )
    assert authors_of(body) == ("Jane Doe", "John Roe")


@pytest.mark.parametrize(
    "credit",
    [
        " – Updated Mar 5, 2026 | Fact-checked by ",
        ' | <span class="label">Reviewed by</span> ',
    ],
)
def test_an_author_link_after_a_credit_for_other_work_is_no_co_author(credit: str) -> None:
    body = (
        '<article><h1>Drone deal signed</h1><div class="meta">By '
        f'<a href="/author/jane-doe/">Jane Doe</a>{credit}<a href="/author/john-roe/">John Roe</a>'
        "</div></article>"
    )
    assert authors_of(body) == ("Jane Doe",)


def test_byline_block_with_role_and_date() -> None:
    body = (
        '<article><h1>Drone deal signed</h1><div class="post-author">'
        '<span class="name">Jane Doe</span><span class="role">Senior Defence Correspondent</span>'
        "<time>May 2, 2024</time></div></article>"
    )
    assert authors_of(body) == ("Jane Doe",)


def test_organisation_byline_is_kept() -> None:
    body = (
        '<article><h1>Drone deal signed</h1><span class="entry-author">By RNA Desk</span></article>'
    )
    assert authors_of(body) == ("RNA Desk",)


def test_by_line_near_the_headline_without_any_class() -> None:
    body = (
        "<div><header><h1>Drone deal signed</h1><p>By Jane Doe and John Roe</p></header>"
        "<p>Body text of the story, written by nobody in particular.</p></div>"
    )
    assert authors_of(body) == ("Jane Doe", "John Roe")


def test_author_box_with_a_bio_gives_the_name() -> None:
    bio = "Jane Doe covers defence procurement and has reported from twelve countries. " * 4
    body = (
        '<article><h1>Drone deal signed</h1><p>Body.</p><section class="author-box">'
        f"<h4>Jane Doe</h4><p>{bio}</p></section></article>"
    )
    assert authors_of(body) == ("Jane Doe",)


def test_related_article_authors_are_ignored() -> None:
    body = (
        "<article><h1>Drone deal signed</h1><p>Body text of the story.</p></article>"
        '<section class="related-posts"><div class="card"><h3>Other story</h3>'
        '<span class="author">Max Poe</span></div></section>'
    )
    assert authors_of(body) == ()


def test_comment_authors_are_ignored() -> None:
    body = (
        "<article><h1>Drone deal signed</h1><p>Body text.</p>"
        '<ol class="comment-list"><li><span class="comment-author">Troll Person</span></li></ol>'
        "</article>"
    )
    assert authors_of(body) == ()


def test_teasers_on_a_listing_page_are_not_its_authors() -> None:
    teaser = '<article><h2>Story {n}</h2><span class="byline">By Writer {n}</span></article>'
    body = "<main><h1>Navy</h1>" + "".join(teaser.format(n=n) for n in ("One", "Two")) + "</main>"
    assert authors_of(body) == ()


def test_the_byline_nearest_the_headline_wins() -> None:
    body = (
        '<div class="top"><span class="author">Site Owner Name</span></div>'
        '<article><h1>Drone deal signed</h1><span class="author">Jane Doe</span></article>'
    )
    assert authors_of(body) == ("Jane Doe",)


def test_photo_credits_are_not_bylines() -> None:
    body = (
        '<article><h1>Drone deal signed</h1><figure><img src="a.jpg">'
        '<figcaption><span class="author">Photo Agency Person</span></figcaption></figure>'
        '<p class="byline">By Jane Doe</p></article>'
    )
    assert authors_of(body) == ("Jane Doe",)


# --- garbage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html></html>",
        "not html at all <<<>>>",
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": </script>',
        jsonld({"@type": "NewsArticle", "author": [None, 3, {"name": None}, [], {}]}),
        jsonld({"@type": "NewsArticle", "author": {"@id": "#loop"}, "@id": "#loop"}),
        '<span class="author"></span><a rel="author"></a>',
    ],
)
def test_garbage_gives_no_authors_and_no_error(html: str) -> None:
    page = Page.from_html(html, URL, FETCHED)
    assert find_authors(page) == ()


# --- publisher names, desks and accounts ----------------------------------------------------


def test_the_copyright_holder_is_a_publisher_not_an_author() -> None:
    head = (
        meta("author", "Example Media")
        + meta("copyright", "Copyright (c) Example Media 2022")
        + meta("article:author", "Jane Doe", "property")
    )
    assert authors_of(ARTICLE, head) == ("Jane Doe",)


def test_the_publishers_staff_gives_way_to_a_printed_person() -> None:
    head = meta("og:site_name", "Daily Example", "property") + meta("author", "Daily Example Staff")
    body = '<article><h1>Drone deal signed</h1><p class="byline">By Jane Doe</p></article>'
    assert authors_of(body, head) == ("Jane Doe",)
    assert authors_of(ARTICLE, head) == ("Daily Example Staff",)


def test_a_family_first_meta_value_is_one_person() -> None:
    assert authors_of(ARTICLE, meta("author", "Doe, Jane")) == ("Jane Doe",)
    assert authors_of(ARTICLE, meta("author", "Jane Doe, John Roe")) == ("Jane Doe", "John Roe")


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Kooman, F.", "F. Kooman"),
        ("Jong, Michiel de", "Michiel de Jong"),
        ("Doe, Jane A.", "Jane A. Doe"),
    ],
)
def test_a_family_first_meta_value_may_hold_initials_and_a_particle(value: str, name: str) -> None:
    assert authors_of(ARTICLE, meta("dc.creator", value)) == (name,)


def test_a_family_first_reading_leaves_agencies_and_two_given_words_alone() -> None:
    assert "AP Reuters" not in authors_of(ARTICLE, meta("author", "Reuters, AP"))
    assert authors_of(ARTICLE, meta("author", "Roe, Jane Doe")) == ("Roe", "Jane Doe")


def test_the_publisher_beside_people_is_dropped() -> None:
    head = meta("og:site_name", "The Daily Example", "property") + jsonld(
        {"@type": "NewsArticle", "author": "Jane Doe and John Roe, The Daily Example"}
    )
    assert authors_of(ARTICLE, head) == ("Jane Doe", "John Roe")


def test_the_publisher_named_with_the_beside_people_is_dropped() -> None:
    html = (
        "<html><head>"
        + jsonld({"@type": "NewsArticle", "author": "Jane Doe and John Roe, The Daily Example"})
        + f"</head><body>{ARTICLE}</body></html>"
    )
    page = Page.from_html(html, "https://www.dailyexample.com/story", FETCHED)
    assert find_authors(page) == ("Jane Doe", "John Roe")


def test_an_institution_beside_a_person_is_dropped_and_alone_kept() -> None:
    beside = jsonld(
        {"@type": "NewsArticle", "author": ["Jane Doe", "Garden-based Learning Network"]}
    )
    alone = jsonld({"@type": "Report", "author": "Institute for Defense Analyses"})
    assert authors_of(ARTICLE, beside) == ("Jane Doe",)
    assert authors_of(ARTICLE, alone) == ("Institute for Defense Analyses",)


def test_a_declared_lone_word_gives_way_to_a_declared_full_name() -> None:
    head = meta("author", "Webmaster") + meta("dc.creator", "Jane Doe")
    assert authors_of(ARTICLE, head) == ("Jane Doe",)
    assert authors_of(ARTICLE, meta("author", "Webmaster")) == ("Webmaster",)


def test_a_declared_user_name_with_digits_is_kept() -> None:
    head = jsonld({"@type": "DiscussionForumPosting", "author": {"name": "reader2024"}})
    assert authors_of(ARTICLE, head) == ("reader2024",)


def test_a_printed_full_name_replaces_a_declared_user_name() -> None:
    head = jsonld({"@type": "NewsArticle", "author": {"name": "CC7567"}})
    body = '<article><h1>Drone deal signed</h1><p class="byline">By Jane Doe</p></article>'
    assert authors_of(body, head) == ("Jane Doe",)


# --- forums and labelled bylines ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '<h1>Drone deal signed</h1><ul><li><span>Thread starter</span> <a class="u">quietfox7</a>'
        "</li></ul>",
        "<h1>Drone deal signed</h1><p>Started by quietfox7, June 04, 2024, 11:23 AM</p>",
        "<h1>Drone deal signed</h1><div><a>quietfox7</a> <span>Discussion starter</span></div>",
    ],
)
def test_a_thread_starter_is_the_discussions_author(body: str) -> None:
    assert authors_of(body) == ("quietfox7",)


def test_a_written_by_line_far_from_the_headline_is_read() -> None:
    body = (
        "<header><div><div><div><h1>Drone deal signed</h1></div></div></div></header>"
        "<main><p>Body text of the story.</p>"
        "<section><div><div><p>Written by</p><p>Jane Doe</p></div></div></section></main>"
    )
    assert authors_of(body) == ("Jane Doe",)


def test_a_dated_by_line_is_read() -> None:
    body = (
        "<header><div><div><div><h1>Drone deal signed</h1></div></div></div></header>"
        "<main><div><div><p>Dec 08, 2019 <span>by Jane Doe in</span> <a>Travel</a></p></div></div>"
        "</main>"
    )
    assert authors_of(body) == ("Jane Doe",)


@pytest.mark.parametrize(
    "byline",
    [
        "<div><h3>Author</h3><p>Jane Doe</p></div>",
        "<div><strong>Contributors:</strong> Jane Doe</div>",
    ],
)
def test_a_labelled_author_is_read(byline: str) -> None:
    body = (
        "<header><div><div><div><h1>Drone deal signed</h1></div></div></div></header>"
        f"<main><p>Body text of the story.</p><aside><div><div>{byline}</div></div></aside></main>"
    )
    assert authors_of(body) == ("Jane Doe",)


@pytest.mark.parametrize(
    "line",
    [
        "<p>By subscribing you agree to our <a>Privacy Policy</a></p>",
        "<p>By contrast, the ministry said nothing.</p>",
        '<div class="related"><p>By Jane Doe</p></div>',
    ],
)
def test_by_lines_that_name_no_author_are_ignored(line: str) -> None:
    body = (
        "<header><div><div><div><h1>Drone deal signed</h1></div></div></div></header>"
        f"<main><div><div><div>{line}</div></div></div></main>"
    )
    assert authors_of(body) == ()


def test_a_profile_address_names_the_author_when_nothing_else_does() -> None:
    head = meta("article:author", "https://news.example/editors/jane-doe", "property")
    assert authors_of(ARTICLE, head) == ("Jane Doe",)
    head = meta("article:author", "https://www.facebook.com/newsexample", "property")
    assert authors_of(ARTICLE, head) == ()
    printed = '<article><h1>Drone deal signed</h1><p class="byline">By John Roe</p></article>'
    head = meta("article:author", "https://news.example/author/jane-doe", "property")
    assert authors_of(printed, head) == ("John Roe",)


def test_a_company_beside_a_person_in_the_author_metas_is_the_operator() -> None:
    head = meta("author", "Example Media Inc.") + meta("author", "山田太郎")
    assert authors_of(ARTICLE, head) == ("山田太郎",)


def test_a_company_alone_is_kept_as_the_byline() -> None:
    assert authors_of(ARTICLE, meta("author", "Example Media Ltd")) == ("Example Media Ltd",)


def test_a_label_element_before_the_name_is_not_the_author() -> None:
    body = (
        "<article><h1>Drone deal signed</h1><dl class='p-author'><dt>著者</dt>"
        "<dd><a href='/author/123/'>山田太郎</a></dd></dl><p>Body text of the story.</p></article>"
    )
    assert authors_of(body) == ("山田太郎",)


def test_an_authority_control_box_is_no_byline() -> None:
    body = (
        f"{ARTICLE}<div class='navbox authority-control'><a href='/wiki/Help:Authority_control'>"
        "Authority control</a> <span>Example Library</span></div>"
    )
    assert authors_of(body) == ()


def test_by_before_a_number_is_prose_not_a_byline() -> None:
    body = (
        '<div><div class="header"><h1>Drone deal signed</h1></div><div><p>The market could reach '
        '<a href="/r">$231bn</a><span> by 2032, reflecting adoption across developed and '
        "emerging markets.</span></p></div></div>"
    )
    assert authors_of(body) == ()


def test_a_lower_case_link_to_contributors_inside_prose_is_no_byline() -> None:
    prose = (
        "The assistant has now made "
        '<a href="https://code.example.org/proj/graphs/contributors">several hundred commits</a>'
        ", growing the tiny one-page file into a full application with tests and a manual."
    )
    body = f"<article><h1>Drone deal signed</h1><p>{prose}</p></article>"
    assert authors_of(body) == ()
    byline = '<p>By <a href="/author/jane-doe">Jane Doe</a></p>'
    assert authors_of(f"<article><h1>Drone deal signed</h1>{byline}<p>{prose}</p></article>") == (
        "Jane Doe",
    )


def test_a_tag_link_in_the_byline_slot_is_a_topic_not_an_author() -> None:
    byline = (
        '<div class="post-byline"><a href="/tag/procurement">Defence procurement</a>'
        "<span>January 27, 2025</span></div>"
    )
    assert authors_of(f"<article><h1>Drone deal signed</h1>{byline}</article>") == ()
    byline = '<div class="post-byline"><a href="/author/jane-doe">Jane Doe</a></div>'
    assert authors_of(f"<article><h1>Drone deal signed</h1>{byline}</article>") == ("Jane Doe",)


def test_a_preview_cards_written_by_pair_names_the_author() -> None:
    head = meta("twitter:label1", "Written by") + meta("twitter:data1", "Jane Doe")
    head += meta("twitter:label2", "Est. reading time") + meta("twitter:data2", "4 minutes")
    assert authors_of(ARTICLE, head) == ("Jane Doe",)
    german = meta("twitter:label1", "Geschrieben von") + meta("twitter:data1", "Anna Müller")
    assert authors_of(ARTICLE, german) == ("Anna Müller",)


def test_a_printed_byline_comes_before_the_preview_cards_account() -> None:
    head = meta("twitter:label1", "Written by") + meta("twitter:data1", "Web Editor Desk")
    body = '<article><h1>Drone deal signed</h1><p class="byline">By John Roe</p></article>'
    assert authors_of(body, head) == ("John Roe",)


def test_a_preview_card_pair_with_another_label_is_no_author() -> None:
    head = meta("twitter:label1", "Est. reading time") + meta("twitter:data1", "Four Minutes")
    assert authors_of(ARTICLE, head) == ()


AVATAR_BYLINE = (
    '<div class="flex items-center"><img src="/a.jpg" alt="Jane Doe" class="h-8 w-8 rounded-full">'
    '<div><p class="font-semibold">Jane Doe</p><p>May 2, 2025</p></div></div>'
)


def test_a_round_avatar_beside_the_same_name_is_the_byline() -> None:
    body = (
        f"<article><header><h1>Drone deal signed</h1>{AVATAR_BYLINE}</header><p>Text.</p></article>"
    )
    assert authors_of(body) == ("Jane Doe",)


def test_an_app_icon_beside_its_name_is_no_byline() -> None:
    icon = AVATAR_BYLINE.replace("rounded-full", "rounded-xl").replace("Jane Doe", "Song Sweeper")
    body = f"<article><header><h1>Drone deal signed</h1>{icon}</header><p>Text.</p></article>"
    assert authors_of(body) == ()


def test_a_reviewers_avatar_is_no_byline() -> None:
    review = f'<ol class="commentlist"><li class="review">{AVATAR_BYLINE}</li></ol>'
    body = f"<article><h1>Drone deal signed</h1><p>Text.</p>{review}</article>"
    assert authors_of(body) == ()


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("This post was written by Jane Doe, MD, cardiologist at Example Health.", ("Jane Doe",)),
        ("Read this article written by John Roe.", ("John Roe",)),
        ("A novel written by Jane Doe, reviewed.", ()),
    ],
)
def test_a_description_that_opens_with_the_byline_names_the_author(
    description: str, expected: tuple[str, ...]
) -> None:
    assert authors_of(ARTICLE, meta("description", description)) == expected
