"""Frontier moves made inside a caller's transaction, several at once (on both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage.db import Database
from storage.frontier import Discovered, Frontier
from storage.frontier_visits import Outcome, Visit, record_visits
from storage.write_retries import write_connection
from tests.storage.tables import Rows

HOUR = timedelta(hours=1)
RECHECK = (HOUR, 3 * HOUR, 12 * HOUR)
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SITE = "x.test"


def _url(n: int) -> str:
    return f"https://x.test/news/{n}"


def _rows_by_url(rows: Rows) -> dict[str, dict[str, Any]]:
    return {row["url"]: row for row in rows("frontier_urls")}


def _record(database: Database, visits: list[tuple[Visit, Outcome]]) -> None:
    with write_connection(database) as connection:
        record_visits(connection, visits, RECHECK)


def test_many_urls_move_in_one_call_each_by_its_own_outcome(database: Database, rows: Rows) -> None:
    Frontier(database, RECHECK).add(SITE, [Discovered(_url(n)) for n in range(4)], T0)
    now = T0 + HOUR

    _record(
        database,
        [
            (Visit(_url(0), now, etag='"e"', digest="d0"), "changed"),
            (Visit(_url(1), now), "unchanged"),
            (Visit(_url(2), now, error="timeout"), "error"),
            (Visit(_url(3), now), "gone"),
            (Visit("https://x.test/never-added", now), "changed"),
        ],
    )

    moved = _rows_by_url(rows)
    assert len(moved) == 4
    assert [(r["state"], r["recheck_step"], r["next_due_at"]) for r in moved.values()] == [
        ("active", 0, now + HOUR),
        ("active", 1, now + 3 * HOUR),
        ("new", 0, now + 30 * timedelta(minutes=1)),
        ("gone", 0, None),
    ]
    assert (moved[_url(0)]["etag"], moved[_url(0)]["last_digest"]) == ('"e"', "d0")
    assert (moved[_url(2)]["failure_count"], moved[_url(2)]["last_error"]) == (1, "timeout")


def test_a_url_visited_twice_in_one_call_moves_twice_in_order(
    database: Database, rows: Rows
) -> None:
    Frontier(database, RECHECK).add(SITE, [Discovered(_url(0)), Discovered(_url(1))], T0)

    _record(
        database,
        [
            (Visit(_url(0), T0), "unchanged"),
            (Visit(_url(1), T0), "unchanged"),
            (Visit(_url(0), T0 + HOUR, digest="later"), "unchanged"),
        ],
    )

    moved = _rows_by_url(rows)
    first = moved[_url(0)]
    assert (first["recheck_step"], first["next_due_at"]) == (2, T0 + HOUR + 12 * HOUR)
    assert (first["last_digest"], first["last_seen"]) == ("later", T0 + HOUR)
    assert moved[_url(1)]["recheck_step"] == 1
