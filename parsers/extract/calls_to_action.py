"""Calls to action beside an article: "Get started today" over a one-line pitch and a button.

Their class names are each site's own ("c-hero-promo", "wp-block-group"), so the button is
the sign: a small box holding a button that asks the reader to sign up, get a quote or start
a trial is a marketing box, wherever it stands. Only on dated pages: on a landing page the
pitch is the page's text. The buttons are found before the body drops them as junk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.extract.page import clean_text
from parsers.extract.select import ClassIndex

BUTTON_LINKS = ("a[class*=btn i]", "a[class*=button i]")
# What such a button says, from its start: asks to sign up, buy a service or get in touch.
# Buy and shop are left out: a product round-up's cards carry them beside article text.
BUTTON_TEXT = re.compile(
    r"(?:sign ?up|sign me up|subscribe|register(?: now| today| for free)?|get started"
    r"|join (?:now|free|us|today)|enroll(?: now| today)?|apply now|get access"
    r"|start (?:(?:a |your )?(?:free )?trial|(?:your )?(?:free|now|today))"
    r"|try (?:it )?(?:for )?free|free trial"
    r"|(?:request|get) (?:a |your )?(?:free )?(?:quote|estimate|demo|consultation)"
    r"|(?:book|schedule) (?:a |your )?(?:demo|call|consultation|lesson|tour|appointment|free|now)"
    r"|contact (?:us|sales|an? expert)|get in touch|talk to (?:an? )?(?:expert|sales)"
    r"|download (?:now|(?:it )?(?:for )?free)|donate(?: now| today)?"
    r"|send(?: (?:a )?message)?$)\b",
    re.IGNORECASE,
)
# Most text a call-to-action box holds (heading, pitch, button, fine print). Measured on
# wcxb: 200 finds half as many boxes; from 500 on, boxes grow into whole sections.
BOX_MAX_CHARS = 380
# Most of the page's text the boxes may hold: at 0.2 dated landing pages lost their
# sections; articles lose none of their boxes down to 0.1.
MAX_PAGE_SHARE = 0.1
INPUT_BUTTONS = frozenset({"submit", "button"})
PROSE_TAGS = frozenset({"p", "li", "span", "td"})
BOX_TAG_STOPS = frozenset({"html", "body", "main", "article"})


def call_to_action_holders(
    tree: LexborHTMLParser, junk: Sequence[LexborNode] | None, index: ClassIndex | None
) -> list[LexborNode]:
    """The parents of the page's call-to-action buttons and e-mail fields, read before junk
    removal drops them."""
    if junk is None:
        buttons: Sequence[LexborNode] = tree.css("button, input")
    else:
        buttons = [node for node in junk if node.tag in ("button", "input")]
    links = tree.css(", ".join(BUTTON_LINKS)) if index is None else index.query(tree, BUTTON_LINKS)
    holders: dict[int, LexborNode] = {}
    for node in (*buttons, *links):
        parent = node.parent
        if parent is not None and _asks_for_action(node, parent):
            holders[parent.mem_id] = parent
    return list(holders.values())


def _asks_for_action(node: LexborNode, parent: LexborNode) -> bool:
    """A button whose label asks for a sign-up or a sale, or an e-mail field (a newsletter's
    or a lead form's: an article asks its reader for no address)."""
    if node.tag == "input":
        attributes = node.attributes
        kind = (attributes.get("type") or "").lower()
        if kind == "email" or (kind == "text" and _names_mail(attributes.get("name"))):
            return True
        label = clean_text(attributes.get("value") or "") if kind in INPUT_BUTTONS else ""
    else:
        label = clean_text(node.text(deep=True))
    return BUTTON_TEXT.match(label) is not None and not _in_prose(parent, label)


def _names_mail(name: str | None) -> bool:
    """Mailchimp's embed form asks for the address in a text field named "EMAIL"."""
    return "mail" in (name or "").lower()


def _in_prose(parent: LexborNode, label: str) -> bool:
    """A link styled as a button inside a sentence ("...or <a class=button>sign up</a>
    today") belongs to the sentence."""
    return parent.tag in PROSE_TAGS and len(clean_text(parent.text(deep=True))) > 2 * len(label)


def remove_call_to_action_boxes(tree: LexborHTMLParser, holders: Sequence[LexborNode]) -> None:
    """Drop the largest small box around each button, unless the boxes are much of the
    page: a landing page is built of them, and its pitches are its text."""
    too_big: set[int] = set()  # a box too big for one button is too big for the next
    boxes = {box.mem_id: box for box in (_box(holder, too_big) for holder in holders) if box}
    if not boxes or tree.body is None:
        return
    boxed = sum(len(clean_text(box.text(deep=True))) for box in boxes.values())
    if boxed > MAX_PAGE_SHARE * len(clean_text(tree.body.text(deep=True))):
        return
    for box in boxes.values():
        if box.parent is not None:
            box.decompose()


def _box(holder: LexborNode, too_big: set[int]) -> LexborNode | None:
    box = None
    node: LexborNode | None = holder
    while node is not None and node.tag not in BOX_TAG_STOPS and node.mem_id not in too_big:
        if not _text_fits(node, BOX_MAX_CHARS):
            too_big.add(node.mem_id)
            break
        box, node = node, node.parent
    return box


def _text_fits(node: LexborNode, limit: int) -> bool:
    """Whether the node's visible characters stay within `limit`; stops reading past it, so
    the article around a box costs no more than the box."""
    seen = 0
    for inner in node.traverse(include_text=True):
        if inner.tag == "-text":
            seen += len((inner.text_content or "").strip())
            if seen > limit:
                return False
    return True
