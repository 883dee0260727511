"""React's streamed server rendering: each Suspense boundary is sent first as a fallback
("Loading paragraph...") after an empty `<template id="B:n">`, and each late segment as an
empty `<template id="P:n">`; their content comes later, at the end of the page, in
`<div hidden id="S:n">`, and a script swaps it in. A reader sees the swapped page, so the
swap is done here before anything is read.
"""

from __future__ import annotations

from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

PLACEHOLDERS = ("B:", "P:")  # a boundary's fallback marker, a late segment's place
BOUNDARY_END = "/$"  # the comment that closes a boundary's fallback
# Without its closing comment, a fallback is one short element ("Loading image...").
MAX_FALLBACK_CHARS = 80


def place_streamed(tree: LexborHTMLParser, templates: Sequence[LexborNode]) -> bool:
    """Move each streamed block to its boundary and drop the fallback it replaces;
    `templates`: the page's <template> nodes. Whether the tree changed."""
    if not any((node.attributes.get("id") or "")[:2] in PLACEHOLDERS for node in templates):
        return False
    streamed = tree.css('div[hidden][id^="S:"]')
    blocks = {node.attributes.get("id"): node for node in streamed}
    placed_ids: set[str | None] = set()
    # Last first: a placeholder inside a streamed block is filled before the block is copied.
    for template in reversed(tree.css("template[id]")):
        ident = template.attributes.get("id") or ""
        content = blocks.get("S:" + ident[2:]) if ident[:2] in PLACEHOLDERS else None
        if content is None:
            continue
        if ident.startswith("B:"):
            _drop_fallback(template)
        template.insert_before(content)  # a copy: the originals are dropped after the loop
        placed = template.prev
        if placed is not None and "hidden" in placed.attributes:
            del placed.attrs["hidden"]
        template.decompose()
        placed_ids.add("S:" + ident[2:])
    # Only now, innermost first: a block dropped earlier would free templates still to visit.
    for node in reversed(streamed):
        if node.attributes.get("id") in placed_ids:
            node.decompose()
    return bool(placed_ids)


def _drop_fallback(template: LexborNode) -> None:
    following: list[LexborNode] = []
    node = template.next
    while node is not None:
        if node.is_comment_node and (node.comment_content or "").strip() == BOUNDARY_END:
            for shown in following:
                shown.decompose()
            return
        following.append(node)
        node = node.next
    first = next((node for node in following if node.tag != "-text"), None)
    if first is not None and len(first.text(deep=True).strip()) <= MAX_FALLBACK_CHARS:
        first.decompose()
