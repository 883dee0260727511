"""The archive's one SQLite library: the bundled current one where installed, else Python's."""

from __future__ import annotations

import importlib
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy.exc import IntegrityError

from storage.db import open_database
from storage.sqlite_driver import driver, is_unique_violation
from storage.write_retries import lost_a_race

REPO = Path(__file__).resolve().parents[2]


def _modules() -> Iterator[ModuleType]:
    yield sqlite3
    try:
        yield importlib.import_module("pysqlite3.dbapi2")
    except ImportError:
        return


@pytest.fixture(params=list(_modules()), ids=lambda module: module.__name__)
def module(request: pytest.FixtureRequest) -> ModuleType:
    return request.param  # type: ignore[no-any-return]


def _error_of(module: ModuleType, statement: str) -> Exception:
    connection = module.connect(":memory:")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL)")
    connection.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))")
    connection.execute("INSERT INTO parent VALUES (1, 'a')")
    try:
        connection.execute(statement)
    except module.IntegrityError as exc:
        return exc
    finally:
        connection.close()
    raise AssertionError(f"no error from {statement}")


@pytest.mark.parametrize(
    ("statement", "unique"),
    [
        ("INSERT INTO parent VALUES (2, 'a')", True),
        ("INSERT INTO parent VALUES (1, 'b')", True),
        ("INSERT INTO parent VALUES (2, NULL)", False),
        ("INSERT INTO child VALUES (9)", False),
    ],
    ids=["unique", "primary key", "not null", "foreign key"],
)
def test_a_lost_race_is_told_from_other_constraint_failures(
    module: ModuleType, statement: str, unique: bool
) -> None:
    """Python's module reports extended codes, pysqlite3 the primary one and a message."""
    error = _error_of(module, statement)
    assert is_unique_violation(error) is unique
    wrapped = IntegrityError(statement, (), error)
    assert lost_a_race(wrapped) is unique


def test_the_archive_connects_through_the_chosen_library(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        assert database.engine.dialect.dbapi is driver
        assert database.write_engine.dialect.dbapi is driver
        with database.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, driver.Connection)
    finally:
        database.close()


def test_without_the_bundled_library_python_s_own_serves(tmp_path: Path) -> None:
    """pysqlite3 hidden (as on platforms it has no wheels for): an archive is made, saved
    to, searched and read back through the standard library's module."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["pysqlite3"] = None  # import fails, as where it is not installed
        import sqlite3
        from datetime import UTC, datetime
        from pathlib import Path
        from parsers import parse
        from storage.archive import Archive
        from storage.contract import FetchInfo
        from storage.db import open_database
        from storage.search import Search, SearchQuery
        from storage.sqlite_driver import driver
        from storage.store import Store

        assert driver is sqlite3, driver
        page = Path({str(REPO / "tests/fixtures/rnamedia.in")!r})
        html = (page / "turkey-drone-facility-pakistan.html").read_bytes()
        url = "https://rnamedia.in/after-corvette-class-warships-turkey-eyes-drone-facility-in-pakistan/"
        when = datetime(2025, 7, 1, tzinfo=UTC)
        url_db = "sqlite:///{tmp_path / "fallback.sqlite3"}"
        database = open_database(url_db)
        store = Store(database)
        first = store.save(parse(html, url, when), FetchInfo(url=url, fetched_at=when, status=200))
        again = store.save(parse(html, url, when), FetchInfo(url=url, fetched_at=when, status=200))
        assert database.engine.dialect.dbapi is sqlite3
        hits = Search(database).run(SearchQuery(text="drone")).hits
        database.close()
        with Archive.open(url_db, read_only=True) as archive:
            history = archive.history(url)
        print(first.outcome, again.outcome, len(hits), len(history))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["new", "unchanged", "1", "1"]
