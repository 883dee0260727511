"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector): filters, ranking, snippets,
the wording of a given day, and user text that must never break the SQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import text, update

from parsers.record import ArticleRecord, Image, ParserInfo
from storage.db import Database, downgrade, upgrade
from storage.exceptions import SearchQueryError
from storage.models import ArticleVersion
from storage.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Search,
    SearchPage,
    SearchQuery,
    split_highlights,
)
from storage.store import Store

DAY = datetime(2025, 12, 6, 9, 0, tzinfo=UTC)

FRIGATE = ArticleRecord(
    url="https://navalmonitor.example/2025/12/frigate-trials/",
    canonical_url="https://navalmonitor.example/2025/12/frigate-trials/",
    site="navalmonitor.example",
    page_type="article",
    headline="Frigate Begins Sea Trials",
    standfirst="The first ship of the class left Mazagon Dock on Monday.",
    authors=("Ana Silva", "Navy Desk"),
    published_at=DAY,
    updated_at=DAY + timedelta(hours=2),
    section="Navy",
    language="en",
    body=(
        "The ship sailed at dawn with a crew of 180 and yard engineers on board.",
        "Trials will last six weeks and cover propulsion, steering and the combat system.",
    ),
    images=(
        Image("https://navalmonitor.example/f.jpg", "The ship off Kochi on her first sortie."),
        Image("https://navalmonitor.example/g.jpg", None),
    ),
    parser=ParserInfo("navalmonitor", "1"),
)
BUDGET = ArticleRecord(
    url="https://defencewire.example/budget-rises/",
    canonical_url="https://defencewire.example/budget-rises/",
    site="defencewire.example",
    page_type="article",
    headline="Defence Budget Rises Eight Per Cent",
    standfirst="Capital outlay grows fastest.",
    authors=("Ravi Kumar",),
    published_at=DAY - timedelta(days=30),
    section="Policy",
    language="en",
    body=(
        "The ministry set aside more money for aircraft, tanks and one new frigate.",
        "Pensions take a smaller share than last year.",
    ),
    images=(Image("https://defencewire.example/p.jpg", "Parliament in session."),),
    parser=ParserInfo("generic", "1"),
)
SUBMARINE = ArticleRecord(
    url="https://navalmonitor.example/2025/10/submarine-deal/",
    canonical_url="https://navalmonitor.example/2025/10/submarine-deal/",
    site="navalmonitor.example",
    page_type="article",
    headline="Submarine Deal Signed",
    standfirst="Three more diesel-electric boats will be built in Mumbai.",
    authors=("Ana Silva",),
    published_at=DAY - timedelta(days=60),
    updated_at=DAY - timedelta(days=59),
    section="Navy",
    language="en",
    body=("The contract covers three boats, spares and crew training ashore.",),
    parser=ParserInfo("navalmonitor", "1"),
)


def _urls(page: SearchPage) -> list[str]:
    return [hit.url for hit in page.hits]


def _search(database: Database, words: str = "", **filters: Any) -> SearchPage:
    return Search(database).run(SearchQuery(text=words, **filters))


@pytest.fixture
def archive(store: Store) -> Store:
    for record in (FRIGATE, BUDGET, SUBMARINE):
        store.save(record, seen_at=DAY)
    return store


def test_a_headline_match_ranks_above_a_body_only_match(archive: Store, database: Database) -> None:
    page = _search(database, "frigate")

    assert page.total == 2
    assert _urls(page) == [FRIGATE.url, BUDGET.url]
    assert page.hits[0].score > page.hits[1].score
    assert page.hits[0].headline == FRIGATE.headline
    assert page.hits[0].site == "navalmonitor.example"
    assert (page.hits[0].version_no, page.hits[0].published_at) == (1, DAY)


def test_snippets_mark_the_matched_words(archive: Store, database: Database) -> None:
    [hit] = _search(database, "propulsion steering").hits

    marked = [piece.casefold() for piece, matched in split_highlights(hit.snippet) if matched]
    assert set(marked) == {"propulsion", "steering"}
    assert f"{HIGHLIGHT_START}propulsion{HIGHLIGHT_END}" in hit.snippet
    assert "\n" not in hit.snippet


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("frigates", [FRIGATE.url, BUDGET.url]),  # English stemming
        ('"sea trials"', [FRIGATE.url]),
        ('"trials sea"', []),
        ("frigate -budget", [FRIGATE.url]),
        ('frigate -"per cent"', [FRIGATE.url]),
        ("subm*", [SUBMARINE.url]),
        ("diesel-electric", [SUBMARINE.url]),
        ("SHIP Dawn", [FRIGATE.url]),
        ("kochi", [FRIGATE.url]),  # an image caption
        ("kumar", [BUDGET.url]),  # a byline
        ('"navy desk"', [FRIGATE.url]),
        ("frigate tanks", [BUDGET.url]),  # every word must appear
        ("frigate OR boats", []),  # no boolean operators: OR is a word (or a stop word)
    ],
)
def test_search_syntax(archive: Store, database: Database, words: str, expected: list[str]) -> None:
    assert _urls(_search(database, words)) == expected


def test_captions_and_bylines_are_highlighted_where_they_matched(
    archive: Store, database: Database
) -> None:
    [by_caption] = _search(database, "kochi").hits
    [by_byline] = _search(database, "kumar").hits

    assert f"{HIGHLIGHT_START}Kochi{HIGHLIGHT_END}" in by_caption.snippet
    assert f"{HIGHLIGHT_START}Kumar{HIGHLIGHT_END}" in by_byline.snippet


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"site": "navalmonitor.example"}, [FRIGATE.url, SUBMARINE.url]),
        ({"site": "www.DefenceWire.example"}, [BUDGET.url]),
        ({"section": "navy"}, [FRIGATE.url, SUBMARINE.url]),
        ({"author": "ana silva"}, [FRIGATE.url, SUBMARINE.url]),
        ({"author": "Ana"}, []),  # whole names only
        ({"published_from": DAY - timedelta(days=30)}, [FRIGATE.url, BUDGET.url]),
        ({"published_to": DAY - timedelta(days=30)}, [BUDGET.url, SUBMARINE.url]),
        (
            {"published_from": DAY - timedelta(days=31), "published_to": DAY - timedelta(days=1)},
            [BUDGET.url],
        ),
        ({"updated_from": DAY - timedelta(days=59)}, [FRIGATE.url, SUBMARINE.url]),
        ({"updated_to": DAY}, [SUBMARINE.url]),
        ({"has_versions": False}, [FRIGATE.url, BUDGET.url, SUBMARINE.url]),
        ({"has_versions": True}, []),
        ({"site": "navalmonitor.example", "author": "Navy Desk"}, [FRIGATE.url]),
    ],
)
def test_filters_without_words_list_newest_first(
    archive: Store, database: Database, filters: dict[str, Any], expected: list[str]
) -> None:
    page = _search(database, **filters)
    assert (_urls(page), page.total) == (expected, len(expected))


def test_filters_narrow_a_word_search(archive: Store, database: Database) -> None:
    assert _urls(_search(database, "frigate", section="Policy")) == [BUDGET.url]
    assert _urls(_search(database, "frigate", author="Ana Silva")) == [FRIGATE.url]
    assert _urls(_search(database, "frigate", site="navalmonitor.example")) == [FRIGATE.url]


def test_paging_keeps_the_total(archive: Store, database: Database) -> None:
    first, second = (_search(database, limit=2, offset=offset) for offset in (0, 2))

    assert (first.total, second.total) == (3, 3)
    assert _urls(first) + _urls(second) == [FRIGATE.url, BUDGET.url, SUBMARINE.url]


def _backdate(database: Database, version_no: int, when: datetime) -> None:
    """Pin a version's save time (the clock made it) so `as_of` has fixed days to ask about."""
    with database.transaction() as session:
        session.execute(
            update(ArticleVersion)
            .where(ArticleVersion.version_no == version_no)
            .values(created_at=when)
        )


def test_as_of_searches_the_wording_of_that_day(store: Store, database: Database) -> None:
    store.save(FRIGATE)
    edited = replace(
        FRIGATE,
        headline="Frigate Returns Early From Sea Trials",
        body=("A gearbox fault cut the sortie short.",),
        updated_at=DAY + timedelta(days=3),
    )
    assert store.save(edited).outcome == "new_version"
    _backdate(database, 1, DAY)
    _backdate(database, 2, DAY + timedelta(days=3))

    then = DAY + timedelta(days=1)
    [old] = _search(database, "propulsion", as_of=then).hits
    assert (old.version_no, old.headline) == (1, FRIGATE.headline)
    assert _search(database, "propulsion").hits == []
    assert _search(database, "gearbox", as_of=then).hits == []
    assert [hit.version_no for hit in _search(database, "gearbox").hits] == [2]
    assert _search(database, "frigate", as_of=DAY - timedelta(seconds=1)).total == 0
    assert _urls(_search(database, has_versions=True)) == [FRIGATE.url]


def test_the_index_follows_rows_written_by_hand(archive: Store, database: Database) -> None:
    with database.transaction() as session:
        session.execute(
            text(
                "INSERT INTO images (version_id, position, url, caption) "
                "VALUES (3, 5, 'https://x.example/h.jpg', 'Sailors on the casing at Karwar.')"
            )
        )
    assert _urls(_search(database, "karwar")) == [SUBMARINE.url]

    with database.transaction() as session:
        session.execute(text("DELETE FROM images WHERE version_id = 3"))
    assert _search(database, "karwar").total == 0
    assert _urls(_search(database, "submarine")) == [SUBMARINE.url]


def save_on_an_old_revision(
    store: Store, monkeypatch: pytest.MonkeyPatch, *records: ArticleRecord
) -> None:
    """Save on a revision before 0009, which had no search queue for saves to index."""
    with monkeypatch.context() as patched:
        patched.setattr("storage.store.index_due", lambda _connection: None)
        for record in records:
            store.save(record)


def test_versions_saved_before_the_search_migration_are_indexed_by_it(
    store: Store, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    downgrade(database, "0002")
    try:
        save_on_an_old_revision(store, monkeypatch, SUBMARINE)
    finally:
        upgrade(database)
    assert _urls(_search(database, "diesel")) == [SUBMARINE.url]


HOSTILE_TEXTS = [
    '"unbalanced',
    'frigate"',
    '""',
    "NEAR(",
    "NEAR(frigate trials, 2)",
    "*",
    "frig**",
    "-",
    "--",
    "- -frigate",
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    "headline:frigate",
    "frigate AND OR NOT",
    "(frigate",
    "^frigate",
    "!!!???",
    "\\",
    "%_%",
    "'",
    "frigate\x00",
    "   ",
    "",
    "ship " * 99,
    "x" * 501,
    "é" * 400,
    "&&||!<->:*",
]


@pytest.mark.parametrize("words", HOSTILE_TEXTS)
def test_any_text_gives_results_or_a_one_line_error(
    archive: Store, database: Database, words: str
) -> None:
    try:
        page = _search(database, words)
    except SearchQueryError as error:
        assert "\n" not in str(error)
    else:
        assert page.total == len(page.hits) <= 3
    assert _search(database, "frigate").total == 2  # the archive is intact


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ('"unbalanced frigate', []),
        ('frigate"', [FRIGATE.url, BUDGET.url]),
        ("NEAR(frigate trials, 2)", []),  # near, frigate, trials and 2 are all needed
        ("- -frigate", None),
        ("'; DROP TABLE articles; --", []),
        ("!!!???", None),
        ("x" * 501, None),
        ("-frigate", None),
    ],
)
def test_hostile_texts_are_read_as_words(
    archive: Store, database: Database, words: str, expected: list[str] | None
) -> None:
    if expected is None:
        with pytest.raises(SearchQueryError):
            _search(database, words)
    else:
        assert _urls(_search(database, words)) == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"as_of": datetime(2025, 12, 6)},
        {"published_from": datetime(2025, 12, 6)},
        {"limit": 0},
        {"limit": 10_000},
        {"offset": -1},
        {"offset": 2**70},
        {"author": "Ana\x00Silva"},
        {"as_of": datetime.max.replace(tzinfo=timezone(timedelta(hours=-5)))},
    ],
)
def test_queries_that_cannot_run_are_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(SearchQueryError):
        SearchQuery(**fields)


def test_split_highlights_cuts_at_the_marks() -> None:
    assert split_highlights("A [[frigate]] and [[sea trials]].") == [
        ("A ", False),
        ("frigate", True),
        (" and ", False),
        ("sea trials", True),
        (".", False),
    ]
    assert split_highlights("no match") == [("no match", False)]
