"""The search index follows the archive (migration 0005's triggers): current versions are what
a search finds, every version passed by the pointer is what `as_of` finds, whatever order rows
are written in and whoever writes them; the index always agrees with the rows it indexes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update

from storage.db import Database, downgrade, upgrade
from storage.models import Article, ArticleVersion, VersionAuthor, VersionImage
from storage.search import Search, SearchPage, SearchQuery
from storage.search_queue import catch_up
from storage.store import Store
from tests.storage.test_search import BUDGET, DAY, FRIGATE, SUBMARINE, save_on_an_old_revision

GEARBOX = replace(
    FRIGATE,
    headline="Frigate Returns Early From Sea Trials",
    body=("A gearbox fault cut the sortie short.",),
    updated_at=DAY + timedelta(days=3),
)


def _search(database: Database, words: str = "", **filters: Any) -> SearchPage:
    return Search(database).run(SearchQuery(text=words, **filters))


def _versions(page: SearchPage) -> list[tuple[str, int]]:
    return [(hit.url, hit.version_no) for hit in page.hits]


def _sql(database: Database, statement: str) -> list[Any]:
    with database.engine.connect() as connection:
        return list(connection.execute(text(statement)))


def _write(database: Database, statement: Any) -> None:
    with database.transaction() as session:
        session.execute(statement)


_FLAGGED_INDEXED = "SELECT version_id FROM search_versions WHERE is_indexed"


# `search_versions` rows that differ from what they copy and derive (none expected).
_VERSIONS_DIFFER = """
SELECT s.version_id FROM search_versions AS s
JOIN article_versions AS v ON v.id = s.version_id JOIN articles AS a ON a.id = v.article_id
WHERE s.article_id <> v.article_id OR s.version_no <> v.version_no OR s.site_id <> a.site_id
   OR s.created_at <> v.created_at OR s.section IS DISTINCT FROM v.section
   OR s.published_at IS DISTINCT FROM v.published_at
   OR s.updated_at IS DISTINCT FROM v.updated_at
   OR s.is_current <> (a.current_version_id = v.id)
   OR s.replaced_at IS DISTINCT FROM (SELECT min(w.created_at) FROM article_versions AS w
       WHERE w.article_id = v.article_id AND w.version_no > v.version_no)
UNION ALL
SELECT v.id FROM article_versions AS v
WHERE NOT EXISTS (SELECT 1 FROM search_versions AS s WHERE s.version_id = v.id)
"""


def _assert_index_agrees(database: Database) -> None:
    """Current index = the pointed-at versions; all-versions index = the versions flagged
    indexed, among them every version numbered up to its article's current one; each document
    = its rows now; `search_versions` = what it copies and derives (once the queue of
    articles to index, SQLite's, is caught up)."""
    catch_up(database)
    pointed = {row[0] for row in _sql(database, "SELECT current_version_id FROM articles")}
    passed = {
        row[0]
        for row in _sql(
            database,
            "SELECT v.id FROM article_versions AS v JOIN articles AS a ON a.id = v.article_id "
            "JOIN article_versions AS c ON c.id = a.current_version_id "
            "WHERE v.version_no <= c.version_no",
        )
    }
    if database.dialect == "sqlite":
        rowids = [row[0] for row in _sql(database, "SELECT rowid FROM search_fts")]
        current, indexed = {r for r in rowids if r > 0}, {abs(r) for r in rowids}
        assert len(indexed) == len(rowids)
        with database.engine.begin() as connection:  # raises if the index and rows disagree
            connection.execute(text("INSERT INTO search_fts(search_fts) VALUES('integrity-check')"))
        stale = _sql(
            database,
            "SELECT f.rowid FROM search_fts AS f JOIN article_versions AS v ON v.id = abs(f.rowid) "
            "WHERE f.body IS NOT v.body OR f.headline IS NOT v.headline",
        )
    else:
        current = {row[0] for row in _sql(database, "SELECT version_id FROM search_current")}
        replaced = {row[0] for row in _sql(database, "SELECT version_id FROM search_replaced")}
        assert current.isdisjoint(replaced)
        indexed = current | replaced
        stale = _sql(
            database,
            "SELECT version_id FROM search_current WHERE document <> search_document(version_id) "
            "UNION ALL SELECT version_id FROM search_replaced "
            "WHERE document <> search_document(version_id)",
        )
    flagged = {row[0] for row in _sql(database, _FLAGGED_INDEXED)}
    assert (current, indexed, stale) == (pointed - {None}, flagged, [])
    assert passed <= indexed
    assert _sql(database, _VERSIONS_DIFFER) == []


def _backdate(database: Database, version_no: int, when: datetime) -> None:
    _write(
        database,
        update(ArticleVersion)
        .where(ArticleVersion.version_no == version_no)
        .values(created_at=when),
    )


@pytest.fixture
def edited(store: Store, database: Database) -> Store:
    """FRIGATE saved on DAY, edited on DAY + 3 (the gearbox version); BUDGET and SUBMARINE."""
    for record in (FRIGATE, BUDGET, SUBMARINE):
        store.save(record)
    assert store.save(GEARBOX).outcome == "new_version"
    _backdate(database, 1, DAY)
    _backdate(database, 2, DAY + timedelta(days=3))
    return store


def test_an_edit_moves_the_old_wording_out_of_current_searches(
    edited: Store, database: Database
) -> None:
    then = DAY + timedelta(days=1)
    assert _versions(_search(database, "gearbox")) == [(FRIGATE.url, 2)]
    assert _search(database, "propulsion").total == 0
    assert _versions(_search(database, "propulsion", as_of=then)) == [(FRIGATE.url, 1)]
    assert _versions(_search(database, "frigate", site="navalmonitor.example", as_of=then)) == [
        (FRIGATE.url, 1)
    ]
    assert _search(database, "gearbox", as_of=DAY + timedelta(days=3)).total == 1
    _assert_index_agrees(database)


def test_has_versions_holds_for_every_version_of_an_edited_article(
    edited: Store, database: Database
) -> None:
    then = DAY + timedelta(days=1)
    assert _versions(_search(database, "frigate", has_versions=True)) == [(FRIGATE.url, 2)]
    assert _versions(_search(database, "frigate", has_versions=True, as_of=then)) == [
        (FRIGATE.url, 1)
    ]
    assert _versions(_search(database, "frigate", has_versions=False)) == [(BUDGET.url, 1)]
    assert _search(database, has_versions=False).total == 2


def test_pointing_back_at_an_older_version_makes_its_wording_current(
    edited: Store, database: Database
) -> None:
    first = select(ArticleVersion.id).where(ArticleVersion.version_no == 1)
    first = first.where(ArticleVersion.url == FRIGATE.url).scalar_subquery()
    _write(
        database,
        update(Article)
        .where(Article.canonical_url == FRIGATE.url)
        .values(current_version_id=first),
    )

    assert _versions(_search(database, "propulsion")) == [(FRIGATE.url, 1)]
    assert _search(database, "gearbox").total == 0
    assert _search(database, "gearbox", as_of=DAY + timedelta(days=4)).total == 1
    _assert_index_agrees(database)


def test_versions_the_pointer_skipped_are_indexed_for_as_of(
    store: Store, database: Database
) -> None:
    store.save(FRIGATE)
    _backdate(database, 1, DAY)
    with (
        database.transaction() as session
    ):  # two versions written by hand, only the last pointed at
        row = session.execute(select(ArticleVersion).where(ArticleVersion.version_no == 1))
        columns = {
            name: value
            for name, value in row.scalar_one().__dict__.items()
            if not name.startswith("_") and name not in ("id", "images", "author_links")
        }
        for number, body in ((2, "Boilers lit at dawn."), (3, "Anchored off Karwar.")):
            added = {**columns, "version_no": number, "body": body, "content_hash": str(number)}
            added["created_at"] = DAY + timedelta(days=number)
            session.execute(insert(ArticleVersion).values(added))
        newest = select(ArticleVersion.id).where(ArticleVersion.version_no == 3).scalar_subquery()
        session.execute(update(Article).values(current_version_id=newest))

    assert _versions(_search(database, "karwar")) == [(FRIGATE.url, 3)]
    assert _search(database, "boilers").total == 0
    assert _versions(_search(database, "boilers", as_of=DAY + timedelta(days=2))) == [
        (FRIGATE.url, 2)
    ]
    _assert_index_agrees(database)


def test_rows_written_by_hand_into_a_replaced_version_are_followed(
    edited: Store, database: Database
) -> None:
    old = select(ArticleVersion.id).where(ArticleVersion.version_no == 1)
    old = old.where(ArticleVersion.url == FRIGATE.url).scalar_subquery()
    _write(
        database,
        insert(VersionImage).values(
            version_id=old, position=7, url="https://x.example/k.jpg", caption="Moored at Kochi."
        ),
    )
    _write(database, delete(VersionAuthor).where(VersionAuthor.version_id == old))
    then = DAY + timedelta(days=1)

    assert _versions(_search(database, "moored", as_of=then)) == [(FRIGATE.url, 1)]
    assert _search(database, "moored").total == 0
    assert _versions(_search(database, '"ana silva"', as_of=then)) == [(SUBMARINE.url, 1)]
    _assert_index_agrees(database)

    _write(database, delete(VersionImage).where(VersionImage.version_id == old))
    _write(database, delete(ArticleVersion).where(ArticleVersion.id == old))
    assert _search(database, "propulsion", as_of=then).total == 0
    _assert_index_agrees(database)


def test_a_page_past_the_last_hit_keeps_the_total(edited: Store, database: Database) -> None:
    for filters in ({}, {"site": "navalmonitor.example"}, {"author": "Ana Silva"}):
        first = _search(database, "frigate", **filters)
        beyond = _search(database, "frigate", offset=5, **filters)
        assert (beyond.total, beyond.hits) == (first.total, [])
        assert first.total == len(first.hits) > 0


def test_equal_scores_rank_the_latest_saved_first(store: Store, database: Database) -> None:
    twins = [
        replace(SUBMARINE, url=f"https://{site}/boats/", canonical_url=None, site=site, authors=())
        for site in ("a.example", "b.example")
    ]
    for twin in twins:
        store.save(twin)

    page = _search(database, "diesel")
    assert [hit.url for hit in page.hits] == [twins[1].url, twins[0].url]
    assert page.hits[0].score == page.hits[1].score


def test_a_prefix_search_marks_each_word_it_matched(edited: Store, database: Database) -> None:
    [hit] = _search(database, "gearb*").hits
    assert "[[gearbox]]" in hit.snippet


def test_the_migration_moves_an_existing_archive_over(
    store: Store, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    downgrade(database, "0004")
    try:
        save_on_an_old_revision(store, monkeypatch, FRIGATE, GEARBOX, SUBMARINE)
    finally:
        upgrade(database)
    _backdate(database, 1, DAY)
    _backdate(database, 2, DAY + timedelta(days=3))

    assert _versions(_search(database, "gearbox")) == [(FRIGATE.url, 2)]
    assert _search(database, "propulsion").total == 0
    assert _search(database, "propulsion", as_of=DAY + timedelta(days=1)).total == 1
    _assert_index_agrees(database)

    downgrade(database, "0004")  # back to migration 0003's index of every version
    try:
        every = "search_fts" if database.dialect == "sqlite" else "search_documents"
        assert _sql(database, f"SELECT count(*) FROM {every}") == [(3,)]
    finally:
        upgrade(database)
    _assert_index_agrees(database)
