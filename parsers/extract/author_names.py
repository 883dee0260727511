"""Turn raw byline strings into clean author names.

Bylines arrive as "By JANE DOE and John Roe | Staff Writer | May 2, 2024": the prefix, roles,
dates and joiners are page dressing, not names. Every vocabulary is data at the top so a
new language or role is one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parsers.extract.page import clean_text

MAX_NAMES = 12
MAX_NAME_CHARS = 70
MAX_NAME_WORDS = 7

# Words that introduce a byline, in the languages the archive meets (longest first).
BYLINE_PREFIXES = (
    r"view all (?:posts|articles|stories) by",
    r"(?:see )?more (?:posts |articles |stories )?(?:by|from)",
    r"all (?:posts|articles|stories) by",
    r"(?:posts|articles|stories) by",
    r"(?:written|posted|published|authored|reported|compiled|report|story|words|text|"
    r"article|researched|created|submitted|contributed) by",
    r"guest (?:post|author) by",
    r"by",
    r"authors?",
    r"byline",
    r"writers?",
    r"posted",
    r"par",
    r"por",
    r"door",
    r"autor(?:in|es)?",
    r"auteur",
    r"автор(?:ы)?",
    r"текст",
    r"від",
)
PREFIX_PATTERN = re.compile(
    r"^(?:" + "|".join(BYLINE_PREFIXES) + r")(?:\s*[:\-–—]\s*|\s+)", re.IGNORECASE
)
# Prefixes that are also surname particles ("Von Hoff"): stripped only before a full name.
PARTICLE_PREFIX = re.compile(r"^(?:von|di|da|av|af|from)\s+(?=\S+\s+\S)", re.IGNORECASE)
# "Posted on May 2 by Jane Doe": the name follows the last "by".
INNER_BY = re.compile(r"^.*\bby\s+(?=\S)", re.IGNORECASE)

# Job titles printed after (or before) a name; stripped when a name remains.
ROLES = (
    "staff writer", "staff reporter", "staff correspondent", "senior writer", "senior reporter",
    "senior editor", "senior correspondent", "chief correspondent", "correspondent",
    "contributing writer", "contributing editor", "contributor", "guest contributor",
    "guest author", "guest writer", "freelance writer", "freelance journalist", "columnist",
    "editor-in-chief", "editor in chief", "managing editor", "news editor", "deputy editor",
    "associate editor", "assistant editor", "executive editor", "digital editor", "editor",
    "reporter", "journalist", "writer", "author", "photographer", "special correspondent",
    "special to", "correspondant", "rédacteur", "redakteur", "redakteurin",
    "корреспондент", "кореспондент",
)  # fmt: skip
ROLE_TAIL = re.compile(
    r"(?:,|\s[-–—]|\s)\s*(?:(?:senior|chief|lead|deputy|national|political|foreign|"
    r"defen[cs]e|security|military|business|tech(?:nology)?|science|sports?|health|"
    r"investigative|associate|assistant|contributing)\s+)*(?:"
    + "|".join(re.escape(role) for role in ROLES)
    + r")\b.*$",
    re.IGNORECASE,
)
ROLE_HEAD = re.compile(
    r"^(?:(?:senior|chief|lead|guest|staff|contributing)\s+)*(?:"
    + "|".join(re.escape(role) for role in ROLES)
    + r")\s+(?=\S)",
    re.IGNORECASE,
)
# "John Roe for The Times", "with additional reporting by ...", "on behalf of ...".
AFFILIATION_TAIL = re.compile(
    r"\s+(?:for|special to|reporting from|on behalf of|in|at)\s+(?:the\s+)?[A-Z\u0400-\u04ff].*$"
    r"|\s*[,;]?\s*(?:with\s+)?(?:additional|further)\s+reporting\b.*$"
    r"|\s+on behalf of\b.*$",
)

# Segments of one byline: "Name | Role | Date", "Name • Date", "Date · Name".
SEGMENT_SEPARATORS = re.compile(r"\s*(?:\||•|·|\s[-–—]\s|/\s|\n)\s*")
# Joiners between several names: "A, B & C", "A und B", "A et B", "A и B".
NAME_JOINERS = re.compile(
    r"\s*(?:[,;&+]|\band\b|\bund\b|\bet\b|\bog\b|\bи\b|\bта\b|\bі\b)\s*"
    r"|\s+(?-i:y|e|i|en|och|ja)\s+",
    re.IGNORECASE,
)
# Credentials after a comma ("Jane Doe, MD, PhD"): dropped rather than read as a name.
CREDENTIAL = re.compile(
    r"^(?:(?:ph\.?\s?d|m\.?d|d\.?o|r\.?d|r\.?n|m\.?s|m\.?sc|b\.?sc|m\.?a|b\.?a|mba|mph|"
    r"m\.?p\.?h|cfp|cpa|cfa|dvm|vmd|dds|dmd|pharmd|edd|llm|jd|esq|facp|fand|rdn|ldn|"
    r"cscs|ibclc|e-ryt|ryt)\.?|[A-Z][A-Z.®]{1,6}|[\d®]+)(?:[\s,]+|$)",
    re.IGNORECASE,
)
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
DATE = re.compile(
    r"\b(?:updated|published|posted|last updated|modified)?\s*(?:on|:)?\s*"
    r"(?:(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:" + MONTHS + r")\.?,?\s+\d{2,4}"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
    r"|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)\b.*$",
    re.IGNORECASE,
)
OTHERS = re.compile(r"\s*(?:,\s*)?(?:and|\+|&)\s*\d+\s+(?:others?|more)\b.*$", re.IGNORECASE)
HANDLE = re.compile(r"^@\w")
EDGE_PUNCTUATION = " \t,;:|•·-–—/\\\"'“”‘’«»()[]{}*"

# Lower-case words allowed inside a name ("Alejandro de la Garza", "Center for ...").
NAME_PARTICLES = frozenset(
    {"de", "la", "le", "du", "des", "da", "das", "do", "dos", "di", "del", "della", "van",
     "der", "den", "von", "zu", "ter", "ten", "bin", "binti", "al", "el", "ibn", "y", "of",
     "the", "for", "and", "st", "mc", "op", "lo", "e"}
)  # fmt: skip
# Values that are page chrome, never a byline.
NOT_NAMES = frozenset(
    {"by", "author", "authors", "admin", "administrator", "written by", "posted by", "share",
     "unknown", "anonymous", "null", "none", "undefined", "follow", "email", "twitter",
     "facebook", "linkedin", "instagram", "more", "view profile", "read more", "bio",
     "about the author", "home", "guest", "user", "editor", "staff writer", "contributor"}
)  # fmt: skip


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
    text = _strip_noise(value)
    for segment in SEGMENT_SEPARATORS.split(text):
        names = _names_in_segment(segment)
        if names:
            return names
    return []


def looks_like_name(value: str) -> bool:
    """Short, lettered, not a sentence, a URL or a handle."""
    if not value or len(value) > MAX_NAME_CHARS or HANDLE.match(value):
        return False
    if URL.search(value) or EMAIL.search(value) or any(ch.isdigit() for ch in value):
        return False
    words = value.split()
    if len(words) > MAX_NAME_WORDS or not any(ch.isalpha() for ch in value):
        return False
    if value.casefold() in NOT_NAMES:
        return False
    lower = [w for w in words if w[0].islower() and w.casefold() not in NAME_PARTICLES]
    return len(lower) < 2 and not (len(words) > 1 and len(lower) == len(words))


def _strip_noise(value: str) -> str:
    text = clean_text(value)
    text = PARENTHESES.sub(" ", EMAIL.sub(" ", URL.sub(" ", text)))
    text = OTHERS.sub("", text)
    return clean_text(text)


def _names_in_segment(segment: str) -> list[str]:
    text = _strip_prefix(segment.strip(EDGE_PUNCTUATION))
    text = DATE.sub("", text).strip(EDGE_PUNCTUATION)
    text = AFFILIATION_TAIL.sub("", text)
    names: list[str] = []
    for index, part in enumerate(NAME_JOINERS.split(text)):
        part = part.strip(EDGE_PUNCTUATION)
        if not part:
            continue
        if index > 0 and names and GENERATIONAL.match(part):
            names[-1] = f"{names[-1]} {part}"
            continue
        if index > 0 and _is_credential(part):
            continue
        name = _clean_name(part)
        if name:
            names.append(name)
    return names


def _strip_prefix(text: str) -> str:
    text = INNER_BY.sub("", text, count=1)
    for _ in range(3):
        stripped = PREFIX_PATTERN.sub("", text, count=1)
        stripped = PARTICLE_PREFIX.sub("", stripped, count=1).strip(EDGE_PUNCTUATION)
        if stripped == text:
            break
        text = stripped
    return text


def _is_credential(part: str) -> bool:
    if part.casefold() in AGENCIES:
        return False
    rest = part
    while rest:
        match = CREDENTIAL.match(rest)
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
    name = " ".join(word for word in name.split() if not any(ch.isdigit() for ch in word))
    name = name.strip(EDGE_PUNCTUATION)
    if not looks_like_name(name):
        return None
    return _fix_case(name)


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
