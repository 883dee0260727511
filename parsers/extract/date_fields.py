"""Published and updated dates of a page (placeholder until the dates cascade lands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parsers.record import DatePrecision
from parsers.extract.page import Page


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: datetime
    raw: str
    precision: DatePrecision


@dataclass(frozen=True, slots=True)
class DateFindings:
    published: FoundDate | None = None
    updated: FoundDate | None = None


def find_dates(page: Page) -> DateFindings:
    return DateFindings()
