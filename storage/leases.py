"""Frontier leases: how `newsarchive worker` processes share the due URLs of one archive.

A worker claims a batch of due URLs with `SELECT ... FOR UPDATE SKIP LOCKED`, so two workers
claiming at once take different rows without waiting for each other, and marks each with
its name and an expiry (`frontier_urls.lease_holder`, `lease_expires_at`). A claimed URL is
not handed out again while its lease runs: the worker renews the leases of what it still
holds, releases a URL as soon as it is filed, and a worker that dies simply stops renewing,
so its URLs are claimed again once their leases run out.

Lease times are the database server's clock (`statement_timestamp()`), the one clock every
machine shares; whether a URL is due is the caller's clock, as for `Frontier.due`. Only
PostgreSQL has the row locks this needs (`NeedsPostgresError` elsewhere).
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy.types import Float, Integer, String

from storage.db import Database
from storage.exceptions import NeedsPostgresError
from storage.frontier import DUE_STATES, DueUrl

_UNLEASED_DUE = """
    f.state = ANY(:states)
    AND f.next_due_at <= :due_at
    AND (f.lease_expires_at IS NULL OR f.lease_expires_at < statement_timestamp())"""
# The sites with a URL to claim, and whether this holder or another has live leases there.
_SURVEY = text(
    f"""
WITH leased AS (
    SELECT site_id,
           bool_or(lease_holder = :holder) AS mine,
           bool_or(lease_holder <> :holder) AS others
    FROM frontier_urls
    WHERE lease_holder IS NOT NULL AND lease_expires_at >= statement_timestamp()
    GROUP BY site_id)
SELECT s.id, s.name, coalesce(l.mine, false) AS mine, coalesce(l.others, false) AS others
FROM sites AS s LEFT JOIN leased AS l ON l.site_id = s.id
WHERE s.name = ANY(:sites)
  AND EXISTS (SELECT 1 FROM frontier_urls AS f WHERE f.site_id = s.id AND {_UNLEASED_DUE})
"""
).bindparams(bindparam("holder", type_=String))
# Up to `quota` due URLs of each planned site, in plan order, `limit` in all; rows another
# transaction is claiming are skipped, never waited for.
_CLAIM = text(
    f"""
WITH picked AS (
    SELECT url.id, site.name AS site
    FROM unnest(CAST(:site_ids AS integer[]), CAST(:names AS text[]),
                CAST(:quotas AS integer[])) AS site(id, name, quota)
    CROSS JOIN LATERAL (
        SELECT f.id FROM frontier_urls AS f
        WHERE f.site_id = site.id AND {_UNLEASED_DUE}
        ORDER BY f.next_due_at, f.id
        LIMIT site.quota
        FOR UPDATE SKIP LOCKED
    ) AS url
    LIMIT :limit
)
UPDATE frontier_urls AS f
SET lease_holder = :holder,
    lease_expires_at = statement_timestamp() + make_interval(secs => :lease)
FROM picked
WHERE f.id = picked.id
RETURNING f.id, picked.site, f.url, f.etag, f.last_modified, f.last_digest, f.state
"""
).bindparams(
    bindparam("limit", type_=Integer),
    bindparam("lease", type_=Float),
    bindparam("holder", type_=String),
)
# The holder's leases on these URLs, made to last at least `seconds` more (never less:
# renewing a URL put to rest does not wake it). Rows are locked in id order first, as the
# filing transactions lock them, so the two never deadlock.
_EXTEND = text(
    """
UPDATE frontier_urls
SET lease_expires_at = greatest(
    lease_expires_at, statement_timestamp() + make_interval(secs => :seconds))
WHERE id IN (
    SELECT id FROM frontier_urls WHERE id = ANY(:ids) AND lease_holder = :holder
    ORDER BY id FOR UPDATE)
RETURNING id
"""
).bindparams(bindparam("seconds", type_=Float))
_RELEASE = text(
    """
UPDATE frontier_urls SET lease_holder = NULL, lease_expires_at = NULL
WHERE id IN (
    SELECT id FROM frontier_urls WHERE id = ANY(:ids) AND lease_holder = :holder
    ORDER BY id FOR UPDATE)
"""
)
_RELEASE_ALL = text(
    """
UPDATE frontier_urls SET lease_holder = NULL, lease_expires_at = NULL
WHERE id IN (
    SELECT id FROM frontier_urls WHERE lease_holder = :holder ORDER BY id FOR UPDATE)
"""
)
_LIVE = text(
    """
SELECT url, lease_holder FROM frontier_urls
WHERE lease_holder IS NOT NULL AND lease_expires_at >= statement_timestamp()
"""
)


@dataclass(frozen=True, slots=True)
class LeasedUrl:
    """A claimed URL: its frontier row, its site, and what its fetch needs."""

    id: int
    site: str
    due: DueUrl


@dataclass(frozen=True, slots=True)
class SiteLeases:
    """A site with URLs to claim, and who holds live leases on its other URLs."""

    id: int
    name: str
    mine: bool
    others: bool


def plan_claim(
    sites: Sequence[SiteLeases], limit: int, spread: int, rng: random.Random | None = None
) -> list[tuple[SiteLeases, int]]:
    """Which sites a claim takes from, in order, and up to how many URLs of each.

    Sites this holder works on come first, then sites nobody works on, then the rest (each
    group in random order, so no site waits behind the same others every time): workers
    sharing hosts would contend for each host's turns, so each keeps to its own while it
    can. `limit` is spread evenly over the first `spread` of them.
    """
    pick = rng or random
    groups: tuple[list[SiteLeases], ...] = ([], [], [])
    for site in sites:
        groups[0 if site.mine else 2 if site.others else 1].append(site)
    ordered: list[SiteLeases] = []
    for group in groups:
        pick.shuffle(group)
        ordered += group
    chosen = ordered[: max(1, spread)]
    if not chosen:
        return []
    quota = math.ceil(limit / len(chosen))
    return [(site, quota) for site in chosen]


def require_postgres(database: Database, what: str) -> None:
    """Refuse SQLite in one line: workers need row locks that skip, and one shared clock."""
    if database.dialect != "postgresql":
        raise NeedsPostgresError(
            f"{what} needs PostgreSQL (it claims work with SELECT ... FOR UPDATE SKIP LOCKED); "
            f"the archive is {database.dialect}: {database.url.render_as_string()}"
        )


class FrontierLeases:
    """One worker's leases on frontier URLs; `holder` names the worker in the rows."""

    def __init__(self, database: Database, holder: str, lease_seconds: float) -> None:
        require_postgres(database, "leasing frontier URLs")
        if lease_seconds <= 0:
            raise ValueError(f"a lease must last a while, not {lease_seconds} s")
        self.database = database
        self.holder = holder
        self.lease_seconds = lease_seconds

    def claim(
        self, sites: Collection[str], limit: int, due_at: datetime, spread: int | None = None
    ) -> list[LeasedUrl]:
        """Up to `limit` URLs of `sites` due at `due_at` that no live lease holds; each is
        this holder's for `lease_seconds` from now. They come from at most `spread` sites
        (as many as the worker fetches from at once; default all), chosen as `plan_claim`
        says, so workers mostly keep to sites of their own."""
        if limit <= 0 or not sites:
            return []
        common = {"sites": sorted(sites), "states": list(DUE_STATES), "due_at": due_at}
        with self.database.transaction() as session:
            survey = session.execute(_SURVEY, common | {"holder": self.holder}).all()
            plan = plan_claim(
                [SiteLeases(row.id, row.name, row.mine, row.others) for row in survey],
                limit,
                spread or len(survey),
            )
            if not plan:
                return []
            values = common | {
                "site_ids": [site.id for site, _ in plan],
                "names": [site.name for site, _ in plan],
                "quotas": [quota for _, quota in plan],
                "limit": limit,
                "holder": self.holder,
                "lease": self.lease_seconds,
            }
            rows = session.execute(_CLAIM, values).all()
        ordered = sorted(rows, key=lambda row: int(row.id))
        return [LeasedUrl(row.id, row.site, DueUrl(*row[2:])) for row in ordered]

    def renew(self, ids: Collection[int]) -> set[int]:
        """Extend the leases still this holder's by `lease_seconds`; the ids that were."""
        return self._extend(ids, self.lease_seconds)

    def rest(self, ids: Collection[int], seconds: float) -> None:
        """Keep the URLs for `seconds` without working on them: a URL whose processing
        failed is not handed straight to another worker to fail again."""
        self._extend(ids, seconds)

    def release(self, ids: Collection[int]) -> None:
        """Give the URLs back at once (only leases still this holder's)."""
        if ids:
            with self.database.transaction() as session:
                session.execute(_RELEASE, {"ids": sorted(ids), "holder": self.holder})

    def release_all(self) -> None:
        """Give back every lease this holder has (a worker's last act)."""
        with self.database.transaction() as session:
            session.execute(_RELEASE_ALL, {"holder": self.holder})

    def _extend(self, ids: Collection[int], seconds: float) -> set[int]:
        if not ids:
            return set()
        values = {"ids": sorted(ids), "holder": self.holder, "seconds": seconds}
        with self.database.transaction() as session:
            return set(session.execute(_EXTEND, values).scalars())


def live_leases(database: Database) -> dict[str, str]:
    """URL -> holder of every lease that has not run out (what `status` and tests read)."""
    require_postgres(database, "reading frontier leases")
    with database.session() as session:
        return {row.url: row.lease_holder for row in session.execute(_LIVE)}
