"""The researchers' Python API on both databases: read, history, diff, export, stats."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from parsers.record import ArticleRecord, Image
from storage import Archive
from storage.clusters import Clusters
from storage.contract import FetchInfo
from storage.db import Database
from storage.exceptions import (
    ArchiveNotFoundError,
    ArticleNotFoundError,
    ExportError,
    SearchQueryError,
    VersionNotFoundError,
)
from storage.export import COLUMN_NAMES, EXPORT_COLUMNS, ExportFilter, write_export
from storage.store import Store

T0 = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
STORY = (
    "The ministry signed a contract for twelve coastal radars on Tuesday, officials said.",
    "The radars will watch the southern approaches and feed a new command centre.",
    "Deliveries are due to begin in the spring of 2027 and end two years later.",
    "The contract also covers training for crews and spare parts for ten years of service.",
    "Two local firms will build the masts and the power systems under licence.",
    "Opposition members asked why the tender had been held without a public hearing.",
)


def _record(site: str, slug: str, **fields: object) -> ArticleRecord:
    url = f"https://{site}/news/{slug}"
    base = ArticleRecord(
        url=url,
        canonical_url=url,
        site=site,
        page_type="article",
        headline=f"Radars ordered ({slug})",
        authors=("Ann Lee",),
        published_at=T0,
        published_precision="minute",
        section="Navy",
        body=STORY,
        images=(Image(f"https://{site}/r.jpg", "A radar mast", "Photo: MoD"),),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def _save(store: Store, record: ArticleRecord, hours: int) -> None:
    when = T0 + timedelta(hours=hours)
    store.save(record, FetchInfo(url=record.url, fetched_at=when, status=200))


@pytest.fixture
def archive(store: Store, database: Database) -> Archive:
    """Four articles on two sites; one with three versions; one wire copy of another."""
    first = _record("alpha.example", "radars")
    _save(store, first, 0)
    _save(store, replace(first, updated_at=T0 + timedelta(days=1)), 24)
    reworded = (STORY[0], "The radars will watch the southern and eastern approaches.", *STORY[2:])
    _save(store, replace(first, updated_at=T0 + timedelta(days=2), body=(*reworded, "New.")), 48)
    _save(
        store,
        _record(
            "alpha.example",
            "tanks",
            headline="Tanks <b>",
            authors=("Bo Chen",),
            body=("Short.",) * 3,
        ),
        1,
    )
    _save(store, _record("beta.example", "radars-wire", published_at=T0 + timedelta(days=8)), 2)
    _save(
        store,
        _record(
            "beta.example", "jets", section="Air", body=("Jets are late again this year.",) * 3
        ),
        3,
    )
    Clusters(database).update()
    return Archive(database)


def test_article_by_id_or_url_with_every_version(archive: Archive) -> None:
    article = archive.article("https://alpha.example/news/radars")
    assert [v.kind for v in article.versions] == ["first", "date_only", "updated"]
    assert archive.article(article.article_id) == archive.article(str(article.article_id))
    assert article.version(2).record.updated_at == T0 + timedelta(days=1)
    assert article.current.record.body[-1] == "New."
    with pytest.raises(VersionNotFoundError, match="has no version 9"):
        article.version(9)
    with pytest.raises(ArticleNotFoundError):
        archive.article("https://alpha.example/news/never")
    with pytest.raises(ArticleNotFoundError):
        archive.article("not a url")


def test_history_summarises_each_change(archive: Archive) -> None:
    entries = archive.history("https://alpha.example/news/radars")
    assert [e.summary for e in entries] == [
        "first seen: 6 paragraphs, 1 image (1 captioned)",
        "updated changed",
        "updated changed; 1 paragraph added, 1 changed",
    ]


def test_diff_defaults_to_the_last_change_and_takes_any_pair(archive: Archive) -> None:
    last = archive.diff("https://alpha.example/news/radars")
    assert (last.before_number, last.after_number) == (2, 3)
    changed = next(p for p in last.paragraphs if p.kind == "change")
    assert any(op.kind == "insert" and "eastern" in op.text for op in changed.words)
    assert archive.diff("https://alpha.example/news/radars", 3, 1).count("delete") == 1
    single = archive.diff("https://beta.example/news/jets")
    assert not single.changed


def test_cluster_lists_the_wire_copy_on_the_other_site(archive: Archive) -> None:
    members = archive.cluster("https://beta.example/news/radars-wire")
    assert {m.url for m in members} == {
        "https://alpha.example/news/radars",
        "https://beta.example/news/radars-wire",
    }
    assert [m.url for m in archive.cluster("https://beta.example/news/jets")] == [
        "https://beta.example/news/jets"
    ]


def test_search_takes_plain_dates(archive: Archive) -> None:
    page = archive.search("radars", since="2025-12-05")
    assert [hit.url for hit in page.hits] == ["https://beta.example/news/radars-wire"]
    assert archive.search("radars", until=date(2025, 12, 1)).total == 3  # the whole day
    with pytest.raises(SearchQueryError, match="not a date"):
        archive.search("radars", since="yesterday")


@pytest.mark.parametrize("export_format", ["jsonl", "csv", "parquet"])
def test_exports_read_back_equal(archive: Archive, tmp_path: Path, export_format: str) -> None:
    path = tmp_path / f"out.{export_format}"
    assert archive.export(path, export_format, all_versions=True) == 6  # type: ignore[arg-type]
    rows = read_export(path, export_format)
    expected = list(archive.rows(all_versions=True))
    assert [list(row) for row in rows] == [list(COLUMN_NAMES)] * 6
    assert [r["headline"] for r in rows] == [r["headline"] for r in expected]
    assert [str(r["version_no"]) for r in rows] == ["1", "2", "3", "1", "1", "1"]
    tanks = next(r for r in rows if str(r["headline"]).startswith("Tanks"))
    assert tanks["headline"] == "Tanks <b>"
    assert _as_list(tanks["authors"]) == ["Bo Chen"]
    assert _as_list(tanks["captions"]) == ["A radar mast (Photo: MoD)"]
    assert not list(tmp_path.glob("*.partial"))


def test_export_filters_and_current_versions(archive: Archive) -> None:
    current = list(archive.rows())
    assert len(current) == 4 and all(row["is_current"] for row in current)
    radars = next(row for row in current if row["url"].endswith("/radars"))
    assert radars["version_no"] == 3 and radars["body"].endswith("\n\nNew.")
    assert radars["word_count"] == sum(len(p.split()) for p in radars["body"].split())
    assert [r["site"] for r in archive.rows(site="www.beta.example")] == ["beta.example"] * 2
    assert [r["headline"] for r in archive.rows(author="bo chen")] == ["Tanks <b>"]
    assert [r["section"] for r in archive.rows(section="air")] == ["Air"]
    assert len(list(archive.rows(since="2025-12-02"))) == 1
    frame = archive.to_dataframe(site="alpha.example")
    assert list(frame.columns) == list(COLUMN_NAMES) and len(frame) == 2


def test_export_refuses_what_it_cannot_write(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="binary"):
        write_export(archive.database, None, "parquet", ExportFilter())
    with pytest.raises(ExportError, match="unknown export format"):
        write_export(archive.database, tmp_path / "x", "xml", ExportFilter())  # type: ignore[arg-type]
    with pytest.raises(ExportError, match="time zone"):
        ExportFilter(published_from=datetime(2025, 1, 1))
    assert not (tmp_path / "x").exists()


def test_stats_per_day_and_week(archive: Archive) -> None:
    daily = archive.stats("day")
    assert daily.articles == 4 and daily.versions == 6
    alpha = next(s for s in daily.sites if s.site == "alpha.example")
    assert (alpha.articles, alpha.versions, alpha.updated_articles) == (2, 4, 1)
    assert alpha.per_period == {"2025-12-01": 2}
    weekly = archive.stats("week", site="beta.example")
    assert weekly.periods == ("2025-W49", "2025-W50")
    assert archive.stats(since="2025-12-05").articles == 1


def test_export_columns_are_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for column in EXPORT_COLUMNS:
        assert f"| `{column.name}` | {column.kind} | {column.description} |" in readme


def test_read_only_open_refuses_writes(archive: Archive, database: Database) -> None:
    url = database.url.render_as_string(hide_password=False)
    with Archive.open(url) as reader:
        assert reader.article("https://alpha.example/news/radars").current.number == 3
        with pytest.raises(DBAPIError), reader.database.engine.begin() as connection:
            connection.execute(text("DELETE FROM article_aliases"))


def test_read_only_open_finds_no_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveNotFoundError, match="no archive at"):
        Archive.open(f"sqlite:///{tmp_path / 'missing.sqlite3'}")
    assert not (tmp_path / "missing.sqlite3").exists()
    (tmp_path / "other.sqlite3").write_bytes(b"")
    with pytest.raises(ArchiveNotFoundError, match="holds no newsarchive archive"):
        Archive.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")


def read_export(path: Path, export_format: str) -> list[dict[str, Any]]:
    """An export file's rows as dicts (CSV values stay text)."""
    if export_format == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if export_format == "csv":
        with path.open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))
    return list(pq.read_table(path).to_pylist())


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return value.split("; ") if value else []
    assert isinstance(value, list)
    return value
