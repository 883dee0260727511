"""Selector look-ups through one index of the page's classes, ids and itemprops.

Every CSS query walks the whole tree, and the field cascades try dozens of selectors per
page; one pass that indexes class tokens answers the simple ones (".a", "#a", "[class*=a]",
"[itemprop=a]", each optionally followed by a descendant tag) for the cost of a dict look-up.
Anything else goes to lexbor. The index is only valid until the tree is pruned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SIMPLE = re.compile(
    r"^(?:\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|\[class\*=(?P<sub>[\w-]+)\]|"
    r"\[itemprop=(?P<prop>[\w-]+)\]|(?P<tag>h1|h2)|a\[rel=(?P<rel>[\w-]+|'[\w -]+')\]|"
    r"(?P<typed>\[itemtype\]))(?:\s+(?P<child>[a-z][a-z0-9]*))?$"
)
# Indexed in a walk of their own, made on the first request for any of them: the cascades
# ask for them on most pages, and each query of its own would walk the whole tree again.
INDEXED_TAGS = frozenset({"h1", "h2"})
_LABELLED_QUERY = "[class], [id], [itemprop]"
_TAGGED_QUERY = "h1, h2, a[rel], [itemtype]"
# A substring test on the class or id ("[class*=date i]") costs more on every node than the
# tree walk itself; when no class token or id of the page holds the word, it is left out.
_SUBSTRING_PART = re.compile(r"^\[(?P<kind>class|id)\*=(?P<word>[\w-]+)(?P<fold> i)?\]$")


@dataclass
class ClassIndex:
    """Nodes by class token, id and itemprop, in document order."""

    nodes: list[LexborNode] = field(default_factory=list)
    # Each node's "class id" label, as the body's boilerplate pruning reads it.
    labels: list[str] = field(default_factory=list)
    by_class: dict[str, list[LexborNode]] = field(default_factory=dict)
    by_id: dict[str, list[LexborNode]] = field(default_factory=dict)
    by_itemprop: dict[str, list[LexborNode]] = field(default_factory=dict)
    _tagged: _TaggedNodes | None = None
    _words: dict[tuple[str, bool], str] = field(default_factory=dict)
    _order: dict[int, int] | None = None
    _tokens: str | None = None
    _folded: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, tree: LexborHTMLParser) -> ClassIndex:
        """One loop with the look-ups inlined: pages hold up to 100,000 labelled nodes.

        lexbor lists a node once for each selector of the list it matches, one after the
        other; only a node with two or more of the attributes can be listed again.
        """
        index = cls()
        by_class: defaultdict[str, list[LexborNode]] = defaultdict(list)
        by_id: defaultdict[str, list[LexborNode]] = defaultdict(list)
        by_itemprop: defaultdict[str, list[LexborNode]] = defaultdict(list)
        label, keep = index.labels.append, index.nodes.append
        repeats, last = 0, -1
        for node in tree.css(_LABELLED_QUERY):
            if repeats:
                repeats -= 1
                if node.mem_id == last:
                    continue
            attributes = node.attributes
            classes, ident = attributes.get("class"), attributes.get("id")
            prop = attributes.get("itemprop")
            repeats = (classes is not None) + (ident is not None) + (prop is not None) - 1
            if repeats:
                last = node.mem_id
            keep(node)
            classes, ident = classes or "", ident or ""
            for token in classes.split():
                by_class[token].append(node)
            if ident:
                by_id[ident].append(node)
            label(f"{classes} {ident}")
            if prop:
                by_itemprop[prop].append(node)
        index.by_class, index.by_id, index.by_itemprop = by_class, by_id, by_itemprop
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

    def query(self, tree: LexborHTMLParser, parts: tuple[str, ...]) -> list[LexborNode]:
        """The nodes matching any of `parts`, each once, in document order.

        The substring parts no class token or id could match are not asked, and lexbor's
        repeats of a node that matches several parts are dropped: they sit side by side.
        """
        selector = ", ".join(part for part in parts if self._may_match(part))
        return unique(tree.css(selector)) if selector else []

    def _may_match(self, part: str) -> bool:
        match = _SUBSTRING_PART.match(part)
        if match is None:
            return True
        kind, folded = match["kind"], match["fold"] is not None
        words = self._words.get((kind, folded))
        if words is None:
            words = "\n".join(self.by_class if kind == "class" else self.by_id)
            words = self._words[(kind, folded)] = words.lower() if folded else words
        return match["word"].lower() in words if folded else match["word"] in words

    def all(self, tree: LexborHTMLParser, selector: str) -> Iterator[LexborNode]:
        match = _SIMPLE.match(selector)
        if match is None:
            yield from tree.css(selector)
            return
        child = match.group("child")
        for node in self._matching(tree, match):
            if child is None:
                yield node
            else:
                yield from node.css(child)

    def _matching(self, tree: LexborHTMLParser, match: re.Match[str]) -> list[LexborNode]:
        if match.group("cls"):
            return self.by_class.get(match.group("cls"), [])
        if match.group("id"):
            return self.by_id.get(match.group("id"), [])
        if match.group("prop"):
            return self.by_itemprop.get(match.group("prop"), [])
        if match.group("sub"):
            return self._containing(match.group("sub"))
        if self._tagged is None:
            self._tagged = _TaggedNodes.of(tree)
        if match.group("tag"):
            return self._tagged.by_tag.get(match.group("tag"), [])
        if match.group("rel"):  # HTML matches rel's value without regard to ASCII case
            return self._tagged.by_rel.get(match.group("rel").strip("'").lower(), [])
        return self._tagged.typed

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


@dataclass
class _TaggedNodes:
    """h1 and h2 by tag, links by their rel (lower-cased) and microdata items, in one walk."""

    by_tag: dict[str, list[LexborNode]] = field(default_factory=dict)
    by_rel: dict[str, list[LexborNode]] = field(default_factory=dict)
    typed: list[LexborNode] = field(default_factory=list)  # [itemtype]

    @classmethod
    def of(cls, tree: LexborHTMLParser) -> _TaggedNodes:
        tagged = cls()
        for node in unique(tree.css(_TAGGED_QUERY)):  # one with an itemtype is listed twice
            attributes, tag = node.attributes, node.tag or ""
            if "itemtype" in attributes:
                tagged.typed.append(node)
            if tag in INDEXED_TAGS:
                tagged.by_tag.setdefault(tag, []).append(node)
            elif tag == "a" and "rel" in attributes:
                rel = (attributes["rel"] or "").lower()
                tagged.by_rel.setdefault(rel, []).append(node)
        return tagged


def unique(nodes: list[LexborNode]) -> list[LexborNode]:
    """A selector list's matches, each once: lexbor lists a node once for each selector of
    the list it matches, one after the other."""
    found: list[LexborNode] = []
    last = -1
    for node in nodes:
        if node.mem_id != last:
            found.append(node)
            last = node.mem_id
    return found
