"""Moving a URL on after a fetch, inside whatever write transaction the caller holds.

The crawler files a batch of fetched pages (fetch rows, parses, saves and this) in one
transaction, so the frontier's part is a function of a connection: one read of the few
columns the schedule depends on for the whole batch, then UPDATEs by id sent together (one
executemany per set of changed columns), no ORM object loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, Row, bindparam, select, update

from storage.identity import url_key
from storage.models import FrontierUrl

Outcome = Literal["changed", "unchanged", "not_article", "gone", "error"]
MAX_FAILURES = 5
ERROR_RETRY = timedelta(minutes=30)
# The column's width; a valid HTTP-date is 29 characters, a longer value is junk to drop.
MAX_LAST_MODIFIED = 64

_SCHEDULE_COLUMNS = select(
    FrontierUrl.id,
    FrontierUrl.url_key,
    FrontierUrl.state,
    FrontierUrl.recheck_step,
    FrontierUrl.failure_count,
).where(FrontierUrl.url_key.in_(bindparam("keys", expanding=True)))
CHUNK = 500  # keys per IN list: well under every database's limit on bound parameters
# The SET clause is the parameters' keys (compiled once per set of keys).
_UPDATE_BY_ID = update(FrontierUrl).where(FrontierUrl.id == bindparam("row_id"))
Scheduling = Row[int, str, str, int, int]


@dataclass(frozen=True, slots=True)
class Visit:
    """What one fetch of a URL left behind for the frontier.

    The validators replace the stored pair together (a server that drops its ETag must not
    be sent the stale one); a response with none (a bare 304) keeps them. No digest keeps
    the stored one.
    """

    url: str
    now: datetime
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    error: str | None = None


def record_visit(
    connection: Connection, visit: Visit, outcome: Outcome, recheck: Sequence[timedelta]
) -> None:
    """When the URL is due next and what to send then; a URL not in the frontier is left be."""
    record_visits(connection, [(visit, outcome)], recheck)


def record_visits(
    connection: Connection,
    visits: Sequence[tuple[Visit, Outcome]],
    recheck: Sequence[timedelta],
) -> None:
    """`record_visit` for each, in order, with one read for all of them. Rows are updated in
    id order, so two transactions moving the same URLs wait for each other, never deadlock."""
    for batch in _rounds(visits):
        keyed = {url_key(visit.url): (visit, outcome) for visit, outcome in batch}
        rows = sorted(_scheduling(connection, list(keyed)), key=lambda row: row.id)
        changes = [
            {"row_id": row.id, **_changes(row, *keyed[row.url_key], recheck)} for row in rows
        ]
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for change in changes:
            by_columns.setdefault(tuple(sorted(change)), []).append(change)
        for group in by_columns.values():
            connection.execute(_UPDATE_BY_ID, group)


def _rounds(visits: Sequence[tuple[Visit, Outcome]]) -> list[list[tuple[Visit, Outcome]]]:
    """The visits in rounds of distinct URLs: a URL visited twice is moved on twice, the
    second time from where the first left it."""
    rounds: list[list[tuple[Visit, Outcome]]] = []
    seen: list[set[str]] = []
    for visit, outcome in visits:
        key = url_key(visit.url)
        depth = next((i + 1 for i in reversed(range(len(seen))) if key in seen[i]), 0)
        if depth == len(rounds):
            rounds.append([])
            seen.append(set())
        rounds[depth].append((visit, outcome))
        seen[depth].add(key)
    return rounds


def _scheduling(connection: Connection, keys: list[str]) -> list[Scheduling]:
    rows: list[Scheduling] = []
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        rows += connection.execute(_SCHEDULE_COLUMNS, {"keys": chunk}).all()
    return rows


def _changes(
    row: Scheduling, visit: Visit, outcome: Outcome, recheck: Sequence[timedelta]
) -> dict[str, Any]:
    now = visit.now
    if outcome == "error":
        return {"last_seen": now, **_failed(row, now, visit.error)}
    values: dict[str, Any] = {
        "last_seen": now,
        "failure_count": 0,
        "last_error": None,
        "last_fetched_at": now,
    }
    if visit.etag or visit.last_modified:
        values["etag"] = visit.etag or None
        values["last_modified"] = _http_date(visit.last_modified)
    if visit.digest:
        values["last_digest"] = visit.digest
    if row.state != "source":
        values.update(_schedule(row, outcome, now, recheck))
    return values


def _schedule(
    row: Scheduling, outcome: Outcome, now: datetime, recheck: Sequence[timedelta]
) -> dict[str, Any]:
    if outcome in ("gone", "not_article"):
        return {"state": "gone" if outcome == "gone" else "other", "next_due_at": None}
    step = 0 if outcome == "changed" else row.recheck_step + 1
    if step >= len(recheck):
        return {"recheck_step": step, "state": "done", "next_due_at": None}
    return {"recheck_step": step, "state": "active", "next_due_at": now + recheck[step]}


def _failed(row: Scheduling, now: datetime, error: str | None) -> dict[str, Any]:
    failures = row.failure_count + 1
    values: dict[str, Any] = {"failure_count": failures, "last_error": error}
    if row.state == "source":
        return values
    if failures >= MAX_FAILURES:
        return {**values, "state": "failed", "next_due_at": None}
    return {**values, "next_due_at": now + ERROR_RETRY * 2 ** (failures - 1)}


def _http_date(value: str | None) -> str | None:
    return value if value and len(value) <= MAX_LAST_MODIFIED else None
