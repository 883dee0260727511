"""Reading whole tables back, for tests that assert the full state of the archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from storage.db import Database
from storage.models import Base

# `rows("articles")`: every row of the table as a dict, in primary-key order.
Rows = Callable[[str], list[dict[str, Any]]]


def table_reader(database: Database) -> Rows:
    def read(table: str) -> list[dict[str, Any]]:
        schema = Base.metadata.tables[table]
        query = select(schema).order_by(*schema.primary_key.columns)
        with database.engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    return read
