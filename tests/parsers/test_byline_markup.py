"""Printed bylines: the headline anchors the search, foreign blocks are skipped."""

from __future__ import annotations

from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser

from parsers.extract.byline_markup import BylineMarkup, names_in_block, printed_text
from parsers.extract.page import Page

FETCHED = datetime(2025, 12, 6, 12, 0, tzinfo=UTC)


def markup(body: str, title: str = "Drone deal signed") -> BylineMarkup:
    html = f"<html><head><title>{title} | News Example</title></head><body>{body}</body></html>"
    return BylineMarkup(Page.from_html(html, "https://news.example/a", FETCHED))


def test_printed_text_keeps_element_boundaries_apart() -> None:
    node = LexborHTMLParser(
        '<div><span class="name">Jane Doe</span><span class="role">Defence Editor</span></div>'
    ).css_first("div")
    assert node is not None
    assert printed_text(node) == "Jane Doe | Defence Editor"


def test_printed_text_joins_by_and_and_commas() -> None:
    node = LexborHTMLParser(
        "<p>By <a>Jane Doe</a>, <a>John Roe</a> and <a>Max Poe</a></p>"
    ).css_first("p")
    assert node is not None
    assert printed_text(node) == "By Jane Doe , John Roe and Max Poe"


def test_printed_text_drops_script_text() -> None:
    node = LexborHTMLParser(
        '<div>Jane Doe<script>img.removeAttribute("onerror");</script></div>'
    ).css_first("div")
    assert node is not None
    assert printed_text(node) == "Jane Doe"


def test_a_short_block_gives_its_own_text() -> None:
    node = LexborHTMLParser(
        '<div class="byline">By <span itemprop="name">Jane Doe</span></div>'
    ).css_first("div")
    assert node is not None
    assert names_in_block(node) == ["By Jane Doe"]


def test_an_author_box_gives_the_line_with_the_name() -> None:
    bio = "She has covered naval procurement for the paper since the last defence review. " * 3
    node = LexborHTMLParser(
        f'<div class="author-box"><p>About the author</p><h4>Jane Doe</h4><p>{bio}</p></div>'
    ).css_first("div")
    assert node is not None
    assert names_in_block(node) == ["Jane Doe"]


def test_the_h1_repeating_the_title_is_the_headline() -> None:
    page = markup('<h1 class="logo">News Example</h1><article><h1>Drone deal signed</h1></article>')
    headline = page.headline()
    assert headline is not None
    assert headline.text() == "Drone deal signed"


def test_candidates_after_the_headline_come_first() -> None:
    page = markup(
        '<span class="author">Before</span><h1>Drone deal signed</h1>'
        '<span class="author">After</span><span class="author">Later</span>'
    )
    assert [node.text() for node in page.nearest_first()] == ["After", "Later", "Before"]


def test_blocks_around_the_headline_are_never_foreign() -> None:
    page = markup(
        '<div class="content-sidebar-wrap related"><h1>Drone deal signed</h1>'
        '<span class="author">Jane Doe</span></div>'
        '<aside class="sidebar"><span class="author">Max Poe</span></aside>'
    )
    own, other = page.nearest_first()
    assert not page.is_foreign(own)
    assert page.is_foreign(other)


def test_a_sticky_column_holding_the_main_content_is_not_a_sidebar() -> None:
    page = markup(
        '<header class="hero"><h1>Drone deal signed</h1></header>'
        '<div class="theiaStickySidebar"><main><article><p>Body.</p>'
        '<div class="author-box"><span class="author">Jane Doe</span></div></article></main></div>'
        '<div class="theiaStickySidebar"><aside><span class="author">Max Poe</span></aside></div>'
    )
    box, own, other = page.nearest_first()
    assert not page.is_foreign(box)
    assert not page.is_foreign(own)
    assert page.is_foreign(other)


def test_by_line_in_the_headline_block() -> None:
    page = markup("<header><h1>Drone deal signed</h1><p>Words by Jane Doe</p></header>")
    assert list(page.by_lines_near_headline()) == [["Jane Doe"]]


def test_a_sentence_opening_with_by_names_nobody() -> None:
    page = markup(
        "<header><h1>Drone deal signed</h1><ul><li><p>By batching, we cut the latency "
        "during spikes, even with fewer GPUs</p></li></ul></header>"
    )
    assert list(page.by_lines_near_headline()) == []


def test_a_lower_case_handle_on_a_short_by_line_is_kept() -> None:
    page = markup("<header><h1>Drone deal signed</h1><p>By jdoe</p></header>")
    assert list(page.by_lines_near_headline()) == [["jdoe"]]
