"""Turn raw byline strings into clean author names.

Bylines arrive as "By JANE DOE and John Roe | Staff Writer | May 2, 2024": the prefix, roles,
dates and joiners are page dressing, not names. Every vocabulary is data at the top so a
new language is one line; job titles and affiliations live in author_roles.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from parsers.extract.author_roles import (
    ROLE_HEAD,
    ROLE_TAIL,
    ROLE_WORDS,
    ROLES,
    is_role,
    strip_affiliation,
)
from parsers.extract.page import clean_text

MAX_NAMES = 12
MAX_NAME_CHARS = 70
MAX_NAME_WORDS = 7
MAX_LOWER_CASE_WORDS = 3
PLAIN_NAME_WORDS = 4

# Words that introduce a byline, in the languages the archive meets (longest first).
BYLINE_PREFIXES = (
    r"view all (?:posts|articles|stories) by",
    r"(?:see )?more (?:posts |articles |stories )?(?:by|from)",
    r"all (?:posts|articles|stories) by",
    r"(?:posts|articles|stories) by",
    r"(?:written|posted|published|authored|reported|compiled|report|story|words|text|"
    r"article|researched|created|submitted|contributed) by",
    r"guest (?:post|author) by",
    r"(?:insights|articles|posts|more) from",
    r"follow",
    r"meet",
    r"about",
    r"contact",
    r"by",
    r"authors?",
    r"contributors?",
    r"byline",
    r"writers?",
    r"posted",
    r"par",
    r"por",
    r"door",
    r"autor(?:in|es)?",
    r"auteur",
    r"作者",
    r"著者",
    r"автор(?:ы)?",
    r"текст",
    r"від",
)
PREFIX_PATTERN = re.compile(
    r"^(?:" + "|".join(BYLINE_PREFIXES) + r")(?:\s*[:\-–—]\s*|\s+)", re.IGNORECASE
)
# A byline's label standing alone ("著者", "Autor:"): the name is in the next element.
LABEL_ONLY = re.compile(r"^(?:" + "|".join(BYLINE_PREFIXES) + r")\W*$", re.IGNORECASE)
# Prefixes that are also surname particles ("Von Hoff"): stripped only before a full name.
PARTICLE_PREFIX = re.compile(r"^(?:von|di|da|av|af|from)\s+(?=\S+\s+\S)", re.IGNORECASE)
# "Posted on May 2 by Jane Doe": the name follows the last "by".
INNER_BY = re.compile(r"^.*\bby\s+(?=\S)", re.IGNORECASE)

# Credits for work other than the writing: the names after them are not the article's authors
# ("By Ysabel Yates Illustration by Claire Lordon", "Fact-checked by Frank Bass"), unless the
# writer shares them ("Words and photos by Jane Doe"). Cut to the end of the text: the credited
# person's job follows ("Reviewed by Jo Roe | Expert Reviewer"), and is no name either.
OTHER_CREDIT = re.compile(
    r"(?<!and )(?<!& )\b(?:illustrat(?:ion|ions|ed)|photo(?:graph)?s?|photography|video|"
    r"graphics?|design|animation|fact[- ]?check(?:ed|ing)?|edited|"
    r"(?:medically |expertly )?reviewed|translat(?:ed|ion)|produced|additional reporting)"
    r"\s+by\b.*",
    re.IGNORECASE | re.DOTALL,
)

# Segments of one byline: "Name | Role | Date", "Name • Date", "Date · Name".
DOTS = ("·", "•")
SEGMENT_SEPARATORS = re.compile(r"\s*(?:\||•|·|\s[-–—@]\s|/\s|\n)\s*")
# Joiners between several names: "A, B & C", "A und B", "A et B", "A и B".
NAME_JOINERS = re.compile(
    r"\s*(?:[,;&+]|\band\b|\bund\b|\bet\b|\bog\b|\bи\b|\bта\b|\bі\b)\s*"
    r"|\s+(?-i:y|e|i|en|och|ja)\s+",
    re.IGNORECASE,
)
# "Center for Drug Evaluation and Research": an organisation's "and" joins no two names.
ORGANISATION_WORDS = re.compile(r"\s(?:of|for|the|für)\s")
ORGANISATION_JOINERS = re.compile(r"\s*[,;]\s*")
# "Mac & i", "Q & A": an ampersand beside a single letter names one title, not two people.
SHORT_AMPERSAND_TERM = re.compile(r"(?:^|\s)\w\s*&|&\s*\w(?:\s|$)")
LOWER_JOINERS = re.compile(r"\b(?:and|und|et|y|e|i|og|en)\b")
# Credentials after a comma ("Jane Doe, MD, PhD"): dropped rather than read as a name.
CREDENTIAL = re.compile(
    r"^(?:(?:ph\.?\s?d|m\.?d|d\.?o|r\.?d|r\.?n|m\.?s|m\.?sc|b\.?sc|m\.?a|b\.?a|mba|mph|"
    r"m\.?p\.?h|cfp|cpa|cfa|dvm|vmd|dds|dmd|pharmd|edd|llm|jd|esq|facp|fand|rdn|ldn|"
    r"cscs|ibclc|e-ryt|ryt)\.?|[\d®]+)(?:[\s,]+|$)",
    re.IGNORECASE,
)
# Any short capitals read as a credential too, unless the whole byline is in capitals.
CAPITALS_CREDENTIAL = re.compile(r"^[A-Z][A-Z.®]{1,6}(?:[\s,]+|$)")
# "Editors, USA TODAY": several capitals words, one of them long, name an organisation.
ORGANISATION_IN_CAPITALS = re.compile(r"^(?=.*[A-Z]{4})[A-Z]+(?:\s+[A-Z]+)+$")
GENERATIONAL = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)
# Wire services and agencies: all-caps but never credentials, always kept.
AGENCIES = frozenset(
    {"ap", "afp", "ani", "ians", "pti", "upi", "dpa", "ansa", "efe", "apa", "tass", "bbc",
     "cnn", "nbc", "abc", "cbs", "npr", "ria", "unn", "ukrinform"}
)  # fmt: skip

EMAIL = re.compile(r"\S+@\S+\.\w+")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
MONTH_WORDS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
     "sept", "oct", "nov", "dec"}
)  # fmt: skip
DATE = re.compile(
    r"\b(?:updated|published|posted|last updated|modified)?\s*(?:on|:)?\s*"
    r"(?:(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTHS + r")\.?,?\s+\d{2,4}"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
    r"|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)\b.*$",
    re.IGNORECASE,
)
NO_YEAR_DATE = re.compile(
    r"\s+on\s+(?:" + MONTHS + r")\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?)?$", re.IGNORECASE
)
WEEKDAY = re.compile(r"\s+(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b.*$", re.IGNORECASE)
OTHERS = re.compile(r"\s*(?:,\s*)?(?:and|\+|&)\s*\d+\s+(?:others?|more)\b.*$", re.IGNORECASE)
FOLD = re.compile(r"[\W_]+")
# Characters no name contains: handles, e-mail addresses, URLs, labels, markup.
NOT_IN_NAMES = frozenset("@/:<>{}=|")
EDGE_PUNCTUATION = " \t,;:|•·-–—/\\\"'“”‘’«»()[]{}*：、"

# Lower-case words allowed inside a name ("Alejandro de la Garza", "Center for ...").
NAME_PARTICLES = frozenset(
    {"de", "la", "le", "du", "des", "da", "das", "do", "dos", "di", "del", "della", "van",
     "der", "den", "von", "zu", "ter", "ten", "bin", "binti", "al", "el", "ibn", "y", "of",
     "the", "for", "and", "st", "mc", "op", "lo", "e"}
)  # fmt: skip
SURNAME_PARTICLES = NAME_PARTICLES - {"y", "of", "the", "for", "and", "st", "mc", "op", "lo", "e"}
# Values that are page chrome, never a byline.
NOT_NAMES = frozenset(
    {"by", "author", "authors", "admin", "administrator", "written by", "posted by", "share",
     "unknown", "anonymous", "null", "none", "undefined", "follow", "email", "twitter",
     "facebook", "linkedin", "instagram", "more", "view profile", "read more", "bio",
     "about the author", "home", "guest", "user", "editor", "staff writer", "contributor",
     "contributors", "writer", "writers",
     # Template placeholders and account labels left in meta tags and profile widgets.
     "creator", "default", "content", "member", "participant", "posts", "your name", "name"}
)  # fmt: skip


# Single words that are page chrome around a byline, never a user name.
COMMON_WORDS = frozenset(
    {"on", "at", "in", "the", "and", "of", "for", "from", "with", "posted", "published",
     "updated", "written", "minutes", "min", "read", "share", "print", "comments", "about",
     "more", "view", "profile", "team", "blog", "news", "home", "all", "post", "article",
     "latest", "follow", "contact", "website", "twitter", "facebook", "linkedin", "instagram",
     "youtube", "x", "rss", "subscribe", "by", "reviewed", "edited", "last",
     "update", "date", "time", "today", "yesterday", "admin", "author", "authors",
     "lesedauer", "minuten", "notes", "deleted", "guidelines", "insights", "full", "bio",
     "login", "log", "sign", "connect", "directly", "comment", "now"}
)  # fmt: skip


CHROME_WORDS = COMMON_WORDS | NAME_PARTICLES
# Words that send even a plainly written name through the full cleaning.
PLAIN_NAME_STOPS = (
    COMMON_WORDS
    | frozenset(
        word for phrase in (*ROLES, *BYLINE_PREFIXES) for word in re.findall(r"[^\W\d_]+", phrase)
    )
    | MONTH_WORDS
    | {"von", "par", "di", "da", "av", "af"}
)
MONTH_ONLY = re.compile(
    r"^(?:" + MONTHS + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?$", re.IGNORECASE
)
# Words a byline's name never ends with: "David at", "Insights from", Chinese "posted in".
TRAILING_CONNECTORS = frozenset(
    {"at", "from", "by", "in", "on", "and", "of", "with", "for", "the"}
    | {"發表在", "发表在", "發表於", "发表于", "發佈於", "发布于"}
)


def clean_author_names(values: Iterable[str]) -> tuple[str, ...]:
    """Names found in raw byline strings, de-duplicated case-insensitively, in order."""
    names: dict[str, str] = {}
    for value in values:
        for name in split_byline(value):
            key = name.casefold()
            if key not in names:
                names[key] = name
    return tuple(names.values())[:MAX_NAMES]


def split_byline(value: str) -> list[str]:
    """The names of one byline: the first segment that yields any, split at joiners."""
    if _is_plain_name(value):
        return [value]
    text = _strip_noise(OTHER_CREDIT.sub("", value))
    label: list[str] = []
    dotted = False
    for segment in SEGMENT_SEPARATORS.split(text):
        names = _names_in_segment(segment)
        if not names:
            continue
        if not label:
            if not _is_label(names, segment, text):
                return names
            label, dotted = names, text[len(segment) :].lstrip().startswith(DOTS)
            continue
        if any(" " in name for name in names) and (dotted or PREFIX_PATTERN.match(segment)):
            return names
    return label


def _is_label(names: list[str], segment: str, text: str) -> bool:
    """ "Politics · Jane Doe", "Guide | By Jane Doe": a lone word before a byline is the section.
    After a dot the next full name is the byline; after a bar only one that says "By"."""
    return len(names) == 1 and " " not in names[0] and text.startswith(segment)


def fold_name(name: str) -> str:
    """Case, spaces and punctuation folded away: "The Example-News" == "theexamplenews"."""
    return FOLD.sub("", name.casefold())


def _is_plain_name(value: str) -> bool:
    """ "Jane Doe" as most JSON-LD and meta tags give it: nothing to clean (the fast path)."""
    words = value.split(" ")
    if not 2 <= len(words) <= PLAIN_NAME_WORDS:
        return False
    for word in words:
        if word in SURNAME_PARTICLES:
            continue
        if not (word[:1].isupper() and word[1:].isalpha() and word[1:].islower()):
            return False
        if word.casefold() in PLAIN_NAME_STOPS:
            return False
    return True


def looks_like_name(value: str) -> bool:
    """Short, lettered, not a sentence, a URL or a handle."""
    if not value or len(value) > MAX_NAME_CHARS or NOT_IN_NAMES.intersection(value):
        return False
    if any(ch.isdigit() for ch in value) or "www." in value:
        return False
    words = value.split()
    if len(words) > MAX_NAME_WORDS or not any(ch.isalpha() for ch in value):
        return False
    if value.casefold() in NOT_NAMES or LABEL_ONLY.match(value):
        return False
    if len(words) == 1 and len(value) < 3 and value.isascii():
        return False
    if all(w.casefold().strip(".:") in CHROME_WORDS for w in words):
        return False
    if len(words) == 1 and MONTH_ONLY.match(value):
        return False
    if value.islower():
        return len(words) <= MAX_LOWER_CASE_WORDS and not CHROME_WORDS.intersection(words)
    lower = [w for w in words if w[0].islower() and w.casefold() not in NAME_PARTICLES]
    return len(lower) < 2


def _strip_noise(value: str) -> str:
    text = clean_text(html.unescape(value) if "&" in value else value)
    if "@" in text or "/" in text:
        text = EMAIL.sub(" ", URL.sub(" ", text))
    if "(" in text or "[" in text:
        text = PARENTHESES.sub(" ", text)
    if any(ch.isdigit() for ch in text):
        text = OTHERS.sub("", text)
    return clean_text(text)


def _names_in_segment(segment: str) -> list[str]:
    text = _strip_prefix(segment.strip(EDGE_PUNCTUATION))
    if any(ch.isdigit() for ch in text):
        text = DATE.sub("", text)
    text = NO_YEAR_DATE.sub("", WEEKDAY.sub("", text)).strip(EDGE_PUNCTUATION)
    text = strip_affiliation(text)
    names: list[str] = []
    shouting = LOWER_JOINERS.sub(" ", text).isupper()
    joiners = NAME_JOINERS
    if ORGANISATION_WORDS.search(text) or SHORT_AMPERSAND_TERM.search(text):
        joiners = ORGANISATION_JOINERS
    parts = [part for part in joiners.split(_without_role_clauses(text)) if part.strip()]
    if len(parts) > 1 and all(ROLE_WORDS.search(part) for part in parts):
        return []  # "Marketing and Event Coordinator": one job, not two people
    for index, part in enumerate(parts):
        part = part.strip(EDGE_PUNCTUATION)
        if not part:
            continue
        if index > 0 and names and GENERATIONAL.match(part):
            names[-1] = f"{names[-1]} {part}"
            continue
        if index > 0 and (_is_credential(part, shouting) or is_role(part)):
            continue
        name = _clean_name(part)
        if name:
            names.append(name)
    people = [name for name in names if name.casefold() not in AGENCIES]
    return people or names


def _without_role_clauses(text: str) -> str:
    """ "Brett Cruz, Privacy and Digital Security Expert": a comma clause that ends in a job
    goes whole, before "and" would split "Privacy" off it as a second name. ("Jane Doe,
    Marketing Director and John Roe" ends in a name, and keeps it.)"""
    if "," not in text:
        return text
    first, *clauses = text.split(",")
    return ",".join([first, *(clause for clause in clauses if not _ends_in_role(clause))])


def _ends_in_role(clause: str) -> bool:
    parts = [part for part in NAME_JOINERS.split(clause) if part.strip()]
    return bool(parts) and is_role(parts[-1].strip())


def _strip_prefix(text: str) -> str:
    if "by" in text.lower():
        text = INNER_BY.sub("", text, count=1)
    for _ in range(3):
        stripped = PREFIX_PATTERN.sub("", text, count=1)
        stripped = PARTICLE_PREFIX.sub("", stripped, count=1).strip(EDGE_PUNCTUATION)
        if stripped == text:
            break
        text = stripped
    return text


def _is_credential(part: str, shouting: bool) -> bool:
    if part.casefold() in AGENCIES or ORGANISATION_IN_CAPITALS.match(part):
        return False
    rest = part
    while rest:
        match = CREDENTIAL.match(rest) or (not shouting and CAPITALS_CREDENTIAL.match(rest))
        if not match:
            return False
        rest = rest[match.end() :]
    return True


def _clean_name(part: str) -> str | None:
    name = _strip_prefix(part)
    without_role = ROLE_TAIL.sub("", name).strip(EDGE_PUNCTUATION)
    if without_role:
        name = without_role
    without_role = ROLE_HEAD.sub("", name).strip(EDGE_PUNCTUATION)
    if without_role and looks_like_name(without_role):
        name = without_role
    words = [word for word in name.split() if not any(ch.isdigit() for ch in word)]
    while len(words) > 2 and CREDENTIAL.fullmatch(words[-1].rstrip(",")):
        words.pop()
    while len(words) > 1 and words[-1] in TRAILING_CONNECTORS:
        words.pop()
    if len(words) > 2 and _is_initials_of(words[0], words[1:]):
        words.pop(0)
    name = " ".join(words).strip(EDGE_PUNCTUATION)
    if not looks_like_name(name):
        return None
    return _fix_case(name)


def _is_initials_of(first: str, rest: list[str]) -> bool:
    """An avatar's initials printed before the name: "JD Jane Doe"."""
    initials = "".join(word[0] for word in rest if word[:1].isupper())
    return first.isupper() and 2 <= len(first) <= 3 and first == initials[: len(first)]


def _fix_case(name: str) -> str:
    """Title-case shouted names; keep acronyms ("AFP") and mixed case ("McDonald") as given."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters):
        return name
    if " " not in name and len(letters) <= 4:
        return name
    return " ".join(_title_word(word) for word in name.split())


def _title_word(word: str) -> str:
    if word.casefold() in AGENCIES:
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)
