"""Search text and filters full of SQL, FTS5 and tsquery syntax, on SQLite and PostgreSQL,
through `storage.search.Search` and through `newsarchive search`: results, or one line and
exit code 2; never a traceback, never SQL in the message, and the archive intact after.

tests/storage/test_search.py runs 27 hostile texts through the API and pins how eight of
them are read; tests/scraper/test_cli_search.py runs four through the command on SQLite.
Here a table of 92 queries covers every operator family (quotes, NEAR, AND/OR/NOT, column
filters, `*`, parentheses, backslashes, SQL injection, NUL, tsquery syntax, very long text)
on both databases and through the command on both, and Hypothesis composes more from the
same pieces, for the text and for the site, section and author filters.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.record import ArticleRecord, ParserInfo
from scraper.cli import main
from scraper.settings import CONFIG_ENV, DATABASE_ENV
from storage.db import Database
from storage.exceptions import SearchQueryError
from storage.search import Search, SearchPage, SearchQuery
from storage.store import Store
from tests.reliability.tally import tried

DAY = datetime(2025, 12, 6, 9, 0, tzinfo=UTC)
RECORDS = [
    ArticleRecord(
        url=f"https://navalmonitor.example/2025/12/{slug}/",
        canonical_url=f"https://navalmonitor.example/2025/12/{slug}/",
        site="navalmonitor.example",
        page_type="article",
        headline=headline,
        authors=("Ana Silva",),
        published_at=DAY - timedelta(days=n),
        section="Navy",
        language="en",
        body=(body, "The ministry said the programme is on time and within its budget."),
        parser=ParserInfo("generic", "1"),
    )
    for n, (slug, headline, body) in enumerate(
        [
            ("frigate-trials", "Frigate begins sea trials", "The frigate sailed at dawn."),
            ("drone-order", "Navy orders drones", "Drones will watch the coast; near ports."),
            ("and-or-not", "AND OR NOT: a column", "Headline: the body of a SQL lesson."),
        ]
    )
]
# What a database error carries into a message (the user's own text may hold SQL words).
SQL_WORDS = ("[SQL:", "Background on this error", "OperationalError", "ProgrammingError")
SQL_WORDS += ("sqlite3.", "psycopg.", "fts5:", "tsquery", "DataError")

QUERIES = [
    *('"', "'", '"unbalanced frigate', '""', "''", 'frigate"', '"sea trials"', "'frigate'"),
    *("NEAR(frigate trials)", "NEAR/3", "frigate NEAR trials", "NEAR(", "NEAR(frigate, 2)"),
    *("frigate AND", "OR", "NOT frigate", "AND OR NOT", "frigate OR drones", "AND"),
    *("headline:frigate", "body:dawn", "{headline body}: frigate", "-headline:x", "^frigate"),
    *("version_id:1", "articles.headline:x", "headline : frigate"),
    *("*", "**", "frig*", "*frig", "f*r*i*g", "-*", '"*"', "*:*"),
    *("(frigate", ")", "((()))", "(frigate OR drones) AND NOT x", "frigate)"),
    *("\\", "\\\\", "frigate\\", '\\"', "\\'", "\\x00"),
    *("'; DROP TABLE articles; --", '" OR 1=1 --', "'); DELETE FROM article_versions; --"),
    *("1; SELECT * FROM sites", "/* */ frigate", "$$ frigate $$", "E'\\x41'", ";", "--"),
    *("\x00", "frigate\x00trials", "\x00frigate", "frigate & !trials", "frigate <-> trials"),
    *("frigate:*", "'frigate':A", "+frigate", "~frigate", "frigate | drones", "!!!", "&&||!<->:*"),
    *("%", "_", "%frigate%", "frig_te", "\u202efrigate", "fri\u200bgate", "e\u0301", "ﬁ"),
    *("frigate " * 32, "frigate " * 33, "x" * 500, "x" * 501, "é" * 500, "frigate" * 2000),
    *("-frigate", "- -", "-", "--frigate", '-"sea trials"', "frigate -trials"),
    *("", "   ", "\t\n", "日本語", "١٢٣"),
]


@pytest.fixture
def archive(store: Store) -> Store:
    for record in RECORDS:
        store.save(record, seen_at=DAY)
    return store


def _outcome(database: Database, query: SearchQuery) -> SearchPage | SearchQueryError:
    try:
        return Search(database).run(query)
    except SearchQueryError as error:
        return error


def _assert_sane(outcome: SearchPage | SearchQueryError) -> None:
    if isinstance(outcome, SearchQueryError):
        message = str(outcome)
        assert "\n" not in message
        assert not any(word in message for word in SQL_WORDS), message
    else:
        assert outcome.total >= len(outcome.hits)
        assert {hit.url for hit in outcome.hits} <= {record.url for record in RECORDS}


def _assert_intact(database: Database) -> None:
    page = Search(database).run(SearchQuery(text="frigate"))
    assert [hit.url for hit in page.hits] == [RECORDS[0].url]
    assert Search(database).run(SearchQuery()).total == len(RECORDS)


def test_hostile_texts_through_the_api(archive: Store, database: Database) -> None:
    for text in QUERIES:
        tried(f"hostile search: API texts ({database.dialect})")
        _assert_sane(_outcome(database, SearchQuery(text=text)))
    _assert_intact(database)


def test_hostile_filters_through_the_api(archive: Store, database: Database) -> None:
    for value in QUERIES:
        for name in ("site", "section", "author"):
            tried(f"hostile search: API filters ({database.dialect})")
            try:
                query = SearchQuery(text="frigate", **{name: value})
            except SearchQueryError as error:  # refused before any SQL (a NUL, say)
                _assert_sane(error)
                continue
            _assert_sane(_outcome(database, query))
    _assert_intact(database)


PIECES = st.sampled_from(
    [
        *('"', "'", "(", ")", "*", "-", ":", "\\", "NEAR", "AND", "OR", "NOT", "^", "+", "~"),
        *("headline:", "body:", ";", "--", "/*", "*/", "%", "_", "&", "|", "!", "<->", ":*"),
        *("frigate", "trials", "drones", "SELECT", "DROP TABLE", "\x00", " ", "  ", "é", "ß"),
    ]
)
COMPOSED = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=COMPOSED, site=st.one_of(st.none(), COMPOSED), author=st.one_of(st.none(), COMPOSED))
def test_composed_queries_through_the_api(
    archive: Store, database: Database, text: str, site: str | None, author: str | None
) -> None:
    """The archive is only read, so one archive serves every example."""
    tried(f"hostile search: composed queries ({database.dialect})")
    try:
        query = SearchQuery(text=text, site=site, author=author)
    except SearchQueryError as error:
        _assert_sane(error)
        return
    _assert_sane(_outcome(database, query))


@pytest.mark.parametrize("name", ["site", "section", "author"])
def test_a_filter_with_a_lone_surrogate_is_a_query_error(
    archive: Store, database: Database, name: str
) -> None:
    with pytest.raises(SearchQueryError):
        Search(database).run(SearchQuery(text="frigate", **{name: "navy\udcff"}))


@pytest.fixture
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    path = tmp_path / "schedules.yaml"
    path.write_text(
        "sites:\n  navalmonitor.example:\n    parser: generic\n    timezone: UTC\n"
        "    language: en\n    feeds: [https://navalmonitor.example/feed/]\n",
        encoding="utf-8",
    )
    return str(path)


def test_hostile_texts_through_the_command(
    archive: Store, database: Database, config_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db_url = database.url.render_as_string(hide_password=False)
    common = ["--config", config_path, "--db", db_url, "--format", "json"]
    for n, text in enumerate(QUERIES[::3]):  # one in three: each command opens the database
        # "--" ends the options, so "-frigate" is the text (as a user would type it).
        cases = [["--", text]]
        if n % 3 == 0:
            cases.append(["frigate", f"--site={text}", f"--author={text}", f"--section={text}"])
        for args in cases:
            tried(f"hostile search: command ({database.dialect})")
            code = main(["search", *common, *args])
            out, err = capsys.readouterr()
            assert code in (0, 2), (args, err)
            if code == 0:
                assert json.loads(out)["total"] >= 0
            else:
                assert out == "" and len(err.splitlines()) == 1, err
                assert "Traceback" not in err and not any(word in err for word in SQL_WORDS)
    _assert_intact(database)


@pytest.mark.parametrize(
    "args",
    [["--limit", "600"], ["--since", "0001-01-01"], ["--as-of", "9999-12-31"], ["--until", "x"]],
)
def test_bad_options_of_the_command_are_one_line(
    tmp_path: Path, config_path: str, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """A limit the command takes but the search does not used to end in a traceback."""
    tried("hostile search: command options")
    db_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    code = main(["search", "frigate", "--config", config_path, "--db", db_url, *args])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    if code == 2:
        assert out == "" and len(err.splitlines()) == 1 and "Traceback" not in err
