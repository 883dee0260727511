"""Which of the container's text blocks are the article: chrome lines, teaser tails and
label lines at the edges are dropped, in that order."""

from __future__ import annotations

import re
import unicodedata

from parsers.extract import vocab
from parsers.extract.text_blocks import Block

BLOCK_MAX_LINK_SHARE = 0.9
# A tail heading only counts past this share of the text: a box near the top is no tail.
TAIL_START_SHARE = 0.5
# Linked titles among the first blocks after a tail heading that make them a teaser list.
TEASER_LOOKAHEAD = 12
MIN_TEASER_TITLES = 3
# ...and one among the last blocks: the list runs to the end (title, date, excerpt).
TEASER_END = 3
# Blocks at least this long with few links are prose; a tail holding this share of prose
# is more of the article (an inline "Related" box), not teasers.
PROSE_CHARS = 150
PROSE_MAX_LINK_SHARE = 0.3
PROSE_SHARE = 0.5
SHORT_LINE_CHARS = 12
LABEL_MAX_WORDS = 5
# Longer lines are never labels: scripts written without spaces (CJK) are one "word" a line.
# A web address is one long word: a line of sources or references is still a label.
LABEL_MAX_CHARS = 60
URL = re.compile(r"(?:https?://|www\.)\S+")
# "Field: value", the line shape of a fact box (a house tour's "Name:", "Location:").
FIELD_LINE = re.compile(r"^[^\W\d][\w ]{0,20}: \S")
# A block with this many links, mostly link text, is a list of names or tags, not prose.
LINK_LIST_MIN_LINKS = 10
LINK_LIST_SHARE = 0.8
# An h1 holding this share of the headline is a shortened title, not a section heading.
TITLE_PART_SHARE = 0.5
# Symbols that may follow a sentence's last stop: emoji, their modifiers and joiners.
TRAILING_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Mn", "Cf", "Zs"})
SENTENCE_ENDINGS = (".", "!", "?", "。", "！", "？", '"', "”", ":")
# A CJK line wholly in full-width brackets is an editor's note ("（编辑：…）"), part of the text.
NOTE_BRACKETS = (("（", "）"), ("【", "】"))


def filter_blocks(blocks: list[Block], headline: str | None, standfirst: str | None) -> list[Block]:
    """The blocks that belong to the article, in order."""
    return _trim_edges(_keep(_cut_tail(blocks), headline, standfirst))


def _keep(blocks: list[Block], headline: str | None, standfirst: str | None) -> list[Block]:
    kept: list[Block] = []
    not_body = {(headline or "").casefold(), (standfirst or "").casefold()}
    prose_seen = False
    listed = [_is_link_list(block) for block in blocks]
    runs = _teaser_title_runs(blocks, listed)
    link_lists = [
        run or (is_list and block.tag not in vocab.HEADING_TAGS)
        for block, is_list, run in zip(blocks, listed, runs, strict=True)
    ]
    for index, block in enumerate(blocks):
        text = block.text
        if block.tag == "h1" and _is_title(block, headline, prose_seen):
            continue
        if link_lists[index] or _is_teaser_kicker(blocks, link_lists, index):
            continue
        if (
            vocab.is_boilerplate_line(text)
            or vocab.DATE_ONLY_LINE.match(text)
            or vocab.is_chrome_line(text)
            or text.casefold() in not_body
        ):
            continue
        kept.append(block)
        prose_seen = prose_seen or (
            block.tag not in vocab.HEADING_TAGS and not _is_label_line(block.text)
        )
    return kept


def _teaser_title_runs(blocks: list[Block], listed: list[bool]) -> list[bool]:
    """Linked headings side by side after the article's last paragraph (wcxb's "Saudi Arabia
    to Launch 3 New National Airlines" over "TSA to Implement Fee...", a date line between)
    list other articles, though each alone reads as a section title. Before it, linked
    headings over prose are a round-up's items."""
    linked = [
        is_list and block.tag in vocab.HEADING_TAGS
        for block, is_list in zip(blocks, listed, strict=True)
    ]
    runs = [False] * len(blocks)
    for index in range(_last_prose_index(blocks) + 1, len(blocks)):
        runs[index] = linked[index] and (
            _next_is_linked(blocks, linked, index, -1) or _next_is_linked(blocks, linked, index, 1)
        )
    return runs


def _next_is_linked(blocks: list[Block], linked: list[bool], index: int, step: int) -> bool:
    """Whether the next block that way is a linked heading, past date and chrome lines."""
    other = index + step
    while 0 <= other < len(blocks) and not linked[other]:
        text = blocks[other].text
        if not (vocab.DATE_ONLY_LINE.match(text) or vocab.is_chrome_line(text)):
            return False
        other += step
    return 0 <= other < len(blocks)


def _last_prose_index(blocks: list[Block]) -> int:
    """The last long paragraph with few links; past the end when there is none."""
    for index in range(len(blocks) - 1, -1, -1):
        if blocks[index].tag not in vocab.HEADING_TAGS and _is_prose(blocks[index]):
            return index
    return len(blocks)


def _is_teaser_kicker(blocks: list[Block], link_lists: list[bool], index: int) -> bool:
    """ "Culture" between two linked titles: the section label of the next teaser in an inline
    "Most Popular" box, whose titles go as link lists. (The box's first label, after prose,
    stays: widening the rule to it cost more article text than it saved on wcxb.)"""
    return (
        0 < index < len(blocks) - 1
        and link_lists[index - 1]
        and link_lists[index + 1]
        and not blocks[index].link_chars
        and _is_label_line(blocks[index].text)  # last: it reads the whole text
    )


def _is_title(block: Block, headline: str | None, prose_seen: bool) -> bool:
    """An h1 is the page's title when it opens the container, links to a post (a listing's
    teaser) or names the headline with a label around it ("Title: …"); an h1 after the
    article's first paragraph is some platforms' section heading."""
    if not prose_seen or block.link_chars > BLOCK_MAX_LINK_SHARE * len(block.text):
        return True
    if not headline:
        return False
    text, folded = block.text.casefold(), headline.casefold()
    return folded in text or (len(text) >= TITLE_PART_SHARE * len(folded) and text in folded)


def _is_link_list(block: Block) -> bool:
    """Link text only, or many links making up most of the text (kudos lists, tag clouds);
    preformatted code links its type names and is no list."""
    chars = len(block.text)
    if block.link_chars > BLOCK_MAX_LINK_SHARE * chars:
        return True
    return (
        block.tag != "pre"
        and block.links >= LINK_LIST_MIN_LINKS
        and block.link_chars > LINK_LIST_SHARE * chars
    )


def _cut_tail(blocks: list[Block]) -> list[Block]:
    """A heading that announces other articles or reviews ends the article when what follows
    it reads like teasers (links, short lines), not like more of the article's prose. Only in
    the second half, so that a teaser box near the top cannot cut the article short."""
    total = sum(len(block.text) for block in blocks)
    seen = 0
    for index, block in enumerate(blocks):
        if (
            seen >= TAIL_START_SHARE * total
            and vocab.END_OF_ARTICLE_HEADING.match(_without_leading_symbols(block.text))
            and _reads_like_teasers(blocks[index + 1 :], block.tag in vocab.HEADING_TAGS)
        ):
            return blocks[:index]
        seen += len(block.text)
    return blocks


def _reads_like_teasers(blocks: list[Block], after_heading: bool) -> bool:
    """Linked titles, each with its excerpt, up to the end (a teaser list holds as much prose
    as an article but every item opens with a link; a box of them in the middle of the
    article is followed by more article), or little prose after a heading."""
    titles = sum(1 for block in blocks[:TEASER_LOOKAHEAD] if _is_linked_title(block))
    if titles >= MIN_TEASER_TITLES and any(map(_is_linked_title, blocks[-TEASER_END:])):
        return True
    return after_heading and not _holds_prose(blocks)


def _is_linked_title(block: Block) -> bool:
    """A teaser's linked title (list items of links are a menu, not teasers)."""
    return (
        block.tag != "li"
        and block.link_chars > 0
        and block.link_chars >= BLOCK_MAX_LINK_SHARE * len(block.text)
    )


def _holds_prose(blocks: list[Block]) -> bool:
    """Whether long paragraphs with few links make up much of `blocks`' text."""
    total = sum(len(block.text) for block in blocks)
    prose = sum(len(block.text) for block in blocks if _is_prose(block))
    return prose > PROSE_SHARE * total


def _is_prose(block: Block) -> bool:
    chars = len(block.text)
    return chars >= PROSE_CHARS and block.link_chars < PROSE_MAX_LINK_SHARE * chars


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Short label-like lines before the first and after the last sentence are page chrome.

    A heading may open the article, so the leading edge stops at one.
    """
    sentences = [index for index, block in enumerate(blocks) if not _is_label_line(block.text)]
    if not sentences:
        return blocks
    start = sentences[0] - _fact_box_lines(blocks, sentences[0])
    while start > 0 and _wraps_into(blocks[start - 1].text, blocks[start].text):
        start -= 1  # the first sentence's earlier lines, broken by <br>
    while start > 0 and blocks[start - 1].tag in vocab.HEADING_TAGS:
        start -= 1
    end = sentences[-1] + 1
    while end < len(blocks) and _is_note(blocks[end].text):
        end += 1  # editor's notes right after the last sentence
    return blocks[start:end]


def _fact_box_lines(blocks: list[Block], first_sentence: int) -> int:
    """ "Name: Ashley" over "Location: Downtown Los Angeles": two or more "Field: value"
    lines opening the text are the article's fact box, not page chrome."""
    run = 0
    while first_sentence - run > 0 and FIELD_LINE.match(blocks[first_sentence - run - 1].text):
        run += 1
    box = run + (1 if FIELD_LINE.match(blocks[first_sentence].text) else 0)
    return run if box >= 2 else 0


def _wraps_into(line: str, following: str) -> bool:
    """A line with no closing punctuation followed by one that opens in lower case is the
    same sentence broken over lines ("Older workers are often" / "considered less ...")."""
    return (
        (line[-1:].isalnum() or line.endswith((",", ";")))
        and following[:1].islower()
        and not vocab.is_chrome_line(line)
        and not vocab.is_boilerplate_line(line)
    )


def _is_note(text: str) -> bool:
    return any(
        text.startswith(opening) and text.endswith(closing) for opening, closing in NOTE_BRACKETS
    )


def _is_label_line(text: str) -> bool:
    text = _without_trailing_symbols(text)
    if len(text) < SHORT_LINE_CHARS:
        return True
    if len(URL.sub("", text)) > LABEL_MAX_CHARS:
        return False
    return len(text.split()) <= LABEL_MAX_WORDS and not text.endswith(SENTENCE_ENDINGS)


def _without_leading_symbols(text: str) -> str:
    """ "🔥 Recommended Posts" is the heading "Recommended Posts" with an emoji before it."""
    start = 0
    while start < len(text) and unicodedata.category(text[start]) in TRAILING_SYMBOL_CATEGORIES:
        start += 1
    return text[start:]


def _without_trailing_symbols(text: str) -> str:
    """ "Hi everyone! 👋" ends a sentence: emoji after the stop are not part of the test."""
    end = len(text)
    while end and unicodedata.category(text[end - 1]) in TRAILING_SYMBOL_CATEGORIES:
        end -= 1
    return text[:end]
