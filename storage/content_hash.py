"""The content hash: what a reader would call "the same text", as one digest.

A re-fetch must not look like an edit because a template changed a quote style, a CMS
re-flowed white space or inserted a zero-width joiner, or because a "5 hours ago" label or a
view counter leaked into the text. So the hash covers the words a newsroom writes (headline,
standfirst, authors, body, captions), folded for such noise, and never dates or page chrome:
dates have their own rule in the store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable

from parsers.record import ArticleRecord

# Removed outright: zero-width characters, soft hyphens, word joiners, byte-order marks
# and bidirectional controls.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" + (
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Typographic variants a CMS swaps for each other (WordPress's wptexturize, smart quotes).
TYPOGRAPHY = {
    **dict.fromkeys("‘’‚‛′`´ʼ", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    "…": "...",
}
_FOLDED = {**dict.fromkeys(INVISIBLE, ""), **TYPOGRAPHY}
# One regex pass over the few characters to fold: far cheaper than str.translate with a
# dict, which looks up every character of the text.
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLDED)) + "]")
_ASCII_FOLDED = {char: folded for char, folded in _FOLDED.items() if char.isascii()}

# "1,234", "1 234", "1.2", "12K": digit groups, not any run of numbers and spaces.
_NUMBER = r"(?:\d{1,3}(?:[,.\u202f ]\d{3})+|\d+(?:[.,]\d+)?)\s*[kKmM]?\+?"
_AMOUNT = rf"(?:{_NUMBER}|an?|one|un|une|ein|eine|bir)"
_UNITS = {
    "en": r"(?:sec(?:ond)?|min(?:ute)?|h(?:ou)?r|day|week|month|year)s?",
    "fr": r"(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?|années?)",
    "de": r"(?:Sekunden?|Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)",
    "tr": r"(?:saniye|dakika|saat|gün|hafta|ay|yıl)",
    "uk": r"(?:секунд[уи]?|хвилин[уи]?|годин[уи]?|д(?:ень|ні|нів)|тижд(?:ень|ні|нів)"
    r"|місяц(?:ь|і|ів)|рок(?:и|ів)?|років)",
    "ru": r"(?:секунд[уы]?|минут[уы]?|час(?:а|ов)?|д(?:ень|ня|ней)|недел[юиь]"
    r"|месяц(?:а|ев)?|год(?:а)?|лет)",
}
_COUNTED = (
    r"(?:views?|reads?|shares?|comments?|vues?|lectures?|görüntülenme|переглядів"
    r"|просмотр(?:ов|а)?)"
)
_COUNTER_CUES = (
    *("view", "read", "share", "comment", "vue", "lecture", "görüntülenme"),
    *("перегляд", "просмотр"),
)
_COUNTER_CONFIRM = re.compile(rf"\d\s*[kKmM\u212a]?\+?\s*{_COUNTED}(?!\w)", re.IGNORECASE)
# Whether a pattern can match the text as it stands (given lower-cased too).
Confirm = Callable[[str, str], object]


def _searched(pattern: re.Pattern[str]) -> Confirm:
    return lambda text, _lowered: pattern.search(text)


def _number_before_a_counter(text: str, lowered: str) -> bool:
    """Whether a counted word ("views", ...) follows `\\d\\s*[km]?\\+?\\s*` (what the first
    counter pattern's matches contain): a few `str.find` calls and a step back from each hit,
    where a regex scan starting with `\\d` tries every position of the text (a third of the
    hash's time on a long body with digits in it)."""
    if "\u0131" in lowered or "\u0307" in lowered:  # ı, İ: "i" to the regex's case folding only
        return _COUNTER_CONFIRM.search(text) is not None
    for word in _COUNTER_CUES:
        at = lowered.find(word)
        while at != -1:
            if _number_ends_at(lowered, at):
                return True
            at = lowered.find(word, at + 1)
    return False


def _number_ends_at(lowered: str, end: int) -> bool:
    at = _before_spaces(lowered, end)
    if at and lowered[at - 1] == "+":
        at -= 1
    if at and lowered[at - 1] in "km":  # K, k, M, m and the Kelvin sign, lower-cased
        at -= 1
    at = _before_spaces(lowered, at)
    return bool(at) and lowered[at - 1].isdecimal()  # `\d`: Unicode decimal digits


def _before_spaces(text: str, end: int) -> int:
    while end and text[end - 1].isspace():  # `\s` is `str.isspace` (Py_UNICODE_ISSPACE)
        end -= 1
    return end


# Each pattern with the lower-case cues one of which its matches contain, and (or None) a
# cheap test every match passes. Most texts have no cue and a substring test is far cheaper
# than a regex scan; the confirming test (of the text as it stands then) spares a full scan
# when a cue is only part of a longer word ("already", "spread"). Both only skip patterns
# that cannot match: the text comes out exactly as if every pattern ran.
NOISE: list[tuple[tuple[str, ...], Confirm | None, re.Pattern[str]]] = [
    # "5 hours ago", "il y a 3 heures", "vor 2 Tagen", "3 saat önce", "2 години тому", "just now"
    (
        ("ago",),
        _searched(re.compile(r"\sago\b", re.IGNORECASE)),
        re.compile(rf"\b{_AMOUNT}\s+{_UNITS['en']}\s+ago\b", re.IGNORECASE),
    ),
    (
        ("just now", "moment"),
        None,
        re.compile(r"\b(?:just now|moments? ago|a moment ago)\b", re.IGNORECASE),
    ),
    (
        ("il y a",),
        None,
        re.compile(rf"\bil y a\s+{_AMOUNT}\s+{_UNITS['fr']}(?!\w)", re.IGNORECASE),
    ),
    (("vor",), None, re.compile(rf"\bvor\s+{_AMOUNT}\s+{_UNITS['de']}\b", re.IGNORECASE)),
    (
        ("önce",),
        _searched(re.compile(r"\sönce\b", re.IGNORECASE)),
        re.compile(rf"\b{_AMOUNT}\s+{_UNITS['tr']}\s+önce\b", re.IGNORECASE),
    ),
    (
        ("тому",),
        _searched(re.compile(r"\sтому(?!\w)", re.IGNORECASE)),
        re.compile(rf"(?<!\w){_NUMBER}\s+{_UNITS['uk']}\s+тому(?!\w)", re.IGNORECASE),
    ),
    (
        ("назад",),
        _searched(re.compile(r"\sназад(?!\w)", re.IGNORECASE)),
        re.compile(rf"(?<!\w){_NUMBER}\s+{_UNITS['ru']}\s+назад(?!\w)", re.IGNORECASE),
    ),
    # "1,234 views", "12K reads", "Views: 1,234", "👁 1234"
    (
        _COUNTER_CUES,
        # The number's last digit, its suffix and the counted word (\u212a, the Kelvin sign,
        # is a "k" to IGNORECASE).
        _number_before_a_counter,
        re.compile(rf"(?<!\w){_NUMBER}\s*{_COUNTED}(?!\w)", re.IGNORECASE),
    ),
    (
        _COUNTER_CUES,
        _searched(re.compile(r":\s*\d")),
        re.compile(rf"(?<!\w){_COUNTED}\s*:\s*{_NUMBER}(?!\w)", re.IGNORECASE),
    ),
    (("👁",), None, re.compile(rf"👁\ufe0f?\s*{_NUMBER}")),
]
_CUES = frozenset(cue for cues, _, _ in NOISE for cue in cues)
_SEPARATOR = "\x1f"


def normalize_text(text: str | None) -> str:
    """The text as the hash sees it: NFKC (no-break spaces become spaces), noise removed."""
    if not text:
        return ""
    folded = _folded(text)
    lowered = folded.lower()
    present = {cue for cue in _CUES if cue in lowered}  # one substring test per cue
    for cues, confirm, pattern in NOISE if present else ():
        if present.isdisjoint(cues) or (confirm is not None and not confirm(folded, lowered)):
            continue
        removed = pattern.sub(" ", folded)
        if removed is not folded:  # the next confirms test the text as it stands now
            folded, lowered = removed, removed.lower()
    # Runs of white space to one space, none at the ends: str.split() and regex \s agree on
    # what white space is (Py_UNICODE_ISSPACE), and the split is several times faster.
    return " ".join(folded.split())


def _folded(text: str) -> str:
    if text.isascii():  # NFKC changes no ASCII text; only the backtick folds
        for char, folded in _ASCII_FOLDED.items():
            text = text.replace(char, folded)
        return text
    normalized = unicodedata.normalize("NFKC", text)
    return _FOLDABLE.sub(lambda match: _FOLDED[match.group()], normalized)


def content_hash(record: ArticleRecord) -> str:
    """SHA-256 (hex) of the record's normalized words; equal for cosmetically equal records."""
    sections = (
        ("headline", [record.headline]),
        ("standfirst", [record.standfirst]),
        ("authors", list(record.authors)),
        ("body", [" ".join(record.body)]),
        ("captions", [image.caption for image in record.images]),
    )
    digest = hashlib.sha256()
    for name, texts in sections:
        digest.update(f"{name}:{_joined(texts)}{_SEPARATOR}".encode())
    return digest.hexdigest()


def _joined(texts: Iterable[str | None]) -> str:
    return _SEPARATOR.join(filter(None, (normalize_text(text) for text in texts)))
