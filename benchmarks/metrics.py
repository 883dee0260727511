"""The benchmark's metric definitions, one per field, applied identically to every system.

Every function compares one system's value with one page's ground truth and returns plain
numbers; `benchmarks.scoring` turns them into per-set scores. Normalizers are symmetric
(truth and output go through the same function), so no system gains from a quirk of the
truth's spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Literal, TypeGuard

SHINGLE_SIZE = 4
CAPTION_MATCH_OVERLAP = 0.5

QUOTES = str.maketrans(dict.fromkeys("‘’‚‛′`´", "'") | dict.fromkeys("“”„‟″«»", '"'))
DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
WHITESPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")
# "A, B and C" and "A; B" are several names whichever side wrote them as one string.
NAME_SEPARATORS = re.compile(r"\s*(?:[,;&|/]|\band\b)\s*", re.IGNORECASE)

MONTH_ONLY = re.compile(r"^\d{4}-\d{2}$")
# "Sun Nov 23 16:00:00 EDT 2014": the Unix `date` shape, zone as a US abbreviation.
UNIX_DATE = re.compile(r"^\w{3} (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([A-Z]{3,4}) (\d{4})$")
ZONE_HOURS = {
    "UTC": 0,
    "GMT": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


# Text -------------------------------------------------------------------------------------
def normalize_text(text: str | None) -> str:
    """Case, width, quotes, dashes, invisible characters and white space folded."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).translate(QUOTES).translate(DASHES)
    folded = INVISIBLE.sub("", folded).casefold()
    return WHITESPACE.sub(" ", folded).strip()


def tokens(text: str | None) -> tuple[str, ...]:
    """Lower-cased word tokens (`\\w+`): the unit of the body, snippet and caption metrics."""
    return _tokens(text) if text else ()


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[str, ...]:
    """Cached: each page's truth (and snippets) meet every system's output in turn."""
    return tuple(WORD.findall(text.lower()))


def token_string(text: str | None) -> str:
    """Tokens joined by single spaces and padded, so `in` matches whole words only."""
    return f" {' '.join(tokens(text))} "


def title_match(output: str | None, truth: str) -> bool:
    """Normalized exact match; no site-name suffix is stripped from either side."""
    return bool(output) and normalize_text(output) == normalize_text(truth)


# Authors ----------------------------------------------------------------------------------
def author_names(names: Iterable[str]) -> frozenset[str]:
    """Normalized names, with joined bylines ("A, B and C") split the same way on both sides."""
    found: set[str] = set()
    for name in names:
        for part in NAME_SEPARATORS.split(normalize_text(name)):
            if part:
                found.add(part)
    return frozenset(found)


def authors_exact(output: Sequence[str], truth: Sequence[str]) -> bool:
    return author_names(output) == author_names(truth)


def authors_f1(output: Sequence[str], truth: Sequence[str]) -> float:
    return f1_of_sets(author_names(output), author_names(truth))


def f1_of_sets(output: frozenset[str], truth: frozenset[str]) -> float:
    common = len(output & truth)
    if not common:
        return 0.0
    return 2 * common / (len(output) + len(truth))


# Dates ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TruthDate:
    """A true publication date: its calendar day in its own offset, and the instant if known."""

    day: date
    precision: Literal["month", "day"]
    instant: datetime | None = None
    wall_clock: datetime | None = None  # a time with no zone: the site's local time


def parse_truth_date(text: str) -> TruthDate | None:
    """Read the datasets' date shapes; midnight values are dates, not instants."""
    text = text.strip()
    if MONTH_ONLY.match(text):
        return TruthDate(date.fromisoformat(f"{text}-01"), "month")
    value = _iso_or_unix(text)
    if value is None:
        return None
    has_time = (value.hour, value.minute, value.second) != (0, 0, 0)
    instant = value if has_time and value.tzinfo is not None else None
    wall_clock = value if has_time and value.tzinfo is None else None
    return TruthDate(value.date(), "day", instant, wall_clock)


def _iso_or_unix(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    match = UNIX_DATE.match(text)
    if match is None or match[6] not in ZONE_HOURS or match[1].lower() not in MONTHS:
        return None
    month, day, hour, minute, second, zone, year = match.groups()
    return datetime(
        int(year),
        MONTHS.index(month.lower()) + 1,
        int(day),
        int(hour),
        int(minute),
        int(second),
        tzinfo=timezone(timedelta(hours=ZONE_HOURS[zone])),
    )


def day_match(output: datetime | date | None, truth: TruthDate) -> bool:
    """The output's calendar day (in its own offset, or in the truth's) equals the true day."""
    if output is None:
        return False
    if truth.precision == "month":
        return (output.year, output.month) == (truth.day.year, truth.day.month)
    own_day = output.date() if isinstance(output, datetime) else output
    if own_day == truth.day:
        return True
    if truth.instant is not None and _is_instant(output):
        return output.astimezone(truth.instant.tzinfo).date() == truth.day
    return False


def minute_match(output: datetime | date | None, truth: TruthDate) -> bool:
    """Same UTC minute; a date-only or naive output cannot name an instant, so it misses."""
    if truth.instant is not None and _is_instant(output):
        return _utc_minute(output) == _utc_minute(truth.instant)
    return False


def local_minute_match(output: datetime | date | None, truth: TruthDate) -> bool:
    """Same minute on the page's own clock: the output's wall time in the offset it carries."""
    if truth.wall_clock is None or not _is_instant(output):
        return False
    return output.replace(tzinfo=None, second=0, microsecond=0) == truth.wall_clock.replace(
        second=0, microsecond=0
    )


def _is_instant(value: datetime | date | None) -> TypeGuard[datetime]:
    return isinstance(value, datetime) and value.tzinfo is not None


def _utc_minute(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(second=0, microsecond=0)


# Body -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PrecisionRecall:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingles(words: Sequence[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Word n-grams with counts; a text shorter than n is one shingle of all its words."""
    if len(words) <= size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(zip(*(words[start:] for start in range(size)), strict=False))


@lru_cache(maxsize=4)
def _text_shingles(text: str) -> Counter[tuple[str, ...]]:
    """Cached: each page's truth is compared with every system's output in turn."""
    return shingles(tokens(text))


def body_scores(output: str | None, truth: str) -> PrecisionRecall:
    """The article-extraction-benchmark's shingle matching, lower-cased; empty output is 0."""
    found = shingles(tokens(output))
    expected = _text_shingles(truth)
    shared = found.keys() & expected.keys()
    common = sum(map(min, map(found.__getitem__, shared), map(expected.__getitem__, shared)))
    precision = common / sum(found.values()) if found else 0.0
    recall = common / sum(expected.values()) if expected else 0.0
    return PrecisionRecall(precision, recall)


def contains_words(haystack: str, needle: str | None) -> bool:
    """Whether the words of `needle` appear in a row in `haystack` (a `token_string`)."""
    words = token_string(needle)
    return words.strip() != "" and words in haystack


def snippet_share(haystack: str, snippets: Sequence[str], *, present: bool) -> float | None:
    """Share of snippets found (present=True) or absent (present=False); None when none count."""
    usable = [snippet for snippet in snippets if tokens(snippet)]
    if not usable:
        return None
    hits = sum(contains_words(haystack, snippet) == present for snippet in usable)
    return hits / len(usable)


# Captions ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CaptionCounts:
    """Matched and total captions on each side, pooled over a set by the scorer."""

    true_matched: int
    true_total: int
    output_matched: int
    output_total: int


def captions_match(first: str, second: str) -> bool:
    """Token-set overlap of at least half the longer caption: credits may be split off."""
    left, right = set(tokens(first)), set(tokens(second))
    if not left or not right:
        return False
    return len(left & right) / max(len(left), len(right)) >= CAPTION_MATCH_OVERLAP


def caption_counts(output: Sequence[str], truth: Sequence[str]) -> CaptionCounts:
    found = [caption for caption in output if tokens(caption)]
    expected = [caption for caption in truth if tokens(caption)]
    true_matched = sum(any(captions_match(t, f) for f in found) for t in expected)
    output_matched = sum(any(captions_match(f, t) for t in expected) for f in found)
    return CaptionCounts(true_matched, len(expected), output_matched, len(found))


# Page type --------------------------------------------------------------------------------
def is_article(page_type: str | None) -> bool:
    return page_type == "article"
