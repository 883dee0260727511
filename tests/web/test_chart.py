"""The articles-over-time chart's layout and the small formatting helpers the pages use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from scraper.web import chart
from scraper.web.chart import bar_chart, continuous_periods, nice_ceiling
from scraper.web.formatting import field_words, link, utc, when
from storage.diffs import FieldChange, WordOp


def test_empty_periods_get_empty_bars_in_time_order() -> None:
    laid_out = bar_chart({"2025-12-01": 2, "2025-12-04": 5}, "day")
    assert [(bar.period, bar.count) for bar in laid_out.bars] == [
        ("2025-12-01", 2),
        ("2025-12-02", 0),
        ("2025-12-03", 0),
        ("2025-12-04", 5),
    ]
    assert laid_out.total == 7 and laid_out.dropped == 0
    tallest = laid_out.bars[-1]
    assert tallest.y == chart.MARGIN_TOP  # 5 is the top of the scale
    assert tallest.y + tallest.height == pytest.approx(laid_out.plot_bottom)
    assert laid_out.bars[1].height == 0
    assert [tick.label for tick in laid_out.y_ticks] == ["0", "1", "2", "3", "4", "5"]


def test_bars_share_the_width_without_overlapping() -> None:
    laid_out = bar_chart({f"2025-12-{day:02d}": day for day in range(1, 31)}, "day")
    for left, right in zip(laid_out.bars, laid_out.bars[1:], strict=False):
        assert left.x + left.width < right.x
    assert laid_out.bars[-1].x + laid_out.bars[-1].width <= laid_out.width
    assert len(laid_out.x_ticks) == chart.MAX_X_LABELS
    assert laid_out.x_ticks[0].label == "2025-12-01" and laid_out.x_ticks[-1].label == "2025-12-30"


def test_a_long_archive_shows_its_latest_periods() -> None:
    start = datetime(2020, 1, 1).date()
    counts = {(start + timedelta(days=n)).isoformat(): 1 for n in range(0, 1000, 10)}
    laid_out = bar_chart(counts, "day")
    assert len(laid_out.bars) == chart.MAX_BARS
    assert laid_out.dropped == 991 - chart.MAX_BARS
    assert laid_out.bars[-1].period == (start + timedelta(days=990)).isoformat()


def test_weeks_run_across_the_new_year() -> None:
    assert continuous_periods(["2025-W52", "2026-W02"], "week") == [
        "2025-W52",
        "2026-W01",
        "2026-W02",
    ]
    assert continuous_periods([], "week") == []


def test_an_empty_archive_has_no_bars() -> None:
    laid_out = bar_chart({}, "week")
    assert laid_out.bars == () and laid_out.x_ticks == () and laid_out.total == 0


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (5, 5), (6, 10), (11, 20), (199, 200)]
)
def test_nice_ceiling(value: int, ceiling: int) -> None:
    assert nice_ceiling(value) == ceiling


def test_dates_show_the_precision_the_page_printed() -> None:
    moment = datetime(2025, 12, 4, 9, 5, 7, tzinfo=timezone(timedelta(hours=-5)))
    assert when(moment, "day") == "2025-12-04"
    assert when(moment, "minute") == "2025-12-04 09:05 -05:00"
    assert when(moment, "second") == "2025-12-04 09:05:07 -05:00"
    assert when(None, "day") == "-"
    assert utc(moment) == "2025-12-04 14:05:07 UTC"
    assert when(moment.astimezone(UTC), None) == "2025-12-04 14:05 UTC"


@pytest.mark.parametrize(
    ("url", "followed"),
    [
        ("https://example.com/a", True),
        ("HTTP://example.com/a", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//example.com/a", False),
        ("http://[::1", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url: str | None, followed: bool) -> None:
    assert (link(url) is not None) is followed


def test_field_words_mark_additions_removals_and_rewording() -> None:
    assert field_words(FieldChange("standfirst", None, "new")) == (WordOp("insert", "new"),)
    assert field_words(FieldChange("tags", "old", None)) == (WordOp("delete", "old"),)
    reworded = field_words(FieldChange("headline", "Trials begin", "Trials resume"))
    assert WordOp("delete", "begin") in reworded and WordOp("insert", "resume") in reworded
