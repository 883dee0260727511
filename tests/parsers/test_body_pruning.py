"""The body: forms, noscript renderings, hidden paragraphs, teaser tails and list votes."""

from __future__ import annotations

import pytest

from parsers import parse
from tests.parsers.test_body import ARTICLE, HEADLINE, P1, P2, P3, P4, _body, _paragraphs

TEASERS = (
    '<ul><li><a href="/a">Army orders new tanks for the northern brigades</a></li>'
    '<li><a href="/b">Air force picks a new trainer jet after long trials</a></li>'
    '<li><a href="/c">Coast guard opens a new station on the island</a></li></ul>'
)


def _article(inner: str) -> str:
    return (
        f'<html><body><article><h1>{HEADLINE}</h1><div class="entry-content">{inner}'
        "</div></article></body></html>"
    )


# --- forms ------------------------------------------------------------------------------


def test_a_small_form_inside_the_article_is_dropped() -> None:
    form = (
        '<form action="/subscribe"><label>Email address</label><input name="email">'
        "<p>Get the morning briefing in your inbox every day</p></form>"
    )
    assert _body(_article(_paragraphs(P1, P2) + form + _paragraphs(P3, P4))) == ARTICLE


def test_a_form_that_wraps_the_whole_page_is_read() -> None:
    html = (
        '<html><body><form id="page-form" action="/page.aspx">'
        f'<div class="zz"><h1>{HEADLINE}</h1>{_paragraphs(*ARTICLE)}</div></form></body></html>'
    )
    assert _body(html) == ARTICLE


# --- hidden and noscript ----------------------------------------------------------------


def test_the_page_rendered_in_noscript_is_read() -> None:
    html = (
        '<html><body><div id="app"></div><noscript><div class="crawler-post">'
        f"{_paragraphs(*ARTICLE)}</div></noscript></body></html>"
    )
    assert _body(html) == ARTICLE


def test_the_noscript_rendering_beside_a_large_script_payload_is_read() -> None:
    state = '{"posts": [' + ", ".join(f'"{P1} {n}"' for n in range(20)) + "]}"
    posts = "".join(f"<article><div><p>{text}</p></div></article>" for text in ARTICLE)
    html = (
        f'<html><body><main><div id="app"></div><script type="application/json">{state}'
        f"</script><noscript><div><h3>First poster</h3>{posts}</div></noscript></main>"
        "</body></html>"
    )
    assert _body(html) == ("First poster", *ARTICLE)


def test_a_small_noscript_is_dropped() -> None:
    notice = "<noscript><p>Please enable JavaScript to view the comments.</p></noscript>"
    assert _body(_article(_paragraphs(*ARTICLE) + notice)) == ARTICLE


def test_a_hidden_paragraph_is_dropped_however_long() -> None:
    hidden = f'<p style="display: none">{P3} {P4} {P1} {P2}</p>'
    assert _body(_article(_paragraphs(P1, P2) + hidden)) == (P1, P2)


def test_a_large_hidden_container_is_kept() -> None:
    html = f'<html><body><div hidden id="S:0">{_paragraphs(*ARTICLE)}</div></body></html>'
    assert _body(html) == ARTICLE


def test_a_hidden_block_holding_the_pages_paragraphs_is_kept() -> None:
    # A storefront app hides the product text until a script reveals it; the page's text
    # is mostly its menus, so the block is small beside them but holds the paragraphs.
    menu = "".join(
        f'<li><a href="/c/{n}">Category number {n} of the shop</a></li>' for n in range(60)
    )
    html = (
        f"<html><body><nav><ul>{menu}</ul></nav>"
        f'<div class="locked-content" style="display:none;">{_paragraphs(*ARTICLE)}</div>'
        "<p>Free shipping on orders over fifty dollars.</p></body></html>"
    )
    assert _body(html) == ARTICLE


def test_a_forums_notice_list_is_dropped() -> None:
    notices = (
        '<ul class="notices"><li><p>If this is your first visit, be sure to read the rules '
        "and register before you can post in the forums below.</p></li></ul>"
    )
    assert _body(_article(notices + _paragraphs(*ARTICLE))) == ARTICLE


@pytest.mark.parametrize("label", ["cmplz-cookiebanner", "axeptio_widget", "CybotCookiebotDialog"])
def test_a_consent_banner_named_by_its_manager_is_dropped(label: str) -> None:
    banner = (
        f'<div class="{label}"><p>We use essential cookies to run this site and others to '
        "measure the audience and show you offers.</p></div>"
    )
    assert _body(_article(banner + _paragraphs(*ARTICLE))) == ARTICLE


# --- teaser tails -----------------------------------------------------------------------


def test_a_teaser_list_after_the_article_is_cut() -> None:
    teasers = (
        '<p><a href="/a">Army orders new tanks</a> The first brigade gets them in May.</p>'
        '<p><a href="/b">Air force picks a trainer jet</a> Deliveries start next year.</p>'
    )
    body = _body(_article(_paragraphs(*ARTICLE) + "<h3>You may also like</h3>" + teasers))
    assert body == ARTICLE


def test_reviews_after_a_product_text_are_cut() -> None:
    reviews = (
        "<h2>Customer reviews</h2><p>Great ships, would buy again.</p>"
        "<p>Delivery was fast and the crew was friendly.</p>"
    )
    assert _body(_article(_paragraphs(*ARTICLE) + reviews)) == ARTICLE


def test_a_related_box_followed_by_more_prose_is_not_a_tail() -> None:
    box = "<h3>Related articles</h3><p><a href='/a'>Army orders new tanks</a></p>"
    more = (
        "The contract also covers training for the crews and spare parts for the first "
        "ten years of service, the ministry said in a statement on Tuesday evening."
    )
    body = _body(_article(_paragraphs(P1, P2, P3) + box + _paragraphs(P4, more)))
    assert body[:3] == (P1, P2, P3)
    assert body[-2:] == (P4, more)


def test_a_tail_heading_in_the_first_half_cuts_nothing() -> None:
    body = _body(_article("<h3>Related</h3>" + TEASERS + _paragraphs(*ARTICLE)))
    assert body[-4:] == ARTICLE


# --- votes and edges --------------------------------------------------------------------


def test_a_long_list_of_teasers_does_not_outvote_the_article() -> None:
    teaser = (
        "<li>A summary of another story, with a comma, and another one, to look like "
        "text that is long enough to vote for its list</li>"
    )
    html = (
        f'<html><body><div class="col-a"><h1>{HEADLINE}</h1><div class="zz">'
        f'{_paragraphs(*ARTICLE)}</div></div><div class="col-b"><ul class="stream">'
        f"{teaser * 12}</ul></div></body></html>"
    )
    assert _body(html) == ARTICLE


def test_a_cjk_editor_note_after_the_last_sentence_is_kept() -> None:
    sentence = "国际社会高度关注两国如何改善双边关系，并解决全球关注的问题。"
    note = "（编辑：王辉）"
    body = _body(_article(_paragraphs(sentence, sentence, note) + "<p>关于我们</p>"))
    assert body[-1] == note


# --- sections named after their heading -------------------------------------------------


def test_a_section_whose_id_is_its_headings_slug_is_kept() -> None:
    section = (
        '<div class="section" id="sharing-the-new-berths-with-fishermen">'
        f"<h2>Sharing the new berths with fishermen</h2><p>{P3}</p></div>"
    )
    body = _body(_article(_paragraphs(P1, P2) + section + _paragraphs(P4)))
    assert body == (P1, P2, "Sharing the new berths with fishermen", P3, P4)


def test_a_short_component_id_is_boilerplate_even_with_a_matching_heading() -> None:
    section = f'<div id="related-stories"><h2>Related stories</h2><p>{P3}</p></div>'
    assert _body(_article(_paragraphs(P1, P2) + section + _paragraphs(P4))) == (P1, P2, P4)


# --- forum threads ----------------------------------------------------------------------

POSTS = (
    "I have been getting gateway errors on the forum since the announcement, so here is a "
    "thread to thank the moderators while we still can.",
    "Thanks for starting this. The forum taught me more about orbital mechanics than any "
    "course I ever took, and the people here made it fun.",
    "Seconded. Whatever happens to the servers, the guides people wrote here deserve to be "
    "saved somewhere before they are gone for good.",
)


def _thread(opening: str = "") -> str:
    posts = "".join(
        f'<article class="cPost"><div class="ipsComment_content comment-{number}_wrap">'
        f"<p>{text}</p></div></article>"
        for number, text in enumerate(POSTS)
    )
    return (
        f"<html><body><h1>{HEADLINE}</h1>{opening}"
        f'<div class="cTopic" id="comments">{posts}</div>'
        '<div class="sidebar-links"><p>Forum rules</p></div></body></html>'
    )


def test_a_thread_whose_posts_are_named_comments_is_read() -> None:
    assert _body(_thread()) == POSTS


def test_comments_under_an_article_that_opens_the_page_are_dropped() -> None:
    opening = f'<div class="story"><p>{P1}</p></div>'
    assert _body(_thread(opening)) == (P1,)


def _line_thread(notice: str) -> str:
    posts = "".join(
        f'<li class="b-post js-comment-entry"><div class="post-text">{text}<br>'
        f"Sent from the workshop.<br>Regards</div></li>"
        for text in POSTS
    )
    return (
        f"<html><body><h1>{HEADLINE}</h1>{notice}"
        f'<ul class="conversation-list">{posts}</ul></body></html>'
    )


def test_posts_written_as_lines_beside_a_paragraph_notice_are_read() -> None:
    notice = (
        '<div class="welcome"><p>Welcome to the new forum! We have worked hard on the new '
        "software, so please write to us if you find anything that does not work.</p></div>"
    )
    body = _body(_line_thread(notice))
    assert body[0] == POSTS[0]
    assert not any(line.startswith("Welcome") for line in body)


# --- product pages ----------------------------------------------------------------------

REVIEWS = (
    "Bought two for the workshop and they held up through a whole winter of daily use.",
    "Sturdy, well balanced and sharp out of the box. Hard to complain at the price.",
)


def _product_page(og_type: str) -> str:
    reviews = "".join(f'<div class="review"><p>{text}</p></div>' for text in REVIEWS)
    return (
        f'<html><head><meta property="og:type" content="{og_type}"></head><body>'
        f"<h1>{HEADLINE}</h1><main><div class='description'>{_paragraphs(*ARTICLE)}</div>"
        f'<section class="product-reviews">{reviews}</section></main></body></html>'
    )


def test_customer_reviews_on_a_declared_product_page_are_dropped() -> None:
    body = parse(_product_page("product"), "https://shop.example/frigate").body
    assert body == ARTICLE


def test_reviews_on_a_page_not_declared_a_product_are_kept() -> None:
    body = parse(_product_page("website"), "https://shop.example/frigate").body
    assert body == (*ARTICLE, *REVIEWS)


# --- responsive copies ------------------------------------------------------------------


def test_a_block_written_again_for_phones_is_read_once() -> None:
    description = _paragraphs(*ARTICLE[:2])
    html = (
        f"<html><body><main><h1>{HEADLINE}</h1>"
        f'<div class="description hidden-mobile">{description}</div>'
        f'<div class="description hidden-desktop">{description}</div>'
        f"{_paragraphs(*ARTICLE[2:])}</main></body></html>"
    )
    assert _body(html) == ARTICLE


def test_blocks_repeated_under_the_same_class_are_all_read() -> None:
    day = _paragraphs(ARTICLE[0])
    html = (
        f"<html><body><main><h1>{HEADLINE}</h1><div class='day'>{day}</div>"
        f"<div class='day'>{day}</div>{_paragraphs(*ARTICLE[1:])}</main></body></html>"
    )
    assert _body(html) == (ARTICLE[0], *ARTICLE)


def test_customer_reviews_longer_than_the_description_are_dropped() -> None:
    reviews = "".join(f"<article class='review'><p>{text}</p></article>" for text in ARTICLE)
    html = (
        '<html><head><meta property="og:type" content="product"></head><body>'
        f"<h1>{HEADLINE}</h1><main><div class='description'>{_paragraphs(*REVIEWS)}</div>"
        f'<section class="product-reviews">{reviews}</section></main></body></html>'
    )
    assert parse(html, "https://shop.example/frigate").body == REVIEWS


@pytest.mark.parametrize("label", ["message-userDetails", "postprofile", "userinfo"])
def test_a_forum_posts_author_panel_is_dropped(label: str) -> None:
    posts = "".join(
        f'<div class="post"><div class="{label}"><p>Senior Member, joined March 2019, '
        f"messages: 4,006, likes: 12,635</p></div><div class='post-body'><p>{text}</p></div></div>"
        for text in POSTS
    )
    html = f"<html><body><h1>{HEADLINE}</h1><main>{posts}</main></body></html>"
    assert _body(html) == POSTS


# --- streamed rendering -----------------------------------------------------------------


def _streamed(boundary_end: str) -> str:
    return (
        f"<html><body><article><h1>{HEADLINE}</h1><div class='article-body'>"
        f'<template id="B:0"></template><div>Loading paragraph...</div>{boundary_end}'
        f"<p>{P3}</p><p>{P4}</p></div></article>"
        f'<div hidden id="S:0"><div><p>{P1}</p><template id="P:1"></template></div></div>'
        f'<div hidden id="S:1"><p>{P2}</p></div></body></html>'
    )


def _parsed_body(html: str) -> tuple[str, ...]:
    return parse(html, "https://news.example/navy/frigates").body


def test_streamed_blocks_replace_their_fallbacks() -> None:
    assert _parsed_body(_streamed("")) == ARTICLE


def test_a_fallback_closed_by_its_comment_is_dropped_whole() -> None:
    html = _streamed("<div>Loading image...</div><!--/$-->").replace(
        '<template id="B:0">', '<!--$?--><template id="B:0">'
    )
    assert _parsed_body(html) == ARTICLE
