"""Every store test runs twice: on SQLite and on a real PostgreSQL server.

The server is `$NEWSARCHIVE_TEST_PG` (a SQLAlchemy URL of a role that may create databases)
when set; else a private throwaway cluster started here from the PostgreSQL binaries on PATH
or under /usr/lib/postgresql (as the `postgres` user when running as root); else the
PostgreSQL half skips, saying why (`scripts/install-postgres.sh` installs the binaries).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database, open_database
from storage.models import Base
from storage.store import Store
from tests.pg_cluster import (
    ClusterError,
    as_cluster_owner,
    pg_bin_dir,
    private_cluster,
    scratch_database,
)
from tests.storage.tables import Rows, table_reader

PG_ENV = "NEWSARCHIVE_TEST_PG"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A SQLAlchemy URL of a PostgreSQL server the tests may create databases on."""
    configured = os.environ.get(PG_ENV)
    if configured:
        yield configured
        return
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        pytest.skip(
            f"PostgreSQL tests need a server: set {PG_ENV} or install PostgreSQL "
            "(scripts/install-postgres.sh)"
        )
    prefix = as_cluster_owner()
    if prefix is None:
        pytest.skip("PostgreSQL tests: running as root needs runuser and a 'postgres' user")
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(private_cluster(bin_dir, prefix))
        except ClusterError as exc:
            pytest.fail(str(exc))
        yield url


@pytest.fixture(scope="session")
def postgres_database(postgres_server: str) -> Iterator[Database]:
    """A scratch database on the server, migrated once; dropped when the session ends."""
    with scratch_database(postgres_server) as url:
        database = open_database(url)
        try:
            yield database
        finally:
            database.close()


def _empty(database: Database) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with database.transaction() as session:
        session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated archive database of each kind."""
    if request.param == "sqlite":
        sqlite = open_database(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
        yield sqlite
        sqlite.close()
        return
    postgres: Database = request.getfixturevalue("postgres_database")
    _empty(postgres)
    yield postgres


@pytest.fixture
def store(database: Database) -> Store:
    return Store(database)


@pytest.fixture
def rows(database: Database) -> Rows:
    """All rows of a table as dicts, in primary-key order: for full-state assertions."""
    return table_reader(database)
