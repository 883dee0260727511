"""The version rule end to end: the rnamedia.in page through edits, and random edit histories."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import ArticleRecord, parse
from storage.contract import FetchInfo
from storage.store import Store
from tests.storage.tables import Rows

PAGE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "rnamedia.in"
    / "turkey-drone-facility-pakistan"
)
PRINTED_UPDATE = '<time class="updated">December 6, 2025</time>'
SCHEMA_UPDATE = '"dateModified":"2025-12-06T10:41:37+00:00"'
TYPO = "It would epand Ankara"


@cache
def _page() -> tuple[str, str, datetime]:
    spec = json.loads(PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    html = PAGE.with_suffix(".html").read_text(encoding="utf-8")
    return html, spec["url"], datetime.fromisoformat(spec["fetched_at"])


def _bumped(html: str) -> str:
    """The page after the newsroom touched it: "Last Updated" a day later, in print and JSON-LD."""
    assert PRINTED_UPDATE in html and SCHEMA_UPDATE in html
    return html.replace(PRINTED_UPDATE, '<time class="updated">December 7, 2025</time>').replace(
        SCHEMA_UPDATE, '"dateModified":"2025-12-07T08:00:00+00:00"'
    )


def _fixed_typo(html: str) -> str:
    assert TYPO in html
    return html.replace(TYPO, "It would expand Ankara")


def _save_page(store: Store, html: str, hours_later: int) -> tuple[ArticleRecord, str]:
    _, url, fetched_at = _page()
    when = fetched_at + timedelta(hours=hours_later)
    record = parse(html, url, when)
    return record, store.save(record, FetchInfo(url=url, fetched_at=when, status=200)).outcome


def test_rnamedia_saved_resaved_bumped_and_silently_edited(store: Store, rows: Rows) -> None:
    html = _page()[0]
    first, outcome_1 = _save_page(store, html, 0)
    again, outcome_2 = _save_page(store, html, 1)
    bumped, outcome_3 = _save_page(store, _bumped(html), 2)
    edited, outcome_4 = _save_page(store, _fixed_typo(_bumped(html)), 3)

    assert [outcome_1, outcome_2, outcome_3, outcome_4] == [
        "new",
        "unchanged",
        "new_version",
        "new_version",
    ]
    assert first.updated_at != bumped.updated_at == edited.updated_at
    assert again.body == first.body == bumped.body != edited.body
    versions = rows("article_versions")
    assert [(v["version_no"], v["kind"], v["fetch_id"]) for v in versions] == [
        (1, "first", 1),
        (2, "date_only", 3),
        (3, "silent_edit", 4),
    ]
    assert [v["updated_raw"] for v in versions] == ["December 6, 2025", *["December 7, 2025"] * 2]
    (article,) = rows("articles")
    assert article["current_version_id"] == versions[-1]["id"]
    assert article["last_seen"] - article["first_seen"] == timedelta(hours=3)
    assert len(rows("fetches")) == 4
    assert [row["name"] for row in rows("authors")] == ["RNA Desk"]
    assert [store.record_of(version) for version in store.versions(article["id"])] == [
        first,
        bumped,
        edited,
    ]


def test_rnamedia_edited_and_dated_together_is_updated(store: Store, rows: Rows) -> None:
    html = _page()[0]
    _save_page(store, html, 0)
    _save_page(store, _fixed_typo(_bumped(html)), 1)
    assert [v["kind"] for v in rows("article_versions")] == ["first", "updated"]


# Random histories: each step is a fetch of the page showing one of a few texts, one of a few
# "last updated" dates (or none), dressed in cosmetic noise that must never count as an edit.
TEXTS = (
    ('The minister said "no" to the deal.', "Talks resume in May."),
    ('The minister said "yes" to the deal.', "Talks resume in May."),
    ('The minister said "no" to the deal.', "Talks resume in June."),
    ('The minister said "no" to the deal.',),
)
DAY = datetime(2025, 12, 1, tzinfo=UTC)
NOISES = (
    lambda body: body,
    lambda body: tuple(p.replace(" ", "  ") for p in body),
    lambda body: tuple(p.replace('"no"', "“no”").replace('"yes"', "“yes”") for p in body),
    lambda body: tuple(p.replace(" ", "\u00a0", 1) + "\u200b" for p in body),
    lambda body: ("5 hours ago", *body, "1,234 views"),
    lambda body: ("an hour ago", *body[:-1], body[-1] + " 12K views"),
)
STEP = st.tuples(
    st.integers(0, len(TEXTS) - 1),
    st.one_of(st.none(), st.integers(0, 3)),
    st.integers(0, len(NOISES) - 1),
)
_articles = itertools.count()


def _expected_kinds(steps: list[tuple[int, int | None, int]]) -> list[str]:
    """DESIGN.md's rule over the abstract history (which text, which date), not over hashes."""
    kinds, (text, date) = ["first"], steps[0][:2]
    for new_text, new_date, _ in steps[1:]:
        date_moved = new_date is not None and new_date != date
        if date_moved or new_text != text:
            kinds.append(
                ("updated" if new_text != text else "date_only") if date_moved else "silent_edit"
            )
            text, date = new_text, new_date
    return kinds


def _record(url: str, text: int, date: int | None, noise: int) -> ArticleRecord:
    return ArticleRecord(
        url=url,
        canonical_url=url,
        site="rnamedia.in",
        page_type="article",
        headline=f"Talks on the deal ({url})",  # no two histories share a text
        authors=("RNA Desk",),
        updated_at=DAY + timedelta(days=date) if date is not None else None,
        body=NOISES[noise](TEXTS[text]),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(STEP, min_size=1, max_size=10))
def test_random_histories_make_exactly_the_expected_versions(
    store: Store, rows: Rows, steps: list[tuple[int, int | None, int]]
) -> None:
    url = f"https://rnamedia.in/history-{next(_articles)}/"
    seen = [DAY + timedelta(hours=hour) for hour in range(len(steps))]
    for (text, date, noise), when in zip(steps, seen, strict=True):
        store.save(_record(url, text, date, noise), seen_at=when)

    article = _only(rows("articles"), url_key=url)
    versions = [v for v in rows("article_versions") if v["article_id"] == article["id"]]
    assert [v["kind"] for v in versions] == _expected_kinds(steps)
    assert [v["version_no"] for v in versions] == list(range(1, len(versions) + 1))
    assert article["current_version_id"] == versions[-1]["id"]
    assert (article["first_seen"], article["last_seen"]) == (seen[0], seen[-1])


def _only(table: list[dict[str, Any]], **where: Any) -> dict[str, Any]:
    (row,) = [row for row in table if all(row[k] == v for k, v in where.items())]
    return row


def test_a_record_saved_after_noise_keeps_its_own_words(store: Store) -> None:
    """The stored body is what the page said, noise included: folding is for comparing only."""
    url = "https://rnamedia.in/noise/"
    store.save(_record(url, 0, 0, 4))
    article = store.get_article(url)
    assert article is not None
    (version,) = store.versions(article.id)
    assert store.record_of(version) == _record(url, 0, 0, 4)
    assert version.body.startswith("5 hours ago")
