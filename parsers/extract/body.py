"""The article body: find the main container, then read its text blocks in order.

Readability's idea (paragraphs vote for their ancestors) picks the container when no known
container selector matches; boilerplate is pruned first so it cannot win the vote. The
tree is modified in place, which is why the body runs after every other field.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.extract import vocab
from parsers.extract.page import clean_text
from parsers.extract.text_blocks import Block, read_blocks

MIN_PARAGRAPH_CHARS = 25
MIN_CONTAINER_CHARS = 250
KNOWN_CONTAINER_SHARE = 0.5
SIBLING_SHARE = 0.2
MAX_LINK_DENSITY = 0.5
KEEP_CHROME_SHARE = 0.4
VOTE_SHARES = (1.0, 0.5, 0.25)
WEIGHED_CANDIDATES = 12
CLASS_WEIGHT = 25.0
TAG_SCORES = {"div": 5.0, "article": 8.0, "main": 5.0, "section": 3.0, "td": 3.0}


@dataclass(frozen=True, slots=True)
class Content:
    """The body paragraphs and the container they came from (images are read from it)."""

    paragraphs: tuple[str, ...]
    main: LexborNode | None
    containers: tuple[LexborNode, ...]


def remove_junk(tree: LexborHTMLParser) -> None:
    """Drop what is never text (scripts, styles, forms' controls, hidden nodes)."""
    for node in tree.css(vocab.JUNK_TAGS):
        node.decompose()
    body = tree.body
    total = max(len(body.text(deep=True)), 1) if body is not None else 1
    for node in tree.css(vocab.HIDDEN_SELECTOR):
        # Streaming server rendering parks the real content in hidden nodes: keep big ones.
        if node.tag not in ("html", "body") and len(node.text(deep=True)) < 0.25 * total:
            node.decompose()


def remove_boilerplate(tree: LexborHTMLParser) -> None:
    """Drop chrome and blocks whose class/id says boilerplate, unless they hold the article."""
    body = tree.body
    if body is None:
        return
    total = max(len(body.text(deep=True)), 1)
    for node in tree.css(vocab.CHROME_TAGS):
        if _holds_article(node, total):
            continue
        node.decompose()
    for node in tree.css("[class], [id]"):
        if node.tag in ("html", "body", "main", "article") or node.parent is None:
            continue
        label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if vocab.is_boilerplate_label(label) and not _holds_article(node, total):
            node.decompose()


def _holds_article(node: LexborNode, total_chars: int) -> bool:
    if node.css_first("[itemprop=articleBody], article") is not None:
        return True
    return len(node.text(deep=True)) > KEEP_CHROME_SHARE * total_chars


def extract_content(tree: LexborHTMLParser, headline: str | None) -> Content:
    """Prune the tree, choose the container(s), return their text blocks as paragraphs."""
    remove_junk(tree)
    remove_boilerplate(tree)
    containers = _choose_containers(tree)
    if not containers:
        return Content((), None, ())
    blocks: list[Block] = []
    for container in containers:
        blocks.extend(read_blocks(container))
    paragraphs = tuple(_keep(blocks, headline))
    main = containers[0] if len(containers) == 1 else containers[0].parent
    return Content(paragraphs, main, tuple(containers))


def _choose_containers(tree: LexborHTMLParser) -> list[LexborNode]:
    scores = _vote(tree)
    if not scores:
        body = tree.body
        return [body] if body is not None else []
    best_node, best_score = max(scores.values(), key=lambda pair: pair[1])
    known = _known_container(tree, best_node)
    if known is not None:
        return [known]
    return _with_siblings(best_node, best_score, scores)


def _known_container(tree: LexborHTMLParser, voted: LexborNode) -> LexborNode | None:
    """A known selector wins when it holds most of the voted container's text."""
    voted_chars = len(voted.text(deep=True))
    for selector in vocab.CONTAINER_SELECTORS:
        matches = tree.css(selector)
        if len(matches) != 1:
            continue
        node = matches[0]
        chars = len(clean_text(node.text(deep=True)))
        if chars >= MIN_CONTAINER_CHARS and chars >= KNOWN_CONTAINER_SHARE * voted_chars:
            return node
    return None


def _vote(tree: LexborHTMLParser) -> dict[int, tuple[LexborNode, float]]:
    """Each text paragraph gives points to its parent and less to the ancestors above.

    Only the best-voted nodes are then weighted by class names and link density, since
    those checks cost far more than the vote itself.
    """
    points_by_node: dict[int, tuple[LexborNode, float]] = {}
    for paragraph in tree.css(vocab.PARAGRAPH_SELECTOR):
        text = paragraph.text(deep=True)
        length = len(text.strip())
        if length < MIN_PARAGRAPH_CHARS:
            continue
        points = 1.0 + text.count(",") + min(length // 100, 3)
        ancestor = paragraph.parent
        for share in VOTE_SHARES:
            if ancestor is None or ancestor.tag in ("html", "#document"):
                break
            key = ancestor.mem_id
            node, total = points_by_node.get(key, (ancestor, 0.0))
            points_by_node[key] = (node, total + points * share)
            ancestor = ancestor.parent
    ranked = sorted(points_by_node.items(), key=lambda item: item[1][1], reverse=True)
    return {
        key: (node, (points + _initial_score(node)) * (1 - _link_density(node)))
        for key, (node, points) in ranked[:WEIGHED_CANDIDATES]
    }


def _initial_score(node: LexborNode) -> float:
    score = TAG_SCORES.get(node.tag or "", 0.0)
    label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    if vocab.POSITIVE_PATTERN.search(label):
        score += CLASS_WEIGHT
    if vocab.NEGATIVE_PATTERN.search(label):
        score -= CLASS_WEIGHT
    return score


def _link_density(node: LexborNode) -> float:
    text_chars = len(node.text(deep=True)) or 1
    link_chars = sum(len(link.text(deep=True)) for link in node.css("a"))
    return min(link_chars / text_chars, 1.0)


def _with_siblings(
    best: LexborNode, best_score: float, scores: dict[int, tuple[LexborNode, float]]
) -> list[LexborNode]:
    """Siblings that scored well or read like paragraphs belong to the same article."""
    parent = best.parent
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * SIBLING_SHARE)
    chosen: list[LexborNode] = []
    for sibling in parent.iter():
        if (
            sibling.mem_id == best.mem_id
            or (sibling.mem_id in scores and scores[sibling.mem_id][1] >= threshold)
            or (sibling.tag == "p" and _reads_like_paragraph(sibling))
        ):
            chosen.append(sibling)
    return chosen


def _reads_like_paragraph(node: LexborNode) -> bool:
    text = clean_text(node.text(deep=True))
    density = _link_density(node)
    if len(text) > 80:
        return density < 0.25
    return density == 0 and ". " in text


def _keep(blocks: list[Block], headline: str | None) -> list[str]:
    kept: list[str] = []
    folded_headline = (headline or "").casefold()
    for block in blocks:
        text = block.text
        if block.link_chars > MAX_LINK_DENSITY * len(text):
            continue
        if vocab.BOILERPLATE_LINES.match(text) or text.casefold() == folded_headline:
            continue
        kept.append(text)
    return kept
