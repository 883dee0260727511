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
from collections.abc import Iterable

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
# Each pattern with the lower-case cues one of which its matches contain, and (or None) a
# cheap regex every match also contains. Most texts have no cue and a substring test is far
# cheaper than a regex scan; the confirming regex (searched in the text as it stands then)
# spares a full scan when a cue is only part of a longer word ("already", "spread"). Both
# only skip patterns that cannot match: the text comes out exactly as if every pattern ran.
NOISE: list[tuple[tuple[str, ...], re.Pattern[str] | None, re.Pattern[str]]] = [
    # "5 hours ago", "il y a 3 heures", "vor 2 Tagen", "3 saat önce", "2 години тому", "just now"
    (
        ("ago",),
        re.compile(r"\sago\b", re.IGNORECASE),
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
        re.compile(r"\sönce\b", re.IGNORECASE),
        re.compile(rf"\b{_AMOUNT}\s+{_UNITS['tr']}\s+önce\b", re.IGNORECASE),
    ),
    (
        ("тому",),
        re.compile(r"\sтому(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w){_NUMBER}\s+{_UNITS['uk']}\s+тому(?!\w)", re.IGNORECASE),
    ),
    (
        ("назад",),
        re.compile(r"\sназад(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w){_NUMBER}\s+{_UNITS['ru']}\s+назад(?!\w)", re.IGNORECASE),
    ),
    # "1,234 views", "12K reads", "Views: 1,234", "👁 1234"
    (
        _COUNTER_CUES,
        # The number's last digit, its suffix and the counted word (\u212a, the Kelvin sign,
        # is a "k" to IGNORECASE).
        re.compile(rf"\d\s*[kKmM\u212a]?\+?\s*{_COUNTED}(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w){_NUMBER}\s*{_COUNTED}(?!\w)", re.IGNORECASE),
    ),
    (
        _COUNTER_CUES,
        re.compile(r":\s*\d"),
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
        if not present.isdisjoint(cues) and (confirm is None or confirm.search(folded)):
            folded = pattern.sub(" ", folded)
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
