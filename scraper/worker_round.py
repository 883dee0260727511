"""A worker's round: the URLs it works on between two idle spells, reported like a run.

Each site met in the round gets a `SitePass`, whose `fetch_article` files a URL exactly as
`newsarchive run` does and counts it in the site's report. When the round ends (nothing is
due, or the worker stops), the story clusters follow the round's new versions and the
report goes to the run log, where `newsarchive status` reads it as it reads a run's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from scraper.config import SiteEntry
from scraper.run import RunReport
from scraper.site_pass import Services, SitePass
from scraper.worker_log import event, failure
from storage.clusters import Clusters
from storage.clusters_minhash import SignedVersions
from storage.db import Database
from storage.runs import RunLog


class Round:
    def __init__(
        self, services: Services, sites: Mapping[str, SiteEntry], database: Database
    ) -> None:
        self.services = services
        self.sites = sites
        self.database = database
        self.failures = 0  # rounds whose closing step (clusters, run log) failed
        self._started: datetime | None = None
        self._passes: dict[str, SitePass] = {}

    def pass_for(self, site: str) -> SitePass:
        """The round's pass over `site`, made when the round first meets the site."""
        found = self._passes.get(site)
        if found is None:
            self._started = self._started or datetime.now(UTC)
            found = self._passes[site] = SitePass(self.sites[site], self.services)
        return found

    async def finish(self) -> RunReport | None:
        """Close the round: clusters, run log, a `round_done` event. None: nothing was done."""
        if not self._passes or self._started is None:
            return None
        passes, self._passes = list(self._passes.values()), {}
        report = RunReport(self._started, sites=[one.report for one in passes])
        self._started = None
        now = datetime.now(UTC)
        for one in passes:
            one.report.finished_at = now
        signed, self.services.signed = self.services.signed, SignedVersions()
        try:
            started = time.perf_counter()
            report.clustered = await asyncio.to_thread(Clusters(self.database).update, signed)
            report.clustering_seconds = time.perf_counter() - started
            report.finished_at = datetime.now(UTC)
            await asyncio.to_thread(self._record, report)
        except Exception as exc:  # the pages are filed; only the round's summary is missing
            self.failures += 1
            failure("round_failed", f"closing the round failed: {type(exc).__name__}: {exc}")
            return report
        event("round_done", _summary(report), **_totals(report))
        return report

    def _record(self, report: RunReport) -> None:
        assert report.finished_at is not None
        RunLog(self.database).record(
            report.started_at, report.finished_at, report.exit_code, report.to_dict()
        )


def _totals(report: RunReport) -> dict[str, Any]:
    sites = report.sites
    versions = sum(sum(site.versions.values()) for site in sites)
    return {
        "sites": len(sites),
        "fetched": sum(site.fetched for site in sites),
        "not_modified": sum(site.not_modified + site.same_payload for site in sites),
        "new_articles": sum(site.new_articles for site in sites),
        "new_versions": versions,
        "errors": sum(sum(site.errors.values()) for site in sites),
        "failed_sites": [site.site for site in sites if site.failed],
        "clustered": report.clustered,
        "seconds": round(
            ((report.finished_at or report.started_at) - report.started_at).total_seconds(), 3
        ),
    }


def _summary(report: RunReport) -> str:
    totals = _totals(report)
    return (
        f"round done: {totals['sites']} sites, {totals['fetched']} fetched, "
        f"{totals['new_articles']} new, {totals['new_versions']} new versions, "
        f"{totals['errors']} errors"
    )
