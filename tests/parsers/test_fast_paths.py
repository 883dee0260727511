"""The shortcuts the parser takes for speed give the answers of the slow way they replace."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.extract import fields, vocab
from parsers.extract.body import extract_content
from parsers.extract.known_containers import (
    ANY_CONTAINER_SELECTOR,
    plausible_selectors,
    plausible_selectors_by_index,
)
from parsers.extract.page import Page, clean_text
from parsers.extract.select import unique
from parsers.extract.text_blocks import read_blocks

WHEN = datetime(2025, 3, 5, tzinfo=UTC)
# clean_text's definition: runs of white space and zero-width marks fold to one space.
SPACE_RUN = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
PARAGRAPH = (
    "The navy signed a contract for six new frigates on Monday, officials said, ending a "
    "long competition between two yards."
)


def _page(html: str) -> Page:
    return Page.from_html(html, "https://news.example.com/a/1", WHEN)


@pytest.mark.parametrize(
    "text",
    [
        "  plain   words\n\tand tabs ",
        "nbsp\u00a0between\u00a0words",
        "zero\u200bwidth\u200c\u200dmarks\u2060and\ufeffbom",
        "\u200b\u200b",
        "line\u2028separator\u3000ideographic\x1cfile\x85next",
        "café  déjà\u202fvu",
        "",
    ],
)
def test_clean_text_folds_white_space_and_zero_width_marks(text: str) -> None:
    assert clean_text(text) == SPACE_RUN.sub(" ", text).strip()


def test_clean_text_folds_every_white_space_character() -> None:
    spaces = "".join(chr(code) for code in range(0x3100) if chr(code).isspace())
    assert clean_text(f"a{spaces}b") == "a b"


@pytest.mark.parametrize(
    "line",
    [
        "Published 26 September 2025",
        "Last UPDATED: Jan 5, 2024",
        "Yayinlanma: 12.03.2025 10:30",  # ASCII "i" for the dotless "ı": the pattern takes it
        "Yayınlanma: 12.03.2025 10:30",
        "Опубліковано 20 листопада 2025",
        "Posted: 2 days ago Last Modified: 2 days ago",
        "posted 6 years ago",
    ],
)
def test_metadata_datelines_are_chrome_lines(line: str) -> None:
    assert vocab.is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "26 September 2025, a quiet day",
        "Posted in the harbour",
        "Published.",
        "The bill, posted two days ago, was updated.",
    ],
)
def test_lines_without_a_metadata_word_and_a_date_are_not_chrome(line: str) -> None:
    assert not vocab.is_chrome_line(line)


@pytest.mark.parametrize(
    ("label", "boilerplate"),
    [
        ("post_navigation", True),
        ("postNavigation", True),
        ("relatedPosts", True),
        ("Sidebar-Left", True),
        ("menu-item-11449", True),
        ("site-header__inner", True),
        ("has-sidebar", False),
        ("container-fluid col-md-8", False),
        ("elementor-widget-container", False),
        ("post-12345 type-post", False),
    ],
)
def test_boilerplate_labels_with_and_without_capitals(label: str, boilerplate: bool) -> None:
    assert vocab.is_boilerplate_label(label) is boilerplate


def test_plausible_container_selectors_keep_every_selector_that_matches() -> None:
    html = (
        "<html><body><main><article class='Post-Content'><div id='articleBody' "
        "itemprop='articleBody'><p>Text</p></div></article></main>"
        "<div class='entry-content-wrapper'><p>More</p></div></body></html>"
    )  # no doctype: quirks mode, where class names match whatever their case
    tree = LexborHTMLParser(html)
    plausible = plausible_selectors(tree.css(ANY_CONTAINER_SELECTOR))
    matching = [selector for selector in vocab.CONTAINER_SELECTORS if tree.css(selector)]
    assert set(matching) <= set(plausible)
    assert plausible == [s for s in vocab.CONTAINER_SELECTORS if s in plausible]
    assert ".story-body" not in plausible


def test_a_page_without_known_containers_has_no_plausible_selector() -> None:
    tree = LexborHTMLParser("<div class='wrap'><p>Text</p></div>")
    assert tree.css(ANY_CONTAINER_SELECTOR) == []
    assert plausible_selectors([]) == []


BOILERPLATE_PAGE = (
    "<html><body><nav class='menu'><a href='/'>Home</a></nav>"
    "<div class='content'><div class='share-bar'><span class='share-count'>12</span></div>"
    f"<p>{PARAGRAPH}</p><div class='related-posts'><p>{PARAGRAPH} Other.</p></div>"
    f"<p hidden>Hidden text</p><p>{PARAGRAPH} Again.</p>"
    "<div class='author-box'><p>About the author, who writes.</p></div></div>"
    "<footer class='site-footer'><p>Copyright</p></footer></body></html>"
)


def test_the_index_read_before_pruning_prunes_and_chooses_as_the_tree_would() -> None:
    page = _page(BOILERPLATE_PAGE)
    from_index = extract_content(page.tree, None, None, index=page.index)
    from_tree = extract_content(_page(BOILERPLATE_PAGE).tree, None, None)
    assert from_index.paragraphs == from_tree.paragraphs == (PARAGRAPH, f"{PARAGRAPH} Again.")


def test_known_containers_are_found_through_the_index_whatever_their_case() -> None:
    html = (
        "<html><body><div class='Entry-Content'>"
        f"<p>{PARAGRAPH}</p><p>{PARAGRAPH} Two.</p><p>{PARAGRAPH} Three.</p></div>"
        "<div class='sidebar-box'><p>Elsewhere, at length, on another subject.</p></div>"
        "</body></html>"
    )  # no doctype: quirks mode, where .entry-content matches "Entry-Content"
    page = _page(html)
    plausible = plausible_selectors_by_index(page.tree, page.index)
    assert plausible == plausible_selectors(page.tree.css(ANY_CONTAINER_SELECTOR))
    assert ".entry-content" in plausible
    assert extract_content(page.tree, None, None, index=page.index).paragraphs == (
        PARAGRAPH,
        f"{PARAGRAPH} Two.",
        f"{PARAGRAPH} Three.",
    )


def test_only_paragraphs_holding_a_br_are_read_line_by_line() -> None:
    tree = LexborHTMLParser(
        "<div id='c'><p>One<span><br></span>Two</p><p>Three <b>bold</b></p>"
        "<div>Four<br>Five</div></div>"
    )
    container = tree.css_first("#c")
    assert container is not None
    texts = [block.text for block in read_blocks(container)]
    assert texts == ["One", "Two", "Three bold", "Four", "Five"]


def test_first_walk_reads_metadata_and_drops_never_text_nodes() -> None:
    page = _page(
        "<html><head><meta property='og:title' content='A title'>"
        '<script type=\'Application/LD+JSON\'>{"@type": "NewsArticle", "headline": "H"}'
        "</script><script>var x = 1;</script><style>p {}</style></head><body>"
        "<template><p>template</p></template><svg><text>icon</text></svg>"
        "<p>Body</p></body></html>"
    )
    assert page.meta["og:title"] == ["A title"]
    assert [obj["headline"] for obj in page.jsonld] == ["H"]
    assert page.tree.css("style, template, svg") == []
    kept = page.tree.css("script")  # JSON-LD stays, for whoever reads it later
    assert [node.attributes.get("type") for node in kept] == ["Application/LD+JSON"]
    assert page.tree.body is not None and clean_text(page.tree.body.text()) == "Body"


def test_class_substring_selectors_find_document_order_or_nothing() -> None:
    page = _page(
        "<div class='b-standfirst-x'>2</div><p class='x standfirst'>1</p>"
        "<span class='standfirst a-standfirst'>3</span>"
    )
    found = page.select_all("[class*=standfirst]")
    assert [node.text() for node in found] == ["2", "1", "3"]
    assert page.select_all("[class*=chapeau]") == []


def test_breadcrumb_section_is_read_only_from_a_trail() -> None:
    trail = (
        "<html><body><nav aria-label='Breadcrumb'><a href='/'>Home</a>"
        "<a href='/world'>World</a></nav><h1>Navy buys six frigates</h1></body></html>"
    )
    assert fields.find_section(_page(trail)) == "World"
    no_trail = trail.replace("aria-label='Breadcrumb'", "aria-label='Main'")
    assert fields.find_section(_page(no_trail)) is None


def test_one_tag_walk_finds_the_counted_and_the_junk_tags() -> None:
    page = _page(
        "<html><body><article><a href='/a'>A</a><a name='x'>no href</a><img src='i.png'>"
        "<button>Go</button><form><input name='q'><select><option>1</option></select></form>"
        "<iframe src='/f'></iframe><time>today</time><pre>code</pre></article></body></html>"
    )
    walk = page.tag_walk()
    assert walk.counts == {"article": 1, "a": 1, "img": 1, "time": 1, "pre": 1}
    assert [node.tag for node in walk.junk] == ["button", "input", "select", "option", "iframe"]
    assert [n.mem_id for n in walk.junk] == [n.mem_id for n in page.tree.css(vocab.JUNK_TAGS)]


INDEXED_PAGE = (
    "<html><body><h1 class='title' id='top'>One</h1><h2>Two</h2><h1>Three</h1>"
    "<a rel='Tag' class='t' id='t1' href='/t'>navy</a><a rel='tag' href='/u'>army</a>"
    "<a rel='category tag' href='/c'>Defence</a><a rel=' tag' href='/v'>not a tag</a>"
    "<div itemscope itemtype='https://schema.org/Person' itemprop='author' class='p' id='q'>"
    "<span itemprop='name'>Jane</span></div><time class='date' datetime='2025-03-05'>"
    "5 March</time></body></html>"
)


@pytest.mark.parametrize(
    "selector",
    ["h1", "h2", "a[rel=tag]", "a[rel='category tag']", "[itemtype]", ".title", "#q", "h1 a"],
)
def test_the_index_answers_tag_rel_and_itemtype_queries_as_lexbor_does(selector: str) -> None:
    page = _page(INDEXED_PAGE)
    expected = LexborHTMLParser(INDEXED_PAGE).css(selector)
    assert [node.html for node in page.select_all(selector)] == [node.html for node in expected]


def test_a_node_with_a_class_an_id_and_an_itemprop_is_indexed_once() -> None:
    page = _page(INDEXED_PAGE)
    # lexbor lists such a node once for each selector of "[class], [id], [itemprop]"
    assert len(page.tree.css("[class], [id], [itemprop]")) > len(page.index.nodes)
    assert [node.text() for node in page.select_all(".p")] == ["Jane"]
    assert [label for label in page.index.labels if label.strip()] == [
        "title top", "t t1", "p q", "date ",
    ]  # fmt: skip


def test_a_query_lists_each_node_once_and_skips_words_no_class_holds() -> None:
    page = _page(INDEXED_PAGE)
    parts = ("time", "[datetime]", "[class*=DATE i]", "[class*=byline i]", "[id*=T1 i]")
    found = page.query(parts)
    assert [node.tag for node in found] == ["a", "time"]
    assert page.query(("[class*=byline i]",)) == []  # no part is left to ask
    assert page.query(("[class*=Title]",)) == []  # without " i" the case must match


def test_unique_keeps_each_match_of_a_selector_list_once_in_document_order() -> None:
    tree = LexborHTMLParser(
        "<body><nav role='navigation' aria-hidden='true'>a</nav><aside>b</aside>"
        "<footer role='contentinfo' hidden>c</footer></body>"
    )
    matches = tree.css("nav, aside, footer, [role=navigation], [role=contentinfo], [hidden]")
    assert len(matches) == 6
    assert [node.text() for node in unique(matches)] == ["a", "b", "c"]
