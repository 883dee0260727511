"""Prepared statements (the store's writes on the raw cursor) behave as `Connection.execute`
would: the same stored values, the same errors for the retry rule, visible to listeners."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, event, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, InvalidRequestError

from storage import search_queue, store
from storage.db import Database
from storage.models import Article, ArticleVersion, Author, Site
from storage.prepared import Prepared
from storage.save_queries import FIND_ARTICLE
from storage.write_retries import lost_a_race
from tests.storage.tables import Rows

WHEN = datetime(2025, 12, 7, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5)))
INSERT_SITE = Prepared(insert(Site).returning(Site.id))
INSERT_ARTICLE = Prepared(insert(Article).returning(Article.id))
SITE_BY_NAME = Prepared(select(Site.id, Site.created_at).where(Site.name == bindparam("name")))


@pytest.fixture
def connection(database: Database) -> Iterator[Connection]:
    with database.write_engine.begin() as connection:
        yield connection


def _article(site_id: int, key: str) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "url_key": key,
        "canonical_url": key,
        "first_seen": WHEN,
        "last_seen": WHEN,
    }


def test_rows_written_and_read_back_are_those_core_writes(database: Database, rows: Rows) -> None:
    with database.write_engine.begin() as connection:
        (prepared_id,) = INSERT_SITE.execute(connection, {"name": "a.example", "created_at": WHEN})
        connection.execute(insert(Site), {"name": "b.example", "created_at": WHEN})
        found = SITE_BY_NAME.execute(connection, {"name": "a.example"})

    first, second = rows("sites")
    assert prepared_id == (first["id"],)
    assert {**first, "id": 0, "name": ""} == {**second, "id": 0, "name": ""}
    assert first["created_at"] == WHEN and first["created_at"].tzinfo == UTC
    assert found == [(first["id"], WHEN)]


def test_json_and_missing_values_are_stored_as_core_stores_them(
    database: Database, rows: Rows
) -> None:
    statement = Prepared(insert(ArticleVersion))
    record = {"headline": "Frégate à quai", "authors": ["Ana"], "nested": {"n": 1}}
    with database.write_engine.begin() as connection:
        (site_id,) = INSERT_SITE.execute(connection, {"name": "a.example", "created_at": WHEN})[0]
        (article_id,) = INSERT_ARTICLE.execute(connection, _article(site_id, "https://a/1"))[0]
        statement.execute(connection, _version(article_id, 1, record))
        connection.execute(insert(ArticleVersion), _version(article_id, 2, record))

    prepared, core = rows("article_versions")
    assert prepared["record"] == record
    assert {**prepared, "id": 0, "version_no": 0} == {**core, "id": 0, "version_no": 0}


def _version(article_id: int, number: int, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "version_no": number,
        "kind": "first",
        "content_hash": "0" * 64,
        "url": "https://a/1",
        "canonical_url": "https://a/1",
        "page_type": "article",
        "headline": None,
        "body": "",
        "tags": [],
        "record": record,
        "parser_name": "p",
        "parser_version": "1",
        "fields_found": ["headline"],
        "published_at": None,
        "created_at": WHEN,
    }


def test_a_duplicate_key_is_the_lost_race_the_store_retries(connection: Connection) -> None:
    (site_id,) = INSERT_SITE.execute(connection, {"name": "a.example", "created_at": WHEN})[0]
    INSERT_ARTICLE.execute(connection, _article(site_id, "https://a/1"))

    with pytest.raises(IntegrityError) as raised:
        INSERT_ARTICLE.execute(connection, _article(site_id, "https://a/1"))
    assert lost_a_race(raised.value)


def test_every_row_of_a_batch_is_written(connection: Connection) -> None:
    Prepared(insert(Author)).execute_many(connection, [{"name": "Ana"}, {"name": "Ben"}])
    Prepared(insert(Author)).execute_many(connection, [])

    names = connection.execute(select(Author.name).order_by(Author.id)).scalars().all()
    assert names == ["Ana", "Ben"]


def test_a_value_left_out_is_an_error_not_a_null(connection: Connection) -> None:
    with pytest.raises(KeyError, match="name"):
        SITE_BY_NAME.execute(connection, {})


def test_a_list_parameter_is_refused(connection: Connection) -> None:
    statement = Prepared(select(Site.id).where(Site.name.in_(bindparam("names", expanding=True))))
    with pytest.raises(TypeError, match="expanding"):
        statement.execute(connection, {"names": ["a.example"]})


def test_listeners_see_the_statements(database: Database, connection: Connection) -> None:
    seen: list[tuple[str, Any]] = []

    def remember(_c: Connection, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", remember)
    try:
        SITE_BY_NAME.execute(connection, {"name": "a.example"})
    finally:
        event.remove(database.engine, "before_cursor_execute", remember)
    ((statement, parameters),) = seen
    assert statement.startswith("SELECT sites.id")
    assert "a.example" in (parameters.values() if isinstance(parameters, dict) else parameters)


def test_a_statement_outside_a_transaction_is_refused(database: Database) -> None:
    """SQLAlchemy would never commit it (and on PostgreSQL would roll it back)."""
    with database.write_engine.connect() as connection, pytest.raises(InvalidRequestError):
        SITE_BY_NAME.execute(connection, {"name": "a.example"})


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=str)
def test_statements_run_at_every_save_write_their_limits_in(dialect: Any) -> None:
    """A bound LIMIT makes newer SQLite compile the statement again at each run."""
    statements = (
        FIND_ARTICLE.statement,
        store._LAST_CAPTURE,
        search_queue._BATCH_WAITING.statement,
    )
    for statement in statements:
        sql = str(statement.compile(dialect=dialect))
        assert re.search(r"LIMIT \d+", sql), sql
        assert not re.search(r"LIMIT (\?|%\(|:)", sql), sql
