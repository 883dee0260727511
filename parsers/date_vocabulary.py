"""Month names and relative-date words per language, for the fast date readers.

English month names always count (metadata is often English on any page); other languages'
names come from dateparser's own translation data, so the fast path and dateparser agree.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

ENGLISH_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Month names of a language set, compiled once: the written shapes they make."""

    months: dict[str, int]
    month_day_year: re.Pattern[str]
    day_month_year: re.Pattern[str]
    year_month_day: re.Pattern[str]
    month_first_numbers: bool
    # Month names, and relative words ("ago", "вчора"): without one, dateparser finds nothing.
    month_words: re.Pattern[str]
    relative_words: re.Pattern[str] | None


@lru_cache(maxsize=64)
def vocabulary(languages: tuple[str, ...]) -> Vocabulary:
    """English month names always count: metadata is often English on any page."""
    months = dict(ENGLISH_MONTHS)
    relative_words: set[str] = set()
    for language in languages:
        months.update(_month_names(language))
        relative_words.update(_relative_words(language))
    month = rf"(?P<month>\b(?:{_alternation(months)})\b\.?)"
    ordinal = r"(?:st|nd|rd|th|er|\.)?"
    return Vocabulary(
        months=months,
        month_day_year=re.compile(
            rf"{month}\s*(?P<day>\d{{1,2}}){ordinal}\s*,?\s*(?P<year>\d{{4}})(?!\d)", re.I
        ),
        day_month_year=re.compile(
            rf"(?<!\d)(?P<day>\d{{1,2}}){ordinal}[\s.-]*(?:of\s+|de\s+)?{month}[\s.-]*,?\s*"
            rf"(?:de\s+)?(?P<year>\d{{4}})(?!\d)",
            re.I,
        ),
        year_month_day=re.compile(
            rf"(?<!\d)(?P<year>\d{{4}})\s+{month}\s+(?P<day>\d{{1,2}})(?![\d:])", re.I
        ),
        month_first_numbers=_month_first(languages),
        month_words=re.compile(rf"\b(?:{_alternation(months)})\b", re.I),
        relative_words=(
            re.compile(rf"\b(?:{_alternation(relative_words)})\b", re.I) if relative_words else None
        ),
    )


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _month_first(languages: tuple[str, ...]) -> bool:
    """Whether "12/06/2025" is December 6th: US English order unless the page says otherwise."""
    if not languages:
        return True
    if _is_english(languages[0]):
        region = languages[0].lower().replace("_", "-").partition("-")[2]
        return region in ("", "us")
    data = translation_data(languages[0])
    return data is not None and data.get("date_order") == "MDY"


def _is_english(language: str) -> bool:
    return language.lower().split("-")[0].split("_")[0] == "en"


def _month_names(language: str) -> dict[str, int]:
    data = None if _is_english(language) else translation_data(language)
    if data is None:
        return {}
    names: dict[str, int] = {}
    for number, key in enumerate(MONTH_KEYS, start=1):
        for name in data.get(key, ()):
            if isinstance(name, str) and len(name) > 1 and not name.isdigit():
                names[name.lower()] = number
    return names


def _relative_words(language: str) -> set[str]:
    """Words of relative dates ("il y a", "тому", "hier") that the fast readers do not read."""
    data = None if _is_english(language) else translation_data(language)
    if data is None:
        return set()
    words = {word for word in data.get("ago", ()) if isinstance(word, str)}
    for phrases in (data.get("relative-type") or {}).values():
        words.update(phrase for phrase in phrases if isinstance(phrase, str))
    return {word.lower() for word in words if len(word) > 1}


@lru_cache(maxsize=64)
def translation_data(language: str) -> dict[str, Any] | None:
    """dateparser's own vocabulary of a language ('uk', 'fr', 'zh-Hans'), None if unknown."""
    code = language.strip().replace("_", "-")
    for candidate in (code, code.split("-")[0].lower()):
        if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?", candidate):
            continue
        try:
            module = importlib.import_module(f"dateparser.data.date_translation_data.{candidate}")
        except ImportError:
            continue
        info = getattr(module, "info", None)
        if isinstance(info, dict):
            return info
    return None
