"""The article body: find the main container, then read its text blocks in order.

Readability's idea (paragraphs vote for their ancestors) picks the container when no known
container selector matches; boilerplate is pruned first so it cannot win the vote. The
tree is modified in place, which is why the body runs after every other field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.extract import vocab
from parsers.extract.block_filters import filter_blocks
from parsers.extract.calls_to_action import (
    call_to_action_holders,
    remove_call_to_action_boxes,
)
from parsers.extract.container_siblings import link_density, with_siblings
from parsers.extract.hidden_nodes import remove_hidden
from parsers.extract.known_containers import (
    ANY_CONTAINER_SELECTOR,
    plausible_selectors,
    plausible_selectors_by_index,
)
from parsers.extract.page import clean_text
from parsers.extract.repeated_blocks import drop_responsive_copies, has_repeated_block
from parsers.extract.section_anchors import is_heading_anchor
from parsers.extract.select import ClassIndex, unique
from parsers.extract.text_blocks import Block, paragraph_chars, read_blocks
from parsers.extract.threads import comments_are_the_page

MIN_PARAGRAPH_CHARS = 25
MIN_CONTAINER_CHARS = 250
KNOWN_CONTAINER_SHARE = 0.5
VOTE_MAX_LINK_SHARE = 0.5
KEEP_CHROME_SHARE = 0.4
FORM_MAX_SHARE = 0.2
NOSCRIPT_SHARE = 0.5
PAGE_TAGS = frozenset({"html", "body", "main", "article"})
SCRIPT_TAGS = frozenset({"script", "style", "template"})
CODE_DEPTH = 4  # highlighter spans sit right under <code> or <pre>, a level or two down
VOTE_SHARES = (1.0, 0.5, 0.25)
WEIGHED_CANDIDATES = 12
CLASS_WEIGHT = 25.0
ASCEND_GROWTH = 1.5
# Paragraph text read while voting, in multiples of the page's HTML: real pages read under
# 6 times their text (a paragraph in a list item counts twice), nested wrappers far more.
VOTE_TEXT_BUDGET = 20
# Ancestors a paragraph's text counts for: real pages nest paragraphs under 50 deep.
MAX_VOTE_DEPTH = 128
LINK_LIST_TAGS = frozenset({"li", "td", "h2", "h3"})
TAG_VOTE_WEIGHTS = {"li": 0.25}
TAG_SCORES = {"div": 5.0, "article": 8.0, "main": 5.0, "section": 3.0, "td": 3.0}


# Nodes with a class or id attribute, each with its "class id" label, in document order.
Labelled = Sequence[tuple[LexborNode, str]]


@dataclass(frozen=True, slots=True)
class Content:
    """The body paragraphs and the container they came from (images are read from it)."""

    paragraphs: tuple[str, ...]
    main: LexborNode | None


def remove_junk(tree: LexborHTMLParser, junk: Sequence[LexborNode] | None = None) -> None:
    """Drop what is never text (scripts, styles, forms' controls, hidden nodes); `junk`: the
    vocab.JUNK_TAGS nodes, when the page found them already (page.tag_walk)."""
    nodes = tree.css(vocab.JUNK_TAGS) if junk is None else junk
    page_renderings = _page_noscripts(tree, nodes)
    for node in nodes:
        if node.mem_id not in page_renderings:
            node.decompose()
        else:
            node.unwrap()  # read like the page it renders (the body skips noscript blocks)
    remove_hidden(tree)


def _page_noscripts(tree: LexborHTMLParser, nodes: Sequence[LexborNode]) -> set[int]:
    """The noscript blocks that hold most of the page's text: forum software renders the
    whole thread there for clients without JavaScript, around an empty script shell."""
    large = [
        node
        for node in nodes
        if node.tag == "noscript" and len(node.text(deep=True)) >= MIN_CONTAINER_CHARS
    ]
    if not large or tree.body is None:
        return set()
    # Measured against the text a reader sees: a single-page app's script payloads (JSON
    # state, often larger than the page) are not text the noscript competes with.
    scripts = sum(len(node.text(deep=True)) for node in nodes if node.tag in SCRIPT_TAGS)
    total = max(len(tree.body.text(deep=True)) - scripts, 1)
    return {node.mem_id for node in large if len(node.text(deep=True)) >= NOSCRIPT_SHARE * total}


def remove_boilerplate(
    tree: LexborHTMLParser, labelled: Labelled | None = None, *, product: bool = False
) -> None:
    """Drop chrome and blocks whose class/id says boilerplate, unless they hold the article.

    `labelled`: the nodes with a class or id and their "class id" labels, when the page read
    them before pruning (page.index); a node pruned since then has no parent and is passed.
    `product`: the page declares a product, whose customer reviews are boilerplate however
    much text they hold (a service's testimonials or a review article's sections, named the
    same, are text).
    """
    total = max(paragraph_chars(tree.body), 1)
    for node in unique(tree.css(vocab.CHROME_TAGS)):
        if _holds_article(node, total):
            continue
        node.decompose()
    _remove_small_forms(tree)
    comments: list[LexborNode] = []
    for node, label in _labelled(tree) if labelled is None else labelled:
        if node.parent is None:
            continue  # dropped with an ancestor (junk, chrome, an earlier block)
        if (
            product
            and vocab.label_has_word(label, vocab.REVIEW_WORDS)
            and node.tag not in PAGE_TAGS
        ):
            node.decompose()  # however long: each review is an <article> of its own
            continue
        if not vocab.is_boilerplate_label(label) or node.tag in PAGE_TAGS:
            continue
        if _holds_article(node, total) or _named_by_its_heading(node) or _in_code(node):
            continue
        if vocab.label_has_word(label, vocab.COMMENT_WORDS):
            comments.append(node)  # a forum's posts are named comments: decided below
            continue
        node.decompose()
    if not comments_are_the_page(tree, comments, total):
        for node in comments:
            node.decompose()


def _in_code(node: LexborNode) -> bool:
    """Syntax highlighters label a code comment "comment" ("hljs-comment", "token comment")."""
    ancestor = node.parent
    for _ in range(CODE_DEPTH):
        if ancestor is None:
            return False
        if ancestor.tag in ("pre", "code"):
            return True
        ancestor = ancestor.parent
    return False


def _named_by_its_heading(node: LexborNode) -> bool:
    """A section whose id is its heading's slug, its class no boilerplate: the id's words
    are the author's ("Sharing with a single developer"), not a component's name."""
    classes = node.attributes.get("class") or ""
    return not vocab.is_boilerplate_label(classes) and is_heading_anchor(node)


def _remove_small_forms(tree: LexborHTMLParser) -> None:
    """Comment, newsletter, search and contact forms leave their labels and prompts behind;
    a form that holds much of the page (forum moderation, ASP.NET) is kept."""
    forms = tree.css("form")
    if not forms or tree.body is None:
        return
    page_chars = len(tree.body.text(deep=True))
    for form in forms:
        if form.parent is None or form.css_first("[itemprop=articleBody], article") is not None:
            continue
        if len(form.text(deep=True)) < FORM_MAX_SHARE * page_chars:
            form.decompose()


def _labelled(tree: LexborHTMLParser) -> Labelled:
    found = []
    for node in unique(tree.css("[class], [id]")):
        attributes = node.attributes
        found.append((node, f"{attributes.get('class') or ''} {attributes.get('id') or ''}"))
    return found


def _holds_article(node: LexborNode, total_paragraph_chars: int) -> bool:
    """Page builders put whole articles in blocks named like widgets or panels."""
    if node.css_first("[itemprop=articleBody], article") is not None:
        return True
    return paragraph_chars(node) > KEEP_CHROME_SHARE * total_paragraph_chars


def extract_content(
    tree: LexborHTMLParser,
    headline: str | None,
    standfirst: str | None = None,
    *,
    index: ClassIndex | None = None,
    junk: Sequence[LexborNode] | None = None,
    product: bool = False,
    dated: bool = False,
) -> Content:
    """Prune the tree, choose the container(s), return their text blocks as paragraphs.
    `dated`: the page states a date, so a sign-up box beside its text is not its text."""
    calls_to_action = call_to_action_holders(tree, junk, index) if dated else []
    remove_junk(tree, junk)
    remove_call_to_action_boxes(tree, calls_to_action)
    remove_boilerplate(tree, index.labelled() if index is not None else None, product=product)
    containers = _choose_containers(tree, index)
    if not containers:
        return Content((), None)
    blocks = _read_containers(containers)
    # Cheap test first: the copies' walk costs a pass over the container, a new read another.
    if has_repeated_block(blocks):
        dropped = [drop_responsive_copies(container) for container in containers]  # each one
        if any(dropped):
            blocks = _read_containers(containers)
    paragraphs = tuple(block.text for block in filter_blocks(blocks, headline, standfirst))
    main = containers[0] if len(containers) == 1 else containers[0].parent
    return Content(paragraphs, main)


def _read_containers(containers: Sequence[LexborNode]) -> list[Block]:
    blocks: list[Block] = []
    for container in containers:
        blocks.extend(read_blocks(container))
    return blocks


def _choose_containers(tree: LexborHTMLParser, index: ClassIndex | None) -> list[LexborNode]:
    votes = _vote(tree)
    scores = _weighed(votes)
    if not scores:
        body = tree.body
        return [body] if body is not None else []
    best_node, best_score = max(scores.values(), key=lambda pair: pair[1])
    known = _known_container(tree, best_node, index)
    if known is not None:
        return [known]
    ascended = _ascend(best_node, votes)
    if ascended is not best_node:
        return [ascended]
    return with_siblings(best_node, best_score, scores)


def _known_container(
    tree: LexborHTMLParser, voted: LexborNode, index: ClassIndex | None
) -> LexborNode | None:
    """A known selector wins when it holds most of the voted container's text."""
    if index is None:
        plausible = plausible_selectors(tree.css(ANY_CONTAINER_SELECTOR))
    else:
        plausible = plausible_selectors_by_index(tree, index)
    if not plausible:
        return None
    voted_chars = len(voted.text(deep=True))
    for selector in plausible:
        matches = tree.css(selector)
        if len(matches) != 1:
            continue
        node = matches[0]
        text = node.text(deep=True)
        if not _long_enough(len(text), voted_chars):
            continue  # cleaning only shortens the text: no need to clean it
        if _long_enough(len(clean_text(text)), voted_chars):
            return node
    return None


def _long_enough(chars: int, voted_chars: int) -> bool:
    return chars >= MIN_CONTAINER_CHARS and chars >= KNOWN_CONTAINER_SHARE * voted_chars


@dataclass
class _Votes:
    """Readability points (near ancestors) and plain paragraph text (all ancestors)."""

    points: dict[int, tuple[LexborNode, float]]
    text_chars: dict[int, int]
    # Each ancestor's parent, and whether the climb stops at it, read off the tree once:
    # paragraphs share ancestors, and every read of .parent or .tag crosses into lexbor.
    steps: dict[int, tuple[bool, LexborNode | None]] = field(default_factory=dict)


def _vote(tree: LexborHTMLParser) -> _Votes:
    """Each text paragraph gives points to its parent and less to the ancestors above."""
    votes = _Votes({}, {})
    paragraphs = _voting_paragraphs(tree)
    for paragraph, text in paragraphs:
        _give_points(text, paragraph.parent, votes, TAG_VOTE_WEIGHTS.get(paragraph.tag or "", 1.0))
    # Text written straight into a div (with <br> between paragraphs) votes for the div.
    for div in tree.css(vocab.TEXT_HOLDER_SELECTOR):
        _give_points(div.text(deep=False), div, votes)
    paragraph_chars = sum(len(text) for _, text in paragraphs)
    for div, text in _inline_divs(tree, paragraph_chars):
        _give_points(text, div.parent, votes)
    return votes


def _inline_divs(tree: LexborHTMLParser, paragraph_chars: int) -> list[tuple[LexborNode, str]]:
    """Divs holding only inline markup (<div><span>text</span></div>): paragraphs written
    without <p>, when they hold more text than the page's paragraphs (else they are mostly
    footers and widgets). Text written straight into a div already voted for the div."""
    found = []
    for div in tree.css(vocab.INLINE_DIV_SELECTOR):
        text = div.text(deep=True)
        if len(text.strip()) < MIN_PARAGRAPH_CHARS or _mostly_link(div, text):
            continue
        if len(div.text(deep=False).strip()) < MIN_PARAGRAPH_CHARS:
            found.append((div, text))
    if sum(len(text) for _, text in found) <= paragraph_chars:
        return []
    return found


def _voting_paragraphs(tree: LexborHTMLParser) -> list[tuple[LexborNode, str]]:
    """The paragraphs that vote, with their text, in page order.

    Read from the end of the page within a budget of characters: thousands of unclosed
    <td> or <li>, each holding all that follows, would otherwise cost quadratic time; the
    innermost (the article's own paragraphs) are read first and the outer wrappers dropped.
    """
    budget = VOTE_TEXT_BUDGET * max(len(tree.raw_html), MIN_CONTAINER_CHARS)
    voting: list[tuple[LexborNode, str]] = []
    for paragraph in reversed(tree.css(vocab.PARAGRAPH_SELECTOR)):
        text = paragraph.text(deep=True)
        budget -= len(text)
        if budget < 0:
            break
        if len(text.strip()) < MIN_PARAGRAPH_CHARS:
            continue  # too short to give points (see _give_points): menu items, mostly
        if paragraph.tag in LINK_LIST_TAGS and _mostly_link(paragraph, text):
            continue
        voting.append((paragraph, text))
    voting.reverse()
    return voting


def _weighed(votes: _Votes) -> dict[int, tuple[LexborNode, float]]:
    """Only the best-voted nodes are weighed by class names and link density (costly)."""
    ranked = sorted(votes.points.items(), key=lambda item: item[1][1], reverse=True)
    return {
        key: (node, (points + _initial_score(node)) * (1 - link_density(node)))
        for key, (node, points) in ranked[:WEIGHED_CANDIDATES]
    }


def _ascend(best: LexborNode, votes: _Votes) -> LexborNode:
    """Climb to the ancestor that holds clearly more paragraph text: split articles."""
    current, current_chars = best, votes.text_chars.get(best.mem_id, 0)
    ancestor = best.parent
    while ancestor is not None and ancestor.tag not in ("body", "html"):
        chars = votes.text_chars.get(ancestor.mem_id, 0)
        if chars >= ASCEND_GROWTH * current_chars:
            current, current_chars = ancestor, chars
        ancestor = ancestor.parent
    return current


def _mostly_link(node: LexborNode, text: str) -> bool:
    link = node.css_first("a")
    return link is not None and len(link.text(deep=True)) > VOTE_MAX_LINK_SHARE * len(text)


def _give_points(text: str, holder: LexborNode | None, votes: _Votes, weight: float = 1.0) -> None:
    length = len(text.strip())
    if length < MIN_PARAGRAPH_CHARS:
        return
    points = weight * (1.0 + text.count(",") + min(length // 100, 3))
    ancestor = holder
    depth = 0
    steps = votes.steps
    while ancestor is not None and depth < MAX_VOTE_DEPTH:
        key = ancestor.mem_id
        step = steps.get(key)
        if step is None:
            step = steps[key] = (ancestor.tag in ("html", "#document"), ancestor.parent)
        if step[0]:
            break
        if depth < len(VOTE_SHARES):
            node, total = votes.points.get(key, (ancestor, 0.0))
            votes.points[key] = (node, total + points * VOTE_SHARES[depth])
        votes.text_chars[key] = votes.text_chars.get(key, 0) + length
        ancestor = step[1]
        depth += 1


def _initial_score(node: LexborNode) -> float:
    score = TAG_SCORES.get(node.tag or "", 0.0)
    label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    if vocab.POSITIVE_PATTERN.search(label):
        score += CLASS_WEIGHT
    if vocab.NEGATIVE_PATTERN.search(label):
        score -= CLASS_WEIGHT
    return score
