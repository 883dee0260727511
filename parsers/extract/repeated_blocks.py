"""Responsive copies: pages that write a block twice, one copy styled for phones and one for
desktops (told apart by class), leave both in the text; the second copy is dropped."""

from __future__ import annotations

from collections.abc import Sequence

from selectolax.lexbor import LexborNode

from parsers.extract.page import clean_text
from parsers.extract.text_blocks import Block

# A copy this long is the same block, not a repeated label ("Add to cart", "Size").
MIN_COPY_CHARS = 50
# Layout blocks only: list items, rows and paragraphs repeat by design (a training plan's
# "Warm up" every day), and a repeated item keeps its class.
COPY_SELECTOR = "div[class], section[class]"


def has_repeated_block(blocks: Sequence[Block]) -> bool:
    """Whether a paragraph-long text block is read twice: without one, no copy to look for
    (short repeats, "Reply" or a date under each comment, are common and say nothing)."""
    seen: set[str] = set()
    for block in blocks:
        text = block.text
        if len(text) >= MIN_COPY_CHARS:
            if text in seen:
                return True
            seen.add(text)
    return False


def drop_responsive_copies(container: LexborNode) -> bool:
    """Drop each block whose text repeats an earlier sibling's under another class; whether
    any was dropped (the container is read again only then)."""
    siblings: dict[int, list[LexborNode]] = {}
    for node in container.css(COPY_SELECTOR):
        parent = node.parent
        if parent is not None:
            siblings.setdefault(parent.mem_id, []).append(node)
    copies = [copy for group in siblings.values() if len(group) > 1 for copy in _copies(group)]
    # Innermost first: dropping a block frees its subtree, copies inside it included.
    for copy in sorted(copies, key=_depth, reverse=True):
        copy.decompose()
    return bool(copies)


def _copies(group: list[LexborNode]) -> list[LexborNode]:
    seen: dict[str, str] = {}
    found = []
    for sibling in group:
        text = clean_text(sibling.text(deep=True))
        if len(text) < MIN_COPY_CHARS:
            continue
        label = sibling.attributes.get("class") or ""
        if seen.setdefault(text, label) != label:
            found.append(sibling)
    return found


def _depth(node: LexborNode) -> int:
    depth = 0
    parent = node.parent
    while parent is not None:
        depth += 1
        parent = parent.parent
    return depth
