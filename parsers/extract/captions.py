"""A picture's caption, and the credit split off it.

The caption is found beside the picture: in its figure (figcaption, .wp-caption-text, a
caption-classed block), or in a caption-classed element right after it. A credit has its own
element (.credit, cite, small, itemprop=copyrightHolder) or hides in the caption text in a
handful of shapes: a label ("Photo: X", "Image courtesy: X", "Фото: X"), a parenthesised tail
("(John Doe / AP)"), or a trailing "Name/Agency". It is only taken from the END of the text
(or the whole of it), after a clause boundary, so a caption that mentions a photo keeps its words.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from parsers.extract.page import clean_text

# Caption blocks inside a figure, most specific first; a match holding the picture is a wrapper.
CAPTION_SELECTORS = ("figcaption", ".wp-caption-text, .wp-element-caption", "[class*=caption]")
CREDIT_SELECTOR = (
    "[class*=credit], [class*=attribution], [class*=copyright], [class*=source], "
    "[itemprop=copyrightHolder], [itemprop=creator], [itemprop=author], cite, small"
)
CAPTION_CLASS = re.compile(r"caption|credit", re.IGNORECASE)
# Attributes some CMSs copy the caption and credit into.
CAPTION_ATTRIBUTES = ("data-caption", "data-image-caption")
CREDIT_ATTRIBUTES = ("data-credit", "data-photo-credit")
SIBLING_LEVELS = 3
MARKUP = re.compile(r"<[^>]*>")  # tags inside an attribute ("Caption<br>Photo: X")

# Labels that introduce a credit, longest first so "image courtesy" wins over "image".
CREDIT_LABELS = (
    "image courtesy of", "image courtesy", "photo courtesy of", "photo courtesy",
    "picture courtesy", "courtesy of", "courtesy", "photo credit", "image credit",
    "picture credit", "photo source", "image source", "photo illustration", "file photo",
    "photographer", "photographs", "photograph", "photos", "photo", "images", "image",
    "picture", "pic", "credits", "credit",
    "source", "illustration", "graphic", "copyright", "foto", "fotos", "bild",
    "quelle", "bildquelle", "fuente", "crédits photo", "crédit photo", "crédito", "crédits",
    "crédit", "fotoğraf", "görsel", "kaynak", "fot.", "zdjęcie", "źródło", "фото", "источник",
    "джерело", "світлина",
)  # fmt: skip
# Labels that may introduce a credit with a bare space ("Credit Jane Doe", "Courtesy NASA").
BARE_LABELS = (
    "image courtesy of", "photo courtesy of", "courtesy of", "courtesy", "credits", "credit",
    "fot.",
)  # fmt: skip
# News agencies and picture libraries that end a "Name/Agency" credit.
AGENCIES = (
    "AP", "AFP", "Reuters", "Getty Images", "Getty", "EPA", "EPA-EFE", "Shutterstock",
    "iStock", "iStockphoto", "Alamy", "Bloomberg", "AAP", "PA", "PA Images", "ANI", "PTI",
    "IANS", "Xinhua", "TASS", "RIA Novosti", "Sputnik", "Anadolu", "Anadolu Agency",
    "DVIDS", "NurPhoto", "SOPA Images", "Sipa", "ZUMA", "Corbis", "Wikimedia Commons",
    "Wikimedia", "Flickr", "Unsplash", "Pexels", "NASA", "U.S. Navy", "U.S. Army",
    "U.S. Air Force", "US Navy", "US Army", "Ministry of Defence", "MoD", "Ukrinform",
)  # fmt: skip
# Small words allowed inside a credit made of names ("Kirsten Luce for The New York Times").
NAME_CONNECTORS = frozenset({"for", "of", "the", "via", "and", "de", "da", "von", "van", "&"})
# Parenthesised tails that are not credits.
NOT_CREDIT_TAILS = frozenset(
    {"left", "right", "center", "centre", "top", "bottom", "file", "pictured", "above", "below"}
)
MAX_CREDIT_CHARS = 120
MAX_CREDIT_WORDS = 14
MAX_LABELED_WORDS = 12

_LABEL_ALTERNATIVES = "|".join(re.escape(label) for label in CREDIT_LABELS)
_BARE_ALTERNATIVES = "|".join(re.escape(label) for label in BARE_LABELS)
_AGENCY_ALTERNATIVES = "|".join(re.escape(name) for name in AGENCIES)
# A label as it introduces a credit: "Photo:", "Photo by", "Credit ", "©".
_LABEL_PREFIX = (
    rf"(?:(?:{_LABEL_ALTERNATIVES})\s*(?:[:：|–—-]|\bby\b)|(?:{_BARE_ALTERNATIVES})(?=\s)|©)"
)
LABELED_CREDIT = re.compile(
    rf"^[(\[]?\s*{_LABEL_PREFIX}\s*(?P<credit>.+?)\s*[)\]]?\s*$", re.IGNORECASE | re.DOTALL
)
LEADING_LABELS = re.compile(rf"^(?:\s*{_LABEL_PREFIX})+\s*", re.IGNORECASE)
# A label standing alone: screen-reader "Credit" spans, "Photo:" before a link.
LONE_LABEL = re.compile(rf"^\s*(?:(?:{_LABEL_ALTERNATIVES})\s*:?|©)\s*$", re.IGNORECASE)
TRAILING_LABEL = re.compile(rf"[\s|–—-]*\b(?:{_LABEL_ALTERNATIVES})\s*:?\s*$", re.IGNORECASE)
PARENTHESISED_TAIL = re.compile(r"\((?P<inside>[^()]{2,120})\)\s*$")
AGENCY_TAIL = re.compile(rf"(?:^|[\s/,(–—-])(?:{_AGENCY_ALTERNATIVES})\)?\s*$")
# Where a credit may start: the start, after a sentence, after a separator, or at a "(".
CLAUSE_BOUNDARY = re.compile(
    r"[.!?…](?<![\s.][A-Z].)(?<!^[A-Z].)['\"”’]?\s*(?=\S)|\s+(?:[|–—-]\s+|(?=\())"
)
COPYRIGHT_SIGN = re.compile(r"\s©\s*(?P<credit>[^©]{2,120})$")
SENTENCE_END = re.compile(r"\w{4,}[.!?]['\"”’]?$")
# "(U.S. Navy photo)", "(Reuters file photo)": the label comes last.
SUFFIX_LABEL = re.compile(
    r"(?P<credit>.+?)\s+(?:file\s+)?(?:photo|photograph|image|illustration|graphic)s?",
    re.IGNORECASE,
)
LABEL_FIRST_WORDS = frozenset(
    re.split(r"\W", label, maxsplit=1)[0] for label in CREDIT_LABELS + BARE_LABELS
)
LABEL_LAST_WORDS = frozenset(label.split()[-1] for label in CREDIT_LABELS)
SEPARATED_LABEL = re.compile(r"[:：|–—-]|\bby\b|©", re.IGNORECASE)
_FIRST_WORD = re.compile(r"\w+")
_WORD = re.compile(r"[^\s/]+")
# Zero-width marks that str.split() does not count as white space.
INVISIBLE_MARKS = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
CLOSING_MARKS = (",", ".", ";", ":", "!", "?", "%", ")", "]", "’", "”")
OPENING_MARKS = ("(", "[", "“", "‘")


def tidy_text(text: str | None) -> str:
    """Fold white space and undo the spaces a node-text separator puts before punctuation.

    String methods rather than regexes: this runs on every alt and caption of a page.
    """
    if not text:
        return ""
    folded = " ".join(text.split())
    if any(mark in folded for mark in INVISIBLE_MARKS):
        folded = clean_text(folded)
    for mark in CLOSING_MARKS:
        if " " + mark in folded:
            folded = folded.replace(" " + mark, mark)
    for mark in OPENING_MARKS:
        if mark + " " in folded:
            folded = folded.replace(mark + " ", mark)
    return folded


def split_credit(text: str | None) -> tuple[str | None, str | None]:
    """(caption, credit) from one caption string; either may be None."""
    caption = tidy_text(text)
    if not caption or LONE_LABEL.match(caption):
        return None, None
    for start in _credit_starts(caption):
        credit = credit_from_tail(caption[start:])
        if credit is not None:
            return _caption_or_none(caption[:start]), credit
    copyright_tail = COPYRIGHT_SIGN.search(caption)
    if copyright_tail is not None:
        credit = clean_credit(copyright_tail.group("credit"))
        return _caption_or_none(caption[: copyright_tail.start()]), credit
    return caption, None


def clean_credit(text: str | None) -> str | None:
    """The credit without its label or brackets: "(Photo: Jane Doe/AP)" -> "Jane Doe/AP"."""
    credit = tidy_text(text)
    if credit[:1] in "([" and credit[-1:] in ")]":
        credit = credit[1:-1].strip()
    credit = LEADING_LABELS.sub("", credit).strip(" :|–—-")
    if not credit or LONE_LABEL.match(credit):
        return None
    return credit


def credit_from_tail(tail: str) -> str | None:
    """The credit when a caption's tail is one, else None."""
    tail = tail.strip()
    if not tail or len(tail) > MAX_CREDIT_CHARS + 20 or not _may_be_credit(tail):
        return None
    labeled = LABELED_CREDIT.match(tail)
    if labeled is not None:
        credit = clean_credit(labeled.group("credit"))
        if credit is None or _reads_like_sentence(credit):
            return None
        bare = not SEPARATED_LABEL.search(tail[: labeled.start("credit")])
        if bare and credit[0].islower():  # "Credit card fraud", not "Credit Jane Doe"
            return None
        return _plausible(credit)
    bracketed = PARENTHESISED_TAIL.fullmatch(tail)
    if bracketed is not None:
        inside = bracketed.group("inside").strip()
        suffixed = SUFFIX_LABEL.fullmatch(inside)
        if suffixed is not None and _is_name_list(suffixed.group("credit"), min_words=1):
            return _plausible(suffixed.group("credit"))
        if _is_agency_credit(inside) or _is_name_list(inside, min_words=2):
            return _plausible(clean_credit(inside))
        return None
    if (
        "/" in tail
        and _is_name_list(tail, min_words=2)
        and (_is_agency_credit(tail) or len(_WORD.findall(tail.split("/", 1)[0])) >= 2)
    ):
        return _plausible(tail)
    return None


def _may_be_credit(tail: str) -> bool:
    """A cheap gate before the regexes: most clause starts are plainly not credits."""
    if tail[0] in "([©" or "/" in tail:
        return True
    first = _FIRST_WORD.match(tail)
    return first is not None and first.group(0).casefold() in LABEL_FIRST_WORDS


def _credit_starts(caption: str) -> list[int]:
    """Candidate credit starts, from the earliest that leaves a short enough tail."""
    limit = len(caption) - MAX_CREDIT_CHARS - 20
    boundaries = CLAUSE_BOUNDARY.finditer(caption, max(limit - 3, 0))
    starts = [0] + [match.end() for match in boundaries]
    return [start for start in starts if limit <= start < len(caption)]


def _is_agency_credit(text: str) -> bool:
    return AGENCY_TAIL.search(text) is not None


def _is_name_list(text: str, min_words: int) -> bool:
    """Capitalised names and agencies only: "Jane Doe / The Seattle Times", "Kevin/AOL"."""
    words = _WORD.findall(text.replace(" - ", " ").replace(" – ", " ").replace(" — ", " "))
    if not min_words <= len(words) <= MAX_CREDIT_WORDS:
        return False
    if words[0].strip("(\"'“").casefold() in NOT_CREDIT_TAILS:
        return False
    named = [w for w in words if w.casefold() not in NAME_CONNECTORS]
    capitalised = sum(1 for w in named if w[:1].isupper() or w[:1].isdigit())
    return bool(named) and capitalised == len(named) and not text.rstrip().endswith(".")


def _reads_like_sentence(text: str) -> bool:
    """ "Photo: Troops fire a howitzer near Bakhmut." is a caption, not a credit."""
    words = [word for word in _WORD.findall(text) if any(c.isalpha() for c in word)]
    if len(words) > MAX_LABELED_WORDS and not _is_name_list(text, min_words=1):
        return True
    return SENTENCE_END.search(text) is not None


def _plausible(credit: str | None) -> str | None:
    if credit is None or len(credit) > MAX_CREDIT_CHARS:
        return None
    return credit


def _caption_or_none(text: str) -> str | None:
    caption = text.strip()
    words = caption.rsplit(None, 1)
    if words and words[-1].strip(":").casefold() in LABEL_LAST_WORDS:
        caption = TRAILING_LABEL.sub("", caption)
    caption = caption.strip(" |–—-")
    return caption or None


# --- in the page -----------------------------------------------------------------------------


def host_caption(host: LexborNode) -> tuple[str | None, str | None]:
    """(caption, credit) of a figure: inside it, or a figcaption right after it."""
    caption = _caption_inside(host) or _caption_sibling(host)
    credit = _first_inside(caption, CREDIT_SELECTOR) if caption is not None else None
    if credit is None:
        credit = _first_inside(host, CREDIT_SELECTOR, outside=caption)
    return _caption_and_credit(caption, credit)


def sibling_caption(picture: LexborNode, bound: LexborNode) -> tuple[str | None, str | None]:
    """(caption, credit) of a loose picture: the caption-classed element after it or its wrapper."""
    current: LexborNode | None = picture
    for _ in range(SIBLING_LEVELS):
        if current is None or current.mem_id == bound.mem_id:
            break
        caption = _caption_sibling(current)
        if caption is not None:
            return _caption_and_credit(caption, _first_inside(caption, CREDIT_SELECTOR))
        if _element_sibling(current, forward=False) or _element_sibling(current, forward=True):
            break  # climb only through pure wrappers (a > img), never past other content
        current = current.parent
    return None, None


def attribute_caption(picture: LexborNode) -> tuple[str | None, str | None]:
    """(caption, credit) that an img or its link carries in data-* attributes."""
    attributes = picture.attributes
    parent = picture.parent
    if parent is not None and parent.tag == "a":
        attributes = {**parent.attributes, **{k: v for k, v in attributes.items() if v}}
    raw_caption = _first_value(attributes, CAPTION_ATTRIBUTES)
    caption, credit = split_credit(MARKUP.sub(" ", raw_caption) if raw_caption else None)
    return caption, clean_credit(_first_value(attributes, CREDIT_ATTRIBUTES)) or credit


def _first_value(attributes: dict[str, str | None], names: tuple[str, ...]) -> str | None:
    for name in names:
        if attributes.get(name):
            return attributes[name]
    return None


def _caption_inside(host: LexborNode) -> LexborNode | None:
    for selector in CAPTION_SELECTORS:
        for node in host.css(selector):
            if node.mem_id != host.mem_id and node.css_first("img") is None:
                return node
    return None


def _caption_sibling(node: LexborNode) -> LexborNode | None:
    sibling = _element_sibling(node, forward=True)
    if sibling is None:
        return None
    if sibling.tag == "figcaption" or CAPTION_CLASS.search(sibling.attributes.get("class") or ""):
        return sibling
    return None


def _element_sibling(node: LexborNode, forward: bool) -> LexborNode | None:
    """The next (or previous) element, skipping white space, comments and line breaks."""
    sibling = node.next if forward else node.prev
    while sibling is not None:
        if sibling.is_element_node and sibling.tag != "br":
            return sibling
        if sibling.tag == "-text" and (sibling.text_content or "").strip():
            return None if forward else sibling
        sibling = sibling.next if forward else sibling.prev
    return None


def _first_inside(
    node: LexborNode, selector: str, outside: LexborNode | None = None
) -> LexborNode | None:
    """The first match below node (lexbor's css() includes the node itself)."""
    for match in node.css(selector):
        if match.mem_id == node.mem_id:
            continue
        if outside is not None and _is_within(match, outside):
            continue
        return match
    return None


def _is_within(node: LexborNode, ancestor: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def _caption_and_credit(
    caption_node: LexborNode | None, credit_node: LexborNode | None
) -> tuple[str | None, str | None]:
    credit_text = _node_text(credit_node)
    credit = clean_credit(credit_text)
    if caption_node is None:
        return None, credit
    text = _node_text(caption_node)
    if credit_text and credit_text in text:
        text = text.replace(credit_text, " ", 1)
    caption, credit_in_text = split_credit(text)
    return caption, credit or credit_in_text


def _node_text(node: LexborNode | None) -> str:
    return tidy_text(node.text(deep=True, separator=" ")) if node is not None else ""
