"""Dates as each kind of page prints them, and escaping for HTML and XML text.

Hand-written rather than strftime: "%B" and "%p" follow the process locale, and a demo page
must read the same on every machine.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip


def esc(text: str) -> str:
    """Text or attribute value for HTML and XML: &, <, >, and both quotes escaped."""
    return html.escape(text, quote=True)


def json_ld(data: Any) -> str:
    """JSON for a <script> block: '</' is escaped so text cannot close the script."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def iso(moment: datetime) -> str:
    """W3C/ISO-8601 with the offset, as sitemaps and JSON-LD carry it."""
    return moment.isoformat(timespec="seconds")


def iso_utc(moment: datetime) -> str:
    """ISO-8601 in UTC, the way Yoast and Arc state dates."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def rfc822(moment: datetime) -> str:
    """RSS pubDate: "Sat, 06 Dec 2025 14:54:00 +0530"."""
    return format_datetime(moment)


def http_date(moment: datetime) -> str:
    """Last-Modified: "Sat, 06 Dec 2025 09:24:00 GMT"."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def clock_12h(moment: datetime) -> str:
    """ "2:54 pm" """
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'pm' if moment.hour >= 12 else 'am'}"


def american_day(moment: datetime) -> str:
    """ "December 6, 2025" """
    return f"{ENGLISH_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def wordpress_datetime(moment: datetime) -> str:
    """ "December 6, 2025 2:54 pm" """
    return f"{american_day(moment)} {clock_12h(moment)}"


def arc_datetime(moment: datetime) -> str:
    """ "Dec 5, 2025, 4:12 PM EST" """
    month = ENGLISH_MONTHS[moment.month - 1][:3]
    return f"{month} {moment.day}, {moment.year}, {clock_12h(moment).upper()} {moment.tzname()}"


def british_datetime(moment: datetime) -> str:
    """ "5 December 2025, 09:15" """
    return f"{moment.day} {ENGLISH_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def french_datetime(moment: datetime) -> str:
    """ "5 décembre 2025 à 14h54" """
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {FRENCH_MONTHS[moment.month - 1]} {moment.year} à {moment:%Hh%M}"
