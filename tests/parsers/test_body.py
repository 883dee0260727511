"""The body: container choice, boilerplate pruning, and reading text blocks in order."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.extract import vocab
from parsers.extract.body import Content, extract_content
from parsers.extract.text_blocks import Block, read_blocks

HEADLINE = "Navy buys six frigates"
P1 = (
    "The navy signed a contract for six new frigates on Monday, officials said, "
    "ending a long competition."
)
P2 = (
    "The ships, to be built at the national yard, will replace ageing vessels from the "
    "1990s, with first delivery due in 2030."
)
P3 = (
    "Critics said the price was too high, but the minister said the fleet could not wait "
    "any longer for new ships."
)
P4 = (
    "Parliament must still approve the budget, which is expected to pass next month with "
    "support from the opposition."
)
ARTICLE = (P1, P2, P3, P4)


def _content(html: str, headline: str | None = HEADLINE, standfirst: str | None = None) -> Content:
    return extract_content(LexborHTMLParser(html), headline, standfirst)


def _body(
    html: str, headline: str | None = HEADLINE, standfirst: str | None = None
) -> tuple[str, ...]:
    return _content(html, headline, standfirst).paragraphs


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


# --- the container ----------------------------------------------------------------------


def test_known_container_is_chosen_and_page_chrome_left_out() -> None:
    html = (
        '<html><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>'
        f'<main><article><h1>{HEADLINE}</h1><div class="entry-content">{_paragraphs(*ARTICLE)}'
        "</div></article></main>"
        "<footer><p>Copyright 2025 Example News, all rights reserved in every country.</p>"
        "</footer></body></html>"
    )
    content = _content(html)
    assert content.paragraphs == ARTICLE
    assert content.main is not None
    assert content.main.attributes.get("class") == "entry-content"


def test_container_is_found_by_paragraph_votes_without_known_selectors() -> None:
    html = (
        '<html><body><div id="top"><div class="x1"><a href="/">Home</a> <a href="/n">News</a>'
        f'</div></div><div class="wrap"><div class="col-a"><h1>{HEADLINE}</h1>'
        f'<div class="zz">{_paragraphs(*ARTICLE)}</div></div>'
        '<div class="col-b"><ul>'
        '<li><a href="/1">Another story about the army that is long enough to count</a></li>'
        '<li><a href="/2">Yet another story about the air force that is long enough too</a></li>'
        "</ul></div></div></body></html>"
    )
    content = _content(html)
    assert content.paragraphs == ARTICLE
    assert content.main is not None
    assert content.main.attributes.get("class") == "zz"


def test_known_container_wins_over_a_voted_inner_block() -> None:
    html = (
        '<html><body><div itemprop="articleBody">'
        f'<div class="part">{_paragraphs(P1, P2, P3)}</div><div class="x"><p>{P4}</p></div>'
        '</div><div class="other"><p>A short teaser for another story on the site.</p></div>'
        "</body></html>"
    )
    assert _body(html) == ARTICLE


def test_paragraph_siblings_of_the_voted_block_are_read_with_it() -> None:
    html = (
        f'<html><body><div class="c1"><div class="a">{_paragraphs(P1, P2, P3)}</div>'
        f"<p>{P4}</p></div></body></html>"
    )
    assert _body(html) == ARTICLE


def test_label_lines_at_the_edges_are_trimmed_but_kept_inside() -> None:
    html = _article_with("<p>In numbers</p>").replace(
        '<div class="entry-content">', '<div class="entry-content"><p>Naval Warfare</p>'
    )
    html = html.replace("</div></article>", "<p>Back to top</p></div></article>")
    assert _body(html) == (P1, P2, "In numbers", P3, P4)


def test_a_fact_box_opening_the_text_is_kept_but_a_lone_label_is_not() -> None:
    facts = "<p>Name: Ashley<br>Location: Downtown, Los Angeles, California</p>"
    html = _article_with("").replace(
        '<div class="entry-content">', f'<div class="entry-content"><p>Share</p>{facts}'
    )
    assert _body(html)[:3] == ("Name: Ashley", "Location: Downtown, Los Angeles, California", P1)
    lone = _article_with("").replace(
        '<div class="entry-content">', '<div class="entry-content"><p>Category: News</p>'
    )
    assert _body(lone)[0] == P1


def test_a_first_sentence_broken_over_lines_keeps_its_early_lines() -> None:
    lines = "<p>Older workers are often<br>considered less efficient,<br>and slow to change.</p>"
    html = _article_with("").replace(
        '<div class="entry-content">', f'<div class="entry-content"><p>Share</p>{lines}'
    )
    assert _body(html)[:4] == (
        "Older workers are often",
        "considered less efficient,",
        "and slow to change.",
        P1,
    )


def test_page_without_text_gives_an_empty_body() -> None:
    assert _body("<html><body><p>Hi.</p></body></html>") in ((), ("Hi.",))
    assert _body("") == ()


# --- boilerplate pruned -----------------------------------------------------------------


def _article_with(boilerplate: str) -> str:
    return (
        f'<html><body><article><h1>{HEADLINE}</h1><div class="entry-content">'
        f"<p>{P1}</p><p>{P2}</p>{boilerplate}<p>{P3}</p><p>{P4}</p>"
        "</div></article></body></html>"
    )


@pytest.mark.parametrize(
    ("boilerplate", "leaked"),
    [
        (
            '<div class="sharedaddy sd-sharing-enabled"><p>Share this with your friends and '
            "colleagues on every platform.</p></div>",
            "Share this with",
        ),
        (
            '<div class="social-share"><a href="#">Facebook</a> <a href="#">X</a> '
            "<p>Spread the word about this story on social media today.</p></div>",
            "Spread the word",
        ),
        (
            '<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><p>Your email '
            "address will not be published. Required fields are marked.</p></div>",
            "Your email address",
        ),
        (
            '<div class="author-bio"><p>Jane Doe is our naval correspondent, covering '
            "shipbuilding and procurement across Europe.</p></div>",
            "naval correspondent",
        ),
        (
            '<div class="jp-relatedposts"><h3>Related</h3><p><a href="/a">Air force picks a new '
            "trainer jet after a long and contested competition</a></p></div>",
            "trainer jet",
        ),
        (
            '<div class="newsletter-signup"><p>Sign up for our daily defence newsletter to get '
            "every story in your inbox each morning.</p></div>",
            "daily defence newsletter",
        ),
        (
            '<div class="ad-slot"><p>Buy our premium defence intelligence subscription for your '
            "whole team today, at a discount.</p></div>",
            "premium defence intelligence",
        ),
        (
            "<aside><p>Editor's picks: the best of our coverage this week, chosen by the "
            "newsroom.</p></aside>",
            "Editor's picks",
        ),
    ],
)
def test_boilerplate_blocks_inside_the_article_are_dropped(boilerplate: str, leaked: str) -> None:
    body = _body(_article_with(boilerplate))
    assert body == ARTICLE
    assert not any(leaked in paragraph for paragraph in body)


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe",
        "By Jane Doe and John Roe",
        "Published 26 September 2025",
        "Last updated: March 4, 2025 10:30",
        "March 4, 2025",
        "14:30",
        "Read more: Army orders new tanks for the northern brigades",
        "Also read: Air force picks a new trainer jet",
        "Leave a Reply",
        "Avatar photo",
        "Share this article",
        "Advertisement",
        "Tags: Navy, Frigates",
        "Next article: Shipyard hires 400 welders",
        "Previous post: The frigate's first sea trials",
        "You might also like: Inside the new submarine base",
        "As an Amazon Associate we earn from qualifying purchases.",
        "This post may contain affiliate links.",
        "$130 Add to cart",
        "Out of stock",
        "Free shipping on all orders over $100",
        "Returns & exchanges accepted within 30 days",
        "Members earn 179 points on this purchase.",
        "People who viewed this item also viewed",
        "Discontinued This product is no longer available.",
        "Join Date: Aug 2008",
        "Posts: 1,077",
        "62 posts · Joined 2008",
        "Reply With Quote 0",
        "Sent from my SM-S908U using Tapatalk",
        "You must log in to answer this question.",
        "This topic was automatically closed 30 days after the last reply.",
        "[vc_row type=”full_width_background”][vc_column_text]",
        "Showing 24 of 291 results",
        "Sort by:",
        "Quick Shop 6 colors",
        "Was this article helpful?",
        "Designed by Elegant Themes | Powered by WordPress",
        "You might like",
        "You may be interested in the following topics as well:",
        "Related topics & resources",
        "More from Defence Weekly",
        "Other WRAL Top Stories",
        "Explore More Blogs Just For you",
        "Follow Us On Social Media",
        "Stay connected with us!",
        "Add Newsweek as a preferred source on Google to see more of our trusted coverage.",
        "LIKE IT? PIN IT!",
        "Pin this for later!",
        "PIN FOR LATER",
        "Did you enjoy this article?",
        "Tried this Recipe? Pin it for Later! Mention @kitchen or tag #kitchen!",
        "Did you make one of my recipes? Please take a moment to leave a star rating.",
    ],
)
def test_chrome_lines_inside_the_container_are_dropped(line: str) -> None:
    html = _article_with(f"<p>{line}</p>")
    assert _body(html) == ARTICLE


@pytest.mark.parametrize(
    "sentence",
    [
        "Discontinued programs include the light tank and two coastal patrol boats.",
        "Free shipping lanes through the strait were the navy's first concern in the talks.",
        "Ships from the Black Sea Fleet left Sevastopol before dawn, the ministry said.",
        "Pin it down before the storm arrives, the crew chief told the deck hands.",
        "Made this recipe for the squadron's reunion and nobody left hungry.",
        "You may also be interested in the list of scholarships for cadets abroad.",
        "More from the ministry on the frigate programme:",
        "More from the interview",
    ],
)
def test_a_sentence_opening_like_a_chrome_line_is_kept(sentence: str) -> None:
    assert sentence in _body(_article_with(f"<p>{sentence}</p>"))


def test_a_sentence_starting_with_by_is_kept() -> None:
    sentence = "By the end of the decade, the navy expects to field twelve frigates in all."
    assert sentence in _body(_article_with(f"<p>{sentence}</p>"))


def test_headline_and_standfirst_repeated_in_the_container_are_dropped() -> None:
    standfirst = "The deal ends a decade-long competition for the navy's largest order."
    html = (
        f'<html><body><div class="entry-content"><p>{HEADLINE}</p><p>{standfirst}</p>'
        f"{_paragraphs(*ARTICLE)}</div></body></html>"
    )
    assert _body(html, HEADLINE, standfirst) == ARTICLE


# --- structure kept ---------------------------------------------------------------------


def test_sub_headings_are_kept_as_paragraphs_in_order() -> None:
    html = _article_with("<h2>Opposition in parliament</h2>")
    assert _body(html) == (P1, P2, "Opposition in parliament", P3, P4)


def test_a_heading_may_open_the_article() -> None:
    html = (
        '<html><body><div class="entry-content"><h2>Why the navy needs new ships</h2>'
        f"{_paragraphs(*ARTICLE)}</div></body></html>"
    )
    assert _body(html) == ("Why the navy needs new ships", *ARTICLE)


def test_figure_captions_are_not_body_text() -> None:
    caption = "The frigate at sea during trials last year, photographed from a helicopter."
    html = _article_with(
        f'<figure><img src="a.jpg" alt="A frigate"><figcaption>{caption}</figcaption></figure>'
        f'<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">{caption} (2)</p>'
        "</div>"
    )
    body = _body(html)
    assert body == ARTICLE
    assert not any("helicopter" in paragraph for paragraph in body)


def test_br_separated_text_is_split_into_paragraphs() -> None:
    html = (
        f'<html><body><div class="story-text">{P1}<br><br>{P2}<br/>{P3}<br><br>{P4}</div>'
        "</body></html>"
    )
    assert _body(html) == ARTICLE


def test_br_inside_a_paragraph_splits_it() -> None:
    html = _article_with(f"<p>{P2}<br>{P3}</p>").replace(f"<p>{P2}</p>", "", 1)
    html = html.replace(f"<p>{P3}</p>", "", 1)
    assert _body(html) == ARTICLE


def test_inline_markup_does_not_split_a_paragraph() -> None:
    split = P1.replace("six new frigates", "<strong>six</strong> new <a href='/f'>frigates</a>")
    html = _article_with("").replace(f"<p>{P1}</p>", f"<p>{split}</p>")
    assert _body(html)[0] == P1


def test_list_items_are_paragraphs() -> None:
    items = ("Six frigates for the navy.", "Twelve helicopters for the army.")
    html = _article_with("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
    assert _body(html) == (P1, P2, *items, P3, P4)


# --- page builders ----------------------------------------------------------------------


def test_article_split_across_sibling_widget_blocks_comes_out_whole() -> None:
    def widget(kind: str, inner: str) -> str:
        return (
            f'<div class="elementor-widget elementor-widget-{kind}">'
            f'<div class="elementor-widget-container">{inner}</div></div>'
        )

    html = (
        '<html><body><div class="elementor-section"><div class="elementor-container">'
        + widget("heading", f"<h1>{HEADLINE}</h1>")
        + widget("text-editor", _paragraphs(P1, P2))
        + widget("image", '<img src="x.jpg">')
        + widget("text-editor", _paragraphs(P3, P4))
        + "</div></div></body></html>"
    )
    assert _body(html) == ARTICLE


def test_so_panel_widget_holding_the_article_is_read() -> None:
    html = (
        '<html><body><div class="panel-grid"><div class="so-panel widget widget_text">'
        f'<div class="textwidget">{_paragraphs(*ARTICLE)}</div></div></div></body></html>'
    )
    assert _body(html) == ARTICLE


def test_widget_span_holding_the_article_is_not_pruned() -> None:
    html = (
        '<html><body><div class="row-fluid"><div class="span8 widget-span widget-type-cell">'
        f'<div class="widget-span widget-type-raw_html"><h1>{HEADLINE}</h1>'
        f'{_paragraphs(*ARTICLE)}</div></div><div class="span4 widget-span sidebar">'
        '<p><a href="/subscribe">Subscribe to our newsletter for more stories</a></p></div>'
        "</div></body></html>"
    )
    assert _body(html) == ARTICLE


def test_block_labelled_like_boilerplate_that_holds_the_article_is_kept() -> None:
    html = (
        '<html><body><div class="sidebar-right-layout">'
        f"{_paragraphs(*ARTICLE)}</div>"
        '<div class="sidebar-right"><p>A short teaser for another story here.</p></div>'
        "</body></html>"
    )
    assert _body(html) == ARTICLE


def test_aside_that_holds_the_article_is_kept() -> None:
    html = f"<html><body><aside>{_paragraphs(*ARTICLE)}</aside></body></html>"
    assert _body(html) == ARTICLE


# --- text blocks ------------------------------------------------------------------------


def _blocks(inner: str) -> list[Block]:
    """The blocks read from `<div id="c">inner</div>`."""
    container = LexborHTMLParser(f'<div id="c">{inner}</div>').css_first("#c")
    assert container is not None
    return read_blocks(container)


def test_read_blocks_keeps_order_tags_and_link_share() -> None:
    blocks = _blocks(
        '<h2>Heading</h2><p>Text with <a href="/x">a link</a>.</p>loose text<div>block</div>'
    )
    assert [(block.text, block.tag) for block in blocks] == [
        ("Heading", "h2"),
        ("Text with a link.", "p"),
        ("loose text", "p"),
        ("block", "div"),
    ]
    assert blocks[1].link_chars == len("a link")


def test_a_script_anchor_around_paragraphs_is_prose_but_a_script_link_is_a_link() -> None:
    blocks = _blocks(
        '<a href="javascript:void(0)"><p>First paragraph.</p>loose</a>'
        '<p><a href="javascript:window.print()">Print</a></p>'
    )
    assert [(block.text, block.link_chars) for block in blocks] == [
        ("First paragraph.", 0),
        ("loose", 0),
        ("Print", len("Print")),
    ]


def test_an_image_credit_inside_a_paragraph_is_not_read_with_it() -> None:
    blocks = _blocks(
        '<p><span class="storyimage"><img src="a.jpg">'
        '<span class="caption truncate">© Agency Photos</span></span>'
        "<strong>The lead sentence.</strong></p><p>Second.</p>"
    )
    assert [block.text for block in blocks] == ["The lead sentence.", "Second."]


def test_loose_text_after_a_closed_heading_is_not_a_heading() -> None:
    blocks = _blocks("<h3>Heading<br>second line</h3>Loose text after the heading.")
    assert blocks[-1].tag != "h3"


def test_read_blocks_survives_very_deep_markup() -> None:
    depth = 5000
    tree = LexborHTMLParser("<div id='c'>" + "<span>" * depth + "deep" + "</span>" * depth)
    container = tree.css_first("#c")
    assert container is not None
    assert [block.text for block in read_blocks(container)] == ["deep"]


# --- vocabulary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "share",
        "restricted-content-breaker",
        "regwall-prompt",
        "share-bar",
        "c-share",
        "post-tags",
        "related_posts",
        "relatedPosts",
        "block-related-articles",
        "field--name-comment",
        "newsletter-signup",
        "sidebar",
        "sidebar-left",
        "widget-area",
        "widgets",
        "comments-area",
        "ad",
        "ads",
        "ad-slot",
        "adsbygoogle",
        "author-bio",
        "breadcrumbs",
        "nav-links",
        "social-icons",
        "entry-content advert",
    ],
)
def test_boilerplate_labels(label: str) -> None:
    assert vocab.is_boilerplate_label(label)


@pytest.mark.parametrize(
    "label",
    [
        "",
        "entry-content",
        "article-body",
        "widget",
        "widget-span",
        "so-panel widget",
        "elementor-widget",
        "elementor-widget-container",
        "has-sidebar",
        "with-sidebar",
        "single-post",
        "page-header",
        "header",
        "shadow",
        "loading",
        "badge",
        "add",
        "authority",
        "commentary",
        "tagline",
    ],
)
def test_not_boilerplate_labels(label: str) -> None:
    assert not vocab.is_boilerplate_label(label)
