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

    nodes: list[LexborNode] = field(default_factory=list)
    # Each node's "class id" label, as the body's boilerplate pruning reads it.
    labels: list[str] = field(default_factory=list)
    by_class: dict[str, list[LexborNode]] = field(default_factory=dict)
    by_id: dict[str, list[LexborNode]] = field(default_factory=dict)
    by_itemprop: dict[str, list[LexborNode]] = field(default_factory=dict)
    _order: dict[int, int] | None = None
    _tokens: str | None = None
    _folded: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, tree: LexborHTMLParser) -> ClassIndex:
        index = cls(tree.css("[class], [id], [itemprop]"))
        by_class, by_id, by_itemprop = index.by_class, index.by_id, index.by_itemprop
        labels = index.labels
        for node in index.nodes:
            attributes = node.attributes
            classes = attributes.get("class")
            if classes:
                for token in classes.split():
                    _add(by_class, token, node)
            ident = attributes.get("id")
            if ident:
                _add(by_id, ident, node)
            labels.append(f"{classes or ''} {ident or ''}")
            prop = attributes.get("itemprop")
            if prop:
                _add(by_itemprop, prop, node)
        return index

    def folded(self, kind: str) -> frozenset[str]:
        """The class tokens, ids or itemprops ("class", "id", "itemprop"), lower-cased."""
        if kind not in self._folded:
            table = {"class": self.by_class, "id": self.by_id, "itemprop": self.by_itemprop}
            self._folded[kind] = frozenset(key.lower() for key in table[kind])
        return self._folded[kind]

    def labelled(self) -> list[tuple[LexborNode, str]]:
        """Every indexed node with its label, in document order."""
        return list(zip(self.nodes, self.labels, strict=True))

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
        return self._containing(match.group("sub"))

    def _containing(self, part: str) -> list[LexborNode]:
        """Nodes with a class token containing `part`; most such queries find none."""
        if self._tokens is None:
            self._tokens = "\n".join(self.by_class)  # no token holds white space
        if part not in self._tokens:
            return []
        found = {
            node.mem_id: node
            for token, nodes in self.by_class.items()
            if part in token
            for node in nodes
        }
        if self._order is None:
            self._order = {node.mem_id: position for position, node in enumerate(self.nodes)}
        order = self._order
        return sorted(found.values(), key=lambda node: order.get(node.mem_id, 0))


def _add(table: dict[str, list[LexborNode]], key: str, node: LexborNode) -> None:
    found = table.get(key)
    if found is None:
        table[key] = [node]
    else:
        found.append(node)
