"""The known article containers (vocab.CONTAINER_SELECTORS), found in two tree walks, not 31.

Every css() query walks the whole tree. One query for all the selectors at once finds every
node any of them matches; a selector that could match none of those nodes cannot match
anything, so only the few plausible selectors are then queried one by one, in order. The
plausibility test is deliberately loose (case-insensitive substrings, attribute presence):
it may keep a selector that matches nothing, never drop one that matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.extract.select import ClassIndex
from parsers.extract.vocab import CONTAINER_SELECTORS

ANY_CONTAINER_SELECTOR = ", ".join(CONTAINER_SELECTORS)
# Selectors the page's class index answers: a class, an id, an itemprop.
_INDEXED = re.compile(r"^(?:\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|\[itemprop=(?P<prop>[\w-]+)\])$")
_UNINDEXED = tuple(selector for selector in CONTAINER_SELECTORS if not _INDEXED.match(selector))
ANY_UNINDEXED_SELECTOR = ", ".join(_UNINDEXED)
# The subject (last compound) of a selector: a tag, a class, an id or an attribute test.
_SUBJECT = re.compile(
    r"(?:^|\s)(?:(?P<tag>[a-z][a-z0-9]*)|\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)"
    r"|\[(?P<attr>[\w-]+)(?:[~|^$*]?=[^\]]*)?\])$"
)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the plausibility tests read off one candidate node."""

    tag: str
    attributes: dict[str, str | None]


def plausible_selectors(candidates: Sequence[LexborNode]) -> list[str]:
    """The selectors, in order, that could match one of `candidates` (all their matches)."""
    facts = [_Facts(node.tag or "", node.attributes) for node in candidates]
    return [selector for selector, test in _TESTS if any(test(fact) for fact in facts)]


def plausible_selectors_by_index(tree: LexborHTMLParser, index: ClassIndex) -> list[str]:
    """As plausible_selectors, with class, id and itemprop selectors tested against the
    index the page built before pruning (pruning only removes nodes): one walk over the
    tree for the few other selectors instead of one for all."""
    facts = [_Facts(node.tag or "", node.attributes) for node in tree.css(ANY_UNINDEXED_SELECTOR)]
    plausible = []
    for selector, test in _TESTS:
        indexed = _INDEXED.match(selector)
        if indexed is None:
            found = any(test(fact) for fact in facts)
        else:
            kind = "class" if indexed["cls"] else "id" if indexed["id"] else "itemprop"
            # Case folded: quirks-mode pages match class names and ids whatever their case.
            found = (indexed["cls"] or indexed["id"] or indexed["prop"]).lower() in index.folded(
                kind
            )
        if found:
            plausible.append(selector)
    return plausible


def _plausibility_test(selector: str) -> Callable[[_Facts], bool]:
    subject = _SUBJECT.search(selector)
    if subject is None:
        return lambda _: True
    if subject["tag"]:
        tag = subject["tag"]
        return lambda fact: fact.tag == tag
    if subject["attr"]:
        name = subject["attr"]
        return lambda fact: name in fact.attributes
    key, wanted = ("class", subject["cls"]) if subject["cls"] else ("id", subject["id"])
    folded = wanted.lower()
    return lambda fact: folded in (fact.attributes.get(key) or "").lower()


_TESTS = [(selector, _plausibility_test(selector)) for selector in CONTAINER_SELECTORS]
