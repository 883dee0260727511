"""The interface cannot change the archive, on SQLite and PostgreSQL: it has only GET routes,
and the archive it serves refuses writes even from code that tries one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from starlette.routing import Mount, Route

from scraper.web import create_app
from storage.archive import Archive
from storage.db import Database
from storage.models import Article
from storage.store import Store
from tests.storage.conftest import database, postgres_database, postgres_server
from tests.web.conftest import HOSTILE, Made, TestClient, fill

__all__ = ["database", "postgres_database", "postgres_server"]


@pytest.fixture
def served(database: Database) -> Iterator[tuple[Made, Archive]]:
    """The hand-made archive in each kind of database, opened read-only as `serve` does."""
    made = fill(database)
    with Archive.open(made.url, read_only=True) as archive:
        yield made, archive


def test_every_route_answers_get_only(archive: Archive) -> None:
    app = create_app(archive)
    for route in app.routes:
        if isinstance(route, Route):
            assert route.methods == {"GET", "HEAD"}, route.path
        else:
            assert isinstance(route, Mount) and route.path == "/static"


def test_pages_answer_on_each_database(served: tuple[Made, Archive]) -> None:
    made, archive = served
    client = TestClient(create_app(archive), raise_server_exceptions=False)
    paths = [
        "/?q=drones",
        f"/articles/{made.hostile}",
        f"/articles/{made.hostile}/history",
        f"/articles/{made.hostile}/diff",
        "/health",
        "/stats?period=week",
        "/api/search?q=frigate",
        f"/api/articles/{made.wire}",
        "/api/export?format=csv",
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert "2 articles" in client.get("/", params={"q": "drones"}).text
    assert client.get("/", params={"since": "never"}).status_code == 400


def test_a_write_through_the_served_archive_fails(served: tuple[Made, Archive]) -> None:
    _made, archive = served
    with pytest.raises(DBAPIError):
        Store(archive.database).save(HOSTILE)
    with pytest.raises(DBAPIError), archive.database.session() as session:
        session.execute(text("DELETE FROM articles"))
        session.commit()
    with archive.database.session() as session:
        assert session.scalar(select(func.count(Article.id))) == 3
