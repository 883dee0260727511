"""What the soak reads from the archive: the work done in each interval, and which of the
site's versions the archive caught.

A fetch belongs to the scheduler when its WARC file is the scheduler's
(`newsarchive-enqueue-...`), else to a worker. A worker fetch that filed no new version is
a 304, the same payload as before (both archived as revisits), or a new payload whose
parsed text was the same (a page whose sidebar of latest headlines moved). An archived
version is matched to the site's version of the same URL whose marker word its body holds
(none: the article's first text); the lag is from the site serving a version to the
archive filing it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from benchmarks.soak_site import SiteVersion

SCHEDULER_WARC = "newsarchive-enqueue-%"
REFUSALS = ("robots_disallowed", "unsafe_url")  # the crawler's own refusals, not failures

_WORKER = "(f.warc_file IS NULL OR f.warc_file NOT LIKE :scheduler)"
_FETCHES = text(
    f"""
SELECT
  count(*) FILTER (WHERE {_WORKER}) AS worker_fetches,
  count(*) FILTER (WHERE NOT {_WORKER}) AS scheduler_fetches,
  count(*) FILTER (WHERE f.status = 304 AND {_WORKER}) AS not_modified,
  count(*) FILTER (WHERE f.revisit AND f.status <> 304 AND {_WORKER}) AS same_payload,
  count(*) FILTER (
    WHERE f.status = 200 AND NOT f.revisit AND {_WORKER}
      AND NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.fetch_id = f.id)
  ) AS same_text,
  count(*) FILTER (
    WHERE (f.error IS NOT NULL OR f.status IS NULL OR f.status >= 400)
      AND coalesce(f.error, '') NOT LIKE 'robots_disallowed%'
      AND coalesce(f.error, '') NOT LIKE 'unsafe_url%'
  ) AS errors
FROM fetches f WHERE f.fetched_at >= :start AND f.fetched_at < :end
"""
)
_VERSIONS = text(
    """
SELECT count(*) FILTER (WHERE kind = 'first') AS new_articles,
       count(*) FILTER (WHERE kind <> 'first') AS new_versions
FROM article_versions WHERE created_at >= :start AND created_at < :end
"""
)
_ARCHIVED = text(
    """
SELECT v.url, v.canonical_url, v.kind, v.body, v.created_at
FROM article_versions v ORDER BY v.id
"""
)
_ERRORS = text(
    """
SELECT url, status, error FROM fetches
WHERE error IS NOT NULL OR status IS NULL OR status >= 400 ORDER BY id
"""
)


def interval_counts(engine: Engine, start: datetime, end: datetime) -> dict[str, int]:
    """Fetches and versions filed in [start, end)."""
    window = {"start": start, "end": end, "scheduler": SCHEDULER_WARC}
    with engine.connect() as connection:
        fetches = connection.execute(_FETCHES, window).mappings().one()
        versions = connection.execute(_VERSIONS, window).mappings().one()
    return {key: int(value) for key, value in {**fetches, **versions}.items()}


def fetch_errors(engine: Engine, examples: int = 5) -> dict[str, Any]:
    """Failed fetches: how many, by status or error kind, and the first few that were not
    refusals (robots.txt, an unsafe address: the demo site links one forbidden page)."""
    with engine.connect() as connection:
        rows = connection.execute(_ERRORS).all()
    kinds: dict[str, int] = {}
    for row in rows:
        kind = str(row.status) if row.status else (row.error or "?").split(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    shown = [
        {"url": row.url, "status": row.status, "error": row.error}
        for row in rows
        if not (row.error or "").startswith(REFUSALS)
    ]
    return {"count": len(rows), "by_kind": kinds, "examples": shown[:examples]}


@dataclass(frozen=True, slots=True)
class ArchivedVersion:
    url: str
    canonical_url: str
    kind: str
    body: str
    created_at: datetime


def archived_versions(engine: Engine) -> list[ArchivedVersion]:
    with engine.connect() as connection:
        return [ArchivedVersion(*row) for row in connection.execute(_ARCHIVED).all()]


def versions_kinds(archived: Iterable[ArchivedVersion]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for version in archived:
        kinds[version.kind] = kinds.get(version.kind, 0) + 1
    return kinds


def match_versions(
    made: Sequence[SiteVersion], archived: Sequence[ArchivedVersion]
) -> dict[str, Any]:
    """Versions made vs caught (overall and by kind), the catching lag, and archived versions
    that match no version the site made (`unexpected`) or one already caught (`duplicates`)."""
    by_url: dict[str, list[SiteVersion]] = {}
    for version in made:
        by_url.setdefault(version.url, []).append(version)
    caught: dict[SiteVersion, ArchivedVersion] = {}
    unexpected = duplicates = 0
    for filed in archived:
        found = _site_version(filed, by_url)
        if found is None:
            unexpected += 1
        elif found in caught:
            duplicates += 1
        else:
            caught[found] = filed
    figures: dict[str, Any] = {"all": _share(made, caught)}
    for kind in ("initial", "new", "update"):
        figures[kind] = _share([v for v in made if v.kind == kind], caught)
    missed = [version for version in made if version not in caught]
    figures["missed_superseded"] = sum(1 for v in missed if _superseded(v, by_url))
    figures["missed_current"] = len(missed) - figures["missed_superseded"]
    figures["missed_examples"] = [
        {"url": v.url, "kind": v.kind, "made_at": v.made_at.isoformat()}
        for v in missed
        if not _superseded(v, by_url)
    ][:5]
    figures["unexpected_archived"] = unexpected
    figures["duplicate_archived"] = duplicates
    return figures


def _site_version(
    archived: ArchivedVersion, by_url: dict[str, list[SiteVersion]]
) -> SiteVersion | None:
    candidates = by_url.get(archived.url) or by_url.get(archived.canonical_url) or []
    for version in candidates:
        if version.marker is not None and version.marker in archived.body:
            return version
    first = [v for v in candidates if v.marker is None]
    return first[0] if first else None


def _superseded(version: SiteVersion, by_url: dict[str, list[SiteVersion]]) -> bool:
    return by_url[version.url][-1] is not version


def _share(
    made: Sequence[SiteVersion], caught: dict[SiteVersion, ArchivedVersion]
) -> dict[str, Any]:
    lags = sorted((caught[v].created_at - v.made_at).total_seconds() for v in made if v in caught)
    count = len(lags)
    return {
        "made": len(made),
        "caught": count,
        "caught_share": round(count / len(made), 4) if made else None,
        "lag_median_s": round(statistics.median(lags), 1) if lags else None,
        "lag_p95_s": round(lags[min(count - 1, int(0.95 * count))], 1) if lags else None,
        "lag_max_s": round(lags[-1], 1) if lags else None,
    }


def current_uncaught(made: Sequence[SiteVersion], archived: Sequence[ArchivedVersion]) -> int:
    """Versions the site serves now that the archive has not caught (the drain waits on it)."""
    figures = match_versions(made, archived)
    return int(figures["missed_current"])
