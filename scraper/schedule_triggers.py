"""APScheduler triggers for a site's `Schedule`: an interval or a crontab line, with jitter.

Crontab counts weekdays from Sunday (0 and 7), APScheduler 3 from Monday, so a numeric
day-of-week field is rewritten with day names: `1-5` stays Monday to Friday, as in crontab.
"""

from __future__ import annotations

from apscheduler.triggers.cron import (  # type: ignore[import-untyped, unused-ignore]
    CronTrigger,
)
from apscheduler.triggers.interval import (  # type: ignore[import-untyped, unused-ignore]
    IntervalTrigger,
)

from scraper.settings import Schedule

CRONTAB_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # 0 (and 7) is Sunday
DEFAULT_INTERVAL_SECONDS = 3600.0


def trigger_for(schedule: Schedule) -> CronTrigger | IntervalTrigger:
    """The trigger firing a site's pass; jitter delays each run by up to that many seconds."""
    jitter = int(schedule.jitter.total_seconds()) or None
    if schedule.cron:
        return crontab_trigger(schedule.cron, schedule.timezone, jitter)
    seconds = schedule.interval.total_seconds() if schedule.interval else DEFAULT_INTERVAL_SECONDS
    return IntervalTrigger(seconds=seconds, timezone=schedule.timezone, jitter=jitter)


def crontab_trigger(expression: str, timezone: str, jitter: int | None = None) -> CronTrigger:
    """A five-field crontab line (minute hour day month weekday) read as cron reads it."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"a crontab line has 5 fields, not {len(fields)}: {expression!r}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=crontab_weekdays(weekday),
        timezone=timezone,
        jitter=jitter,
    )


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field with its numbers written as day names."""
    return ",".join(_weekday_part(part) for part in field.split(","))


def _weekday_part(part: str) -> str:
    """`*`, `3`, `1-5`, `*/2`, `1-5/2` as names; parts already naming days pass unchanged."""
    span, _, step = part.partition("/")
    if any(char.isalpha() for char in part) or (span == "*" and not step):
        return part
    if span == "*":
        first, last = 0, 6
    else:
        start, _, end = span.partition("-")
        first = int(start)
        last = int(end) if end else (7 if step else first)
    days = range(first, last + 1, int(step) if step else 1)
    return ",".join(dict.fromkeys(CRONTAB_WEEKDAYS[day % 7] for day in days))
