"""Hidden nodes: dropped before the body is measured, unless they hold the page's content.

Menus, dialogs and collapsed widgets are hidden; so, on some pages, is the content itself:
streaming server rendering parks it in hidden containers until a script moves it in place,
and some storefront apps hide the product text until a script reveals it.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from parsers.extract import vocab
from parsers.extract.select import unique
from parsers.extract.text_blocks import paragraph_chars

# A hidden block holding this share of the page's text is the page, parked by a script.
HIDDEN_TEXT_SHARE = 0.25
# ...or this share of the page's paragraph text, however large its hidden menus.
HIDDEN_PARAGRAPH_SHARE = 0.5
# Blocks shorter than this are never weighed against the page's paragraphs.
MIN_HIDDEN_CONTENT_CHARS = 250


def remove_hidden(tree: LexborHTMLParser) -> None:
    """Drop hidden nodes, keeping the big containers that hold the page's text."""
    hidden = unique(tree.css(vocab.HIDDEN_SELECTOR))
    if not hidden:
        return  # no need to read the whole body's text
    body = tree.body
    total = max(len(body.text(deep=True)), 1) if body is not None else 1
    paragraph_total: int | None = None  # read once, only when a large block asks
    for node in hidden:
        tag = node.tag or ""
        if tag in vocab.LEAF_BLOCK_TAGS:
            node.decompose()  # a hidden paragraph is never such a container
            continue
        if tag in ("html", "body"):
            continue
        chars = len(node.text(deep=True))
        if chars >= HIDDEN_TEXT_SHARE * total:
            continue
        if chars >= MIN_HIDDEN_CONTENT_CHARS and body is not None:
            if paragraph_total is None:
                paragraph_total = paragraph_chars(body)
            if paragraph_chars(node) >= HIDDEN_PARAGRAPH_SHARE * max(paragraph_total, 1):
                continue
        node.decompose()
