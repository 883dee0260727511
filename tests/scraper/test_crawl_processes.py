"""A crawl with parsing processes and its own filing process: the same archive as a crawl in
one process (every article once, revisits on the recheck, the WARC files finished and
verified), and the cases that stay in one process."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from scraper.demo_site import DemoSite
from scraper.filing_process import ProcessWriter, _sendable, shared_database_url
from scraper.recorder import ThreadWriter
from scraper.run import RunOptions, run_once
from scraper.run_workers import batch_writer
from scraper.settings import Settings
from storage.archive_check import verify_archive
from storage.db import Database, open_database
from storage.models import Article, ArticleVersion, Fetch
from tests.scraper.crawl_helpers import count, demo_config, later, versions_by_url
from tests.storage.conftest import database, postgres_database, postgres_server

__all__ = ["database", "postgres_database", "postgres_server"]  # fixtures, for pytest


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with DemoSite() as demo:
        yield demo


def test_a_crawl_filed_by_its_own_process_archives_everything_once(
    site: DemoSite, tmp_path: Path, database: Database
) -> None:
    config = demo_config(site, tmp_path, parse_workers=1)

    first = run_once(config, (), RunOptions(), database)
    recheck = run_once(config, (), RunOptions(clock=later(hours=2)), database)

    assert not any(s.failed for s in (*first.sites, *recheck.sites))
    assert set(versions_by_url(database)) == set(site.article_urls())
    assert sum(s.new_articles for s in first.sites) == count(database, Article)
    assert count(database, ArticleVersion) == count(database, Article)
    assert sum(s.not_modified for s in recheck.sites) == len(site.article_urls())
    warc_dir = Path(config.settings.warc_dir)
    assert list(warc_dir.glob("*.open")) == []  # the filing process finished its file
    report = verify_archive(database, warc_dir)
    assert report.ok, report.problems
    with database.session() as session:
        answered = session.scalar(select(func.count(Fetch.id)).where(Fetch.status.is_not(None)))
    assert report.refs == answered


def test_filing_stays_in_the_crawler_when_asked_or_when_the_database_is_in_memory(
    tmp_path: Path,
) -> None:
    file_database = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    memory_database = open_database("sqlite://")
    settings = Settings(warc_dir=tmp_path / "warc")

    async def writers() -> list[str]:
        async with AsyncExitStack() as stack:
            kinds = [
                await batch_writer(stack, settings, file_database, own_process=True),
                await batch_writer(stack, settings, file_database, own_process=False),
                await batch_writer(stack, settings, memory_database, own_process=True),
            ]
            return [type(kind).__name__ for kind in kinds]

    try:
        assert asyncio.run(writers()) == [
            ProcessWriter.__name__,
            ThreadWriter.__name__,
            ThreadWriter.__name__,
        ]
    finally:
        file_database.close()
        memory_database.close()


def test_another_process_opens_the_same_database_by_its_full_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sqlite = open_database("sqlite:///data/b.sqlite3")
    try:
        assert shared_database_url(sqlite) == f"sqlite:///{tmp_path / 'data' / 'b.sqlite3'}"
    finally:
        sqlite.close()
    url = "postgresql+psycopg://crawler:s3cret@db.example:5432/archive"
    engine = create_engine(url)
    assert shared_database_url(Database(engine, engine)) == url


class _Unpicklable(Exception):
    def __init__(self, message: str, code: int) -> None:  # pickling loses `code`
        super().__init__(message)
        self.code = code


def test_an_error_that_cannot_cross_processes_is_sent_as_its_text() -> None:
    sent = _sendable(_Unpicklable("lost the connection", 7))
    assert isinstance(sent, RuntimeError)
    assert str(sent) == "_Unpicklable: lost the connection"
    plain = ValueError("bad page")
    assert _sendable(plain) is plain
    pickle.dumps(sent)
