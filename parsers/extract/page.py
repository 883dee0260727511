"""One parsed page shared by every field extractor, so the HTML is parsed once.

Field extractors read `tree` before the body extractor prunes it: the body step runs last.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.extract.select import ClassIndex
from parsers.extract.streamed import place_streamed
from parsers.extract.vocab import JUNK_TAGS
from parsers.site_config import SiteConfig

JsonObject = dict[str, Any]

# Zero-width marks that separate words like white space; str.split() knows the rest (its
# white space is exactly the regular expression's \s, nbsp included).
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_ZERO_WIDTH_CHARS = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def clean_text(value: str | None) -> str:
    """Fold every run of white space (including nbsp and zero-width marks) to one space.

    split/join rather than a regular expression: this runs on every block of every page.
    """
    if not value:
        return ""
    if not value.isascii() and any(mark in value for mark in _ZERO_WIDTH_CHARS):
        value = _ZERO_WIDTH.sub(" ", value)
    return " ".join(value.split())


def node_text(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return clean_text(node.text(deep=True, separator=" "))


@dataclass
class Page:
    """The parsed document plus the structured data every field cascade starts from."""

    tree: LexborHTMLParser
    url: str
    fetched_at: datetime
    site: SiteConfig | None = None
    jsonld: list[JsonObject] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _index: ClassIndex | None = None
    _title: str | None = None
    _selected: dict[str, list[LexborNode]] = field(default_factory=dict)
    _tag_walk: TagWalk | None = None
    _headline: tuple[str | None] | None = None  # (the visible headline,) once found

    @classmethod
    def from_html(
        cls, html: str, url: str, fetched_at: datetime, site: SiteConfig | None = None
    ) -> Page:
        tree = LexborHTMLParser(html)
        first = _FirstWalk.of(tree)
        templates = [node for node in first.never_text if node.tag == "template"]
        if templates and place_streamed(tree, templates):
            first = _FirstWalk.of(tree)  # the streamed blocks moved: walk the page as shown
        page = cls(tree=tree, url=url, fetched_at=fetched_at, site=site)
        page.jsonld = list(_jsonld_objects(first.jsonld_scripts, page.warnings))
        page.meta = _meta_tags(first.metas)
        # Every later query walks the whole tree: drop the never-text nodes once, up front.
        for node in first.never_text:
            node.decompose()
        return page

    def select_first(self, selector: str) -> LexborNode | None:
        """First match through the class index: only valid before the body prunes the tree."""
        matches = self.select_all(selector)
        return matches[0] if matches else None

    def select_all(self, selector: str) -> list[LexborNode]:
        """Every match, indexed and remembered: only valid before the body prunes the tree."""
        found = self._selected.get(selector)
        if found is None:
            found = self._selected[selector] = list(self.index.all(self.tree, selector))
        return found

    def query(self, parts: tuple[str, ...]) -> list[LexborNode]:
        """Each node matching any of `parts` once, through the index (see ClassIndex.query):
        only valid before the body prunes the tree."""
        return self.index.query(self.tree, parts)

    def tag_walk(self) -> TagWalk:
        """The counted and the junk tags, found in one walk: read it before the body prunes."""
        if self._tag_walk is None:
            self._tag_walk = TagWalk.of(self.tree)
        return self._tag_walk

    @property
    def index(self) -> ClassIndex:
        """The class/id/itemprop index, built on first use: read it before the body prunes."""
        if self._index is None:
            self._index = ClassIndex.build(self.tree)
        return self._index

    @property
    def title_text(self) -> str:
        """The <title>, read once: several cascades compare against it."""
        if self._title is None:
            self._title = node_text(self.tree.css_first("title"))
        return self._title

    def meta_first(self, *names: str) -> str | None:
        """The first non-empty content among meta names, in the order given."""
        for name in names:
            for value in self.meta.get(name, ()):
                text = clean_text(value)
                if text:
                    return text
        return None

    def absolute(self, link: str | None) -> str | None:
        if not link:
            return None
        link = link.strip()
        if link.startswith(("data:", "javascript:")):
            return None
        try:
            return urljoin(self.url, link)
        except ValueError:
            return None

    def articles_in_jsonld(self) -> list[JsonObject]:
        """JSON-LD objects whose @type is an article kind, most specific first."""
        return [obj for obj in self.jsonld if is_article_type(obj)]


# Never text: these tags, and every <script> but JSON-LD.
NEVER_TEXT_TAGS = frozenset({"style", "svg", "template", "canvas"})
JSONLD_TYPE = "application/ld+json"


# Tags the page type counts (page_type_signals) and the body drops as junk (vocab.JUNK_TAGS):
# the two lists hold no tag in common, so one walk finds both without duplicates.
COUNTED_TAGS = "a[href], img, time, pre, section, article"
_JUNK_TAG_NAMES = frozenset(name.strip() for name in JUNK_TAGS.split(","))


@dataclass
class TagWalk:
    """How many of each counted tag the unpruned tree holds, and its junk tags in document
    order: the page type needs only the counts, so the counted nodes are not kept."""

    counts: dict[str, int] = field(default_factory=dict)
    junk: list[LexborNode] = field(default_factory=list)

    @classmethod
    def of(cls, tree: LexborHTMLParser) -> TagWalk:
        walk = cls()
        counts, keep_junk = walk.counts, walk.junk.append
        for node in tree.css(f"{COUNTED_TAGS}, {JUNK_TAGS}"):
            tag = node.tag or ""
            if tag in _JUNK_TAG_NAMES:
                keep_junk(node)
            else:
                counts[tag] = counts.get(tag, 0) + 1
        return walk


@dataclass
class _FirstWalk:
    """The nodes the page reads or drops before anything else, found in one walk, not three:
    each css() query walks the whole tree."""

    metas: list[LexborNode] = field(default_factory=list)
    jsonld_scripts: list[LexborNode] = field(default_factory=list)
    never_text: list[LexborNode] = field(default_factory=list)

    @classmethod
    def of(cls, tree: LexborHTMLParser) -> _FirstWalk:
        walk = cls()
        for node in tree.css("meta, script, style, svg, template, canvas"):
            tag = node.tag
            if tag == "meta":
                walk.metas.append(node)
            elif tag == "script" and _is_jsonld(node):
                walk.jsonld_scripts.append(node)
            else:
                walk.never_text.append(node)
        return walk


def _is_jsonld(script: LexborNode) -> bool:
    """As lexbor reads [type="application/ld+json"]: the type's value, ASCII case ignored
    (no other letter lower-cases into this ASCII value)."""
    value = script.attributes.get("type")
    return value is not None and value.lower() == JSONLD_TYPE


ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "livenewsarticle",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "posting",
        "socialmediaposting",
        "advertisernewsarticle",
        "satiricalarticle",
        "medicalscholarlyarticle",
        "askpublicnewsarticle",
        "factcheck",
        "claimreview",
        "webpage-article",
    }
)


def jsonld_types(obj: JsonObject) -> list[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return [v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)]


def is_article_type(obj: JsonObject) -> bool:
    return any(t in ARTICLE_TYPES for t in jsonld_types(obj))


def _jsonld_objects(scripts: list[LexborNode], warnings: list[str]) -> Iterator[JsonObject]:
    for script in scripts:
        raw = script.text(deep=True) or ""
        if not raw.strip():
            continue
        data = _loads_lenient(raw)
        if data is None:
            warnings.append("jsonld: unreadable block skipped")
            continue
        yield from _flatten(data, depth=0)


def _loads_lenient(raw: str) -> Any:
    """JSON-LD in the wild carries control characters, comments and trailing commas.

    Escaped NULs (\\u0000) are dropped and lone surrogates (a \\uD800 with no low half)
    become U+FFFD, as in the page's own text: a database cannot store either.
    Nesting too deep for the decoder is unreadable, like any other broken block.
    """
    text = raw.strip()
    if text.startswith("<!--"):
        text = text.removeprefix("<!--").removesuffix("-->").strip()
    if text.startswith("<![CDATA["):
        text = text.removeprefix("<![CDATA[").removesuffix("]]>")
    text = _UNSTORABLE_ESCAPE.sub(_storable_escape, text)
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    repaired = re.sub(r",\s*([}\]])", r"\1", re.sub(r"^\s*//.*$", "", text, flags=re.M))
    try:
        return json.loads(repaired, strict=False)
    except (ValueError, RecursionError):
        return None


# A \u0000 or surrogate (\uD800 to \uDFFF) escape after an even run of backslashes; a high
# surrogate takes the low half that pairs with it.
_UNSTORABLE_ESCAPE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(0000|[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|[dD][c-fC-F][0-9a-fA-F]{2})"
)


def _storable_escape(match: re.Match[str]) -> str:
    backslashes, escape = match.group(1), match.group(2)
    if escape == "0000":
        return backslashes
    return match.group(0) if len(escape) > 4 else backslashes + "\\ufffd"


def _flatten(data: Any, depth: int) -> Iterator[JsonObject]:
    """Yield every typed object, descending into @graph, lists and mainEntity."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
        return
    if not isinstance(data, dict):
        return
    if "@graph" in data:
        yield from _flatten(data["@graph"], depth + 1)
    if "@type" in data:
        yield data
    main = data.get("mainEntity")
    if isinstance(main, dict | list):
        yield from _flatten(main, depth + 1)


def _meta_tags(metas: list[LexborNode]) -> dict[str, list[str]]:
    """meta name/property/itemprop (lower-cased) to their contents, in document order.

    Some publishers write `value=` instead of `content=`, name several properties in one
    attribute, or escape entities twice ("&amp;#x3a;"): all are read as the author meant.
    """
    found: dict[str, list[str]] = {}
    for node in metas:
        attrs = node.attributes
        content = attrs.get("content")
        if content is None:
            content = attrs.get("value")
        if content is None:
            continue
        if "&" in content:
            content = html.unescape(content)
        for key in ("property", "name", "itemprop", "http-equiv"):
            for name in (attrs.get(key) or "").lower().split():
                found.setdefault(name, []).append(content)
    return found
