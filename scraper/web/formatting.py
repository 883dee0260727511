"""What the templates need to show archive values: dates with their precision, safe links,
highlighted snippets and word-level edits. Everything returns plain values; the templates
escape them (autoescape is on), so nothing here builds HTML."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from storage.diffs import FieldChange, WordOp, word_ops
from storage.search import split_highlights

LINK_SCHEMES = ("http", "https")
PRECISION_FORMATS = {
    "day": "%Y-%m-%d",
    "minute": "%Y-%m-%d %H:%M",
    "second": "%Y-%m-%d %H:%M:%S",
}


def when(value: datetime | None, precision: str | None = None) -> str:
    """A page's date as precisely as the page printed it, in the page's own offset."""
    if value is None:
        return "-"
    shown = value.strftime(PRECISION_FORMATS.get(precision or "", PRECISION_FORMATS["minute"]))
    if precision == "day":
        return shown
    return f"{shown} {_offset(value)}"


def utc(value: datetime | None) -> str:
    """An archive time (saved, first and last seen) in UTC to the second."""
    if value is None:
        return "-"
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def link(url: str | None) -> str | None:
    """The URL if a browser may follow it (http or https), else None: an archived page can
    carry `javascript:` or `data:` URLs, which must be shown as text, never as links."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in LINK_SCHEMES else None


def highlights(snippet: str | None) -> list[tuple[str, bool]]:
    """The snippet's (text, matched) pieces; matched pieces are shown in <mark>."""
    return split_highlights(snippet or "")


def field_words(change: FieldChange) -> tuple[WordOp, ...]:
    """A changed field's edits word by word (a field only added or removed is one edit)."""
    if change.before is None:
        return (WordOp("insert", change.after or ""),)
    if change.after is None:
        return (WordOp("delete", change.before),)
    return word_ops(change.before, change.after)


def percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


# What the templates are given, by the names they use.
FILTERS: dict[str, Callable[..., Any]] = {
    "when": when,
    "utc": utc,
    "iso": iso,
    "link": link,
    "highlights": highlights,
    "percent": percent,
}
GLOBALS: dict[str, Any] = {"field_words": field_words}


def _offset(value: datetime) -> str:
    offset = value.utcoffset()
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"
