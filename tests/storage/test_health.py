"""Parser health from the parse log: a layout change is flagged, a healthy site is not."""

from __future__ import annotations

import pytest

from parsers.record import HEALTH_FIELDS
from storage.db import Database
from storage.health import (
    BASELINE_PAGES,
    MIN_BASELINE_PAGES,
    MIN_RECENT_PAGES,
    RECENT_PAGES,
    ParseRow,
    SiteHealth,
    Thresholds,
    assess,
    parsed_sites,
    site_health,
)
from storage.store import Store
from tests.storage.layouts import LOST_IN_CHANGE, SITE, log_parses, page_record

SMALL = Thresholds(recent=10, baseline=40)


def _dropped(health: SiteHealth) -> set[str]:
    return {field.field for field in health.fields if field.dropped}


def _rates(health: SiteHealth) -> dict[str, tuple[float | None, float | None]]:
    return {field.field: (field.recent_rate, field.baseline_rate) for field in health.fields}


def test_the_fixture_layouts_differ_the_way_the_tests_assume() -> None:
    healthy, changed = page_record("healthy"), page_record("changed")
    assert healthy.page_type == changed.page_type == "article"
    assert set(healthy.fields_found()) - set(changed.fields_found()) == LOST_IN_CHANGE
    assert page_record("not_article").page_type != "article"


def test_a_healthy_site_has_no_flags(store: Store, database: Database) -> None:
    log_parses(store, "healthy", 40)

    health = site_health(database, SITE, SMALL)

    assert (health.recent_pages, health.baseline_pages) == (10, 30)
    assert (health.recent_articles, health.baseline_articles) == (10, 30)
    assert health.flags == ()
    assert not health.flagged
    assert health.comparable
    assert (health.article_share_recent, health.article_share_baseline) == (1.0, 1.0)
    found = set(page_record("healthy").fields_found())
    assert _rates(health) == {
        field: (1.0, 1.0) if field in found else (0.0, 0.0) for field in HEALTH_FIELDS
    }


def test_a_layout_that_loses_byline_and_dates_is_flagged(store: Store, database: Database) -> None:
    log_parses(store, "healthy", 30)
    log_parses(store, "changed", 10)

    health = site_health(database, SITE, SMALL)

    assert _dropped(health) == LOST_IN_CHANGE
    assert set(health.flags) == {f"{field} fill 1.00 -> 0.00" for field in LOST_IN_CHANGE}
    assert _rates(health)["headline"] == (1.0, 1.0)
    assert not health.article_share_dropped


def test_pages_that_stop_parsing_as_articles_flag_the_article_share(
    store: Store, database: Database
) -> None:
    log_parses(store, "healthy", 30)
    log_parses(store, "not_article", 10)

    health = site_health(database, SITE, SMALL)

    assert health.article_share_dropped
    assert health.flags == ("article share 1.00 -> 0.00",)
    # No article in the recent window: fill rates are unknown, not zero, and not flagged.
    assert health.recent_articles == 0
    assert all(field.recent_rate is None and not field.dropped for field in health.fields)


@pytest.mark.parametrize(
    ("healthy", "changed", "flagged"),
    [
        (MIN_BASELINE_PAGES, MIN_RECENT_PAGES, True),
        (MIN_BASELINE_PAGES - 1, MIN_RECENT_PAGES, False),
        (MIN_BASELINE_PAGES + 10, MIN_RECENT_PAGES - 1, False),
    ],
)
def test_too_few_pages_on_either_side_are_never_flagged(
    store: Store, database: Database, healthy: int, changed: int, flagged: bool
) -> None:
    log_parses(store, "healthy", healthy)
    log_parses(store, "changed", changed)

    health = site_health(database, SITE, Thresholds(recent=changed, baseline=100))

    assert (health.recent_pages, health.baseline_pages) == (changed, healthy)
    assert health.flagged is flagged
    assert health.comparable is flagged
    assert (_dropped(health) == LOST_IN_CHANGE) is flagged


@pytest.mark.parametrize(("changed", "flagged"), [(3, False), (4, True)])
def test_only_a_drop_larger_than_the_threshold_is_flagged(
    store: Store, database: Database, changed: int, flagged: bool
) -> None:
    log_parses(store, "healthy", 30 + 10 - changed)
    log_parses(store, "changed", changed)

    health = site_health(database, SITE, SMALL)

    # The recent window mixes both layouts in whatever order; the rate is what counts.
    assert _rates(health)["authors"] == ((10 - changed) / 10, 1.0)
    assert health.flagged is flagged


def test_a_repaired_parser_is_not_flagged(store: Store, database: Database) -> None:
    log_parses(store, "changed", 30)
    log_parses(store, "healthy", 10)

    health = site_health(database, SITE, SMALL)

    assert _rates(health)["authors"] == (1.0, 0.0)
    assert health.flags == ()


def test_the_baseline_is_capped_and_other_sites_do_not_count(
    store: Store, database: Database
) -> None:
    log_parses(store, "changed", 25, site="other.example")
    log_parses(store, "healthy", 60)

    health = site_health(database, SITE, Thresholds(recent=10, baseline=25))

    assert (health.recent_pages, health.baseline_pages) == (10, 25)
    assert health.flags == ()
    assert site_health(database, "other.example", SMALL).recent_pages == 10


def test_a_site_never_parsed_is_empty_and_unflagged(database: Database) -> None:
    health = site_health(database, "nothing.example")

    assert (health.recent_pages, health.baseline_pages) == (0, 0)
    assert health.article_share_recent is None
    assert health.flags == ()
    assert not health.comparable


def test_parsed_sites_lists_each_site_once_in_order(store: Store, database: Database) -> None:
    for site in ("b.example", "a.example", "c.example", "a.example"):
        log_parses(store, "healthy", 2, site=site)

    assert parsed_sites(database) == ["a.example", "b.example", "c.example"]


def test_the_default_windows() -> None:
    rows = [ParseRow("article", frozenset()) for _ in range(RECENT_PAGES + BASELINE_PAGES + 5)]

    health = assess(SITE, rows, Thresholds())

    assert (health.recent_pages, health.baseline_pages) == (RECENT_PAGES, BASELINE_PAGES)


def test_to_dict_is_json_ready(store: Store, database: Database) -> None:
    log_parses(store, "healthy", 30)
    log_parses(store, "changed", 10)

    data = site_health(database, SITE, SMALL).to_dict()

    assert data["site"] == SITE
    assert data["flags"] == list(site_health(database, SITE, SMALL).flags)
    authors = next(field for field in data["fields"] if field["field"] == "authors")
    assert authors == {
        "field": "authors",
        "recent_rate": 0.0,
        "baseline_rate": 1.0,
        "dropped": True,
    }
