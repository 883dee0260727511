"""The one wrapper around dateparser: fast readers first, dateparser only for what they miss.

A dateparser call costs ~15 ms (seconds the first time a language is used) against a 10 ms
budget for a whole page, so ISO-8601 and the common written shapes are read by regexes, with
month names of the page's language taken from dateparser's own data, and dateparser itself
sees only relative or unusual dates. Every result is timezone-aware: the text's own zone wins,
else the site's, else UTC.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from parsers.date_relative import read_relative
from parsers.date_vocabulary import ENGLISH_MONTHS, Vocabulary, translation_data, vocabulary
from parsers.record import DatePrecision

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)
MAX_TEXT_CHARS = 300
# dateparser reads the whole string: only short texts with a date word are worth its cost.
MAX_SLOW_TEXT_CHARS = 80

# Zone names printed after a time; the ambiguous "IST" is read as India's.
ZONE_ABBREVIATIONS: dict[str, str | float] = {
    "Z": 0, "UTC": 0, "GMT": 0, "UT": 0, "WET": 0, "BST": 1, "CET": 1, "WAT": 1, "CEST": 2,
    "EET": 2, "CAT": 2, "SAST": 2, "EEST": 3, "MSK": 3, "EAT": 3, "AST": 3, "GST": 4,
    "PKT": 5, "IST": 5.5, "NPT": 5.75, "ICT": 7, "WIB": 7, "SGT": 8, "HKT": 8, "PHT": 8,
    "AWST": 8, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}  # fmt: skip

# "-05:00", "+0530", and the "-500" some CMSs print for "-05:00".
_ZONE_CORE = (
    r"\s*\(?(?P<zone>Z\b|[A-Z]{2,5}\b|[+-]\d{1,2}(?::?\d{2})?\b)"
    r"(?P<shift>\s?[+-]\d{1,2}(?::?\d{2})?\b)?\)?"
)
_ZONE = f"(?:{_ZONE_CORE})?"
# A zone printed after the date when the time came before it: "22:00, 11 July 2021 BST".
ZONE_AFTER = re.compile(_ZONE_CORE)
ISO_DATE = re.compile(
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"
    r"(?:[T ]\s?(?P<hour>2[0-3]|[01]?\d)(?!\d):(?P<minute>[0-5]\d)"
    r"(?::(?P<second>[0-5]\d)(?:[.,]\d+)?)?" + _ZONE + ")?"
)
# A time right after a date: "2:54 pm", "14:30 IST", "à 14h30", "at 9 AM".
TIME_AFTER = re.compile(
    r"(?:\s*(?:[,:|/@·•\-–—]|at|à|a las|um|в|о|saat)){0,2}\s*"
    r"(?P<hour>2[0-3]|[01]?\d)(?!\d)"
    r"(?:(?:[:h.]|時)(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)|分)?)?"
    r"(?:\s?(?P<ampm>[aApP])\.?\s?[mM]\b\.?)?" + _ZONE
)
# A time right before a date: "14:30, 6 December 2025", "2:54 PM EST | Dec 6, 2025".
TIME_BEFORE = re.compile(
    r"(?P<hour>2[0-3]|[01]?\d)(?!\d)[:h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"(?:\s?(?P<ampm>[aApP])\.?\s?[mM]\.?)?" + _ZONE + r"\s*(?:,|\||-|–|—|on|/)?\s*$"
)
NUMERIC_YMD = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<sep>[/.])\s?(?P<month>\d{1,2})(?P=sep)\s?(?P<day>\d{1,2})(?!\d)"
)
NUMERIC_XYZ = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?!\d)"
)
# Two-digit years ("Published on 01/25/26", "19.07.22"): read only in short texts, where a
# version number or a score is unlikely, and with dots only when zero-padded (not "1.2.25").
NUMERIC_SHORT_YEARS = (
    re.compile(r"(?<![\w./-])(?P<a>\d{1,2})(?P<sep>/)(?P<b>\d{1,2})/(?P<year>\d{2})(?![\w./-])"),
    re.compile(r"(?<![\w./-])(?P<a>\d\d)(?P<sep>\.)(?P<b>\d\d)\.(?P<year>\d{2})(?![\w./-])"),
)
MAX_SHORT_YEAR_WORDS = 6
# date(1) and Java's Date.toString(): "Mon Aug 03 12:45:00 EDT 2015".
UNIX_DATE = re.compile(
    r"\b(?P<month>[A-Z][a-z]{2})\s+(?P<day>\d{1,2})\s+(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)"
    r"(?::(?P<second>[0-5]\d))?\s+(?:(?P<zone>[A-Z]{2,5})\s+)?(?P<year>\d{4})(?!\d)"
)
CJK_DATE = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")

EPOCH_MILLISECONDS = 10**11  # larger Unix times are milliseconds (10**11 s is year 5138)
OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{1,2}?)(?::?(?P<minutes>\d{2}))?")
HAS_SECONDS = re.compile(r"\d:\d\d:\d\d")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
DAY_NUMBER = re.compile(r"(?<![\d:.])\d{1,2}(?![\d:])")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date as a page states it: aware value, the text it came from, how much it said;
    `relative` when counted back from the fetch ("3 hours ago"), so only as good as that."""

    value: datetime
    raw: str
    precision: DatePrecision
    relative: bool = False


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a text says before zones are applied: the wall clock and its own zone, if any."""

    day: date
    clock: time | None = None
    with_seconds: bool = False
    zone: tzinfo | None = None


def parse_date(
    text: str, *, tz: tzinfo | None, languages: tuple[str, ...] | None, fetched_at: datetime
) -> FoundDate | None:
    """Read one date from `text`; None when there is none, or it is absurd for `fetched_at`."""
    raw = _SPACE.sub(" ", text or "").strip()
    if not raw or len(raw) > MAX_TEXT_CHARS:
        return None
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    words = vocabulary(languages or ())
    latest = (fetched_at + FUTURE_SLACK).date()
    found = _read_fast(raw, tz, words, latest)
    if found is None:
        relative = read_relative(raw, tz, fetched_at)
        found = FoundDate(*relative, relative=True) if relative is not None else None
    if found is None and len(raw) <= MAX_SLOW_TEXT_CHARS and _worth_dateparser(raw, words):
        found = _read_with_dateparser(raw, tz, languages or ("en",), fetched_at)
        if found is not None and not YEAR.search(raw):
            found = replace(found, relative=True)
    if found is None or not EARLIEST <= found.value <= fetched_at + FUTURE_SLACK:
        return None
    return found


def _worth_dateparser(raw: str, vocabulary: Vocabulary) -> bool:
    """A relative date in the page's language, or a month name with a day and a year: the
    fast readers miss some such shapes; "Joined October 2011" or "Mar 11" have no full date."""
    if vocabulary.relative_words is not None and vocabulary.relative_words.search(raw):
        return True
    return bool(vocabulary.month_words.search(raw) and YEAR.search(raw) and DAY_NUMBER.search(raw))


def _read_fast(
    raw: str, tz: tzinfo | None, vocabulary: Vocabulary, latest: date
) -> FoundDate | None:
    for reader in (_read_iso, _read_written, _read_unix, _read_numeric, _read_short_year):
        reading = reader(raw, vocabulary, latest)
        if reading is not None:
            return _aware(reading, raw, tz)
    return None


def _aware(reading: _Reading, raw: str, tz: tzinfo | None) -> FoundDate:
    zone = reading.zone or tz or UTC
    if reading.clock is None:
        return FoundDate(datetime.combine(reading.day, time(0), zone), raw, "day")
    precision: DatePrecision = "second" if reading.with_seconds else "minute"
    return FoundDate(datetime.combine(reading.day, reading.clock, zone), raw, precision)


def _read_iso(raw: str, _: Vocabulary, __: date) -> _Reading | None:
    match = ISO_DATE.search(raw)
    if match is None:
        return None
    day = _day(match["year"], match["month"], match["day"])
    if day is None:
        return None
    if match["hour"] is None:
        return _with_time_nearby(raw, match.start(), match.end(), day)
    return _Reading(
        day,
        time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0)),
        match["second"] is not None,
        _zone(match["zone"], match["shift"]),
    )


def _read_written(raw: str, vocabulary: Vocabulary, _: date) -> _Reading | None:
    found = [
        match
        for pattern in (
            vocabulary.month_day_year,
            vocabulary.day_month_year,
            vocabulary.year_month_day,
        )
        if (match := pattern.search(raw)) is not None
    ]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    month = vocabulary.months.get(match["month"].lower().rstrip("."))
    day = _day(match["year"], month, match["day"]) if month else None
    return _with_time_nearby(raw, match.start(), match.end(), day) if day else None


def _read_unix(raw: str, _: Vocabulary, __: date) -> _Reading | None:
    match = UNIX_DATE.search(raw)
    month = ENGLISH_MONTHS.get(match["month"].lower()) if match is not None else None
    day = _day(match["year"], month, match["day"]) if match is not None and month else None
    if match is None or day is None:
        return None
    second = match["second"]
    clock = time(int(match["hour"]), int(match["minute"]), int(second or 0))
    return _Reading(day, clock, second is not None, _zone(match["zone"], None))


def _read_numeric(raw: str, vocabulary: Vocabulary, latest: date) -> _Reading | None:
    match = _earliest(NUMERIC_YMD.search(raw), CJK_DATE.search(raw))
    if match is not None:
        day = _day(match["year"], match["month"], match["day"])
        return _with_time_nearby(raw, match.start(), match.end(), day) if day else None
    return _day_month_year(NUMERIC_XYZ.search(raw), raw, vocabulary, latest)


def _read_short_year(raw: str, vocabulary: Vocabulary, latest: date) -> _Reading | None:
    """ "01/25/26": the century is the one that puts the year at or before the fetch's."""
    if len(raw.split()) > MAX_SHORT_YEAR_WORDS:
        return None
    match = _earliest(*(pattern.search(raw) for pattern in NUMERIC_SHORT_YEARS))
    if match is None:
        return None
    short = int(match["year"])
    century = 2000 if 2000 + short <= latest.year else 1900
    return _day_month_year(match, raw, vocabulary, latest, century)


def _day_month_year(
    match: re.Match[str] | None, raw: str, vocabulary: Vocabulary, latest: date, century: int = 0
) -> _Reading | None:
    """ "12/06/2025": month first where the language writes it so, unless the numbers say."""
    if match is None:
        return None
    first, second, year = int(match["a"]), int(match["b"]), century + int(match["year"])
    month_first = vocabulary.month_first_numbers and match["sep"] == "/"
    if first > 12 or second > 12:
        month_first = second > 12
    day = _day(year, *((first, second) if month_first else (second, first)))
    if day is not None and day > latest and max(first, second) <= 12:
        day = _day(year, *((second, first) if month_first else (first, second)))
    return _with_time_nearby(raw, match.start(), match.end(), day) if day else None


def _earliest(*matches: re.Match[str] | None) -> re.Match[str] | None:
    found = [match for match in matches if match is not None]
    return min(found, key=lambda match: match.start()) if found else None


def _with_time_nearby(raw: str, start: int, end: int, day: date) -> _Reading:
    """A written date's time may follow it ("6 Dec 2025, 14:30") or lead it ("14:30, 6 Dec")."""
    after = TIME_AFTER.match(raw, end)
    if after is not None and (after["minute"] or after["ampm"]):
        return _reading_with_clock(day, after)
    before = TIME_BEFORE.search(raw[max(0, start - 40) : start])
    if before is None:
        return _Reading(day)
    reading = _reading_with_clock(day, before)
    zone_after = ZONE_AFTER.match(raw, end) if reading.zone is None else None
    zone = _zone(zone_after["zone"], zone_after["shift"]) if zone_after else None
    return replace(reading, zone=zone) if zone is not None else reading


def _reading_with_clock(day: date, match: re.Match[str]) -> _Reading:
    hour = int(match["hour"])
    ampm = (match["ampm"] or "").lower()
    if ampm and not 1 <= hour <= 12:
        return _Reading(day)
    if ampm:
        hour = hour % 12 + (12 if ampm == "p" else 0)
    seconds = match["second"]
    clock = time(hour, int(match["minute"] or 0), int(seconds or 0))
    return _Reading(day, clock, seconds is not None, _zone(match["zone"], match["shift"]))


def _day(year: str | int, month: str | int | None, day: str | int | None) -> date | None:
    try:
        return date(int(year), int(month or 0), int(day or 0))
    except ValueError:
        return None


def _zone(name: str | None, shift: str | None) -> tzinfo | None:
    """The zone a text names: an offset, a known abbreviation, or an abbreviation plus shift."""
    if name is None:
        return None
    if name[0] in "+-":
        return _offset(name)
    known = ZONE_ABBREVIATIONS.get(name)
    if known is None:
        return None
    if shift and known == 0:
        return _offset(shift.strip())
    if isinstance(known, str):
        return ZoneInfo(known)
    return UTC if known == 0 else timezone(timedelta(hours=known))


def _offset(text: str) -> tzinfo | None:
    match = OFFSET.fullmatch(text)
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    if not delta:
        return UTC
    return timezone(-delta if match["sign"] == "-" else delta)


def epoch_text(value: float) -> str | None:
    """Unix seconds or milliseconds as ISO-8601 UTC, as some CMSs write their dates."""
    seconds = value / 1000 if value > EPOCH_MILLISECONDS else value
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def swapped_day(found: FoundDate) -> date | None:
    """The other reading of an all-numeric date whose day and month could trade places."""
    match = NUMERIC_XYZ.search(found.raw)
    day = found.value.date()
    if match is None or {int(match["a"]), int(match["b"])} != {day.month, day.day}:
        return None
    return _day(day.year, day.day, day.month) if day.day <= 12 and day.day != day.month else None


def _local_midnight(moment: datetime, raw: str) -> FoundDate:
    return FoundDate(datetime.combine(moment.date(), time(0), moment.tzinfo), raw, "day")


def _read_with_dateparser(
    raw: str, tz: tzinfo | None, languages: tuple[str, ...], fetched_at: datetime
) -> FoundDate | None:
    zone = tz or UTC
    base = fetched_at.astimezone(zone).replace(tzinfo=None, microsecond=0)
    parser = _dateparser(languages, _zone_name(zone), base)
    if parser is None:
        return None
    try:
        data = parser.get_date_data(raw)
    except (ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError):
        return None
    value, parts = data.date_obj, data.parts or ()
    if value is None or not {"day", "month", "year"}.issubset(parts):
        return None  # "December 2025" names a month; "Mar 17" a day of some year
    local = value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
    if "time" not in parts:
        return _local_midnight(local, raw)
    precision: DatePrecision = "second" if HAS_SECONDS.search(raw) else "minute"
    return FoundDate(local if precision == "second" else local.replace(second=0), raw, precision)


def _zone_name(zone: tzinfo) -> str:
    if isinstance(zone, ZoneInfo):
        return zone.key
    offset = zone.utcoffset(None) or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=32)
def _dateparser(languages: tuple[str, ...], zone: str, base: datetime) -> Any:
    """One DateDataParser per language set, zone and base: the pages of one fetch share it."""
    # Imported on first need (0.6 s), untyped on purpose: its stubs lag its releases.
    date_module: Any = importlib.import_module("dateparser.date")
    known = tuple(lang for lang in languages if translation_data(lang) is not None)
    settings = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": base,
        "TIMEZONE": zone,
    }
    try:
        return date_module.DateDataParser(languages=list(known or ("en",)), settings=settings)
    except (ValueError, TypeError):
        return None
