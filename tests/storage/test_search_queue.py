"""SQLite's search queue (migration 0009): saves queue articles, batches index them, a
search that may write finds every saved version whatever is still queued, and a read-only
one searches what writers indexed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete, select, text, update
from sqlalchemy.exc import OperationalError

from parsers.record import ArticleRecord
from storage import Archive, search_queue
from storage.db import Database, downgrade, open_database, upgrade
from storage.models import Article, ArticleVersion, VersionAuthor, VersionImage
from storage.search import Search, SearchQuery
from storage.search_queue import INDEX_EVERY, catch_up, queued
from storage.store import Store
from tests.storage.test_search import FRIGATE
from tests.storage.test_search_index import GEARBOX, _assert_index_agrees


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    opened = open_database(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    yield opened
    opened.close()


def _numbered(count: int, start: int = 0) -> list[ArticleRecord]:
    return [
        replace(
            FRIGATE,
            url=f"https://navalmonitor.example/news/{n}/",
            canonical_url=f"https://navalmonitor.example/news/{n}/",
            headline=f"Frigate {n} begins sea trials",
            body=(f"Hull number marker{n} left the yard for propulsion trials.",),
        )
        for n in range(start, start + count)
    ]


def _indexed_rows(database: Database) -> int:
    with database.engine.connect() as connection:
        count: int = connection.execute(text("SELECT count(*) FROM search_fts")).scalar_one()
    return count


def _total(database: Database, words: str) -> int:
    return Search(database).run(SearchQuery(text=words)).total


def test_saves_below_the_batch_wait_in_the_queue_and_a_search_finds_them(
    database: Database,
) -> None:
    store = Store(database)
    for record in _numbered(INDEX_EVERY - 1):
        store.save(record)

    assert (queued(database), _indexed_rows(database)) == (INDEX_EVERY - 1, 0)
    assert _total(database, "marker3") == 1
    assert (queued(database), _indexed_rows(database)) == (0, INDEX_EVERY - 1)
    assert _total(database, "frigate") == INDEX_EVERY - 1
    _assert_index_agrees(database)


def test_the_save_that_fills_a_batch_indexes_it_in_its_own_transaction(
    database: Database,
) -> None:
    store = Store(database)
    for record in _numbered(INDEX_EVERY):
        store.save(record)

    assert (queued(database), _indexed_rows(database)) == (0, INDEX_EVERY)
    _assert_index_agrees(database)


def test_a_backlog_drains_a_bounded_batch_per_save(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(database)
    with monkeypatch.context() as patched:  # a backlog, as bulk writes leave one
        patched.setattr("storage.store.index_due", lambda _connection: None)
        for record in _numbered(3 * INDEX_EVERY):
            store.save(record)
    monkeypatch.setattr(search_queue, "SAVE_BATCH", INDEX_EVERY)

    store.save(_numbered(1, start=1000)[0])

    assert queued(database) == 2 * INDEX_EVERY + 1
    assert catch_up(database) == 2 * INDEX_EVERY + 1
    _assert_index_agrees(database)


def test_a_catch_up_runs_a_transaction_per_batch(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(database)
    for record in _numbered(10):
        store.save(record)
    monkeypatch.setattr(search_queue, "CATCH_UP_BATCH", 3)
    batches: list[int] = []
    index_queued = search_queue.index_queued

    def counted(connection: Connection, batch: int) -> int:
        done = index_queued(connection, batch)
        batches.append(done)
        return done

    monkeypatch.setattr(search_queue, "index_queued", counted)

    assert catch_up(database) == 10
    assert batches == [3, 3, 3, 1]
    _assert_index_agrees(database)


def test_moves_and_removals_while_queued_end_as_if_indexed_at_once(database: Database) -> None:
    store = Store(database)
    store.save(FRIGATE)
    assert store.save(GEARBOX).outcome == "new_version"
    first = select(ArticleVersion.id).where(ArticleVersion.version_no == 1).scalar_subquery()
    with database.transaction() as session:  # the pointer back at version 1, then forward
        session.execute(update(Article).values(current_version_id=first))
    assert queued(database) == 1

    assert _total(database, "gearbox") == 0
    assert _total(database, "propulsion") == 1
    _assert_index_agrees(database)

    store.save(_numbered(1)[0])  # another article waits in the queue
    frigate = Article.canonical_url == FRIGATE.url
    second = select(ArticleVersion.id).where(ArticleVersion.version_no == 2).scalar_subquery()
    with database.transaction() as session:  # forward and back, then the replaced one goes
        for pointer in (second, first):
            session.execute(update(Article).where(frigate).values(current_version_id=pointer))
        for table in (VersionAuthor, VersionImage):
            session.execute(delete(table).where(table.version_id == second))
        session.execute(delete(ArticleVersion).where(ArticleVersion.version_no == 2))
    assert queued(database) == 2
    assert _total(database, "gearbox") == 0
    _assert_index_agrees(database)


def test_an_unwritable_database_is_searched_as_it_is_with_a_warning(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(database)
    store.save(FRIGATE)

    def refused(_connection: object, _batch: int) -> int:
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(search_queue, "index_queued", refused)
    with caplog.at_level(logging.WARNING, logger="storage.search_queue"):
        assert _total(database, "propulsion") == 0
    assert "readonly" in caplog.text
    assert queued(database) == 1


def test_the_downgrade_indexes_the_queue_and_indexing_in_the_save_returns(
    database: Database,
) -> None:
    store = Store(database)
    store.save(FRIGATE)
    downgrade(database, "0008")
    try:
        assert _indexed_rows(database) == 1
        with database.transaction() as session:  # 0005's triggers index as the pointer moves
            session.execute(update(Article).values(current_version_id=None))
            session.execute(
                update(Article).values(
                    current_version_id=select(ArticleVersion.id).scalar_subquery()
                )
            )
        assert _indexed_rows(database) == 1
    finally:
        upgrade(database)
    assert queued(database) == 0
    _assert_index_agrees(database)


def test_an_archive_older_than_the_queue_opened_read_only_is_searched(
    database: Database,
) -> None:
    Store(database).save(FRIGATE)
    catch_up(database)
    downgrade(database, "0008")
    with Archive.open(str(database.url)) as archive:
        assert archive.search("propulsion").total == 1
