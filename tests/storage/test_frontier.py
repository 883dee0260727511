"""The frontier on both databases: what is due when, and what the fetcher is handed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage.db import Database
from storage.frontier import (
    ERROR_RETRY,
    MAX_FAILURES,
    Discovered,
    DueUrl,
    Frontier,
)
from storage.identity import url_key
from tests.storage.tables import Rows

HOUR = timedelta(hours=1)
RECHECK = (HOUR, 3 * HOUR, 12 * HOUR)
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SITE = "x.test"
URL = "https://x.test/news/a"


@pytest.fixture
def frontier(database: Database) -> Frontier:
    return Frontier(database, RECHECK)


def _urls(frontier: Frontier, now: datetime, site: str = SITE) -> list[str]:
    return [due.url for due in frontier.due(site, now)]


def _row(rows: Rows, url: str) -> dict[str, Any]:
    (row,) = [row for row in rows("frontier_urls") if row["url_key"] == url_key(url)]
    return row


def _schedule(rows: Rows, url: str = URL) -> tuple[str, int, datetime | None]:
    row = _row(rows, url)
    return row["state"], row["recheck_step"], row["next_due_at"]


def test_new_urls_are_due_at_once_and_stored_as_discovered(frontier: Frontier, rows: Rows) -> None:
    lastmod, published = T0 - 2 * HOUR, T0 - 3 * HOUR
    links = [Discovered(URL, lastmod, published), Discovered("https://x.test/news/b")]

    assert frontier.add(SITE, links, T0) == 2

    assert frontier.due(SITE, T0) == [
        DueUrl(URL, None, None, None, "new"),
        DueUrl("https://x.test/news/b", None, None, None, "new"),
    ]
    (site,) = rows("sites")
    assert site["name"] == SITE
    fresh = {
        "site_id": site["id"],
        "state": "new",
        "next_due_at": T0,
        "etag": None,
        "last_modified": None,
        "last_digest": None,
        "failure_count": 0,
        "last_error": None,
        "recheck_step": 0,
        "last_fetched_at": None,
        "first_seen": T0,
        "last_seen": T0,
        "lease_holder": None,
        "lease_expires_at": None,
    }
    assert rows("frontier_urls") == [
        {
            "id": 1,
            "url_key": URL,
            "url": URL,
            "lastmod_seen": lastmod,
            "published_seen": published,
            **fresh,
        },
        {
            "id": 2,
            "url_key": "https://x.test/news/b",
            "url": "https://x.test/news/b",
            "lastmod_seen": None,
            "published_seen": None,
            **fresh,
        },
    ]


def test_a_url_added_again_is_one_row_and_not_due_again(frontier: Frontier, rows: Rows) -> None:
    assert frontier.add(SITE, [Discovered(URL), Discovered(URL)], T0) == 1
    assert frontier.add(SITE, [Discovered(URL)], T0 + HOUR) == 0

    (row,) = rows("frontier_urls")
    assert (row["first_seen"], row["last_seen"]) == (T0, T0 + HOUR)
    assert _urls(frontier, T0 + HOUR) == [URL]


def test_every_spelling_of_a_url_is_one_row_under_the_first_spelling(
    frontier: Frontier, rows: Rows
) -> None:
    spellings = [
        "http://www.x.test/a",
        "https://x.test/a",
        "HTTPS://X.TEST:443/a#comments",
        "https://www.x.test/a?utm_source=feed",
    ]
    late = T0 + HOUR
    links = [Discovered(spellings[0], T0), Discovered(spellings[1], late)]

    assert frontier.add(SITE, links, T0) == 1
    assert frontier.add(SITE, [Discovered(url) for url in spellings[2:]], T0) == 0

    (row,) = rows("frontier_urls")
    assert (row["url"], row["url_key"], row["lastmod_seen"]) == (
        spellings[0],
        "https://x.test/a",
        late,
    )
    assert _urls(frontier, T0) == [spellings[0]]
    frontier.record(spellings[3], "changed", T0, etag='"v1"')
    assert _row(rows, spellings[1])["etag"] == '"v1"'


def test_recheck_backs_off_step_by_step_then_stops(frontier: Frontier, rows: Rows) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, "changed", T0)
    assert _schedule(rows) == ("active", 0, T0 + HOUR)
    assert _urls(frontier, T0 + HOUR - timedelta(seconds=1)) == []
    assert _urls(frontier, T0 + HOUR) == [URL]

    fetched = T0 + HOUR
    frontier.record(URL, "unchanged", fetched)
    assert _schedule(rows) == ("active", 1, fetched + 3 * HOUR)
    fetched += 3 * HOUR
    frontier.record(URL, "unchanged", fetched)
    assert _schedule(rows) == ("active", 2, fetched + 12 * HOUR)
    fetched += 12 * HOUR
    frontier.record(URL, "unchanged", fetched)

    assert _schedule(rows) == ("done", 3, None)
    assert _urls(frontier, fetched + 1000 * HOUR) == []
    assert _row(rows, URL)["last_fetched_at"] == fetched


def test_a_change_resets_the_schedule_to_the_first_step(frontier: Frontier, rows: Rows) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, "changed", T0)
    frontier.record(URL, "unchanged", T0 + HOUR)
    frontier.record(URL, "unchanged", T0 + 4 * HOUR)
    assert _schedule(rows) == ("active", 2, T0 + 16 * HOUR)

    frontier.record(URL, "changed", T0 + 16 * HOUR)

    assert _schedule(rows) == ("active", 0, T0 + 17 * HOUR)


def test_an_empty_schedule_fetches_once(database: Database, rows: Rows) -> None:
    frontier = Frontier(database, [])
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, "changed", T0)
    assert _schedule(rows) == ("done", 0, None)


def _fetched(frontier: Frontier, unchanged_fetches: int) -> datetime:
    """URL fetched once (a change) plus some unchanged rechecks, all at T0 + 1 h."""
    frontier.add(SITE, [Discovered(URL)], T0)
    fetched = T0 + HOUR
    frontier.record(URL, "changed", fetched)
    for _ in range(unchanged_fetches):
        frontier.record(URL, "unchanged", fetched)
    return fetched


@pytest.mark.parametrize("unchanged_fetches", [0, 3])
def test_a_first_lastmod_newer_than_the_last_fetch_makes_a_url_due_at_once(
    frontier: Frontier, rows: Rows, unchanged_fetches: int
) -> None:
    """Whether the URL is still rechecked (active) or past its last step (done)."""
    fetched = _fetched(frontier, unchanged_fetches)
    now, edited = fetched + timedelta(minutes=10), fetched + timedelta(minutes=5)

    assert frontier.add(SITE, [Discovered(URL, lastmod=edited)], now) == 1

    assert _schedule(rows) == ("active", 0, now)
    assert _urls(frontier, now) == [URL]
    row = _row(rows, URL)
    assert (row["lastmod_seen"], row["published_seen"], row["last_seen"]) == (edited, None, now)


@pytest.mark.parametrize("before_fetch", [HOUR, timedelta(0)])
@pytest.mark.parametrize("unchanged_fetches", [0, 3])
def test_a_first_lastmod_not_after_the_last_fetch_changes_nothing(
    frontier: Frontier, rows: Rows, unchanged_fetches: int, before_fetch: timedelta
) -> None:
    fetched = _fetched(frontier, unchanged_fetches)
    state, now = _schedule(rows), fetched + timedelta(minutes=10)

    assert frontier.add(SITE, [Discovered(URL, lastmod=fetched - before_fetch)], now) == 0
    assert frontier.add(SITE, [Discovered(URL, published=fetched - 2 * HOUR)], now) == 0

    assert _schedule(rows) == state
    assert _urls(frontier, now) == []
    row = _row(rows, URL)
    assert (row["lastmod_seen"], row["published_seen"]) == (
        fetched - before_fetch,
        fetched - 2 * HOUR,
    )


def test_a_lastmod_moving_on_makes_a_url_due_whatever_our_clock_says(
    frontier: Frontier, rows: Rows
) -> None:
    """The site's dates may run behind ours (day precision, a wrong zone): that the date
    moved is the signal, not how it compares with our clock."""
    fetched = _fetched(frontier, 1)
    now = fetched + timedelta(minutes=10)
    frontier.add(SITE, [Discovered(URL, lastmod=fetched - 3 * HOUR)], now)

    assert frontier.add(SITE, [Discovered(URL, lastmod=fetched - 2 * HOUR)], now) == 1

    assert _schedule(rows) == ("active", 0, now)
    assert _row(rows, URL)["lastmod_seen"] == fetched - 2 * HOUR


def test_a_newer_feed_date_counts_like_a_lastmod(frontier: Frontier, rows: Rows) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, "changed", T0)
    assert frontier.add(SITE, [Discovered(URL, published=T0 + HOUR / 2)], T0 + HOUR / 2) == 1
    assert _schedule(rows) == ("active", 0, T0 + HOUR / 2)


def test_a_newer_date_makes_a_url_due_only_once(frontier: Frontier, rows: Rows) -> None:
    """A fetch that fails after a newer lastmod is retried on the error schedule, not on
    every discovery pass that still shows the same date."""
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, "changed", T0)
    edited, now = T0 + HOUR / 4, T0 + HOUR / 2
    assert frontier.add(SITE, [Discovered(URL, lastmod=edited)], now) == 1
    frontier.record(URL, "error", now, error="timeout")

    assert frontier.add(SITE, [Discovered(URL, lastmod=edited)], now) == 0
    assert _schedule(rows) == ("active", 0, now + ERROR_RETRY)


def test_dates_of_a_url_never_fetched_are_kept_without_counting_it_twice(
    frontier: Frontier, rows: Rows
) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    assert frontier.add(SITE, [Discovered(URL, lastmod=T0 + HOUR)], T0 + HOUR) == 0
    assert _schedule(rows) == ("new", 0, T0)
    assert _row(rows, URL)["lastmod_seen"] == T0 + HOUR


@pytest.mark.parametrize(("outcome", "state"), [("gone", "gone"), ("not_article", "other")])
def test_gone_and_non_article_pages_are_never_due_again(
    frontier: Frontier, rows: Rows, outcome: Any, state: str
) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, outcome, T0)

    assert frontier.add(SITE, [Discovered(URL, lastmod=T0 + HOUR)], T0 + HOUR) == 0
    assert _schedule(rows) == (state, 0, None)
    assert _urls(frontier, T0 + 1000 * HOUR) == []


def test_validators_and_digest_are_kept_and_handed_to_the_next_fetch(
    frontier: Frontier, rows: Rows
) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    http_date = "Mon, 05 Jan 2026 07:00:00 GMT"
    frontier.record(URL, "changed", T0, etag='"a1"', last_modified=http_date, digest="sha1:AAA")
    assert frontier.due(SITE, T0 + HOUR) == [DueUrl(URL, '"a1"', http_date, "sha1:AAA", "active")]

    frontier.record(URL, "unchanged", T0 + HOUR)  # a 304 without headers keeps them
    assert frontier.due(SITE, T0 + 4 * HOUR) == [
        DueUrl(URL, '"a1"', http_date, "sha1:AAA", "active")
    ]

    frontier.record(URL, "changed", T0 + 4 * HOUR, etag='"b2"', digest="sha1:BBB")
    assert frontier.due(SITE, T0 + 5 * HOUR) == [DueUrl(URL, '"b2"', None, "sha1:BBB", "active")]
    row = _row(rows, URL)
    assert (row["etag"], row["last_modified"], row["last_digest"]) == ('"b2"', None, "sha1:BBB")


def test_a_last_modified_longer_than_any_http_date_is_dropped(
    frontier: Frontier, rows: Rows
) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, "changed", T0, etag='"e"', last_modified="x" * 300)
    assert (_row(rows, URL)["etag"], _row(rows, URL)["last_modified"]) == ('"e"', None)


def test_errors_back_off_then_fail_the_url(frontier: Frontier, rows: Rows) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    now = T0
    for failures in range(1, MAX_FAILURES):
        frontier.record(URL, "error", now, error=f"timeout {failures}")
        wait = ERROR_RETRY * 2 ** (failures - 1)
        row = _row(rows, URL)
        assert (row["state"], row["failure_count"], row["last_error"]) == (
            "new",
            failures,
            f"timeout {failures}",
        )
        assert row["next_due_at"] == now + wait
        assert _urls(frontier, now + wait - timedelta(seconds=1)) == []
        assert _urls(frontier, now + wait) == [URL]
        now += wait

    frontier.record(URL, "error", now, error="timeout 5")

    row = _row(rows, URL)
    assert (row["state"], row["failure_count"], row["next_due_at"]) == ("failed", 5, None)
    assert (row["last_fetched_at"], row["last_seen"]) == (None, now)
    assert _urls(frontier, now + 1000 * HOUR) == []


def test_a_success_clears_the_errors_and_keeps_the_step(frontier: Frontier, rows: Rows) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.record(URL, "changed", T0)
    frontier.record(URL, "error", T0 + HOUR, error="reset")
    frontier.record(URL, "error", T0 + 2 * HOUR, error="reset")

    frontier.record(URL, "unchanged", T0 + 3 * HOUR)

    row = _row(rows, URL)
    assert (row["failure_count"], row["last_error"]) == (0, None)
    assert _schedule(rows) == ("active", 1, T0 + 6 * HOUR)


def test_a_failed_url_gets_new_tries_when_discovery_sees_it_change(
    frontier: Frontier, rows: Rows
) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    for _ in range(MAX_FAILURES):
        frontier.record(URL, "error", T0, error="503")
    assert frontier.add(SITE, [Discovered(URL, lastmod=T0 + HOUR)], T0 + HOUR) == 1

    row = _row(rows, URL)
    assert (row["state"], row["failure_count"], row["next_due_at"]) == ("new", 0, T0 + HOUR)
    assert _urls(frontier, T0 + HOUR) == [URL]


def test_sources_are_kept_apart_from_articles(frontier: Frontier, rows: Rows) -> None:
    feed, sitemap = "https://x.test/feed", "https://x.test/sitemap.xml"
    frontier.add_sources(SITE, [feed, sitemap, feed], T0)
    frontier.add(SITE, [Discovered(URL), Discovered(feed, lastmod=T0 + HOUR)], T0 + HOUR)

    assert _urls(frontier, T0 + 1000 * HOUR) == [URL]
    assert frontier.source(feed) == DueUrl(feed, None, None, None, "source")
    assert frontier.source(URL) is None
    assert frontier.source("https://x.test/unknown") is None

    frontier.record(feed, "unchanged", T0 + HOUR, etag='"f"', digest="sha1:FFF")
    for _ in range(MAX_FAILURES + 1):
        frontier.record(sitemap, "error", T0 + HOUR, error="500")

    assert frontier.source(feed) == DueUrl(feed, '"f"', None, "sha1:FFF", "source")
    assert [(row["state"], row["failure_count"]) for row in rows("frontier_urls")] == [
        ("source", 0),
        ("source", MAX_FAILURES + 1),
        ("new", 0),
    ]
    assert frontier.counts(SITE) == {"source": 2, "new": 1}


def test_a_configured_source_known_as_an_article_becomes_a_source(
    frontier: Frontier, rows: Rows
) -> None:
    frontier.add(SITE, [Discovered(URL)], T0)
    frontier.add_sources(SITE, [URL], T0 + HOUR)

    assert _urls(frontier, T0 + HOUR) == []
    assert frontier.source(URL) == DueUrl(URL, None, None, None, "source")
    assert _row(rows, URL)["last_seen"] == T0 + HOUR


def test_due_is_per_site_longest_waiting_first_and_limited(frontier: Frontier) -> None:
    early, late = [f"https://x.test/{n}" for n in "ab"], [f"https://x.test/{n}" for n in "cd"]
    frontier.add(SITE, [Discovered(url) for url in late], T0 + HOUR)
    frontier.add(SITE, [Discovered(url) for url in early], T0)
    frontier.add("y.test", [Discovered("https://y.test/a")], T0)

    assert _urls(frontier, T0 + HOUR) == [*early, *late]
    assert [due.url for due in frontier.due(SITE, T0 + HOUR, limit=3)] == [*early, late[0]]
    assert _urls(frontier, T0) == early
    assert _urls(frontier, T0, site="y.test") == ["https://y.test/a"]
    assert _urls(frontier, T0, site="z.test") == []


def test_counts_per_state_for_a_site_and_overall(frontier: Frontier) -> None:
    urls = [f"https://x.test/{n}" for n in range(5)]
    frontier.add(SITE, [Discovered(url) for url in urls], T0)
    frontier.add("y.test", [Discovered("https://y.test/a")], T0)
    frontier.record(urls[0], "changed", T0)
    frontier.record(urls[1], "gone", T0)
    frontier.record(urls[2], "not_article", T0)

    assert frontier.counts(SITE) == {"new": 2, "active": 1, "gone": 1, "other": 1}
    assert frontier.counts() == {"new": 3, "active": 1, "gone": 1, "other": 1}
    assert frontier.counts("z.test") == {}


def test_recording_a_url_not_in_the_frontier_changes_nothing(
    frontier: Frontier, rows: Rows
) -> None:
    frontier.record(URL, "changed", T0, etag='"e"')
    frontier.record(URL, "error", T0)
    assert rows("frontier_urls") == []
