"""Dates as the page prints them: date elements and their labels, and where the headline is.

Printed dates are the least trusted source (teasers, comments and "today" widgets print dates
too), so this module also says which blocks are foreign to the article and what a printed
label ("Published", "Last updated"; date_labels) makes of the date after it. The byline
walk next to the headline is date_byline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from parsers.dates import epoch_text
from parsers.extract.date_headline import is_weak_headline, shares_title, title_holder
from parsers.extract.date_labels import (
    LABEL,
    PUBLISHED_MARK,
    UPDATED_MARK,
    Kind,
    kind_inside,
    label_kind,
)
from parsers.extract.page import Page, clean_text, node_text
from parsers.urls import normalize_url

Candidate = tuple[Kind, str]
Printed = tuple[Kind | None, LexborNode, str]  # what the markup calls it, the node, its date text

# Printed dates: microdata, date-named elements and <time>, read in document order.
# Where no <h1> names the article, the element its theme gives the headline.
HEADLINE_MARKS = ("headline", "contentheading", "entry-title", "post-title", "article-title")
MARKUP_PARTS = (
    "h1",
    "article",
    "[itemprop~=headline i]",
    "[class*=headline i]",
    "[class*=contentheading i]",
    "[class*=entry-title i]",
    "[class*=post-title i]",
    "[class*=article-title i]",
    "time",
    "[datetime]",
    "[data-time]",
    "[itemprop*=date i]:not(meta)",
    "[class*=date i]",
    "[class*=publish i]",
    "[class*=posted i]",
    "[class*=updated i]",
    "[class*=modified i]",
    "[id*=date i]",
    "a[rel~=author i]",
    "a[href*='/author/' i]",
    "a[href*='/authors/' i]",
)
MAX_VISIBLE_NODES = 40
MAX_BYLINE_TEXT = 80  # longer texts are prose
SILENT_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "-comment"})
MAX_HEADLINES = 5
MAX_NODE_TEXT = 120
LONG_NODE_PREFIX = 60
DATE_ATTRIBUTES = ("datetime", "content", "data-datetime", "data-date", "data-published")
DATA_DATE_ATTRIBUTE = re.compile(r"data-[\w-]*(?:date|time)", re.I)
# Microformats' abbr pattern (hAtom "published"): <abbr title="2024-02-03T20:38:00Z">8:38 pm</abbr>
# prints a short text and keeps the full date in its title, when the title is machine written.
ABBR_TITLE_DATE = re.compile(r"\s*\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d\S*)?\s*")
NAIVE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
# The zone printed after a time: "08:00 AM EDT", "14:30 CEST", "9:27 AM ET".
PRINTED_ZONE = re.compile(
    r"\d{1,2}[:.h]\d{2}\s*(?:[aApP]\.?[mM]\.?)?\s*(?P<zone>[A-Z]{1,4}T|UTC)\b"
)
LABEL_WINDOW = 60
MAX_LABEL_STEPS = 4
MAX_LABEL_CLIMBS = 2
# Blocks whose dates belong to other articles, to readers' comments or to the day of the visit,
# matched as the first or second part of a class/id token ("related-posts", "c-sidebar").
FOREIGN_WORDS = frozenset(
    {
        "related", "recommend", "recommended", "recommendations", "comment", "comments",
        "respond", "sidebar", "teaser", "teasers", "popular", "trending", "latest", "recent",
        "carousel", "slider", "swiper", "footer", "menu", "nav",
        "navbar", "navigation", "today", "todays", "clock", "weather", "ticker", "outbrain",
        "taboola", "most-read", "read-next", "more-stories", "more-articles", "more-posts",
        "also-read", "you-may", "recent-posts", "related-posts", "current-date",
    }
)  # fmt: skip
# First parts that describe the page's layout, not a block: "has-sidebar", "page-nav-open";
# "js-" names a script hook ("js-nav" on a status's own timestamp link), not a block.
LAYOUT_FIRST_PARTS = frozenset({"has", "with", "no", "is", "js", "page", "single", "template"})
# A footer named for the post itself ("post-footer", "entry-footer") is the article's own, as
# a <footer> inside <article> is: its "Posted at 8:38 pm" dates the article.
OWN_FOOTERS = frozenset({"post-footer", "entry-footer", "article-footer", "story-footer"})
FOREIGN_PREFIXES = tuple(word for word in FOREIGN_WORDS if len(word) >= 5 and "-" not in word)
BOXED_TAGS = frozenset({"aside", "footer"})
MAX_ANCESTORS = 12
MAX_AUTHOR_LINKS = 3
# A headline outside any article belongs to the article this many times larger than the rest.
OWN_ARTICLE_RATIO = 3
DATE_MARK = re.compile(r"date|time", re.I)
DIGIT = re.compile(r"\d")
EPOCH = re.compile(r"1\d{9}(?:\d{3})?")  # Unix seconds or milliseconds, 2001 to 2286
PERMALINK_LEVELS = 3  # how far above a printed date its link to the page may be
# A page's own URL is compared with the link of each unlabelled date it prints: once is enough.
_normalized_url = lru_cache(maxsize=256)(normalize_url)


@dataclass(frozen=True, slots=True)
class Markup:
    """What one css() pass found: printed dates outside foreign blocks, and where bylines are.

    `headlines` is the article's headline and its twins (themes print it once per screen
    size); `author_links` the first links to the author's page, which bylines date too.
    """

    printed: list[Printed]
    headlines: list[LexborNode]
    author_links: list[LexborNode]
    teasers: frozenset[int]


def read_markup(page: Page, titles: list[str] | None = None) -> Markup:
    """One css() pass for printed dates, headlines and articles: each pass walks the whole tree.

    When a page holds several <article> elements, those without the headline are teasers.
    When no headline is found, or a short one that is not the page's title (`titles`, from
    date_headline.title_parts), the element printing the title stands in for it.
    """
    dated: list[LexborNode] = []
    headlines: list[LexborNode] = []
    fallbacks: list[LexborNode] = []
    articles: list[LexborNode] = []
    authors: list[LexborNode] = []
    tree = page.tree
    for node in page.query(MARKUP_PARTS):
        if node.tag == "h1":
            headlines.append(node)
        elif node.tag == "article":
            articles.append(node)
        elif node.tag == "a" and not DATE_MARK.search(marks_of(node)):
            authors.append(node)
        elif _looks_like_headline(node):
            fallbacks.append(node)
        else:
            dated.append(node)
    in_article = [node for node in headlines[:MAX_HEADLINES] if _article_of(node) is not None]
    if titles and in_article and not shares_title(in_article[0], titles):
        in_article = _titled_first(headlines[:MAX_HEADLINES], titles) or in_article
    chosen = in_article or headlines or fallbacks
    headline = chosen[0] if chosen else None
    if titles and not in_article and is_weak_headline(headline, titles):
        holder = title_holder(tree, titles)
        if holder is not None:
            headline, headlines = holder, [holder]
    teasers = _teasers(articles, headline)
    printed: list[Printed] = []
    for node in dated:
        if len(printed) == MAX_VISIBLE_NODES:
            break
        text = _date_text(node)
        if text and not in_foreign_block(node, teasers):
            printed.append((_kind_of(node, text), node, text))
    own_authors = [a for a in authors[:MAX_AUTHOR_LINKS] if not in_foreign_block(a, teasers)]
    return Markup(printed, _with_twins(headline, headlines), own_authors[:1], teasers)


def _titled_first(headlines: list[LexborNode], titles: list[str]) -> list[LexborNode]:
    """The first <h1> worded like the page's title: an <article> around a teaser's <h1>
    ("Recommended posts" above the story) does not make it the page's headline."""
    titled = next((node for node in headlines if shares_title(node, titles)), None)
    return [] if titled is None else [titled]


def _with_twins(headline: LexborNode | None, headlines: list[LexborNode]) -> list[LexborNode]:
    if headline is None:
        return []
    text = node_text(headline)
    twins = [h for h in headlines[:MAX_HEADLINES] if h.mem_id != headline.mem_id]
    return [headline, *(h for h in twins if text and node_text(h) == text)]


def _looks_like_headline(node: LexborNode) -> bool:
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('itemprop') or ''}".lower()
    return any(mark in marks for mark in HEADLINE_MARKS)


def _teasers(articles: list[LexborNode], headline: LexborNode | None) -> frozenset[int]:
    """Articles other than the page's own: the one holding the headline, else the largest
    (a theme may print the headline above its article)."""
    if len(articles) < 2:
        return frozenset()
    own = _article_of(headline) if headline is not None else None
    if own is None:
        sizes = sorted(((len(a.text(deep=True)), a.mem_id) for a in articles), reverse=True)
        largest, runner_up = sizes[0], sizes[1]
        own_id = largest[1] if largest[0] >= OWN_ARTICLE_RATIO * runner_up[0] else None
    else:
        own_id = own.mem_id
    return frozenset(a.mem_id for a in articles if a.mem_id != own_id)


def _article_of(node: LexborNode) -> LexborNode | None:
    current = node.parent
    for _ in range(MAX_ANCESTORS * 2):
        if current is None:
            return None
        if current.tag == "article":
            return current
        current = current.parent
    return None


def _date_text(node: LexborNode) -> str | None:
    """The machine-readable date an element carries, else its own short text.

    A datetime attribute without a zone ("2022-10-11 08:00:00") borrows the zone its printed
    text names ("10/11/2022 08:00 AM EDT"): the page states it, only not in the attribute.
    """
    value = _date_attribute(node.attributes) or _abbr_title(node)
    if value is not None and not NAIVE_DATETIME.fullmatch(value.strip()):
        return value
    text = clean_text(node.text(deep=True, separator=" "))
    if value is not None:
        zone = PRINTED_ZONE.search(text)
        return f"{value.strip()} {zone['zone']}" if zone is not None else value
    if len(text) > MAX_NODE_TEXT:  # a date-named block also holding tags or a byline
        text = text[:LONG_NODE_PREFIX]
    return text or None


def _date_attribute(attrs: dict[str, str | None]) -> str | None:
    """The first date-named attribute; Unix times (data-time="1466522845") as ISO text."""
    for name in DATE_ATTRIBUTES:
        value = attrs.get(name)
        if value and DIGIT.search(value):
            return _epoch_as_iso(value)
    for name, value in attrs.items():  # data-origindate, data-published-at, data-time...
        if value and DATA_DATE_ATTRIBUTE.match(name) and DIGIT.search(value):
            return _epoch_as_iso(value)
    return None


def _abbr_title(node: LexborNode) -> str | None:
    """An <abbr>'s machine-written title: the date its short printed text abbreviates."""
    title = node.attributes.get("title") if node.tag == "abbr" else None
    return title if title and ABBR_TITLE_DATE.fullmatch(title) else None


def _epoch_as_iso(value: str) -> str:
    if not EPOCH.fullmatch(value.strip()):
        return value
    return epoch_text(float(value)) or value


def _kind_of(node: LexborNode, text: str) -> Kind | None:
    """What the markup says the date is: microdata, then a printed label, then class names."""
    itemprop = (node.attributes.get("itemprop") or "").lower()
    if "datepublished" in itemprop or "datecreated" in itemprop:
        return "published"
    if "datemodified" in itemprop:
        return "updated"
    own = kind_inside(text) or kind_inside(_own_text(node, text))
    if own is not None:
        return own
    before = list(LABEL.finditer(_text_before(node)))
    if before:
        return label_kind(before[-1])
    marks = " ".join(marks_of(n) for n in (node, node.parent) if n is not None)
    if PUBLISHED_MARK.search(marks):
        return "published"
    return "updated" if UPDATED_MARK.search(marks) else None


def _own_text(node: LexborNode, date_text: str) -> str:
    """The printed text of an element whose date came from an attribute ("Posted: ...")."""
    if not DIGIT.match(date_text):
        return ""
    return clean_text(node.text(deep=True, separator=" "))[:LABEL_WINDOW]


def _text_before(node: LexborNode) -> str:
    """The few words printed just before a node, across its previous siblings and parents."""
    pieces: list[str] = []
    size, climbs, current = 0, 0, node
    for _ in range(MAX_LABEL_STEPS):
        previous = current.prev
        if previous is None:
            if climbs == MAX_LABEL_CLIMBS or current.parent is None:
                break
            current, climbs = current.parent, climbs + 1
            continue
        text = (
            previous.text_content
            if previous.is_text_node
            else previous.text(deep=True, separator=" ")
        ) or ""
        pieces.append(text)
        size += len(text)
        if size >= LABEL_WINDOW:
            break
        current = previous
    return clean_text(" ".join(reversed(pieces)))[-LABEL_WINDOW:]


def marks_of(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def in_foreign_block(node: LexborNode, teasers: frozenset[int] = frozenset()) -> bool:
    """Inside a teaser, comment, sidebar or page footer; an aside or footer of the article or
    of <main> is not."""
    current: LexborNode | None = node
    boxed = False  # inside an aside or footer that no <article> holds
    for _ in range(MAX_ANCESTORS):
        if current is None or current.tag in ("body", "html"):
            break
        if current.tag == "nav" or is_foreign_mark(marks_of(current)):
            return True
        if current.tag == "article":
            if current.mem_id in teasers:
                return True
            boxed = False
        elif current.tag == "main":
            boxed = False  # a side column of the main content holds its byline
        elif current.tag in BOXED_TAGS:
            boxed = True
        current = current.parent
    return boxed


def is_foreign_mark(marks: str) -> bool:
    return bool(marks.strip()) and _is_foreign_token_set(marks)


@lru_cache(maxsize=4096)
def _is_foreign_token_set(marks: str) -> bool:
    """Cached: themes repeat the same class strings on every teaser and list item."""
    for token in marks.lower().split():
        parts = [part for part in re.split(r"[-_]+", token) if part]
        if not parts or parts[0] in LAYOUT_FIRST_PARTS or "-".join(parts[:2]) in OWN_FOOTERS:
            continue
        heads = (*parts[:2], "-".join(parts[:2]), "-".join(parts[1:3]))
        if any(head in FOREIGN_WORDS for head in heads):
            return True
        if parts[0].startswith(FOREIGN_PREFIXES):  # "recentpress", "relatedposts"
            return True
    return False


def links_to_page(node: LexborNode, page_url: str) -> bool:
    """Inside a link to the page itself: its own permalink timestamp (a post's, a status's),
    where replies and teasers link elsewhere. A fragment ("#comment-12") is a reply's."""
    current: LexborNode | None = node
    for _ in range(PERMALINK_LEVELS):
        if current is None:
            return False
        if current.tag == "a":
            href = (current.attributes.get("href") or "").strip()
            if not href or "#" in href:
                return False
            try:
                return _normalized_url(urljoin(page_url, href)) == _normalized_url(page_url)
            except ValueError:
                return False
        current = current.parent
    return False
