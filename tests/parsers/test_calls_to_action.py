"""Calls to action beside an article: small boxes around a sign-up, quote or trial button."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers import parse
from parsers.extract.body import extract_content
from parsers.extract.calls_to_action import BUTTON_TEXT
from tests.parsers.test_body import HEADLINE, P1, P2, P3, P4, _paragraphs

# Long enough that one promotion box is a small part of the page, as on a real article.
LONG_ARTICLE = tuple(f"{text} Report {number}." for number in range(4) for text in (P1, P2, P3, P4))
GET_STARTED_BOX = (
    '<div class="wp-block-group"><h4>Get started today</h4>'
    "<p>Ready to grow? Scale your business with our lead platform.</p>"
    '<p><a class="btn btn-primary" href="/signup">Get started</a></p></div>'
)
PUBLISHED_META = '<meta property="article:published_time" content="2025-03-04T10:00:00Z">'


def _page(box: str, article: tuple[str, ...] = LONG_ARTICLE, head: str = "") -> str:
    return (
        f"<html><head>{head}</head><body><article><h1>{HEADLINE}</h1>"
        f'<div class="entry-content">{_paragraphs(*article)}{box}</div></article></body></html>'
    )


def _body(html: str, *, dated: bool = True) -> tuple[str, ...]:
    return extract_content(LexborHTMLParser(html), HEADLINE, dated=dated).paragraphs


def test_a_get_started_box_beside_an_article_is_dropped() -> None:
    assert _body(_page(GET_STARTED_BOX)) == LONG_ARTICLE


def test_a_button_element_marks_the_box_too() -> None:
    box = (
        '<div class="wp-block-group"><h3>Join our community</h3>'
        "<p>Thousands of readers already have.</p><button>Sign up</button></div>"
    )
    assert _body(_page(box)) == LONG_ARTICLE


def test_a_newsletter_box_is_known_by_its_e_mail_field() -> None:
    box = (
        '<div class="wp-block-group"><h4>Get the latest insights</h4>'
        "<p>New releases, tutorials and platform updates.</p>"
        '<div><input type="email" placeholder="Your e-mail"></div></div>'
    )
    assert _body(_page(box)) == LONG_ARTICLE


def test_a_text_field_named_for_the_e_mail_marks_the_box_too() -> None:
    box = (
        '<div class="wp-block-group"><h4>Sign Up For Breaking News Alerts</h4>'
        '<input type="text" name="EMAIL"><input type="text" name="ZIP"></div>'
    )
    search = '<div class="wp-block-group"><p>Find a base.</p><input type="text" name="q"></div>'
    assert _body(_page(box + search)) == (*LONG_ARTICLE, "Find a base.")


def test_a_submit_input_is_read_by_its_value() -> None:
    box = (
        '<div class="wp-block-group"><h4>Ready to sleep again?</h4>'
        "<p>Our coaches answer within a day.</p>"
        '<input type="submit" value="Request a consultation"></div>'
    )
    kept = '<div class="wp-block-group"><p>Pick a size.</p><input type="submit" value="Go"></div>'
    assert _body(_page(box + kept)) == (*LONG_ARTICLE, "Pick a size.")


def test_on_an_undated_page_the_box_is_its_text() -> None:
    body = _body(_page(GET_STARTED_BOX), dated=False)
    assert "Ready to grow? Scale your business with our lead platform." in body


def test_a_report_summary_beside_its_download_button_is_kept() -> None:
    summary = "The review recommends two more frigates and a larger reserve of munitions."
    box = (
        f'<div class="wp-block-group"><p>{summary}</p>'
        '<a class="btn" href="/report.pdf">Download the full report</a></div>'
    )
    assert summary in _body(_page(box))


def test_a_buy_button_on_a_product_card_is_kept() -> None:
    card = (
        '<div class="wp-block-group"><h3>Acer Aspire Go 15</h3>'
        "<p>Fast, with a decent 1080p display and a comfortable keyboard.</p>"
        '<a class="btn" href="/go/acer">Buy now</a></div>'
    )
    assert "Fast, with a decent 1080p display and a comfortable keyboard." in _body(_page(card))


def test_a_button_styled_link_inside_a_sentence_keeps_the_sentence() -> None:
    sentence = (
        "Readers who want the full procurement tables can "
        '<a class="button-link" href="/signup">sign up</a> for the weekly defence brief.'
    )
    body = _body(_page(f"<p>{sentence}</p>"))
    assert body[-1] == (
        "Readers who want the full procurement tables can sign up for the weekly defence brief."
    )


def test_a_box_with_more_text_than_a_pitch_is_kept() -> None:
    long_section = " ".join((P1, P2, P3, P4))
    box = (
        f'<div class="wp-block-group"><h3>How the tender worked</h3><p>{long_section}</p>'
        '<a class="btn" href="/contact">Contact us</a></div>'
    )
    assert long_section in _body(_page(box))


def test_boxes_that_hold_much_of_the_page_are_kept() -> None:
    body = _body(_page(GET_STARTED_BOX, article=(P1, P2)))
    assert "Ready to grow? Scale your business with our lead platform." in body


@pytest.mark.parametrize(
    "label",
    ["Sign up", "Subscribe now", "Get a free quote", "Start your free trial", "Book a demo",
     "Contact sales", "Download now", "Send"],
)  # fmt: skip
def test_button_labels_that_ask_for_a_sign_up_or_a_sale(label: str) -> None:
    assert BUTTON_TEXT.match(label)


@pytest.mark.parametrize(
    "label",
    [
        "Buy now",
        "Read more",
        "Shop the look",
        "Learn more",
        "Send feedback",
        "Startup news",
        "Download the full report",
    ],
)
def test_button_labels_that_are_not_calls_to_action(label: str) -> None:
    assert not BUTTON_TEXT.match(label)


def test_parse_drops_the_box_on_a_dated_page_only() -> None:
    dated = parse(_page(GET_STARTED_BOX, head=PUBLISHED_META), "https://example.com/news/a")
    undated = parse(_page(GET_STARTED_BOX), "https://example.com/about")
    assert "Get started today" not in dated.text
    assert "Get started today" in undated.text
