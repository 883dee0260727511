"""The pre-parse bounds on nesting depth and attributes per tag: pages within them pass
untouched; past them, text stays and only the excess tags or attributes go."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from parsers import parse
from parsers.html_guard import MAX_ATTRIBUTES, MAX_DEPTH, SCAN_ABOVE, bounded

URL = "https://example.com/2025/12/page"


def _depth(html: str) -> int:
    node = LexborHTMLParser(html).css_first("p")
    assert node is not None
    depth = 0
    while node.parent is not None:
        node, depth = node.parent, depth + 1
    return depth


def test_a_page_within_the_bounds_is_returned_as_it_is() -> None:
    page = "<html><body>" + "<div><p>a</p></div>" * (SCAN_ABOVE + 10) + "</body></html>"

    out, warnings = bounded(page)

    assert out is page and warnings == []


def test_deep_nesting_is_flattened_below_the_bound_and_keeps_the_text() -> None:
    page = "<html><body>" + "<div>x" * 20_000 + "<p>the story</p>" + "</div>" * 20_000

    out, warnings = bounded(page)

    assert warnings == [f"html: elements nested deeper than {MAX_DEPTH} flattened"]
    assert MAX_DEPTH <= _depth(out) <= MAX_DEPTH + 3  # html, body and the p itself
    assert out.count("x") == 20_000 and "<p>the story</p>" in out


def test_a_tag_keeps_its_first_attributes() -> None:
    attributes = " ".join(f"a{i}=v" for i in range(3 * MAX_ATTRIBUTES))
    page = "<html><body><p " + attributes + ">text</p>" + "<br>" * SCAN_ABOVE + "</body></html>"

    out, warnings = bounded(page)

    node = LexborHTMLParser(out).css_first("p")
    assert node is not None and len(node.attributes) == MAX_ATTRIBUTES
    assert "a0" in node.attributes and f"a{MAX_ATTRIBUTES}" not in node.attributes
    assert warnings == [f"html: attributes past the first {MAX_ATTRIBUTES} of a tag dropped"]


def test_lists_scripts_and_comments_do_not_count_as_nesting() -> None:
    items = "<ul>" + "<li>item" * 5_000 + "</ul>"  # end tags left out, as they may be
    script = "<script>" + "'<div>' + " * 3_000 + "''</script>"
    comment = "<!--" + "<div>" * 3_000 + "-->"
    page = f"<html><body>{items}{script}{comment}<p>text</p></body></html>"

    out, warnings = bounded(page)

    assert out is page and warnings == []


def test_parse_reports_the_flattening_and_still_finds_the_story() -> None:
    story = "<article><h1>Frigate launched</h1><p>" + "The navy launched a frigate. " * 20
    page = "<html><body>" + "<div>" * 30_000 + story + "</p></article></body></html>"

    record = parse(page, URL)

    assert record.headline == "Frigate launched"
    assert record.body and record.body[0].startswith("The navy launched a frigate.")
    assert any("flattened" in warning for warning in record.warnings)
