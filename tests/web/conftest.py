"""Archives for the web tests: a small hand-made one with hostile markup, a story cluster, an
edited article and a site whose parser broke. The tests that run the real `newsarchive serve`
use the demo's archive (`demo_archive` in tests/conftest.py)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from parsers.record import ArticleRecord, Image, ParserInfo
from scraper.web import create_app
from storage.archive import Archive
from storage.clusters import Clusters
from storage.db import Database, open_database
from storage.models import ArticleVersion
from storage.store import Store

with warnings.catch_warnings():
    # Starlette 1.x asks for the httpx2 package and warns when it runs on httpx instead.
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from starlette.testclient import TestClient

DAY = datetime(2025, 12, 4, 9, 30, tzinfo=UTC)
HOSTILE_HEADLINE = '<script>alert("headline")</script> Frigate trials begin'
WIRE_BODY = (
    "The Defence Acquisition Council on Thursday cleared proposals worth 67,000 crore rupees, "
    "including long-range drones for the Navy and upgraded radars for the Air Force.",
    "Officials said the package gives priority to equipment designed and built in India, with "
    "most contracts expected to go to domestic shipyards and electronics firms.",
    "The Navy will receive thirty-one medium-altitude long-endurance drones to watch the sea "
    "lanes of the Indian Ocean, where research vessels have become frequent visitors.",
    "The Air Force gets a mid-life upgrade for its air defence radars and a new batch of "
    "precision-guided bombs for its fighter fleet.",
)
HOSTILE = ArticleRecord(
    url="https://evil.example/2025/12/frigate/",
    canonical_url="https://evil.example/2025/12/frigate/",
    site="evil.example",
    page_type="article",
    headline=HOSTILE_HEADLINE,
    standfirst="<b>bold</b> & friends",
    authors=("Ana <img src=x onerror=alert(1)>",),
    published_at=DAY,
    published_raw="4 Dec 2025",
    published_precision="day",
    section="Navy",
    tags=("<tag>",),
    language="en",
    body=("The frigate sailed at dawn with a crew of 180.", "</td><script>alert(2)</script>"),
    images=(
        Image("javascript:alert(3)", "<i>The ship</i> at sea", "Photo & Co", "a ship"),
        Image("https://evil.example/ship.jpg", "Second image", None, None),
    ),
    parser=ParserInfo("generic", "1"),
)
# The same article after an edit: headline reworded, a paragraph reworded, one added.
HOSTILE_EDITED = replace(
    HOSTILE,
    headline=HOSTILE_HEADLINE.replace("begin", "resume"),
    body=(
        "The frigate sailed at noon with a crew of 180.",
        "</td><script>alert(2)</script>",
        "A second sortie is planned for January.",
    ),
    updated_at=DAY + timedelta(days=1),
    updated_precision="minute",
)
WIRE = ArticleRecord(
    url="https://wire.example/council-clears-drones/",
    canonical_url="https://wire.example/council-clears-drones/",
    site="wire.example",
    page_type="article",
    headline="Council clears drones and radars",
    authors=("Ravi Kumar",),
    published_at=DAY - timedelta(days=2),
    published_precision="minute",
    section="Policy",
    body=WIRE_BODY,
    parser=ParserInfo("generic", "1"),
)
WIRE_COPY = replace(
    WIRE,
    url="https://copy.example/news/council-drones/",
    canonical_url="https://copy.example/news/council-drones/",
    site="copy.example",
    headline="Drones and radars cleared by council",
    authors=("Staff",),
    published_at=DAY - timedelta(days=1),
)
BROKEN_SITE = "broken.example"


@dataclass(frozen=True, slots=True)
class Made:
    """The hand-made archive: where it is and the ids of its articles."""

    url: str
    hostile: int
    wire: int
    wire_copy: int


def fill(database: Database) -> Made:
    """Write the hand-made archive's articles, clusters and parse log into `database`."""
    store = Store(database)
    hostile = store.save(HOSTILE, seen_at=DAY).article_id
    store.save(HOSTILE_EDITED, seen_at=DAY + timedelta(days=1))
    wire = store.save(WIRE, seen_at=DAY).article_id
    wire_copy = store.save(WIRE_COPY, seen_at=DAY + timedelta(hours=1)).article_id
    store.index_queued()  # searched read-only: indexed as a crawl's end indexes its saves
    Clusters(database).update()
    _backdate(database)
    _log_broken_parses(store)
    url = database.url.render_as_string(hide_password=False)
    return Made(url=url, hostile=hostile, wire=wire, wire_copy=wire_copy)


def _backdate(database: Database) -> None:
    """Versions saved on the days the tests search "as of" (a store stamps them now)."""
    with database.transaction() as session:
        for number, saved in ((1, DAY), (2, DAY + timedelta(days=1))):
            session.execute(
                update(ArticleVersion)
                .where(ArticleVersion.version_no == number)
                .values(created_at=saved)
            )


def _log_broken_parses(store: Store) -> None:
    """A baseline of full parses, then 50 without a byline: the byline fill rate dropped."""
    page = replace(WIRE, url="https://broken.example/a/", site=BROKEN_SITE)
    for _ in range(30):
        store.record_parse(page, None, BROKEN_SITE)
    for _ in range(50):
        store.record_parse(replace(page, authors=()), None, BROKEN_SITE)


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    folder = tmp_path_factory.mktemp("web-archive")
    database = open_database(f"sqlite:///{folder / 'archive.sqlite3'}")
    try:
        return fill(database)
    finally:
        database.close()


@pytest.fixture
def archive(made: Made) -> Iterator[Archive]:
    with Archive.open(made.url, read_only=True) as opened:
        yield opened


@pytest.fixture
def client(archive: Archive) -> Iterator[TestClient]:
    with TestClient(create_app(archive), raise_server_exceptions=False) as test_client:
        yield test_client
