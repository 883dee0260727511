"""Articles over time as an inline SVG bar chart, laid out here and drawn by a template.

Periods with no article still get their (empty) slot, so the x axis is time and a quiet week
looks quiet. A long archive shows its latest `MAX_BARS` periods (narrow the dates or count by
week to see further back). Only numbers and labels leave this module: the template escapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from storage.stats import ArchiveStats, Period

MAX_BARS = 366
WIDTH = 800
HEIGHT = 260
MARGIN_LEFT = 44
MARGIN_BOTTOM = 28
MARGIN_TOP = 10
MAX_X_LABELS = 8
BAR_GAP = 0.15  # share of a slot left empty between bars


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    period: str
    count: int


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """A laid-out chart in a WIDTH x HEIGHT box; `dropped` counts the periods left out."""

    width: int
    height: int
    plot_left: float
    plot_bottom: float
    bars: tuple[Bar, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    total: int
    dropped: int


def period_counts(stats: ArchiveStats) -> dict[str, int]:
    """Articles per period, all sites together."""
    counts: dict[str, int] = {}
    for site in stats.sites:
        for period, count in site.per_period.items():
            counts[period] = counts.get(period, 0) + count
    return counts


def bar_chart(counts: Mapping[str, int], period: Period) -> BarChart:
    """The chart of `counts` ("2025-12-06" or "2025-W49" keys), gaps filled with zeros."""
    slots = continuous_periods(sorted(counts), period)
    dropped = max(0, len(slots) - MAX_BARS)
    slots = slots[dropped:]
    values = [counts.get(slot, 0) for slot in slots]
    top = nice_ceiling(max(values, default=0))
    plot_width = WIDTH - MARGIN_LEFT
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot_width = plot_width / max(len(slots), 1)
    bars = tuple(
        Bar(
            x=round(MARGIN_LEFT + index * slot_width + slot_width * BAR_GAP / 2, 2),
            y=round(MARGIN_TOP + plot_height * (1 - value / top), 2),
            width=round(slot_width * (1 - BAR_GAP), 2),
            height=round(plot_height * value / top, 2),
            period=slot,
            count=value,
        )
        for index, (slot, value) in enumerate(zip(slots, values, strict=True))
    )
    x_ticks = tuple(
        Tick(round(MARGIN_LEFT + (index + 0.5) * slot_width, 2), slots[index])
        for index in _spread(len(slots), MAX_X_LABELS)
    )
    y_ticks = tuple(
        Tick(round(MARGIN_TOP + plot_height * (1 - value / top), 2), str(value))
        for value in _y_values(top)
    )
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=MARGIN_LEFT,
        plot_bottom=HEIGHT - MARGIN_BOTTOM,
        bars=bars,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        total=sum(counts.values()),
        dropped=dropped,
    )


def continuous_periods(keys: Sequence[str], period: Period) -> list[str]:
    """Every period from the first key to the last, in order (keys sorted)."""
    if not keys:
        return []
    first, last = _start_of(keys[0], period), _start_of(keys[-1], period)
    step = timedelta(days=1 if period == "day" else 7)
    slots = []
    current = first
    while current <= last:
        slots.append(_key_of(current, period))
        current += step
    return slots


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at or above `value` (at least 1)."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def _y_values(top: int) -> list[int]:
    """Gridline values from 0 to `top` in a round step, at most six of them."""
    step = nice_ceiling(-(-top // 5))
    return list(range(0, top + 1, step))


def _spread(count: int, most: int) -> list[int]:
    """Up to `most` indexes evenly spread over 0..count-1, the first and last included."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def _start_of(key: str, period: Period) -> date:
    if period == "day":
        return date.fromisoformat(key)
    year, week = key.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def _key_of(day: date, period: Period) -> str:
    if period == "day":
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
