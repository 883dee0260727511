"""Story clusters kept up while pages are filed: whatever files a batch (a thread, the filing
process) clusters the versions it made every so often, with the sketches their parses made;
a clustering that fails leaves its articles to the run's closing step (on both databases)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import storage.clusters
from parsers.record import ArticleRecord, ParserInfo
from scraper.demo_site import DemoSite
from scraper.fetch_result import FetchResult, SentRequest
from scraper.filing_clusters import FiledClusters
from scraper.filing_process import FilingSetup, ProcessWriter, shared_database_url
from scraper.recorder import BatchWriter, Page, Recorder, ThreadWriter
from scraper.run_workers import process_context
from storage.clusters import Clusters
from storage.clusters_minhash import Sketch, method, sketch_of
from storage.db import Database
from storage.models import Article, ArticleVersion, ClusterSignature
from storage.page_filing import PageFiler, prepare_save
from storage.warc import WarcArchive
from tests.scraper.crawl_helpers import count, crawl, demo_config
from tests.storage.conftest import database, postgres_database, postgres_server
from tests.storage.test_clusters import CORE, UNRELATED, WIRE_AS_RUN

__all__ = ["database", "postgres_database", "postgres_server"]  # fixtures, for pytest

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _page(n: int, site: str, body: tuple[str, ...], sketch_of_body: tuple[str, ...]) -> Page:
    """An article page whose parse sketched `sketch_of_body` (its own body, or another's)."""
    url = f"https://{site}/story-{n}/"
    record = ArticleRecord(
        url=url,
        canonical_url=url,
        site=site,
        page_type="article",
        headline=f"Story {n}",
        body=body,
        parser=ParserInfo("generic", "1"),
    )
    result = FetchResult(
        url=url,
        final_url=url,
        status=200,
        reason="OK",
        headers=(("Content-Type", "text/html"),),
        request=SentRequest("GET", url, (("User-Agent", "tester"),)),
        body=b"<p>story</p>",
        raw_body=b"<p>story</p>",
        http_version="HTTP/1.1",
        fetched_at=T0 + n * timedelta(seconds=1),
        elapsed=0.01,
        redirects=(),
        attempts=1,
        not_modified=False,
    )
    sketch = sketch_of("\n\n".join(sketch_of_body))
    return Page(result, site, False, record=record, prepared=prepare_save(record), sketch=sketch)


def _wire_pages() -> list[Page]:
    """The wire story as three sites ran it, and an unrelated story."""
    pages = [_page(n, site, body, body) for n, (site, body) in enumerate(WIRE_AS_RUN.items())]
    return [*pages, _page(3, "newsdesk.example", UNRELATED, UNRELATED)]


def _file(writer: BatchWriter, pages: list[Page], *, rest: bool = False) -> int | None:
    """File the pages through `writer`; with `rest`, then ask it to cluster the rest."""

    async def run() -> int | None:
        recorder = Recorder(writer)
        try:
            await asyncio.gather(*(recorder.file(page) for page in pages))
            return await writer.cluster_rest() if rest else None
        finally:
            await writer.aclose()

    return asyncio.run(run())


def _cluster_ids(database: Database) -> dict[int, int | None]:
    with database.session() as session:
        return dict(session.execute(select(Article.id, Article.cluster_id)).all())


def _signatures(database: Database) -> dict[int, bytes | None]:
    with database.session() as session:
        rows = session.execute(
            select(ClusterSignature.article_id, ClusterSignature.signature).where(
                ClusterSignature.method == method()
            )
        )
        return dict(rows.all())


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[WarcArchive]:
    with WarcArchive(tmp_path / "warc", sync_each=False) as opened:
        yield opened


def test_a_thread_writer_clusters_what_it_filed_with_the_parses_sketches(
    database: Database, archive: WarcArchive
) -> None:
    pages = _wire_pages()
    # Another story whose parse (say) sketched the wire copy: its cluster follows the sketch.
    pages.append(_page(4, "shipyard.example", CORE, next(iter(WIRE_AS_RUN.values()))))
    writer = ThreadWriter(archive, PageFiler(database, (HOUR,)), FiledClusters(database, 2))

    _file(writer, pages)

    assert writer.clustered == 5
    assert _cluster_ids(database) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 1}
    signatures = _signatures(database)
    for article_id, page in enumerate(pages, start=1):
        assert page.sketch is not None and signatures[article_id] == page.sketch.encode()


def test_fewer_versions_than_a_clustering_are_left_to_the_closing_step(
    database: Database, archive: WarcArchive
) -> None:
    writer = ThreadWriter(archive, PageFiler(database, (HOUR,)), FiledClusters(database, 10))

    _file(writer, _wire_pages())

    assert writer.clustered == 0
    assert set(_cluster_ids(database).values()) == {None}
    assert Clusters(database).update() == 4
    assert _cluster_ids(database) == {1: 1, 2: 1, 3: 1, 4: 4}


def test_a_failed_clustering_fails_no_page_and_leaves_its_articles_due(
    database: Database, archive: WarcArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    clustering = FiledClusters(database, 1)

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("database gone")

    monkeypatch.setattr(clustering.clusters, "update", broken)
    writer = ThreadWriter(archive, PageFiler(database, (HOUR,)), clustering)

    _file(writer, _wire_pages())

    assert writer.clustered == 0
    assert len(_cluster_ids(database)) == 4  # every page filed
    assert Clusters(database).update() == 4


def test_pages_that_made_no_version_are_not_clustered(
    database: Database, archive: WarcArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _wire_pages()
    _file(ThreadWriter(archive, PageFiler(database, (HOUR,)), FiledClusters(database, 1)), pages)
    clustering = FiledClusters(database, 1)
    asked: list[object] = []
    monkeypatch.setattr(clustering.clusters, "update", lambda *a, **k: asked.append(a) or 0)

    _file(ThreadWriter(archive, PageFiler(database, (HOUR,)), clustering), pages[:2])  # unchanged

    assert asked == []


def test_the_filing_process_clusters_between_batches(tmp_path: Path, database: Database) -> None:
    url = shared_database_url(database)
    if url is None:
        pytest.skip("an SQLite database in memory cannot be shared with another process")
    setup = FilingSetup(url, tmp_path / "warc", (HOUR,), cluster_every=2)
    writer = ProcessWriter(setup, process_context())

    _file(writer, _wire_pages())

    assert writer.clustered == 4
    assert _cluster_ids(database) == {1: 1, 2: 1, 3: 1, 4: 4}


def test_the_filing_process_clusters_the_rest_with_the_sketches_it_was_sent(
    tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = shared_database_url(database)
    if url is None:
        pytest.skip("an SQLite database in memory cannot be shared with another process")
    pages = _wire_pages()
    # Another story whose parse (say) sketched the wire copy: only the sent sketch says so.
    pages.append(_page(4, "shipyard.example", CORE, next(iter(WIRE_AS_RUN.values()))))
    writer = ProcessWriter(
        FilingSetup(url, tmp_path / "warc", (HOUR,), cluster_every=10), process_context()
    )

    rest = _file(writer, pages, rest=True)

    assert (writer.clustered, rest) == (0, 5)  # fewer than 10: all left to the last step
    assert _cluster_ids(database) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 1}
    assert Clusters(database).update() == 0


def test_a_thread_writer_leaves_the_rest_to_the_run(
    database: Database, archive: WarcArchive
) -> None:
    writer = ThreadWriter(archive, PageFiler(database, (HOUR,)), FiledClusters(database, 10))

    assert _file(writer, _wire_pages(), rest=True) is None
    assert set(_cluster_ids(database).values()) == {None}


def test_a_filing_process_that_cannot_cluster_leaves_the_rest_to_the_run(
    tmp_path: Path, database: Database
) -> None:
    url = shared_database_url(database)
    if url is None:
        pytest.skip("an SQLite database in memory cannot be shared with another process")
    writer = ProcessWriter(FilingSetup(url, tmp_path / "warc", (HOUR,)), process_context())

    async def run() -> int | None:
        recorder = Recorder(writer)
        try:
            await recorder.file(_wire_pages()[0])
            for process in list(writer._executor._processes.values()):
                os.kill(process.pid, signal.SIGKILL)  # the filing process dies
                process.join()
            return await writer.cluster_rest()
        finally:
            await writer.aclose()

    assert asyncio.run(run()) is None


def test_a_run_with_a_filing_process_never_imports_datasketch_in_the_crawler(
    tmp_path: Path,
) -> None:
    """datasketch (scipy) costs a second to import: the parsing and filing processes fork
    with it, and the run's last clustering step is the filing process's."""
    script = f"""
import json, sys
from pathlib import Path
from scraper.config import load_config
from scraper.demo_config import demo_config_text
from scraper.demo_site import DemoSite
from scraper.run import RunOptions, run_once
from storage.db import open_database
from storage.models import Article
from sqlalchemy import func, select
data = Path({str(tmp_path)!r})
with DemoSite() as site:
    path = data / "schedules.yaml"
    path.write_text(demo_config_text(site, data / "data", parse_workers=1))
    config = load_config(path, environ={{}})
    database = open_database(f"sqlite:///{{data}}/archive.sqlite3")
    report = run_once(config, (), RunOptions(), database)
with database.session() as session:
    articles = session.scalar(select(func.count()).select_from(Article))
    unclustered = session.scalar(select(func.count()).where(Article.cluster_id.is_(None)))
print(json.dumps([report.clustered, articles, unclustered, "datasketch" in sys.modules]))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    clustered, articles, unclustered, imported = json.loads(done.stdout.splitlines()[-1])
    assert clustered == articles > 0 and unclustered == 0
    assert imported is False


def test_a_run_clusters_its_articles_without_hashing_their_bodies_again(
    tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []

    def spy(body: str) -> Sketch | None:
        hashed.append(body)
        return sketch_of(body)

    monkeypatch.setattr(storage.clusters, "sketch_of", spy)  # where clustering hashes bodies
    with DemoSite() as site:
        report = crawl(demo_config(site, tmp_path), database)

    assert report.clustered == count(database, Article) > 0
    assert all(sketch_of(body) is None for body in hashed)  # only bodies too short to sketch
    with database.session() as session:
        rows = session.execute(
            select(ArticleVersion.body, ClusterSignature.signature, ClusterSignature.method)
            .join(Article, Article.current_version_id == ArticleVersion.id)
            .join(ClusterSignature, ClusterSignature.article_id == Article.id)
        ).all()
    assert len(rows) == count(database, Article)
    for body, signature, made_by in rows:  # the parse's sketch is the stored body's
        sketch = sketch_of(body)
        assert made_by == method() and signature == (sketch.encode() if sketch else None)
