"""Which text blocks of the container are the article: titles, section headings, link
lists and label lines at the edges."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.extract.body import extract_content

HEADLINE = "Harbour works reach the second pier"
P1 = (
    "Work on the harbour's second pier began on Monday, three weeks later than planned, "
    "after a long dispute over the dredging contract."
)
P2 = (
    "The port authority said the new berth would take ships of up to 300 metres from next "
    "spring, doubling the harbour's container capacity."
)
P3 = (
    "Local fishermen, who lost part of their moorings to the works, will be moved to a "
    "new basin on the eastern side by the end of the year."
)


def _body(container: str, headline: str | None = HEADLINE) -> tuple[str, ...]:
    html = f"<html><body><article>{container}</article></body></html>"
    return extract_content(LexborHTMLParser(html), headline).paragraphs


def test_h1_after_the_first_paragraph_is_a_section_heading() -> None:
    html = f"<h1>Harbour news</h1><p>{P1}</p><h1>What changes for ships</h1><p>{P2}</p>"
    assert _body(html) == (P1, "What changes for ships", P2)


def test_h1_naming_the_headline_or_linking_a_post_is_no_section_heading() -> None:
    html = (
        f"<p>{P1}</p><h1>Title: {HEADLINE}</h1><p>{P2}</p>"
        f'<h1><a href="/other-story">Ferry timetable changes</a></h1><p>{P3}</p>'
    )
    assert _body(html) == (P1, P2, P3)


def test_a_label_before_the_first_paragraph_does_not_make_an_h1_a_section() -> None:
    arrows = '<div><a href="/prev">&lt;</a> <a href="/next">&gt;</a></div>'
    html = f"{arrows}<h1>Harbour</h1><p>{P1}</p>"
    assert _body(html) == (P1,)


def test_permalink_marks_after_a_heading_are_dropped() -> None:
    html = f'<p>{P1}</p><h2>Dredging<a class="headerlink" href="#dredging">¶</a></h2><p>{P2}</p>'
    assert _body(html) == (P1, "Dredging", P2)
    sharp = f'<p>{P1}</p><h2>Dredging <a href="#dredging">#</a></h2><p>{P2}</p><h2>In F#</h2>'
    assert _body(sharp + f"<p>{P3}</p>") == (P1, "Dredging", P2, "In F#", P3)


def test_a_paragraph_of_many_links_is_a_list_not_prose() -> None:
    names = ", ".join(f'<a href="/users/{n}">reader_number_{n}</a>' for n in range(12))
    html = f"<p>{P1}</p><p>{P2}</p><p>{names} liked this story</p><p>{P3}</p>"
    assert _body(html) == (P1, P2, P3)


def test_preformatted_code_with_linked_type_names_is_kept() -> None:
    types = " ".join(f'<a href="/types/{n}">TypeName{n}</a>,' for n in range(12))
    html = f"<p>{P1}</p><pre>{{ {types} }}</pre><p>{P2}</p>"
    body = _body(html)
    assert len(body) == 3
    assert body[1].startswith("{ TypeName0")


def test_a_sentence_ending_in_an_emoji_opens_the_article() -> None:
    html = f"<p>Hello readers! \N{WAVING HAND SIGN}</p><p>{P1}</p><p>{P2}</p>"
    assert _body(html) == ("Hello readers! \N{WAVING HAND SIGN}", P1, P2)


def test_a_long_line_without_spaces_is_no_label() -> None:
    closing = "港湾当局は新しい岸壁が来年春から全長三百メートルまでの船を受け入れると述べ、" * 2
    html = f"<p>{P1}</p><p>{P2}</p><p>{closing}(c)Agency</p>"
    assert _body(html) == (P1, P2, f"{closing}(c)Agency")


def test_a_line_of_sources_after_the_article_stays_a_label() -> None:
    html = (
        f"<p>{P1}</p><p>{P2}</p><p>Sources</p>"
        "<p>[1] Port report https://port.example/reports/2025/second-pier-dredging-final.pdf</p>"
    )
    assert _body(html) == (P1, P2)


# --- paragraphs written as divs ----------------------------------------------------------


def _page(body: str) -> tuple[str, ...]:
    html = f"<html><body>{body}</body></html>"
    return extract_content(LexborHTMLParser(html), HEADLINE).paragraphs


NOTE = (
    "A note from the author: thanks to everyone who wrote in about the last chapter, "
    "your letters keep this going."
)


def test_divs_holding_only_inline_text_vote_as_paragraphs() -> None:
    chapter = "".join(f"<div><span>{text}</span></div>" for text in (P1, P2, P3))
    html = f'<div class="box"><p>{NOTE}</p></div><div class="chapter"><div>{chapter}</div></div>'
    assert _page(html) == (P1, P2, P3)


def test_inline_divs_do_not_outvote_the_paragraphs_of_an_article() -> None:
    footer = "".join(
        f"<div><span>Copyright notice number {n}: no part of this site may be copied.</span></div>"
        for n in range(3)
    )
    html = (
        f"<div><div>{''.join(f'<p>{t}</p>' for t in (P1, P2, P3))}</div></div><div>{footer}</div>"
    )
    assert _page(html) == (P1, P2, P3)


# --- calls to action ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Join our weekly newsletter",
        "Sign up for our newsletter to get the latest harbour news.",
        "Get the best of the port, straight to your inbox.",
        "Create an account or sign in to comment",
        "This article is exclusive to premium subscribers",
        "Share this story with your friends",
        "Add a comment",
        "Join the conversation",
        "Article continues below",
        "Enjoyed this article? Share it with a colleague.",
        "Love what you're reading? Get the latest harbour news.",
    ],
)
def test_calls_to_action_inside_the_article_are_dropped(line: str) -> None:
    assert _body(f"<p>{P1}</p><p>{line}</p><p>{P2}</p>") == (P1, P2)


def test_a_sentence_that_mentions_a_newsletter_is_kept() -> None:
    line = "The port authority's newsletter first reported the delay in March."
    assert _body(f"<p>{P1}</p><p>{line}</p><p>{P2}</p>") == (P1, line, P2)


def test_sections_beside_a_wrapped_best_block_are_read() -> None:
    tally = (
        "The pier needs steel, concrete, cranes, tugs, divers, pilots, surveyors, welders, "
        "painters, electricians and, above all, calm weather."
    )
    first = "".join(f"<p>{text}</p>" for text in (P1, P2, P3, NOTE))
    html = (
        '<div class="story"><section><div class="wrap"><div class="part">'
        f'{first}</div></div><div class="rule"></div><div class="wrap"><div class="part">'
        f"<p>{tally}</p></div></div></section></div>"
    )
    assert _page(html) == (P1, P2, P3, NOTE, tally)


# --- lines that open like chrome ---------------------------------------------------------


def test_a_paragraph_opening_with_a_photo_credit_is_prose() -> None:
    opening = f"© Harbour Agency {P1} {P2}"
    assert _body(f"<p>{opening}</p><p>{P3}</p>") == (opening, P3)


def test_a_word_starting_with_tag_does_not_make_a_tag_line() -> None:
    line = "Tagging every crate at the pier took the port staff three more weeks."
    assert _body(f"<p>{P1}</p><p>{line}</p><p>{P2}</p>") == (P1, line, P2)


def test_a_long_dated_copyright_notice_is_dropped() -> None:
    notice = (
        "© 2025 Harbour Agency. All rights reserved. The agency's name and logo are "
        "registered trademarks; other names may be trademarks of their respective owners."
    )
    assert _body(f"<p>{P1}</p><p>{P2}</p><p>{notice}</p>") == (P1, P2)


# --- code and tables -----------------------------------------------------------------------


def test_comments_in_highlighted_code_are_kept() -> None:
    code = (
        '<pre><code><span class="hljs-comment"># moor the ship</span>\n'
        'tie --knot bowline</code></pre><pre><span class="token comment">// cast off</span>'
        "\nrelease()</pre>"
    )
    body = _body(f"<p>{P1}</p>{code}<p>{P2}</p>")
    assert body == (P1, "# moor the ship tie --knot bowline", "// cast off release()", P2)


def test_a_table_wrapped_in_a_figure_is_read_and_its_caption_skipped() -> None:
    table = (
        '<figure class="wp-block-table"><table><tr><td>Pier one</td><td>1998</td></tr>'
        "<tr><td>Pier two</td><td>2026</td></tr></table>"
        "<figcaption>Piers by year of opening</figcaption></figure>"
    )
    body = _body(f"<p>{P1}</p>{table}<p>{P2}</p>")
    assert body == (P1, "Pier one", "1998", "Pier two", "2026", P2)


# --- teaser lists after the article ---------------------------------------------------------

EXCERPT = (
    "The ferry operator said on Friday that the winter timetable would keep two crossings a "
    "day, with an extra boat at weekends until the end of March."
)


def _teasers(count: int) -> str:
    return "".join(
        f'<div><a href="/story-{n}">Other story number {n}</a></div><div>{EXCERPT}</div>'
        for n in range(count)
    )


def test_a_teaser_list_with_excerpts_ends_the_article() -> None:
    article = (P1, P2, P3, NOTE, f"{P2} Again.")
    html = "".join(f"<p>{text}</p>" for text in article)
    assert _body(f"{html}<div>Also in the news</div>{_teasers(3)}") == article


def test_relevant_articles_after_the_article_end_it() -> None:
    article = (P1, P2, P3, NOTE, f"{P2} Again.")
    html = "".join(f"<p>{text}</p>" for text in article)
    assert _body(f"{html}<h2>Relevant articles</h2>{_teasers(3)}") == article


def test_an_emoji_before_the_tail_heading_still_ends_the_article() -> None:
    article = (P1, P2, P3, NOTE, f"{P2} Again.")
    html = "".join(f"<p>{text}</p>" for text in article)
    assert _body(f"{html}<h2>🔥 Recommended Posts</h2>{_teasers(3)}") == article


def test_a_teaser_box_inside_the_article_does_not_end_it() -> None:
    html = (
        f"<p>{P1}</p><p>{P2}</p><div>Most popular</div>{_teasers(3)}"
        f"<p>{P3}</p><p>{NOTE}</p><p>{P1} Again.</p>"
    )
    assert _body(html)[-3:] == (P3, NOTE, f"{P1} Again.")


def test_the_section_labels_of_an_inline_teaser_box_go_with_its_titles() -> None:
    teasers = "".join(
        f'<div>{label}</div><div><a href="/story-{n}">Other story number {n}</a></div>'
        for n, label in enumerate(("Gear", "Culture", "Security"))
    )
    body = _body(f"<p>{P1}</p>{teasers}<p>{P2}</p><p>{P3}</p>")
    assert "Culture" not in body
    assert "Security" not in body
    assert body[-2:] == (P2, P3)


# A paragraph long enough to be prose, and a sentence too short to be: what stands before
# the sentence is not trimmed as an edge.
LONG = f"{P1} {P2}"
CLOSING = "Work resumes in May."


def test_linked_headings_side_by_side_after_the_last_paragraph_are_teasers() -> None:
    teasers = "".join(
        f'<h2><a href="/story-{n}">Other story number {n}</a></h2><div>Dec 17, 2025</div>'
        for n in range(3)
    )
    assert _body(f"<p>{P1}</p><p>{LONG}</p>{teasers}<p>{CLOSING}</p>") == (P1, LONG, CLOSING)


def test_linked_headings_over_prose_are_a_round_ups_items() -> None:
    html = (
        f'<p>{P1}</p><h2><a href="/pier-one">The first pier</a></h2><p>{P2}</p>'
        f'<h2><a href="/pier-two">The second pier</a></h2><p>{P3}</p>'
    )
    assert _body(html) == (P1, "The first pier", P2, "The second pier", P3)


def test_a_lone_linked_heading_after_the_article_is_kept() -> None:
    html = f'<p>{LONG}</p><h3><a href="/harbour">More on the harbour works</a></h3><p>{CLOSING}</p>'
    assert _body(html) == (LONG, "More on the harbour works", CLOSING)


def test_headings_linking_to_their_own_sections_are_no_teasers() -> None:
    html = (
        f'<p>{LONG}</p><h2><a href="#specifications">Specifications</a></h2>'
        f'<h2><a href="#see-also">See also</a></h2><p>{CLOSING}</p>'
    )
    assert _body(html) == (LONG, "Specifications", "See also", CLOSING)


def test_a_label_line_beside_one_link_or_prose_is_kept() -> None:
    html = (
        f"<p>{P1}</p><p>Harbour facts</p><p>{P2}</p>"
        f'<div><a href="/pier">The second pier in pictures</a></div><p>In short</p><p>{P3}</p>'
    )
    assert _body(html) == (P1, "Harbour facts", P2, "In short", P3)


def test_a_pager_line_is_dropped() -> None:
    assert _body(f"<p>{P1}</p><p>Page 1 of 8</p><p>{P2}</p>") == (P1, P2)
