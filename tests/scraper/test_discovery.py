"""Discovered links, their dates, and the `since` filters that backfill walks archives with."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from scraper.discovery import (
    ChildSitemap,
    DiscoveredLink,
    SitemapPage,
    links_since,
    parse_w3c_datetime,
    read_sitemap,
    sitemap_children_since,
)

SINCE = datetime(2025, 6, 1, tzinfo=UTC)
BASE = "https://eurodefencewire.example"


def _index(*children: ChildSitemap) -> SitemapPage:
    return SitemapPage(url=f"{BASE}/sitemap_index.xml", kind="sitemapindex", children=children)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-07", datetime(2025, 7, 1, tzinfo=UTC)),
        ("2025-07-14", datetime(2025, 7, 14, tzinfo=UTC)),
        ("2025-07-14T08:30Z", datetime(2025, 7, 14, 8, 30, tzinfo=UTC)),
        ("2025-07-14T08:30:15.250+02:00", datetime(2025, 7, 14, 6, 30, 15, 250000, tzinfo=UTC)),
        (" 2025-07-14 08:30:00 ", datetime(2025, 7, 14, 8, 30, tzinfo=UTC)),
        ("Mon, 14 Jul 2025 08:30:00 -0400", datetime(2025, 7, 14, 12, 30, tzinfo=UTC)),
        ("2025-13-40", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_w3c_datetimes_become_aware_utc(text: str | None, expected: datetime | None) -> None:
    assert parse_w3c_datetime(text) == expected


def test_discovered_link_is_frozen() -> None:
    link = DiscoveredLink(url=f"{BASE}/a-b-c", source="feed")

    with pytest.raises(dataclasses.FrozenInstanceError):
        link.url = f"{BASE}/d-e-f"  # type: ignore[misc]


def test_newest_date_is_the_later_of_lastmod_and_published() -> None:
    published = datetime(2025, 5, 1, tzinfo=UTC)
    lastmod = published + timedelta(days=40)

    assert DiscoveredLink(f"{BASE}/a", "sitemap", lastmod, published).newest_date == lastmod
    assert DiscoveredLink(f"{BASE}/a", "feed", None, published).newest_date == published
    assert DiscoveredLink(f"{BASE}/a", "section").newest_date is None


def test_links_since_keeps_recent_and_undated_links() -> None:
    old = DiscoveredLink(f"{BASE}/old", "sitemap", lastmod=SINCE - timedelta(seconds=1))
    edge = DiscoveredLink(f"{BASE}/edge", "sitemap", lastmod=SINCE)
    updated = DiscoveredLink(
        f"{BASE}/updated",
        "feed",
        lastmod=SINCE + timedelta(days=3),
        published=datetime(2024, 1, 1, tzinfo=UTC),
    )
    undated = DiscoveredLink(f"{BASE}/undated", "section")

    assert links_since([old, edge, updated, undated], SINCE) == [edge, updated, undated]


def test_since_may_be_a_date_or_a_naive_datetime_read_as_utc() -> None:
    link = DiscoveredLink(
        f"{BASE}/a", "news-sitemap", published=datetime(2025, 5, 31, 23, tzinfo=UTC)
    )

    assert links_since([link], date(2025, 6, 1)) == []
    assert links_since([link], datetime(2025, 5, 31, 23)) == [link]
    assert links_since([link], datetime(2025, 6, 1, 1, tzinfo=timezone(timedelta(hours=2)))) == [
        link
    ]


def test_children_with_an_older_lastmod_are_skipped() -> None:
    old = ChildSitemap(f"{BASE}/post-sitemap1.xml", SINCE - timedelta(days=1))
    fresh = ChildSitemap(f"{BASE}/post-sitemap2.xml", SINCE + timedelta(hours=1))
    unknown = ChildSitemap(f"{BASE}/post-sitemap3.xml")

    assert sitemap_children_since(_index(old, fresh, unknown), SINCE) == [fresh, unknown]


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/sitemap-posts-2025-04.xml", False),
        ("/sitemap-posts-2025-05.xml", False),
        ("/sitemap-posts-2025-06.xml", True),
        ("/sitemap/2025/05.xml", False),
        ("/sitemap/2025/06.xml", True),
        ("/archive-202412.xml", False),
        ("/archive-202506.xml", True),
        ("/sitemap-2024.xml", False),
        ("/sitemap-2025.xml", True),
        ("/sitemap-2024-12.xml", False),
        ("/post-sitemap12.xml", True),
    ],
)
def test_children_without_lastmod_are_dated_by_their_name(path: str, kept: bool) -> None:
    child = ChildSitemap(f"{BASE}{path}")

    assert (sitemap_children_since(_index(child), SINCE) == [child]) is kept


def test_a_lastmod_outranks_the_name() -> None:
    child = ChildSitemap(f"{BASE}/sitemap-2019-01.xml", SINCE + timedelta(days=1))

    assert sitemap_children_since(_index(child), SINCE) == [child]


def test_backfill_walk_over_a_read_index() -> None:
    body = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://eurodefencewire.example/sitemap-2025-03.xml</loc></sitemap>"
        b"<sitemap><loc>https://eurodefencewire.example/sitemap-2025-06.xml</loc></sitemap>"
        b"<sitemap><loc>https://eurodefencewire.example/sitemap-misc.xml</loc>"
        b"<lastmod>2025-01-10</lastmod></sitemap></sitemapindex>"
    )

    children = sitemap_children_since(read_sitemap(body, f"{BASE}/sitemap.xml"), date(2025, 6, 1))

    assert [child.url for child in children] == [f"{BASE}/sitemap-2025-06.xml"]
