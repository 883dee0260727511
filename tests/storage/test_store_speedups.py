"""What makes saves fast must not change what they store: remembered site, author and fetch
ids, identity keys computed once, a version's rows written before its article points at it
(the search index must hold its byline and captions), batches, and lookups answered from
indexes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Connection, event, select

from parsers.record import ArticleRecord, Image
from parsers.urls import normalize_url
from storage import saving
from storage.contract import FetchInfo
from storage.db import Database
from storage.identity import url_key
from storage.models import Article, ArticleVersion, Author, Base, Site, VersionAuthor
from storage.saving import Incoming
from storage.search import Search, SearchQuery
from storage.store import Store
from tests.storage.tables import Rows

SEEN = datetime(2025, 12, 7, 10, 0, tzinfo=UTC)


def _record(
    number: int, *, site: str = "navalmonitor.example", authors: tuple[str, ...] = ("Navy Desk",)
) -> ArticleRecord:
    url = f"https://{site}/story-{number}/"
    return ArticleRecord(
        url=url,
        canonical_url=url,
        site=site,
        page_type="article",
        headline=f"Story {number}",
        authors=authors,
        updated_at=SEEN,
        body=(f"Body of story {number}.",),
        images=(Image(f"https://{site}/{number}.jpg", f"Picture {number}"),),
    )


def _filed(database: Database) -> list[tuple[str, str, list[str]]]:
    """Each version as (its URL, its article's site, its byline in order), read by name."""
    query = (
        select(ArticleVersion.id, ArticleVersion.url, Site.name)
        .join(Article, Article.id == ArticleVersion.article_id)
        .join(Site, Site.id == Article.site_id)
        .order_by(ArticleVersion.id)
    )
    bylines = (
        select(VersionAuthor.version_id, Author.name)
        .join(Author, Author.id == VersionAuthor.author_id)
        .order_by(VersionAuthor.version_id, VersionAuthor.position)
    )
    with database.engine.connect() as connection:
        names: dict[int, list[str]] = {}
        for version_id, name in connection.execute(bylines):
            names.setdefault(version_id, []).append(name)
        return [(url, site, names.get(id_, [])) for id_, url, site in connection.execute(query)]


def test_stores_sharing_a_database_file_under_each_others_sites_and_authors(
    database: Database, rows: Rows
) -> None:
    first, second = Store(database), Store(database)
    first.save(_record(1, authors=("Ana",)))
    second.save(_record(2, authors=("Ana", "Ben")))
    first.save(_record(3, authors=("Ben", "Ana")))
    second.save(_record(4, site="eurodefencewire.example", authors=("Ben",)))
    first.save(_record(5, site="eurodefencewire.example", authors=("Cy", "Ana")))

    assert [row["name"] for row in rows("sites")] == [
        "navalmonitor.example",
        "eurodefencewire.example",
    ]
    assert [row["name"] for row in rows("authors")] == ["Ana", "Ben", "Cy"]
    assert [(site, byline) for _url, site, byline in _filed(database)] == [
        ("navalmonitor.example", ["Ana"]),
        ("navalmonitor.example", ["Ana", "Ben"]),
        ("navalmonitor.example", ["Ben", "Ana"]),
        ("eurodefencewire.example", ["Ben"]),
        ("eurodefencewire.example", ["Cy", "Ana"]),
    ]


def test_a_rolled_back_save_leaves_no_remembered_ids(
    database: Database, rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(database)
    store.save(_record(0, site="known.example", authors=("Old Hand",)))
    remember_urls = saving._remember_urls

    def fail_once_the_rows_are_in(*args: Any) -> None:
        remember_urls(*args)
        raise RuntimeError("the disk is gone")

    monkeypatch.setattr(saving, "_remember_urls", fail_once_the_rows_are_in)
    with pytest.raises(RuntimeError):
        store.save(_record(1, site="new.example", authors=("New Writer", "Old Hand")))
    monkeypatch.undo()
    assert [row["name"] for row in rows("sites")] == ["known.example"]
    assert [row["name"] for row in rows("authors")] == ["Old Hand"]
    # Another writer takes the ids the rolled-back rows had (SQLite hands them out again).
    Store(database).save(_record(2, site="other.example", authors=("Someone Else",)))

    again = store.save(_record(1, site="new.example", authors=("New Writer", "Old Hand")))
    assert again.outcome == "new"
    assert _filed(database) == [
        ("https://known.example/story-0/", "known.example", ["Old Hand"]),
        ("https://other.example/story-2/", "other.example", ["Someone Else"]),
        ("https://new.example/story-1/", "new.example", ["New Writer", "Old Hand"]),
    ]


def test_the_search_index_holds_each_versions_byline_and_captions(
    store: Store, database: Database
) -> None:
    first = replace(
        _record(1, authors=("Zofia Quellmark", "Navy Desk")),
        images=(
            Image("https://navalmonitor.example/a.jpg", None),
            Image("https://navalmonitor.example/b.jpg", "A lighthouse beyond the breakwater"),
        ),
    )
    edited = replace(
        first,
        body=("The story, rewritten.",),
        images=(Image("https://navalmonitor.example/c.jpg", "A tugboat alongside"),),
    )
    search = Search(database)

    store.save(first)
    assert [h.version_no for h in search.run(SearchQuery(text="Quellmark lighthouse")).hits] == [1]
    store.save(edited)
    assert [h.version_no for h in search.run(SearchQuery(text="Quellmark tugboat")).hits] == [2]
    assert search.run(SearchQuery(text="lighthouse")).total == 0


def test_a_save_takes_its_fetchs_time_whichever_store_recorded_the_fetch(
    database: Database, rows: Rows
) -> None:
    recorder, other = Store(database), Store(database)
    early = recorder.record_fetch(FetchInfo(url=_record(1).url, fetched_at=SEEN, status=200))
    later = SEEN + timedelta(hours=5)
    late = recorder.record_fetch(FetchInfo(url=_record(2).url, fetched_at=later, status=200))

    recorder.save(_record(1), fetch_id=early)
    other.save(_record(2), fetch_id=late)
    other.save(_record(1), fetch_id=late)

    assert [(a["first_seen"], a["last_seen"]) for a in rows("articles")] == [
        (SEEN, later),
        (later, later),
    ]
    assert [v["fetch_id"] for v in rows("article_versions")] == [early, late]


def test_a_batch_files_records_as_saving_them_one_by_one_would(store: Store, rows: Rows) -> None:
    original = _record(1)
    fetch_id = store.record_fetch(FetchInfo(url=original.url, fetched_at=SEEN, status=200))
    copy_url = "https://navalmonitor.example/copy-of-story-1/"
    batch: list[tuple[ArticleRecord, int | None]] = [
        (original, fetch_id),
        (original, None),
        (replace(original, body=("Edited.",)), None),
        (replace(original, body=("Edited.",), url=copy_url, canonical_url=copy_url), None),
        (_record(2), None),
    ]

    results = store.save_many(batch)

    assert [(r.outcome, r.article_id, r.version_no, r.kind) for r in results] == [
        ("new", 1, 1, "first"),
        ("unchanged", 1, 1, None),
        ("new_version", 1, 2, "silent_edit"),
        ("duplicate_of", 1, 2, None),
        ("new", 2, 1, "first"),
    ]
    assert rows("articles")[0]["first_seen"] == SEEN
    assert [(a["url_key"], a["reason"]) for a in rows("article_aliases")] == [
        (copy_url, "same_text")
    ]
    assert store.save_many([]) == []


@pytest.fixture
def selects(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT run on the database while the test runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def remember(_c: Connection, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", remember)
    yield seen
    event.remove(database.engine, "before_cursor_execute", remember)


def test_every_lookup_of_saves_and_reads_is_answered_from_an_index(
    store: Store, database: Database, selects: list[tuple[str, Any]]
) -> None:
    """Deduplication must cost the same in a small archive and a huge one: no table scans."""
    record = _record(1)
    alias = "https://navalmonitor.example/?p=1"
    store.save(record, FetchInfo(url=record.url, fetched_at=SEEN, status=200, warc_file="a"))
    store.save(record)
    store.save(replace(record, url=alias))
    store.save(replace(_record(2), body=record.body, headline=record.headline))
    store.save(replace(record, body=("Edited.",)), reparse=True)
    for url in (record.url, alias, "https://navalmonitor.example/unknown/"):
        store.get_article(url)
    store.last_capture(record.url)

    plans = {statement: _plan(database, statement, parameters) for statement, parameters in selects}
    assert len(plans) >= 7  # sites, authors, the find, two current-version reads, two reads
    assert {statement: plan for statement, plan in plans.items() if _scans(plan)} == {}


def _plan(database: Database, statement: str, parameters: Any) -> list[str]:
    with database.engine.connect() as connection:
        if database.dialect == "sqlite":
            found = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return [row[-1] for row in found]
        connection.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: plans as if big
        found = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        plan = [row[0] for row in found]
        connection.rollback()
        return plan


def _scans(plan: list[str]) -> bool:
    """Whether a step reads a whole table (SQLite `SCAN t`, not of a subquery's rows;
    PostgreSQL `Seq Scan on t`)."""
    tables = set(Base.metadata.tables)
    return any(
        (step.startswith("SCAN ") and step.split()[1] in tables) or "Seq Scan on" in step
        for step in plan
    )


_HOSTS = st.sampled_from(["example.com", "WWW.Example.com", "amp.amp.example.com", "m.example.com"])
_PATHS = st.sampled_from(["/a", "/a/", "/A/amp/", "/a/amp/amp", "/a.amp.html", ""])
_QUERIES = st.sampled_from(["", "?p=1", "?utm_source=x&p=2", "?amp", "?a=b c", "?a=b+c&b"])


@given(
    st.sampled_from(["http", "HTTPS", "https"]),
    _HOSTS,
    st.sampled_from(["", ":443", ":80", ":8080"]),
    _PATHS,
    _QUERIES,
    st.booleans(),
)
def test_a_records_keys_are_the_url_keys_of_its_urls(
    scheme: str, host: str, port: str, path: str, query: str, declares_itself: bool
) -> None:
    url = f"{scheme}://{host}{port}{path}{query}#top"
    canonical = url if declares_itself else "https://example.com/other/"
    incoming = Incoming.of(replace(_record(1), url=url, canonical_url=canonical))

    assert incoming.fetched_key == url_key(url)
    assert incoming.canonical_key == url_key(normalize_url(canonical))


def test_bylines_and_images_of_any_length_keep_their_printed_order(
    store: Store, database: Database, rows: Rows
) -> None:
    bare = replace(_record(1, authors=()), images=())
    store.save(bare)
    site = "https://navalmonitor.example"
    images = tuple(Image(f"{site}/{n}.jpg", None if n == 2 else f"Picture {n}") for n in (3, 1, 2))
    edited = replace(bare, authors=("Cy", "Ana", "Ben"), body=("Rewritten.",), images=images)
    assert store.save(edited).kind == "silent_edit"

    assert _filed(database) == [
        (bare.url, "navalmonitor.example", []),
        (bare.url, "navalmonitor.example", ["Cy", "Ana", "Ben"]),
    ]
    assert [(i["version_id"], i["position"], i["url"], i["caption"]) for i in rows("images")] == [
        (2, 0, f"{site}/3.jpg", "Picture 3"),
        (2, 1, f"{site}/1.jpg", "Picture 1"),
        (2, 2, f"{site}/2.jpg", None),
    ]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_syncs_its_log_at_checkpoints_only_every_10000_pages(database: Database) -> None:
    """Durability traded for speed (storage.db): the raw WARC files are synced instead. The
    checkpoints are the thread's (`storage.checkpoints`); commits make them past 40,000."""
    with database.engine.connect() as connection:
        settings = [
            connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "wal_autocheckpoint")
        ]
    assert settings == ["wal", 1, 40_000]  # synchronous 1: NORMAL
    assert database.checkpointer is not None
    assert database.checkpointer.restart_pages == 10_000
