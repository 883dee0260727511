"""The run log: every pass's report, for `newsarchive status` and for looking back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.db import Database
from storage.models import Run


class RunLog:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(
        self, started_at: datetime, finished_at: datetime, exit_code: int, report: dict[str, Any]
    ) -> int:
        with self.database.transaction() as session:
            run = Run(
                started_at=started_at, finished_at=finished_at, exit_code=exit_code, report=report
            )
            session.add(run)
            session.flush()
            return run.id

    def recent(self, limit: int = 50) -> list[Run]:
        """The latest runs, newest first."""
        with self.database.session() as session:
            query = select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)
            return list(session.scalars(query))
