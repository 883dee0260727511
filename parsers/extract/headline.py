"""The headline: what the page prints as its title, confirmed by the titles it declares.

A visible heading is trusted most when a declared title (JSON-LD, og:title, <title>) agrees
with it; the declared titles stand in, with the site name cut off, when nothing visible does.
"""

from __future__ import annotations

import html
import re
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from parsers.extract import vocab
from parsers.extract.page import JsonObject, Page, clean_text
from parsers.urls import same_site, site_of

TITLE_SEPARATORS = re.compile(r"\s+(?:[|\u2013\u2014»·•:]|-{1,2}|::)\s+")
SITE_SEPARATORS = re.compile(r"\s+(?:[|\u2013\u2014»·•]|-{1,2}|::)\s+")
HEADLINE_SELECTORS = (
    "[itemprop=headline]",
    ".entry-title",
    ".post-title",
    ".article-title",
    ".article__title",
    ".headline",
    "h1",
)
MASTHEAD_PATTERN = re.compile(r"logo|brand|masthead|site-title|site-name|navbar", re.I)
MIN_HEADLINE_CHARS = 3
MAX_HEADLINE_CHARS = 300
MIN_HEADLINE_WORDS = 2
MAX_HEADLINE_CANDIDATES = 3
TITLE_OVERLAP_SHARE = 0.4
MAX_TRUSTED_H1S = 2
MAX_SUBHEADINGS = 3
MAX_SITE_NAME_WORDS = 4
MIN_SENTENCE_WORDS = 6
# A heading this long that runs to a second sentence is a standfirst styled as an h1.
MAX_PROSE_HEADLINE_WORDS = 25
SENTENCE_BREAK = re.compile(r"[.?!]\s+[A-Z]")
# The heading of a page's comments ("0 Comments", "3 thoughts on ...") is never its title.
COMMENTS_HEADING = re.compile(
    r"^\d+\s+(?:comments?|responses?|replies|thoughts?)\b|^(?:leave a (?:reply|comment))",
    re.IGNORECASE,
)
COMMENTS_MARK = re.compile(r"\bcomments?\b|respond|\breply-title", re.IGNORECASE)
SENTENCE_TO_NAME = 2
# Shorter host labels ("en", "co") are language or registry codes, not the site's name.
MIN_HOST_LABEL_CHARS = 3
WORDS = re.compile(r"[^\W_]+")
# What sets a subtitle or a second sentence off a headline printed in the same heading.
SUBTITLE_MARKS = frozenset(":|?!.-\u2013\u2014")
# A title still carrying entities was escaped twice by its CMS ("Full &#038; Part").
ESCAPED_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-f]{2,5}|[a-z]{2,8});", re.I)
META_TITLE_NAMES = (
    "og:title",
    "twitter:title",
    "dc.title",
    "dc:title",
    "dcterms.title",
    "dcterm:title",
    "parsely-title",
    "sailthru.title",
    "title",
)


class Heading(NamedTuple):
    """A visible headline candidate.

    A strict one (in the masthead) counts only when it equals a declared title or one of its
    parts: merely sharing words with one is what a logo or a tagline also does.
    """

    text: str
    is_h1: bool
    strict: bool = False


def find_headline(page: Page) -> str | None:
    """The visible headline; metadata titles only confirm it or stand in when it is missing.

    Found once per page (the section's cascade compares its candidates with it too)."""
    if page._headline is None:
        page._headline = (_find_headline(page),)
    return page._headline[0]


def _find_headline(page: Page) -> str | None:
    meta_titles = [t for t in _meta_titles(page) if t]
    site = SiteName.of(page)
    site_names = _site_names(page, site)
    visible = [c for c in _visible_headlines(page) if fold(c.text) not in site_names]
    confirmed = _confirmed(visible, meta_titles) or _subheading_title(page, meta_titles, site)
    if confirmed:
        return _trim_site_name(confirmed, site)
    visible = [c for c in visible if not c.strict and not (meta_titles and _is_prose(c.text))]
    # Unconfirmed by metadata, only a lone h1 beats the page's declared title: a class
    # named "headline" or one of many h1s is as likely a teaser or a section label.
    if len(page.select_all("h1")) <= MAX_TRUSTED_H1S or not meta_titles:
        for text, is_h1, _ in sorted(visible, key=lambda candidate: not candidate.is_h1):
            if len(text.split()) >= MIN_HEADLINE_WORDS and (is_h1 or not meta_titles):
                return text
    for title in meta_titles:
        return _strip_site_name(title, site)
    return visible[0].text if visible else None


def _confirmed(visible: list[Heading], meta_titles: list[str]) -> str | None:
    """The first visible headline a declared title agrees with, the strict ones last."""
    folded_meta = [fold(t) for t in meta_titles]
    for candidate in sorted(visible, key=lambda heading: heading.strict):
        folded = fold(candidate.text)
        for meta, title in zip(folded_meta, meta_titles, strict=True):
            if not meta or not _same_title(folded, meta):
                continue
            if candidate.strict and not _is_title_or_part(folded, title):
                continue
            return title if _wraps(candidate.text, folded, meta) else candidate.text
    return None


def _is_title_or_part(folded: str, title: str) -> bool:
    return folded == fold(title) or any(
        folded == fold(part) for part in TITLE_SEPARATORS.split(title)
    )


def _same_title(visible: str, meta: str) -> bool:
    """One holds the other's words and is not a mere fragment of it (a site, a section)."""
    shorter, longer = sorted((visible, meta), key=len)
    return f" {shorter} " in f" {longer} " and len(shorter) >= TITLE_OVERLAP_SHARE * len(longer)


def _wraps(text: str, folded: str, meta: str) -> bool:
    """Whether the printed headline wraps the declared title in words that are not its own.

    A kicker or a dateline printed before the title is not part of it, nor is a subtitle
    set off after it by punctuation; plain words after it are the headline's own (the
    declared title was cut short).
    """
    at = f" {folded} ".find(f" {meta} ")
    if meta == folded or at < 0:
        return False
    if at > 0:
        return True
    last_word = list(WORDS.finditer(text))[len(meta.split()) - 1]
    tail = text[last_word.end() :].lstrip()
    return bool(tail) and tail[0] in SUBTITLE_MARKS


def _visible_headlines(page: Page) -> list[Heading]:
    """Explicit headline markup first, then h1s (those in the masthead flagged)."""
    found: list[Heading] = []
    for selector in HEADLINE_SELECTORS:
        for node in page.select_all(selector)[:MAX_HEADLINE_CANDIDATES]:
            text = _heading_text(node)
            if _heads_comments(node, text):
                continue
            is_h1 = node.tag == "h1"
            masthead = selector == "h1" and _in_masthead(node, page)
            if MIN_HEADLINE_CHARS <= len(text) <= MAX_HEADLINE_CHARS and all(
                (text, is_h1) != (seen.text, seen.is_h1) for seen in found
            ):
                found.append(Heading(text, is_h1, masthead))
    return found


def _heads_comments(node: LexborNode, text: str) -> bool:
    label = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    return bool(COMMENTS_HEADING.match(text) or (label.strip() and COMMENTS_MARK.search(label)))


def _is_prose(text: str) -> bool:
    """A paragraph in a heading's markup: longer than headlines run, and two sentences."""
    return len(text.split()) > MAX_PROSE_HEADLINE_WORDS and bool(SENTENCE_BREAK.search(text))


def _subheading_title(page: Page, meta_titles: list[str], site: SiteName) -> str | None:
    """The declared title when an h2 prints it whole, and no h1 agrees with any title.

    An h1 kept for a section's name ("Health Center") can leave the headline to an h2; the
    h2 must spell the whole title, since a part of it is as often the author or a section.
    """
    declared = [_trim_site_name(title, site) for title in meta_titles]
    folded = [fold(title) for title in declared]
    for node in page.select_all("h2")[:MAX_SUBHEADINGS]:
        text = fold(_heading_text(node))
        if len(text.split()) >= MIN_HEADLINE_WORDS and text in folded:
            return declared[folded.index(text)]
    return None


def _heading_text(node: LexborNode) -> str:
    """The heading's words; a <br> breaks a line between two words, it never joins them."""
    if node.css_first("br") is None:
        text = node.text(deep=True)
    else:
        text = "".join(
            " " if part.tag == "br" else (part.text_content or "")
            for part in node.traverse(include_text=True)
            if part.tag in ("br", "-text")
        )
    return vocab.PERMALINK_MARK.sub("", _unescaped(clean_text(text)))


def _in_masthead(node: LexborNode, page: Page) -> bool:
    """In the site's header or navigation, or a link to the home page (the site's logo)."""
    ancestor = node.parent
    while ancestor is not None and ancestor.tag not in ("body", "html"):
        if ancestor.tag == "nav" or (
            ancestor.tag == "header" and ancestor.css_first("nav") is not None
        ):
            return True
        label = f"{ancestor.attributes.get('class') or ''} {ancestor.attributes.get('id') or ''}"
        if MASTHEAD_PATTERN.search(label):
            return True
        if ancestor.tag == "a" and _is_home_link(ancestor, page):
            return True
        ancestor = ancestor.parent
    link = node.css_first("a[href]")
    return link is not None and _is_home_link(link, page)


def _is_home_link(link: LexborNode, page: Page) -> bool:
    target = page.absolute(link.attributes.get("href"))
    if not target:
        return False
    try:
        parts = urlsplit(target)
    except ValueError:  # a malformed address leads nowhere, least of all home
        return False
    return parts.path in ("", "/") and not parts.query and same_site(target, page.url)


class SiteName(NamedTuple):
    """What names the site: its declared name, and the labels of its host name."""

    declared: str
    host_labels: frozenset[str]

    @classmethod
    def of(cls, page: Page) -> SiteName:
        host = site_of(page.url)
        names = (host.replace(".", ""), *host.split(".")[:-1])
        labels = frozenset(name for name in names if len(name) >= MIN_HOST_LABEL_CHARS)
        return cls(fold(page.meta_first("og:site_name", "application-name") or ""), labels)

    def spelled_by(self, text: str) -> bool:
        """Whether text is the declared name, or spells the host ("Example News.com")."""
        folded = fold(text)
        return bool(folded) and (
            folded == self.declared or folded.replace(" ", "") in self.host_labels
        )


def _site_names(page: Page, site: SiteName) -> set[str]:
    """Names a heading must not be taken for: the declared site name and the <title>'s ends.

    A short first part ("Site | Headline") is only a guess: when the last part already names
    the site ("Headline - Site"), the first is the headline itself.
    """
    names = {site.declared}
    parts = TITLE_SEPARATORS.split(page.title_text)
    if len(parts) >= 2:
        names.add(fold(parts[-1]))
        if len(parts[0].split()) <= 3 and not site.spelled_by(parts[-1]):
            names.add(fold(parts[0]))
    names.discard("")
    return names


def _trim_site_name(title: str, site: SiteName) -> str:
    """The title without the site's name at either end."""
    spans = _segments(title)
    while len(spans) >= 2 and site.spelled_by(title[slice(*spans[-1])]):
        spans.pop()
    while len(spans) >= 2 and site.spelled_by(title[slice(*spans[0])]):
        spans.pop(0)
    return title[spans[0][0] : spans[-1][1]]


def _strip_site_name(title: str, site: SiteName) -> str:
    """A declared title as a headline: without the site's name, then its first part only.

    "Headline | Section | Site" is the common order; a colon is no separator here, since
    headlines use it themselves ("Exclusive: ...", "Project: release notes").
    """
    trimmed = _without_host_word(_trim_site_name(title, site), site)
    spans = _segments(trimmed)
    first, last = (trimmed[slice(*span)] for span in (spans[0], spans[-1]))
    if len(spans) == 2 and _reads_as_site_before_headline(first, last):
        return last
    return first


def _without_host_word(title: str, site: SiteName) -> str:
    """ "example.com Headline": a domain name run into the title with no separator."""
    first, _, rest = title.partition(" ")
    if "." in first and first[-1].isalnum() and rest and site.spelled_by(first):
        return rest
    return title


def _reads_as_site_before_headline(first: str, last: str) -> bool:
    """ "Site | Headline": a few words (a name) before a sentence-long part."""
    words, last_words = len(first.split()), len(last.split())
    return words <= MAX_SITE_NAME_WORDS and last_words >= max(
        MIN_SENTENCE_WORDS, SENTENCE_TO_NAME * words
    )


def _segments(title: str) -> list[tuple[int, int]]:
    """The spans of the title's parts between separators (a colon excepted)."""
    spans, start = [], 0
    for match in SITE_SEPARATORS.finditer(title):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(title)))
    return [(begin, end) for begin, end in spans if end > begin] or [(0, len(title))]


def _meta_titles(page: Page) -> list[str]:
    titles = [jsonld_text(obj.get("headline")) for obj in page.articles_in_jsonld()]
    titles.append(page.meta_first(*META_TITLE_NAMES) or "")
    titles.append(page.title_text)
    return [_unescaped(title) for title in titles]


def _unescaped(text: str) -> str:
    return html.unescape(text) if "&" in text and ESCAPED_ENTITY.search(text) else text


def jsonld_text(value: Any) -> str:
    """A JSON-LD value as text: a string, or the name (or @value) of an object."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        obj: JsonObject = value
        return jsonld_text(obj.get("name") or obj.get("@value"))
    return ""


def fold(text: str) -> str:
    """Lower case, every run of non-word characters one space: for comparing titles."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()
