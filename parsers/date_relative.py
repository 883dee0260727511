"""Relative dates in English, read without dateparser: "3 hours ago", "yesterday".

They count back from the fetch, so they are only as good as the fetch time; a result says
so (FoundDate.relative) and the date cascade prefers any absolute date to it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, tzinfo

from parsers.record import DatePrecision

RELATIVE_AGO = re.compile(
    r"\b(?P<count>\d+|an?|one)\s+(?P<unit>sec|second|min|minute|hour|hr|day|week|month|year)s?"
    r"\s+ago\b",
    re.I,
)
RELATIVE_DAY = re.compile(r"\b(?P<word>just now|today|yesterday)\b", re.I)
UNIT_SECONDS = {
    "sec": 1, "second": 1, "min": 60, "minute": 60, "hour": 3600, "hr": 3600,
    "day": 86400, "week": 7 * 86400, "month": 30 * 86400, "year": 365 * 86400,
}  # fmt: skip
MAX_RELATIVE_WORDS = 8
SECONDS_WITH_A_TIME = 86400  # "3 hours ago" states a time; "3 days ago" only a day


def read_relative(
    raw: str, tz: tzinfo | None, fetched_at: datetime
) -> tuple[datetime, str, DatePrecision] | None:
    """English relative dates without dateparser: "3 hours ago", "yesterday"; only in a short
    text, where they date something ("Posted 3 hours ago"), not in a sentence ("As of today").

    The value, the text and how much it says; a date in the zone `tz` (else UTC)."""
    if len(raw.split()) > MAX_RELATIVE_WORDS:
        return None
    local_now = fetched_at.astimezone(tz or UTC)
    match = RELATIVE_AGO.search(raw)
    if match is not None:
        count = match["count"].lower()
        amount = int(count) if count.isdigit() else 1
        seconds = amount * UNIT_SECONDS[match["unit"].lower()]
        if seconds < SECONDS_WITH_A_TIME:
            moment = (local_now - timedelta(seconds=seconds)).replace(second=0, microsecond=0)
            return moment, raw, "minute"
        return _midnight(local_now - timedelta(seconds=seconds)), raw, "day"
    match = RELATIVE_DAY.search(raw)
    if match is None:
        return None
    word = match["word"].lower()
    if word == "just now":
        return local_now.replace(second=0, microsecond=0), raw, "minute"
    back = timedelta(days=1 if word == "yesterday" else 0)
    return _midnight(local_now - back), raw, "day"


def _midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(0), moment.tzinfo)
