"""Bounds on the two shapes lexbor's tree builder is quadratic in: block nesting depth
(each start tag walks the stack of open elements) and attributes on one tag (each is
checked against the ones before). A 10 MB page of either would cost hours.

No real page comes near the bounds, and a page with fewer tags or `=` signs than
`SCAN_ABOVE` cannot cost more than a fraction of a second, so only large pages are scanned
(one or two milliseconds per 100 KB), and a page within the bounds is returned untouched.
Past them, start tags in the middle of a stack of open elements deeper than `MAX_DEPTH` are
dropped (their text stays; their end tags, left stray, close nothing or an outer element of
their kind), so the page's frame below and the content being read above keep their
structure; and a tag keeps its first `MAX_ATTRIBUTES` attributes.
"""

from __future__ import annotations

import itertools
import re

MAX_DEPTH = 512
MAX_ATTRIBUTES = 1_024
SCAN_ABOVE = 8_000  # tags ("<") or attributes ("=") a page must exceed to be scanned
# Attributes are counted only in tags this long: 1,024 attributes need far more.
_LONG_TAG = 4_096

_TOKEN = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9:-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"""\s*[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# A start tag of these closes an open one of its kind, and their end tags are often left
# out: counted as nesting, a long list of <li> or <p> would look deep.
_SIBLINGS = frozenset(
    [
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
        "rb",
        "rp",
        "rt",
        "rtc",
        "colgroup",
    ]
)
# Their content is text, never tags.
_RAW_TEXT = frozenset(
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"]
)
_RAW_TEXT_END = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in _RAW_TEXT}

Cut = tuple[int, int, str]  # (start, end, replacement) in the page


def bounded(html: str) -> tuple[str, list[str]]:
    """The page within the bounds, and a warning for each kind of cut made."""
    if html.count("<") <= SCAN_ABOVE and html.count("=") <= SCAN_ABOVE:
        return html, []
    cuts, warnings = _Scan(html).run()
    if not cuts:
        return html, []
    return _apply(html, cuts), warnings


class _Scan:
    def __init__(self, html: str) -> None:
        self.html = html
        self.stack: list[tuple[str, int, int]] = []  # open elements: name, start tag span
        self.open: dict[str, int] = {}  # how many of each name are open
        self.cuts: list[Cut] = []
        self.flattened = False
        self.trimmed = False

    def run(self) -> tuple[list[Cut], list[str]]:
        self._walk()
        warnings: list[str] = []
        if self.flattened:
            warnings.append(f"html: elements nested deeper than {MAX_DEPTH} flattened")
        if self.trimmed:
            warnings.append(f"html: attributes past the first {MAX_ATTRIBUTES} of a tag dropped")
        return self.cuts, warnings

    def _walk(self) -> None:
        """Account for every token. The start and end tags are handled inline, with a plain
        dict for the counts: large pages hold 100,000s of tokens, and a call or a Counter's
        missing-key hook for each one was most of the scan's time."""
        html, search, skipped = self.html, _TOKEN.search, _VOID | _SIBLINGS
        stack, open_count = self.stack, self.open
        position = 0
        while match := search(html, position):
            closing, name, attributes = match.groups()
            if name is None:  # a comment
                position = html.find("-->", match.end()) + 3
                if position < 3:
                    return
                continue
            name = name.lower()
            position = match.end()
            if closing:
                if open_count.get(name):  # closes it and whatever was left open inside
                    while (top := stack.pop()[0]) != name:
                        open_count[top] -= 1
                    open_count[name] -= 1
                continue
            if len(attributes) > _LONG_TAG:
                self._trim_attributes(match, attributes)
            if name in _RAW_TEXT:
                text_end = _RAW_TEXT_END[name].search(html, position)
                if text_end is None:
                    return
                position = text_end.start()
            elif name not in skipped and not attributes.endswith("/"):
                if len(stack) >= MAX_DEPTH:
                    self._drop_middle()
                stack.append((name, match.start(), position))
                open_count[name] = open_count.get(name, 0) + 1

    def _drop_middle(self) -> None:
        """The middle of the stack goes: the page's frame below it and the content being
        read above it keep their structure, whatever piled up in between."""
        dropped, start, end = self.stack.pop(MAX_DEPTH // 2)
        self.open[dropped] -= 1
        self.cuts.append((start, end, ""))
        self.flattened = True

    def _trim_attributes(self, match: re.Match[str], attributes: str) -> None:
        found = itertools.islice(_ATTRIBUTE.finditer(attributes), MAX_ATTRIBUTES + 1)
        kept = [attribute.group(0) for attribute in found]
        if len(kept) > MAX_ATTRIBUTES:
            self.trimmed = True
            start = f"<{match.group(2)}{''.join(kept[:MAX_ATTRIBUTES])}>"
            # Replaces the tag; a drop for depth, if any, is decided on the original.
            self.cuts.append((match.start(), match.end(), start))


def _apply(html: str, cuts: list[Cut]) -> str:
    parts: list[str] = []
    position = 0
    for start, end, replacement in sorted(cuts):
        if start < position:  # the same tag cut twice: dropping it wins
            continue
        parts += [html[position:start], replacement]
        position = end
    parts.append(html[position:])
    return "".join(parts)
