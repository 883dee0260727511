"""Authors of a page: a cascade from what the page declares to what it prints.

Declared sources (JSON-LD, meta) come first; printed bylines (byline_markup) after them, and
lines labelled anywhere on the page (byline_labels: "Written by", "Author:", a forum's "Thread
starter") last. A finding that names only the publisher (or its staff), a user name or a lone
word is kept while later sources look for a person's full name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from parsers.extract.author_names import clean_author_names, fold_name, looks_like_name
from parsers.extract.byline_avatars import avatar_names
from parsers.extract.byline_labels import PageLabels
from parsers.extract.byline_markup import BylineMarkup, RawNames
from parsers.extract.page import JsonObject, Page, clean_text, jsonld_types

# Meta names that carry the article's byline, most deliberate first.
META_AUTHOR_NAMES = (
    "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dc:creator",
    "dcterms.creator", "dcterms:creator", "byl", "og:article:author",
)  # fmt: skip
# Link preview cards carry label/value pairs; the author's label, in the site's language.
CARD_SLOTS = range(1, 5)
CARD_AUTHOR_LABEL = re.compile(
    r"^(?:written by|author|by|geschrieben von|verfasst von|écrit par|escrito por|scritto da|"
    r"geschreven door|napisane przez|автор|написано)\s*:?$",
    re.IGNORECASE,
)
# Scholarly (Highwire Press) metadata: one person per tag, written "Family, Given"; the plural
# also holds the whole list in one tag ("Doe, Jane; Roe, John"). Read before the other
# metas, which scholarly platforms fill with the first author alone (JMIR's DC.Creator).
FAMILY_FIRST_META = ("citation_author", "citation_authors")
# Only when nothing else names the author, and only when it reads as a name (not a handle).
LAST_RESORT_META = ("twitter:creator",)
# A description some templates open with the byline: "This post was written by Jane Doe, MD."
DESCRIPTION_CREDIT = re.compile(
    r"^(?:this (?:post|article|story|blog post) (?:was|is) written by|"
    r"read this (?:post|article) written by)\s+",
    re.IGNORECASE,
)
CREDIT_END = re.compile(r"[,;]|\.(?=\s+[a-z]|\s*$)")
# Where the publisher's own name is declared: a byline equal to it is a fallback only.
PUBLISHER_META = ("og:site_name", "application-name", "publisher", "copyright")

# JSON-LD types whose `author` is not the page's author even when no article object exists.
NOT_PAGE_AUTHOR_TYPES = frozenset(
    {"review", "comment", "answer", "question", "rating", "aggregaterating", "product", "offer"}
)
ORGANISATION_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "website", "localbusiness",
     "educationalorganization", "governmentorganization", "ngo", "onlinebusiness", "brand"}
)  # fmt: skip

USER_NAME = re.compile(r"^[\w-]*[._][\w.-]*$")
# A user name with digits ("reader2024"): a name only where the page declares it as the author.
HANDLE = re.compile(r"^(?=[^\d]*\d)[^\W\d_][\w.-]{2,30}$")
# A profile address naming its person: ".../author/jane-doe", ".../people/1234-jane-doe".
PROFILE_SLUG = re.compile(
    r"^https?://[^?#]*/(?:authors?|editors|people|profiles?|staff|by|auteur|autor)/"
    r"((?:\d+-)?[a-z]+(?:-[a-z]+){1,3})/?$"  # two to four words
)
# "Copyright (c) 2024 Example Media. All rights reserved": only the holder names the publisher.
COPYRIGHT_NOISE = re.compile(
    r"copyright|©|\(c\)|\d{4}(?:\s*[-–]\s*\d{4})?|all rights reserved\.?", re.IGNORECASE
)
# "Example News Staff", "The Example Team": the publisher's desk, not a person.
STAFF_WORDS = re.compile(
    r"^(?:the\s+)?(.+?)\s+(?:staff|team|editors|editorial(?:\s+(?:team|staff|board))?|"
    r"desk|newsroom|news\s*desk|reporters|writers)$",
    re.IGNORECASE,
)
# A company's legal form ("Example Media Inc.", "株式会社Example"): beside a person, the
# site's operator, not an author; alone, an organisation's byline and kept.
LEGAL_FORM = re.compile(
    r"\b(?:inc|ltd|llc|llp|plc|gmbh|corp|corporation|limited)\.?$|株式会社|有限会社|合同会社",
    re.IGNORECASE,
)
THE = re.compile(r"^the\s+", re.IGNORECASE)
# An institution named beside a person ("Daniel Burstein", "MECLABS Institute") is where
# the person works, or a page it links to, as a company is.
INSTITUTION = re.compile(
    r"\b(?:institute|network|association|foundation|university|council|society|agency|"
    r"academy|committee|ministry|department)\b",
    re.IGNORECASE,
)
# "Doe, Jane" in one meta value: a family name, a comma and one given name, which may carry
# initials and the family name's particle ("Kooman, F.", "Jong, Michiel de", "Doe, Jane A.").
# Two given words ("Roe, Jane Doe") could as well be two people and are left to the split.
_INITIAL = r"[A-Z]\.(?:-?[A-Z]\.)*"
_PARTICLE = r"(?:de|van|von|der|den|du|da|di|la|le|ter|ten)"
FAMILY_COMMA_GIVEN = re.compile(
    rf"^([A-Z][\w'’-]+),\s*((?:[A-Z][\w'’-]+|{_INITIAL})(?:\s+(?:{_INITIAL}|{_PARTICLE}))*)$"
)
MAX_FULL_NAME_WORDS = 4
# How surely a finding names the article's people, weakest first.
LOWER_CASE, PUBLISHER_WORD, LONE_WORD, PUBLISHER_NAME, PERSON = range(5)


class AuthorScan:
    """One page's author search; the printed markup is only read when a source asks for it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._markup: BylineMarkup | None = None
        self._labels: PageLabels | None = None
        self._publishers: frozenset[str] | None = None

    def markup(self) -> BylineMarkup:
        if self._markup is None:
            self._markup = BylineMarkup(self.page)
        return self._markup

    def labels(self) -> PageLabels:
        if self._labels is None:
            self._labels = PageLabels(self.markup())
        return self._labels

    def publishers(self) -> frozenset[str]:
        """Folded names of the site and of the organisations the JSON-LD declares."""
        if self._publishers is None:
            names = [value for key in PUBLISHER_META for value in self.page.meta.get(key, ())]
            names = [COPYRIGHT_NOISE.sub(" ", name) for name in names]
            for obj in self.page.jsonld:
                if ORGANISATION_TYPES.intersection(jsonld_types(obj)):
                    names += [name for name in [obj.get("name")] if isinstance(name, str)]
            host = _host(self.page.url)
            names += host.removeprefix("www.").split(".")[:1]
            self._publishers = frozenset(fold_name(name) for name in names if name)
        return self._publishers

    def strength(self, names: tuple[str, ...]) -> int:
        """How surely the names are the article's people: the publisher's own name or a user
        name may give way to a person printed later, a lone word only to a full name."""
        if all(name.islower() for name in names):
            return LOWER_CASE
        weak = all(self.is_publisher(name) or _is_user_name(name) for name in names)
        if any(map(_is_full_name, names)):
            return PUBLISHER_NAME if weak else PERSON
        return PUBLISHER_WORD if weak else LONE_WORD

    def is_publisher(self, name: str) -> bool:
        """The site's own name, or its desk ("Example News Staff")."""
        publishers = self.publishers()
        if fold_name(name) in publishers or fold_name(THE.sub("", name)) in publishers:
            return True  # "The Commercial Appeal" at commercialappeal.com
        desk = STAFF_WORDS.match(name)
        return bool(desk and fold_name(desk.group(1)) in publishers)

    def findings(self, raw: RawNames, accounts: bool) -> tuple[str, ...]:
        """Clean names of one raw finding; where the source names accounts, a user name with
        digits is kept as it is."""
        names = clean_author_names(raw)
        if not names and accounts:
            names = tuple(value.strip() for value in raw if HANDLE.match(value.strip()))
        return self.without_publishers(names)

    def without_publishers(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """ "Jane Doe, The Example Times": the publisher beside a person is no author, nor is
        a company beside anyone who is not one."""
        others = tuple(
            name for name in names if not (LEGAL_FORM.search(name) or INSTITUTION.search(name))
        )
        names = others or names
        people = tuple(name for name in names if not self.is_publisher(name))
        return people if any(map(_is_full_name, people)) else names


def find_authors(page: Page) -> tuple[str, ...]:
    """The first source in AUTHOR_SOURCES that names a person wins. Weaker findings (the
    publisher's name, a user name, a lone word) are kept while later sources look further;
    a declared lone word gives way only to a full name declared elsewhere."""
    scan = AuthorScan(page)
    best: tuple[str, ...] = ()
    best_strength = -1
    try:
        for source in AUTHOR_SOURCES:
            declared = source in DECLARED_SOURCES
            if best_strength == LONE_WORD and not declared:
                return best
            for raw in source(scan):
                names = scan.findings(raw, accounts=source in ACCOUNT_SOURCES)
                strength = scan.strength(names) if names else -1
                if strength == PERSON or (strength == LONE_WORD > best_strength and not declared):
                    return names
                if strength > best_strength:
                    best, best_strength = names, strength
    except (ValueError, TypeError, AttributeError, RecursionError):
        page.warnings.append("authors: unreadable markup skipped")
    return best


def _is_user_name(name: str) -> bool:
    """ "jane.doe", "reader2024": an account, which a printed full name may replace."""
    return bool(USER_NAME.match(name) or HANDLE.match(name))


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # "http://[::1/x": a malformed address names no publisher
        return ""


def _is_full_name(name: str) -> bool:
    """ "Jane Doe": what may replace a publisher-name fallback (a lone word may not)."""
    words = name.split()
    return (
        2 <= len(words) <= MAX_FULL_NAME_WORDS and words[0][0].isupper() and words[-1][0].isupper()
    )


# --- declared sources -------------------------------------------------------------------


def jsonld_authors(scan: AuthorScan) -> Iterator[RawNames]:
    """`author` of article objects, then of other page-level objects; @id links resolved."""
    jsonld = scan.page.jsonld
    by_id = {obj["@id"]: obj for obj in jsonld if isinstance(obj.get("@id"), str)}
    articles = scan.page.articles_in_jsonld()
    article_ids = {id(obj) for obj in articles}
    others = [
        obj
        for obj in jsonld
        if id(obj) not in article_ids and not NOT_PAGE_AUTHOR_TYPES.intersection(jsonld_types(obj))
    ]
    for obj in articles + others:
        for key in ("author", "creator"):
            names = list(_jsonld_names(obj.get(key), by_id, depth=0))
            if names:
                yield names
                break


def _jsonld_names(value: Any, by_id: dict[str, JsonObject], depth: int) -> Iterator[str]:
    if depth > 4 or value is None:
        return
    if isinstance(value, str):
        if value in by_id:
            yield from _jsonld_names(by_id[value], by_id, depth + 1)
        else:
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _jsonld_names(item, by_id, depth + 1)
    elif isinstance(value, dict):
        yield from _jsonld_object_names(value, by_id, depth)


def _jsonld_object_names(
    obj: JsonObject, by_id: dict[str, JsonObject], depth: int
) -> Iterator[str]:
    name = obj.get("name")
    if isinstance(name, dict):
        name = name.get("@value")
    if isinstance(name, list):
        name = next((item for item in name if isinstance(item, str)), None)
    if isinstance(name, str) and name.strip():
        yield name
        return
    given, family = obj.get("givenName"), obj.get("familyName")
    if isinstance(given, str) and isinstance(family, str):
        yield f"{given} {family}"
        return
    ref = obj.get("@id")
    if isinstance(ref, str) and ref in by_id and by_id[ref] is not obj:
        yield from _jsonld_names(by_id[ref], by_id, depth + 1)


def meta_authors(scan: AuthorScan) -> Iterator[RawNames]:
    for name in FAMILY_FIRST_META:
        values = scan.page.meta.get(name)
        if values:
            yield [_given_first(one) for value in values for one in value.split(";") if one.strip()]
    for name in META_AUTHOR_NAMES:
        values = scan.page.meta.get(name)
        if values:
            yield [_one_family_first(value) for value in values]


def _given_first(value: str) -> str:
    family, comma, given = value.partition(",")
    return f"{given.strip()} {family.strip()}" if comma and given.strip() else value


def _one_family_first(value: str) -> str:
    """ "Doe, Jane" in an author meta is one person written family first, not two people."""
    match = FAMILY_COMMA_GIVEN.match(value.strip())
    if match is None or match.group(1).isupper() or _is_acronym(match.group(2).split()[0]):
        return value
    return f"{match.group(2)} {match.group(1)}"


def _is_acronym(word: str) -> bool:
    """ "AP" in "Reuters, AP" is an agency; "F." in "Kooman, F." is an initial."""
    return word.isupper() and not word.endswith(".")


def card_authors(scan: AuthorScan) -> Iterator[RawNames]:
    """The "Written by" pair of a link preview card (twitter:label1 / twitter:data1).

    SEO plugins fill it from the account that posted, even where the theme prints no byline;
    that account is at times an editor's, so a printed byline comes first.
    """
    for slot in CARD_SLOTS:
        label = scan.page.meta_first(f"twitter:label{slot}")
        if label and CARD_AUTHOR_LABEL.match(label):
            name = scan.page.meta_first(f"twitter:data{slot}")
            if name:
                yield [name]
            return


def last_resort_meta(scan: AuthorScan) -> Iterator[RawNames]:
    for name in LAST_RESORT_META:
        values = [v for v in scan.page.meta.get(name, ()) if looks_like_name(clean_text(v))]
        if values:
            yield values


def description_credit(scan: AuthorScan) -> Iterator[RawNames]:
    description = scan.page.meta_first("description", "og:description") or ""
    credit = DESCRIPTION_CREDIT.match(description)
    if credit:
        # The name ends at a comma (the person's job follows) or a full stop (not "Dr.").
        yield [CREDIT_END.split(description[credit.end() :])[0]]


def profile_url_names(scan: AuthorScan) -> Iterator[RawNames]:
    """ "https://example.com/author/jane-doe" as the declared author: the profile's name slug,
    when no source names the author in words."""
    for name in META_AUTHOR_NAMES:
        names = [_slug_name(value) for value in scan.page.meta.get(name, ())]
        if any(names):
            yield [name for name in names if name]
            return


def _slug_name(url: str) -> str:
    match = PROFILE_SLUG.match(url.strip())
    words = match.group(1).split("-") if match else []
    return " ".join(word.capitalize() for word in words if not word.isdigit())


# --- printed sources (byline_markup) ---------------------------------------------------


def by_lines_near_headline(scan: AuthorScan) -> Iterator[RawNames]:
    yield from scan.markup().by_lines_near_headline()


def by_lines_on_page(scan: AuthorScan) -> Iterator[RawNames]:
    yield from scan.labels().by_lines()


def avatar_bylines(scan: AuthorScan) -> Iterator[RawNames]:
    yield from avatar_names(scan.markup())


def thread_starters(scan: AuthorScan) -> Iterator[RawNames]:
    yield from scan.labels().thread_starters()


def printed_bylines(scan: AuthorScan) -> Iterator[RawNames]:
    yield from scan.markup().printed_names()


AuthorSource = Callable[[AuthorScan], Iterator[RawNames]]

# The cascade, in order of trust.
AUTHOR_SOURCES: tuple[AuthorSource, ...] = (
    jsonld_authors,
    meta_authors,
    printed_bylines,
    by_lines_near_headline,
    avatar_bylines,
    thread_starters,
    by_lines_on_page,
    card_authors,
    last_resort_meta,
    description_credit,
    profile_url_names,
)
# A lone word the page declares ("Editors") still gives way to a full name declared in another
# tag (readers of Dublin Core put dc.creator before author); a printed one is taken as it is.
DECLARED_SOURCES = frozenset({jsonld_authors, meta_authors})
# Sources that name an account as the author on purpose: a user name with digits is kept.
ACCOUNT_SOURCES = DECLARED_SOURCES | {thread_starters}
