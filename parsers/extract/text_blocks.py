"""Read a container's text as blocks, the way a browser would lay out its paragraphs.

Iterative rather than recursive so that pathologically deep markup cannot overflow the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from parsers.extract import vocab
from parsers.extract.page import clean_text

# Found in one query per container (see _marks): line breaks and captions make a leaf block
# be read node by node; captions and script anchors are told apart without reading every
# node's attributes on the walk.
MARKS_SELECTOR = (
    "br, [class*=caption i], [class*=credit i], [id*=caption i], [id*=credit i], "
    "a[href^='javascript:' i]"
)
_CLOSE = object()  # marks the end of a block element on the walk stack


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    link_chars: int
    tag: str
    links: int = 0  # how many links the block holds (a list of names, not prose, has many)


class _Collector:
    """Gathers inline text until a block boundary closes the current paragraph."""

    def __init__(self, marks: _Marks) -> None:
        self.walked_holders = marks.walked_holders
        self.captions = marks.captions
        self.script_wrappers = marks.script_wrappers
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.links = 0
        self.tag = "p"

    def add(self, text: str, in_link: bool) -> None:
        self.parts.append(text)
        if in_link:
            self.link_chars += len(text.strip())

    def add_leaf(self, node: LexborNode, tag: str, in_link: bool) -> None:
        """Paragraphs and headings hold no blocks: read them in one call, not node by node."""
        text = clean_text(node.text(deep=True))
        if tag in vocab.HEADING_TAGS:
            text = vocab.PERMALINK_MARK.sub("", text)
        if not text:
            return
        # A filtered walk: a css() call parses its selector anew, which costs more than
        # walking a paragraph's few nodes.
        links = [inner for inner in node.traverse() if inner.tag == "a"]
        if tag in vocab.HEADING_TAGS:
            links = [link for link in links if not _is_anchor(link)]
        if in_link:
            link_chars = len(text)
        else:
            link_chars = sum(len(link.text(deep=True).strip()) for link in links)
        self.blocks.append(Block(text, link_chars, tag, len(links) + int(in_link)))

    def flush(self) -> None:
        text = clean_text("".join(self.parts))
        if text:
            self.blocks.append(Block(text, self.link_chars, self.tag, self.links))
        self.parts.clear()
        self.link_chars = 0
        self.links = 0


def read_blocks(container: LexborNode) -> list[Block]:
    collector = _Collector(_marks(container))
    stack: list[tuple[LexborNode | object, bool]] = [
        (child, False) for child in _children(container)
    ]
    stack.reverse()
    while stack:
        item, in_link = stack.pop()
        if item is _CLOSE:
            collector.flush()
            collector.tag = "p"  # loose text after a block is a paragraph of its own
            continue
        assert isinstance(item, LexborNode)
        _visit(item, in_link, collector, stack)
    collector.flush()
    return collector.blocks


def _visit(
    node: LexborNode,
    in_link: bool,
    collector: _Collector,
    stack: list[tuple[LexborNode | object, bool]],
) -> None:
    tag = node.tag or ""
    if tag == "-text":
        collector.add(node.text_content or "", in_link)
        return
    if (tag in vocab.SKIP_IN_BODY and not _is_table_figure(node, tag)) or tag == "-comment":
        return
    if node.mem_id in collector.captions:
        return
    if tag == "br" or tag == "hr":
        collector.flush()
        return
    if tag in vocab.LEAF_BLOCK_TAGS and node.mem_id not in collector.walked_holders:
        collector.flush()
        collector.add_leaf(node, tag, in_link)
        return
    is_block = tag in vocab.BLOCK_TAGS
    if is_block:
        collector.flush()
        collector.tag = tag
        stack.append((_CLOSE, in_link))
    is_link = tag == "a" and node.mem_id not in collector.script_wrappers
    if is_link:
        collector.links += 1
    child_in_link = in_link or is_link
    children = [(child, child_in_link) for child in _children(node)]
    stack.extend(reversed(children))


@dataclass(frozen=True, slots=True)
class _Marks:
    walked_holders: set[int]  # leaf blocks holding a <br> or a caption
    captions: set[int]
    script_wrappers: set[int]


def _marks(container: LexborNode) -> _Marks:
    """A leaf block with a <br> inside is read line by line, and one with an image credit
    inside ("<p><span class=caption>© Agency</span>Text</p>") node by node so the credit
    is skipped: the nodes between the container and each <br> or caption are marked."""
    marks = _Marks(set(), set(), set())
    stop = container.mem_id
    for found in container.css(MARKS_SELECTOR):
        if found.tag == "br":
            _mark_holders(found, stop, marks.walked_holders)
        elif _is_caption(found):
            marks.captions.add(found.mem_id)
            _mark_holders(found, stop, marks.walked_holders)
        elif found.tag == "a" and _script_wrapper(found):
            marks.script_wrappers.add(found.mem_id)
    return marks


def _mark_holders(found: LexborNode, stop: int, holders: set[int]) -> None:
    ancestor = found.parent
    while ancestor is not None and ancestor.mem_id != stop and ancestor.mem_id not in holders:
        holders.add(ancestor.mem_id)
        ancestor = ancestor.parent


def paragraph_chars(node: LexborNode | None) -> int:
    """The characters of the <p>s under `node`: how much article text a block holds, the one
    measure the pruning rules weigh blocks by."""
    if node is None:
        return 0
    return sum(len(paragraph.text(deep=True)) for paragraph in node.css("p"))


def _is_anchor(link: LexborNode) -> bool:
    """A heading's link to its own section ("#examples") is a permalink, not a link away."""
    return (link.attributes.get("href") or "").startswith("#")


def _children(node: LexborNode) -> list[LexborNode]:
    return list(node.iter(include_text=True))


def _script_wrapper(anchor: LexborNode) -> bool:
    """A `javascript:` anchor around paragraphs is a click handler on the text, not a link
    to somewhere else: its text is read as prose."""
    href = (anchor.attributes.get("href") or "").lstrip().lower()
    return href.startswith("javascript:") and anchor.css_first("p, div") is not None


def _is_table_figure(node: LexborNode, tag: str) -> bool:
    """Block editors wrap tables in <figure>: the table is text (its caption is skipped)."""
    return tag == "figure" and node.css_first("table") is not None


def _is_caption(node: LexborNode) -> bool:
    attributes = node.attributes
    label = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
    return label != " " and vocab.CAPTION_PATTERN.search(label) is not None
