"""Rules between dates that disagree: same day or not, one stamp or two, a zone mislabelled.

Pure functions over FoundDate values: date_fields decides where the candidates come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta, tzinfo

from parsers.dates import FoundDate, swapped_day

DAY = timedelta(days=1)
# A printed day D is D in some zone from UTC-12 to UTC+14: these hours around its UTC day.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=14), timedelta(hours=12)


def same_wall_clock(one: FoundDate, other: FoundDate) -> bool:
    """One stamp written with two offsets ("14:20Z" and "14:20-04:00")."""
    return one.value.replace(tzinfo=None) == other.value.replace(tzinfo=None)


def agrees(printed: FoundDate, declared: FoundDate) -> bool:
    """Same day, or a day the instant falls on in some zone, or "09.10.24" read the other way."""
    day = declared.value.date()
    return (
        same_day(printed, declared)
        or _same_day_somewhere(printed, declared)
        or swapped_day(printed) in (day, declared.value.astimezone(UTC).date())
    )


def has_time(found: FoundDate) -> bool:
    """Midnight on the dot is how many CMSs print a date that has no time."""
    return found.precision != "day" and found.value.timetz().replace(tzinfo=None) != time(0)


def same_day(day: FoundDate, other: FoundDate) -> bool:
    target = day.value.date()
    return other.value.date() == target or other.value.astimezone(day.value.tzinfo).date() == target


def _same_day_somewhere(day: FoundDate, instant: FoundDate) -> bool:
    """A printed day that the instant falls on in some zone (UTC-12 to UTC+14)."""
    if day.precision != "day":
        return False
    start = datetime.combine(day.value.date(), time(0), UTC)
    return start - EARLIEST_OFFSET <= instant.value <= start + DAY + LATEST_OFFSET


def consistent_instant(
    chosen: FoundDate, others: Iterable[FoundDate], zone: tzinfo | None
) -> FoundDate:
    """The instant a mislabelled declared time meant, when another value on the page names it.

    Some CMSs write their UTC wall clock with the local offset ("19:11-04:00" for
    15:11-04:00, which is 19:11 UTC), others their local wall clock as UTC ("20:00Z" on a page
    printing 20:00+09:00): one instant hours off. Another declared or printed value that is
    exactly what the mislabelled one meant wins. The same wall clock under two offsets is
    read as local time only where the page's zone has that offset (readers see local clocks).
    """
    if not has_time(chosen):
        return chosen
    offset = chosen.value.utcoffset()
    for other in others:
        if not has_time(other) or other.value == chosen.value:
            continue
        written_locally = bool(other.value.utcoffset()) and not same_wall_clock(chosen, other)
        if offset and written_locally and other.value == chosen.value.replace(tzinfo=UTC):
            return other
        if not offset and same_wall_clock(chosen, other) and _is_local(other.value, zone):
            return other
    return chosen


def stated_clock(
    guessed: FoundDate, guesses: Iterable[tzinfo | None], instants: Iterable[FoundDate]
) -> FoundDate:
    """A time read in a guessed zone (one of `guesses`: its text names none), when an instant
    the page writes with its offset shows the same wall clock: one stamp, and the page says
    where ("4:00:00 PM" beside "16:00:00Z"), so the guess gives way."""
    if not has_time(guessed) or guessed.value.tzinfo not in tuple(guesses):
        return guessed
    offset = guessed.value.utcoffset()
    same = (v for v in instants if same_wall_clock(guessed, v) and v.value.utcoffset() != offset)
    return next(same, guessed)


def _is_local(value: datetime, zone: tzinfo | None) -> bool:
    offset = value.utcoffset()
    return bool(offset) and zone is not None and value.astimezone(zone).utcoffset() == offset


def published_before_modified(
    chosen: FoundDate, declared: Iterable[FoundDate], modified: Iterable[FoundDate]
) -> FoundDate:
    """A declared publication no later than the declared modifications, when the chosen one
    is more than a day after all of them.

    A page cannot be modified before it is published: a publication stamped after every
    modification is the time the page was rebuilt or re-released (<meta name="published-time">
    of the build beside <meta name="published-date"> of the article). Another declared
    publication that precedes the modifications is the article's; without one the chosen
    date stays (a draft saved before its publication dates its modification early).
    """
    latest = max((found.value for found in modified), default=None)
    if latest is None or chosen.value <= latest + DAY:
        return chosen
    return next((found for found in declared if found.value <= latest + DAY), chosen)
