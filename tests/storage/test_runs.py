"""The run log on both databases: reports kept as given, read back newest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage.db import Database
from storage.runs import RunLog
from tests.storage.tables import Rows

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _report(n: int) -> dict[str, Any]:
    return {
        "sites": [{"site": "x.test", "fetched": n, "errors": {"timeout": 1}}],
        "note": "Bharat’s “run” № " + str(n),
        "ok": n % 2 == 0,
        "ratio": 0.5,
        "skipped": None,
    }


def test_a_recorded_run_is_stored_as_given(database: Database, rows: Rows) -> None:
    run_id = RunLog(database).record(T0, T0 + MINUTE, 1, _report(3))

    assert rows("runs") == [
        {
            "id": run_id,
            "started_at": T0,
            "finished_at": T0 + MINUTE,
            "exit_code": 1,
            "report": _report(3),
        }
    ]


def test_recent_runs_are_newest_first_by_start_and_limited(database: Database) -> None:
    log = RunLog(database)
    starts = [T0 + 10 * MINUTE, T0, T0 + 20 * MINUTE, T0 + 20 * MINUTE]
    ids = [log.record(start, start + MINUTE, 0, _report(n)) for n, start in enumerate(starts)]

    recent = log.recent()

    assert [run.id for run in recent] == [ids[3], ids[2], ids[0], ids[1]]
    assert [run.report for run in recent] == [_report(3), _report(2), _report(0), _report(1)]
    assert [run.id for run in log.recent(limit=2)] == [ids[3], ids[2]]


def test_no_runs_yet(database: Database) -> None:
    assert RunLog(database).recent() == []
