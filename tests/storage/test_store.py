"""The store on SQLite and PostgreSQL: every table checked in full after each save."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from parsers.record import ArticleRecord, Image, ParserInfo
from storage.content_hash import content_hash
from storage.contract import FetchInfo, SaveResult
from storage.exceptions import RecordError
from storage.store import Store
from tests.storage.tables import Rows

URL = "https://navalmonitor.example/2025/12/frigate-trials/"
SEEN = datetime(2025, 12, 7, 10, 0, tzinfo=UTC)
RECORD = ArticleRecord(
    url=URL,
    canonical_url=URL,
    site="navalmonitor.example",
    page_type="article",
    headline="Frigate Begins Sea Trials",
    standfirst="The first ship of the class left port on Monday.",
    authors=("Ana Silva", "Navy Desk"),
    published_at=datetime(2025, 12, 6, 14, 54, tzinfo=UTC),
    published_raw="December 6, 2025 2:54 pm",
    published_precision="minute",
    updated_at=datetime(2025, 12, 6, tzinfo=UTC),
    updated_raw="December 6, 2025",
    updated_precision="day",
    section="Navy",
    tags=("frigates", "trials"),
    language="en",
    body=("The frigate sailed at dawn.", "Trials will last six weeks."),
    images=(
        Image("https://navalmonitor.example/f.jpg", "The frigate at sea.", "Navy photo", "ship"),
        Image("https://navalmonitor.example/g.jpg", None, None, None),
    ),
    parser=ParserInfo("navalmonitor", "1"),
)
TABLES = (
    "sites",
    "frontier_urls",
    "fetches",
    "articles",
    "article_aliases",
    "article_versions",
    "authors",
    "version_authors",
    "images",
)


class AnyTime:
    """Matches a timezone-aware datetime (creation times come from the clock)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, datetime) and other.tzinfo is not None

    def __repr__(self) -> str:
        return "<any aware datetime>"


def _fetch(at: datetime = SEEN, url: str = URL, **fields: Any) -> FetchInfo:
    return FetchInfo(url=url, fetched_at=at, status=200, content_type="text/html", **fields)


def _version_row(
    id_: int, article_id: int, number: int, kind: str, record: ArticleRecord, fetch_id: int | None
) -> dict[str, Any]:
    return {
        "id": id_,
        "article_id": article_id,
        "version_no": number,
        "kind": kind,
        "content_hash": content_hash(record),
        "url": record.url,
        "canonical_url": record.canonical_url,
        "page_type": record.page_type,
        "headline": record.headline,
        "standfirst": record.standfirst,
        "section": record.section,
        "language": record.language,
        "published_at": record.published_at,
        "published_raw": record.published_raw,
        "published_precision": record.published_precision,
        "updated_at": record.updated_at,
        "updated_raw": record.updated_raw,
        "updated_precision": record.updated_precision,
        "body": "\n\n".join(record.body),
        "tags": list(record.tags),
        "record": record.to_dict(),
        "parser_name": record.parser.name,
        "parser_version": record.parser.version,
        "fields_found": list(record.fields_found()),
        "fetch_id": fetch_id,
        "created_at": AnyTime(),
    }


def _article_row(
    last_seen: datetime, version_id: int, url: str = URL, id_: int = 1
) -> dict[str, Any]:
    return {
        "id": id_,
        "site_id": 1,
        "url_key": url,
        "canonical_url": url,
        "current_version_id": version_id,
        "first_seen": SEEN,
        "last_seen": last_seen,
        "cluster_id": None,
    }


def _kinds(rows: Rows) -> list[tuple[int, int, str]]:
    return [(r["article_id"], r["version_no"], r["kind"]) for r in rows("article_versions")]


def test_a_new_article_fills_every_table(store: Store, rows: Rows) -> None:
    result = store.save(RECORD, _fetch(payload_digest="sha1:ABC", warc_file="a.warc.gz"))

    assert result == SaveResult("new", 1, 1, "first")
    assert rows("sites") == [{"id": 1, "name": "navalmonitor.example", "created_at": SEEN}]
    assert rows("fetches") == [
        {
            "id": 1,
            "site_id": 1,
            "url": URL,
            "final_url": None,
            "status": 200,
            "fetched_at": SEEN,
            "content_type": "text/html",
            "warc_file": "a.warc.gz",
            "warc_offset": None,
            "warc_length": None,
            "payload_digest": "sha1:ABC",
            "revisit": False,
            "warc_record_id": None,
            "error": None,
        }
    ]
    assert rows("articles") == [_article_row(SEEN, 1)]
    assert rows("article_versions") == [_version_row(1, 1, 1, "first", RECORD, 1)]
    assert rows("authors") == [{"id": 1, "name": "Ana Silva"}, {"id": 2, "name": "Navy Desk"}]
    assert rows("version_authors") == [
        {"version_id": 1, "position": 0, "author_id": 1},
        {"version_id": 1, "position": 1, "author_id": 2},
    ]
    assert rows("images") == [
        {"id": 1, "version_id": 1, "position": 0, **RECORD.images[0].to_dict()},
        {"id": 2, "version_id": 1, "position": 1, **RECORD.images[1].to_dict()},
    ]
    assert rows("article_aliases") == rows("frontier_urls") == []


def test_nothing_new_moves_only_last_seen(store: Store, rows: Rows) -> None:
    store.save(RECORD, _fetch())
    before = {table: rows(table) for table in TABLES if table not in ("articles", "fetches")}
    later = SEEN + timedelta(hours=3)

    assert store.save(RECORD, _fetch(later)) == SaveResult("unchanged", 1, 1)
    assert store.save(RECORD, seen_at=SEEN - timedelta(days=1)).outcome == "unchanged"

    assert rows("articles") == [_article_row(later, 1)]
    assert [row["fetched_at"] for row in rows("fetches")] == [SEEN, later]
    assert {table: rows(table) for table in before} == before


@pytest.mark.parametrize(
    "noisy",
    [
        replace(RECORD, body=("The  frigate sailed\u00a0at dawn.", "Trials will last six weeks.")),
        replace(
            RECORD, body=("The frigate sailed at dawn.", "Trials will last six weeks. 3 hours ago")
        ),
        replace(RECORD, headline="Frigate Begins Sea Trials\u200b", tags=("other",)),
        replace(RECORD, url=URL + "?utm_source=feed", parser=ParserInfo("navalmonitor", "2")),
    ],
    ids=["white-space", "relative-time", "invisible-and-tags", "tracking-and-parser"],
)
def test_cosmetic_differences_make_no_version(
    store: Store, rows: Rows, noisy: ArticleRecord
) -> None:
    store.save(RECORD)
    assert store.save(noisy).outcome == "unchanged"
    assert _kinds(rows) == [(1, 1, "first")]


def test_each_kind_of_change_appends_its_version(store: Store, rows: Rows) -> None:
    bumped = replace(RECORD, updated_at=datetime(2025, 12, 8, tzinfo=UTC), updated_raw="Dec 8")
    edited = replace(bumped, body=(*bumped.body, "A second ship follows in May."))
    rewritten = replace(
        edited, headline="Frigate Ends Sea Trials", updated_at=datetime(2025, 12, 9, tzinfo=UTC)
    )
    store.save(RECORD, _fetch())
    first_row = rows("article_versions")[0]

    assert store.save(bumped) == SaveResult("new_version", 1, 2, "date_only")
    assert store.save(edited) == SaveResult("new_version", 1, 3, "silent_edit")
    assert store.save(rewritten) == SaveResult("new_version", 1, 4, "updated")
    assert store.save(rewritten).outcome == "unchanged"

    assert rows("article_versions") == [
        first_row,
        _version_row(2, 1, 2, "date_only", bumped, None),
        _version_row(3, 1, 3, "silent_edit", edited, None),
        _version_row(4, 1, 4, "updated", rewritten, None),
    ]
    assert rows("articles")[0]["current_version_id"] == 4
    assert len(rows("images")) == 4 * len(RECORD.images)
    assert len(rows("version_authors")) == 4 * len(RECORD.authors)
    assert len(rows("authors")) == len(RECORD.authors)


def test_an_edit_back_to_earlier_text_is_a_version(store: Store, rows: Rows) -> None:
    edited = replace(RECORD, body=("The frigate sailed at noon.",))
    for record in (RECORD, edited, RECORD):
        store.save(record)
    assert _kinds(rows) == [(1, 1, "first"), (1, 2, "silent_edit"), (1, 3, "silent_edit")]


@pytest.mark.parametrize(
    "spelling",
    [
        "https://www.navalmonitor.example/2025/12/frigate-trials/",
        "http://navalmonitor.example/2025/12/frigate-trials/#top",
        "https://navalmonitor.example/2025/12/frigate-trials/amp/",
    ],
)
def test_spellings_of_the_url_are_one_article(store: Store, rows: Rows, spelling: str) -> None:
    store.save(RECORD)
    assert store.save(replace(RECORD, url=spelling, canonical_url=spelling)).outcome == "unchanged"
    assert store.save(replace(RECORD, url=spelling, canonical_url="")).outcome == "unchanged"
    assert len(rows("articles")) == 1
    assert rows("article_aliases") == []
    article = store.get_article(spelling)
    assert article is not None and article.id == 1


def test_a_url_whose_page_names_a_stored_canonical_is_a_duplicate(store: Store, rows: Rows) -> None:
    other = "https://navalmonitor.example/?p=4711"
    store.save(RECORD, _fetch())

    result = store.save(replace(RECORD, url=other), _fetch(SEEN + timedelta(hours=1), url=other))

    assert result == SaveResult("duplicate_of", 1, 1, duplicate_of=URL)
    assert rows("articles") == [_article_row(SEEN + timedelta(hours=1), 1)]
    assert rows("article_aliases") == [
        {
            "id": 1,
            "url_key": other,
            "url": other,
            "article_id": 1,
            "reason": "fetched_url",
            "first_seen": SEEN + timedelta(hours=1),
        }
    ]
    assert _kinds(rows) == [(1, 1, "first")]
    found = store.get_article(other)
    assert found is not None and found.id == 1 and found.site.name == "navalmonitor.example"


def test_the_first_fetch_from_another_url_files_under_the_canonical(
    store: Store, rows: Rows
) -> None:
    other = "https://navalmonitor.example/?p=4711"
    assert store.save(replace(RECORD, url=other)) == SaveResult("new", 1, 1, "first")
    assert rows("articles")[0]["url_key"] == URL
    assert [(a["url_key"], a["reason"]) for a in rows("article_aliases")] == [
        (other, "fetched_url")
    ]
    assert store.save(RECORD).outcome == "unchanged"


def test_a_page_naming_the_canonical_can_carry_an_edit(store: Store, rows: Rows) -> None:
    other = "https://navalmonitor.example/?p=4711"
    store.save(RECORD)
    edited = replace(RECORD, url=other, updated_at=datetime(2025, 12, 9, tzinfo=UTC))
    assert store.save(edited) == SaveResult("new_version", 1, 2, "date_only")


def test_the_same_text_under_another_url_of_the_site_is_a_duplicate(
    store: Store, rows: Rows
) -> None:
    copy_url = "https://navalmonitor.example/news/frigate-trials-copy/"
    copy = replace(RECORD, url=copy_url, canonical_url=copy_url, section="News")
    store.save(RECORD)

    assert store.save(copy) == SaveResult("duplicate_of", 1, 1, duplicate_of=URL)
    assert [(a["url_key"], a["reason"]) for a in rows("article_aliases")] == [
        (copy_url, "same_text")
    ]
    # A text match is a guess: the copy's later edits never rewrite the original.
    edited_copy = replace(copy, body=("Something else entirely.",))
    assert store.save(edited_copy).outcome == "duplicate_of"
    assert len(rows("articles")) == 1
    assert _kinds(rows) == [(1, 1, "first")]


def test_the_same_text_on_another_site_is_another_article(store: Store, rows: Rows) -> None:
    wire = "https://eurodefencewire.example/frigate-trials"
    store.save(RECORD)
    result = store.save(
        replace(RECORD, url=wire, canonical_url=wire, site="eurodefencewire.example")
    )
    assert result == SaveResult("new", 2, 1, "first")
    assert [row["name"] for row in rows("sites")] == [
        "navalmonitor.example",
        "eurodefencewire.example",
    ]


def test_pages_without_a_body_are_never_matched_by_text(store: Store, rows: Rows) -> None:
    listing = replace(
        RECORD, page_type="listing", headline=None, standfirst=None, body=(), images=()
    )
    for path in ("/navy/", "/navy/page/2/"):
        url = "https://navalmonitor.example" + path
        assert store.save(replace(listing, url=url, canonical_url=url)).outcome == "new"
    assert len(rows("articles")) == 2


def test_a_reparse_stores_changed_extractions_only(store: Store, rows: Rows) -> None:
    fetch_id = store.record_fetch(_fetch())
    store.save(RECORD, fetch_id=fetch_id)
    newer_parser = replace(RECORD, parser=ParserInfo("navalmonitor", "2"), warnings=("x",))
    better = replace(newer_parser, section="Navy / Surface Fleet")
    late = SEEN + timedelta(days=30)

    assert store.save(newer_parser, fetch_id=fetch_id, reparse=True, seen_at=late).outcome == (
        "unchanged"
    )
    assert store.save(better, fetch_id=fetch_id, reparse=True, seen_at=late) == SaveResult(
        "new_version", 1, 2, "reparse"
    )
    assert rows("article_versions")[1] == _version_row(2, 1, 2, "reparse", better, fetch_id)
    assert rows("articles")[0]["last_seen"] == SEEN


def test_fetches_without_records_are_stored_alone(store: Store, rows: Rows) -> None:
    not_modified = FetchInfo(url=URL, fetched_at=SEEN, status=304, revisit=True)
    failed = FetchInfo(url="https://other.example/x", fetched_at=SEEN, error="timeout")
    assert [store.record_fetch(not_modified), store.record_fetch(failed)] == [1, 2]
    assert [
        (f["id"], f["site_id"], f["status"], f["revisit"], f["error"]) for f in rows("fetches")
    ] == [
        (1, 1, 304, True, None),
        (2, 2, None, False, "timeout"),
    ]
    assert rows("articles") == []


def test_versions_read_back_as_the_records_they_were_made_from(store: Store) -> None:
    in_india = replace(
        RECORD, updated_at=datetime.fromisoformat("2025-12-08T09:00:00+05:30"), updated_raw="x"
    )
    store.save(RECORD)
    store.save(in_india)
    article = store.get_article(URL)
    assert article is not None
    versions = store.versions(article.id)
    assert [store.record_of(version) for version in versions] == [RECORD, in_india]
    assert [version.updated_at for version in versions] == [
        RECORD.updated_at,
        datetime(2025, 12, 8, 3, 30, tzinfo=UTC),
    ]
    assert [link.author.name for link in versions[0].author_links] == list(RECORD.authors)
    assert [image.caption for image in versions[1].images] == ["The frigate at sea.", None]


def test_unknown_urls_find_nothing(store: Store) -> None:
    store.save(RECORD)
    assert store.get_article("https://navalmonitor.example/other/") is None
    assert store.versions(999) == []


def test_a_record_without_a_web_address_is_refused_in_one_line(store: Store, rows: Rows) -> None:
    with pytest.raises(RecordError) as caught:
        store.save(replace(RECORD, url="file:///tmp/page.html", canonical_url="", site=""))
    assert "\n" not in str(caught.value)
    assert rows("articles") == rows("sites") == []
