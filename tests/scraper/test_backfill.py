"""`newsarchive backfill`: older pages of section archives, within the date asked for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from scraper.cli import main
from scraper.demo_config import demo_config_text
from scraper.demo_site import DemoSite
from storage.db import open_database
from tests.scraper.crawl_helpers import versions_by_url

PAGES = 120  # over 5 sections of 10 teasers a page: every section has older pages


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with DemoSite.synthetic(hosts=1, pages_per_host=PAGES, seed=7) as demo:
        yield demo


def _sections_only(site: DemoSite, tmp_path: Path) -> Path:
    """Only section pages as sources: a regular pass sees their first pages only."""
    doc = yaml.safe_load(demo_config_text(site, tmp_path / "data"))
    for entry in doc["sites"].values():
        entry["feeds"], entry["sitemaps"], entry["robots_sitemaps"] = [], [], False
    path = tmp_path / "schedules.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _stored(tmp_path: Path) -> set[str]:
    database = open_database(f"sqlite:///{tmp_path / 'data' / 'archive.sqlite3'}")
    try:
        return set(versions_by_url(database))
    finally:
        database.close()


def test_backfill_reaches_the_older_archive_pages(site: DemoSite, tmp_path: Path) -> None:
    path = _sections_only(site, tmp_path)
    host = site.hosts[0]
    assert main(["run", "--config", str(path), "--log-format", "json"]) == 0
    first_pages = _stored(tmp_path)
    assert 0 < len(first_pages) < PAGES

    args = ["backfill", host, "--since", "2020-01-01", "--config", str(path)]
    assert main([*args, "--log-format", "json"]) == 0

    assert _stored(tmp_path) == set(site.article_urls())


def test_backfill_stops_at_the_date(site: DemoSite, tmp_path: Path) -> None:
    path = _sections_only(site, tmp_path)
    published = sorted(
        (article.published.astimezone(UTC), site.url_of(article)) for article in site.articles
    )
    middle = published[len(published) // 2][0]
    since = middle.date().isoformat()
    args = ["backfill", site.hosts[0], "--since", since, "--config", str(path)]

    assert main([*args, "--log-format", "json"]) == 0

    stored = _stored(tmp_path)
    cutoff = datetime.fromisoformat(since).replace(tzinfo=UTC)
    recent = {url for when, url in published if when >= cutoff}
    assert recent <= stored
    assert len(stored) < PAGES  # the oldest archive pages were not walked


def test_backfill_needs_a_site_and_a_date(site: DemoSite, tmp_path: Path) -> None:
    path = _sections_only(site, tmp_path)
    assert main(["backfill", "--since", "2020-01-01", "--config", str(path)]) == 2
    assert main(["backfill", site.hosts[0], "--since", "soon", "--config", str(path)]) == 2
