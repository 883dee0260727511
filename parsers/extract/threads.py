"""Forum threads: pages whose text is all in blocks named like comments.

Forum software (Invision, lobste.rs and others) names each post a comment, so pruning
comments as boilerplate leaves a thread with nothing but its chrome. When the comment
blocks hold nearly all of a page's paragraph text and the page's first paragraph is one
of them, they are the page's content; an article opens with its own text above them.
Forum software that writes posts as lines (<br>, no <p>) is measured by the posts' text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.extract.text_blocks import paragraph_chars

# The comment blocks hold at least this share of the page's paragraph text.
THREAD_SHARE = 0.75
# A paragraph this long is text, not a label ("Posted June 14", "Quote").
OPENING_PARAGRAPH_CHARS = 80
# Posts written as lines also hold this share of the body's text (menus and notices beside).
LINES_BODY_SHARE = 0.5


def comments_are_the_page(
    tree: LexborHTMLParser,
    comments: Sequence[LexborNode],
    total_chars: int,
) -> bool:
    """`comments`: the comment-named blocks in document order; `total_chars`: the page's
    paragraph characters (text_blocks.paragraph_chars)."""
    if not comments:
        return False
    outermost = list(_outermost(comments))
    if not any(block.css_first("p") for block in outermost):
        return _posts_written_as_lines(tree, outermost, total_chars)
    if sum(map(paragraph_chars, outermost)) < THREAD_SHARE * total_chars:
        return False
    opening = _opening_paragraph(tree)
    return opening is not None and any(_inside(opening, block) for block in outermost)


def _posts_written_as_lines(
    tree: LexborHTMLParser, outermost: Sequence[LexborNode], paragraph_chars: int
) -> bool:
    """Posts without <p> (vBulletin, Vanilla): the page's few paragraphs are its notices,
    so the posts' text must outweigh them and most of the body; a comment area that
    scripts fill in later holds no lines."""
    if tree.body is None or not any(block.css_first("br") for block in outermost):
        return False
    posts = sum(len(block.text(deep=True)) for block in outermost)
    if posts < THREAD_SHARE * (posts + paragraph_chars):
        return False
    return posts >= LINES_BODY_SHARE * len(tree.body.text(deep=True))


def _opening_paragraph(tree: LexborHTMLParser) -> LexborNode | None:
    for paragraph in tree.css("p"):
        if len(paragraph.text(deep=True).strip()) >= OPENING_PARAGRAPH_CHARS:
            return paragraph
    return None


def _outermost(nodes: Sequence[LexborNode]) -> Iterator[LexborNode]:
    """In document order a nested block comes right after the block that holds it, before
    the next block that does not."""
    current: LexborNode | None = None
    for node in nodes:
        if current is None or not _inside(node, current):
            current = node
            yield node


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    if node.mem_id == ancestor.mem_id:
        return True  # the block itself (a post that is its own first paragraph)
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False
