"""The voted container's siblings that belong to the same article (split articles).

Widget-built pages and platforms that wrap each part of an article (between rules or
images) in a block of its own leave the article in several sibling containers.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from parsers.extract.page import clean_text

SIBLING_SHARE = 0.2
# A sibling scored at least this (or SIBLING_SHARE of the best score) joins the article.
MIN_SIBLING_SCORE = 10.0


def link_density(node: LexborNode) -> float:
    text_chars = len(node.text(deep=True)) or 1
    link_chars = sum(len(link.text(deep=True)) for link in node.css("a"))
    return min(link_chars / text_chars, 1.0)


def with_siblings(
    best: LexborNode, best_score: float, scores: dict[int, tuple[LexborNode, float]]
) -> list[LexborNode]:
    """Siblings that scored well or read like paragraphs belong to the same article; a
    wrapper holding nothing but the best node is looked through (its siblings are the
    article's other sections)."""
    best = _outermost_wrapper(best)
    parent = best.parent
    if parent is None:
        return [best]
    threshold = max(MIN_SIBLING_SCORE, best_score * SIBLING_SHARE)
    chosen: list[LexborNode] = []
    for sibling in parent.iter():
        if (
            sibling.mem_id == best.mem_id
            or (sibling.mem_id in scores and scores[sibling.mem_id][1] >= threshold)
            or (sibling.tag == "p" and _reads_like_paragraph(sibling))
        ):
            chosen.append(sibling)
    return chosen


def _outermost_wrapper(node: LexborNode) -> LexborNode:
    """The highest ancestor whose only element child leads down to `node`."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html") and _only_child(node):
        node, parent = parent, parent.parent
    return node


def _only_child(node: LexborNode) -> bool:
    parent = node.parent
    return parent is not None and sum(1 for _ in parent.iter()) == 1


def _reads_like_paragraph(node: LexborNode) -> bool:
    text = clean_text(node.text(deep=True))
    density = link_density(node)
    if len(text) > 80:
        return density < 0.25
    return density == 0 and ". " in text
