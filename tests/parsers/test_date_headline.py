"""The headline element found by the page's title when no <h1> is the headline."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from parsers.extract.date_headline import (
    is_weak_headline,
    shares_title,
    title_holder,
    title_parts,
)


def holder_text(body: str, *titles: str) -> str | None:
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    node = title_holder(tree, title_parts(*titles))
    return node.text(deep=True).strip() if node is not None else None


def test_title_parts_drop_the_site_name() -> None:
    parts = title_parts("Top 5 HR Software in 2026 | DianaHR", None)
    assert "top 5 hr software in 2026" in parts
    assert title_parts("RogerBW's Blog: Advent of Code 2025 week 2", None)[-1] == (
        "advent of code 2025 week 2"
    )


def test_an_element_printing_the_title_as_it_is() -> None:
    body = "<div><p>Menu</p></div><div><div><p>Top 5 HR Software in 2026</p></div></div>"
    assert holder_text(body, "Top 5 HR Software in 2026 | DianaHR") == "Top 5 HR Software in 2026"


def test_a_heading_rewording_the_title() -> None:
    body = "<h3>Related</h3><h2>7 Ways to Help You Transition to a Plant Based Diet</h2>"
    found = holder_text(body, "7 Ways to Transition to a Plant-Based Diet | Koia")
    assert found == "7 Ways to Help You Transition to a Plant Based Diet"


def test_no_holder_when_nothing_prints_the_title() -> None:
    body = "<h2>Our newsletter</h2><p>Sign up for weekly tips on healthy eating.</p>"
    assert holder_text(body, "Why charity ratings matter | Example") is None


def test_a_short_h1_that_is_not_the_title_is_weak() -> None:
    tree = LexborHTMLParser("<h1>0 Comments</h1><h1>Embracing the Nomad Life</h1>")
    titles = title_parts("Embracing the Nomad Life: Work and Travel", None)
    comments, headline = tree.css("h1")
    assert is_weak_headline(comments, titles)
    assert not is_weak_headline(headline, titles)
    assert is_weak_headline(None, titles)


def test_a_long_headline_is_never_weak() -> None:
    tree = LexborHTMLParser("<h1>Turkey eyes a drone plant near Ankara</h1>")
    assert not is_weak_headline(tree.css_first("h1"), title_parts("Defence news | RNA", None))


def test_a_heading_sharing_half_the_title_words_is_about_the_title() -> None:
    tree = LexborHTMLParser(
        "<h1>Essential Guide to API Documentation: Best Practices and Strategies</h1>"
        "<h1>What is Docs as Code?</h1>"
    )
    titles = title_parts("API Documentation Guide: Best Practices & Implementation Tips", None)
    story, teaser = tree.css("h1")
    assert shares_title(story, titles)
    assert not shares_title(teaser, titles)
