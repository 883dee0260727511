"""Selector look-ups through one index of the page's classes, ids and itemprops.

Every CSS query walks the whole tree, and the field cascades try dozens of selectors per
page; one pass that indexes class tokens answers the simple ones (".a", "#a", "[class*=a]",
"[itemprop=a]", each optionally followed by a descendant tag) for the cost of a dict look-up.
Anything else goes to lexbor. The index is only valid until the tree is pruned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SIMPLE = re.compile(
    r"^(?:\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|\[class\*=(?P<sub>[\w-]+)\]|"
    r"\[itemprop=(?P<prop>[\w-]+)\])(?:\s+(?P<child>[a-z][a-z0-9]*))?$"
)


@dataclass
class ClassIndex:
    """Nodes by class token, id and itemprop, in document order."""

    by_class: dict[str, list[LexborNode]] = field(default_factory=dict)
    by_id: dict[str, list[LexborNode]] = field(default_factory=dict)
    by_itemprop: dict[str, list[LexborNode]] = field(default_factory=dict)
    order: dict[int, int] = field(default_factory=dict)

    @classmethod
    def build(cls, tree: LexborHTMLParser) -> ClassIndex:
        index = cls()
        for position, node in enumerate(tree.css("[class], [id], [itemprop]")):
            attributes = node.attributes
            index.order[node.mem_id] = position
            for token in (attributes.get("class") or "").split():
                index.by_class.setdefault(token, []).append(node)
            for key, table in (("id", index.by_id), ("itemprop", index.by_itemprop)):
                value = attributes.get(key)
                if value:
                    table.setdefault(value, []).append(node)
        return index

    def all(self, tree: LexborHTMLParser, selector: str) -> Iterator[LexborNode]:
        match = _SIMPLE.match(selector)
        if match is None:
            yield from tree.css(selector)
            return
        child = match.group("child")
        for node in self._matching(match):
            if child is None:
                yield node
            else:
                yield from node.css(child)

    def _matching(self, match: re.Match[str]) -> list[LexborNode]:
        if match.group("cls"):
            return self.by_class.get(match.group("cls"), [])
        if match.group("id"):
            return self.by_id.get(match.group("id"), [])
        if match.group("prop"):
            return self.by_itemprop.get(match.group("prop"), [])
        part = match.group("sub")
        found = {
            node.mem_id: node
            for token, nodes in self.by_class.items()
            if part in token
            for node in nodes
        }
        return sorted(found.values(), key=lambda node: self.order.get(node.mem_id, 0))
