"""A `newsarchive worker` whose WARC disk fills: it stops (exit 1, a `disk_full` event),
gives back the URLs it could not file, keeps what it stored, and a worker started once
there is room archives the rest, each page once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.config import load_config
from scraper.demo_site import DemoSite
from scraper.worker_enqueue import enqueue_once
from storage.db import Database, open_database
from storage.leases import live_leases
from storage.models import Article, ArticleVersion
from tests.reliability.test_disk_full import (
    CONCURRENCY,
    HOSTS,
    PAGES,
    assert_fetching_stopped,
    count,
    resize,
    site,
    small_disk,
)
from tests.reliability.worker_helpers import worker_args
from tests.scraper.crawl_helpers import article_gets
from tests.scraper.process_helpers import fresh_postgres_url, running, write_demo_config
from tests.storage.conftest import postgres_server

__all__ = ["postgres_server", "site", "small_disk"]  # fixtures for pytest


@pytest.fixture
def database(postgres_server: str) -> Iterator[Database]:
    with fresh_postgres_url(postgres_server) as url:
        database = open_database(url)
        yield database
        database.close()


def test_a_worker_stops_on_a_full_disk_and_another_finishes_the_archive(
    tmp_path: Path, small_disk: Path, site: DemoSite, database: Database
) -> None:
    url = database.url.render_as_string(hide_password=False)
    config = write_demo_config(
        site, tmp_path, url, warc_dir=str(small_disk), concurrency=CONCURRENCY, min_delay=0
    )
    enqueue_once(load_config(config, environ={}), database=database)
    site.clear_log()

    with running(*worker_args(config, "full", "--once", "--batch", "8")) as worker:
        assert worker.finish() == 1, worker.stderr_if_done()
    assert worker.named("disk_full"), worker.stderr_if_done()
    stored = count(database, Article)
    assert 0 < stored < HOSTS * PAGES
    assert count(database, ArticleVersion) == stored
    assert live_leases(database) == {}  # what it could not file went back at once
    assert_fetching_stopped(site, stored)

    resize(small_disk)
    site.clear_log()
    with running(*worker_args(config, "roomy", "--once")) as again:
        assert again.finish() == 0, again.stderr_if_done()
    assert count(database, Article) == count(database, ArticleVersion) == HOSTS * PAGES
    assert sum(article_gets(site.request_log, site).values()) == HOSTS * PAGES - stored
