"""The archive-wide pages: per-site parser health and articles over time."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from scraper.web.chart import bar_chart, period_counts
from scraper.web.params import PERIODS, choice_value, date_value, text_value
from scraper.web.responses import archive_of, render
from storage.archive import Archive
from storage.health import SiteHealth, sites_health
from storage.stats import ArchiveStats, Period
from storage.status import known_sites


def site_healths(archive: Archive) -> list[SiteHealth]:
    """Every site the archive knows, judged as `newsarchive health` judges it."""
    return sites_health(archive.database, known_sites(archive.database))


def stats_for(archive: Archive, query: Mapping[str, str]) -> ArchiveStats:
    """`Archive.stats` for ?period=day|week&site=&since=&until=."""
    period: Period = "week" if choice_value(query, "period", PERIODS) == "week" else "day"
    return archive.stats(
        period,
        site=text_value(query, "site"),
        since=date_value(query, "since"),
        until=date_value(query, "until", end_of_day=True),
    )


def health_page(request: Request) -> Response:
    healths = site_healths(archive_of(request))
    context = {
        "title": "Parser health",
        "healths": healths,
        "flagged": [health.site for health in healths if health.flagged],
    }
    return render(request, "health.html", context)


def stats_page(request: Request) -> Response:
    archive = archive_of(request)
    stats = stats_for(archive, request.query_params)
    context = {
        "title": "Articles over time",
        "stats": stats,
        "chart": bar_chart(period_counts(stats), stats.period),
        "sites": known_sites(archive.database),
        "form": {name: request.query_params.get(name, "") for name in ("site", "since", "until")},
    }
    return render(request, "stats.html", context)
