"""Opening the database: URL choice, SQLite settings, and migrations that match the models."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from storage import db
from storage.db import (
    SQLITE_CACHE_KIB,
    Database,
    alembic_config,
    database_url,
    downgrade,
    open_database,
    upgrade,
)
from storage.exceptions import DatabaseUrlError
from storage.models import Article, Base, Site
from storage.models.search import include_name
from storage.settings import DATABASE_ENV, SQLITE_BUSY_TIMEOUT
from storage.sqlite_driver import driver

NOW = datetime(2025, 12, 7, 10, 0, tzinfo=UTC)


def test_url_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATABASE_ENV, "sqlite:///from-env.sqlite3")
    assert database_url("sqlite:///given.sqlite3").database == "given.sqlite3"
    assert database_url().database == "from-env.sqlite3"


def test_default_is_the_embedded_file_and_its_folder_is_created(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    database = open_database()
    try:
        assert database.dialect == "sqlite"
        assert (tmp_path / "data" / "archive.sqlite3").is_file()
    finally:
        database.close()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_postgres_urls_use_psycopg_3(scheme: str) -> None:
    assert database_url(f"{scheme}://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["not a url", "nosuchdb+driver://x/y", "mysql+nodriver://h/db"])
def test_unusable_urls_fail_in_one_line(url: str) -> None:
    with pytest.raises(DatabaseUrlError) as caught:
        open_database(url, migrate=False)
    assert "\n" not in str(caught.value)


def test_sqlite_runs_wal_with_foreign_keys_a_busy_timeout_and_its_cache(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        with database.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == int(SQLITE_BUSY_TIMEOUT * 1000)
            assert pragma("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB  # KiB when negative
            assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
        with pytest.raises(IntegrityError), database.transaction() as session:
            session.add(
                Article(site_id=999, url_key="k", canonical_url="u", first_seen=NOW, last_seen=NOW)
            )
    finally:
        database.close()


def test_a_write_transaction_takes_the_write_lock_at_begin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BEGIN IMMEDIATE, run on the DBAPI connection: a writer elsewhere makes it fail as
    SQLAlchemy's OperationalError once the busy timeout has passed, and it works again
    after."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT", 0.05)
    path = tmp_path / "a.sqlite3"
    database = open_database(f"sqlite:///{path}")
    other = driver.connect(path, isolation_level=None, timeout=0.05)
    try:
        # Begun, this transaction holds the lock: the other writer waits, then gives up.
        with database.write_engine.begin(), pytest.raises(driver.OperationalError):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"), database.write_engine.begin():
            pass
        other.execute("ROLLBACK")
        with database.write_engine.begin() as connection:
            connection.execute(text("INSERT INTO sites (name, created_at) VALUES ('a', '')"))
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM sites")).scalars().all() == ["a"]
    finally:
        other.close()
        database.close()


def test_a_failed_transaction_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(RuntimeError), database.transaction() as session:
        session.add(Site(name="rnamedia.in", created_at=NOW))
        session.flush()
        raise RuntimeError("boom")
    with database.session() as session:
        assert session.scalars(select(Site)).all() == []


def test_the_models_match_the_migrations(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_the_schema_is_at_the_newest_revision(database: Database) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    server: str = request.getfixturevalue("postgres_server")
    name = f"newsarchive_fresh_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_run_down_and_up_again(fresh_url: str) -> None:
    database = open_database(fresh_url)
    try:
        tables = set(Base.metadata.tables)
        assert tables <= set(inspect(database.engine).get_table_names())
        upgrade(database)  # a second run is a no-op
        downgrade(database, "base")
        assert set(inspect(database.engine).get_table_names()) & tables == set()
        upgrade(database)
        assert tables <= set(inspect(database.engine).get_table_names())
    finally:
        database.close()


def test_workers_opening_a_new_database_at_once_migrate_it_once(fresh_url: str) -> None:
    barrier, errors, opened = threading.Barrier(3), [], []

    def open_it() -> None:
        barrier.wait()
        try:
            opened.append(open_database(fresh_url))
        except Exception as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with opened[0].engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    for database in opened:
        database.close()
