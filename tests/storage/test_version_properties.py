"""The version rule as a property: random edit histories of one article, saved through the
store, make exactly the versions a tiny model of the newsroom's actions predicts.

The model knows only what the newsroom did (edited the words, bumped "Last Updated", or
neither) and never hashes anything; each fetch may also carry cosmetic noise (white space,
curly quotes, dashes, invisible characters, "5 hours ago", "1,234 views") that must never
count as an edit.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.record import ArticleRecord
from storage.contract import FetchInfo, VersionKind
from storage.store import Store

Action = Literal["refetch", "cosmetic", "bump_date", "edit_silently", "edit_and_bump"]
ACTIONS: tuple[Action, ...] = ("refetch", "cosmetic", "bump_date", "edit_silently", "edit_and_bump")
# Examples per database: PostgreSQL round-trips cost more, and SQLite already explores widely.
EXAMPLES = {"sqlite": 150, "postgresql": 40}
PUBLISHED = datetime(2025, 12, 1, 9, 30, tzinfo=UTC)
FIRST_FETCH = datetime(2025, 12, 1, 10, 0, tzinfo=UTC)
_articles = itertools.count()


@dataclass(frozen=True, slots=True)
class Noise:
    """Cosmetic differences between two fetches of the same text."""

    spaces: bool = False
    quotes: bool = False
    dashes: bool = False
    invisible: bool = False
    hours_ago: int | None = None
    views: int | None = None

    def __bool__(self) -> bool:
        return self != Noise()


@dataclass(frozen=True, slots=True)
class Page:
    """What the newsroom has published: a text revision and a "Last Updated" day."""

    revision: int = 0
    updated_day: int = 0


@dataclass(frozen=True, slots=True)
class Step:
    action: Action
    noise: Noise


def expected(page: Page, action: Action) -> tuple[Page, VersionKind | None]:
    """The reference model: the page after the action, and the version it must make."""
    if action == "bump_date":
        return Page(page.revision, page.updated_day + 1), "date_only"
    if action == "edit_silently":
        return Page(page.revision + 1, page.updated_day), "silent_edit"
    if action == "edit_and_bump":
        return Page(page.revision + 1, page.updated_day + 1), "updated"
    return page, None


NOISE = st.builds(
    Noise,
    spaces=st.booleans(),
    quotes=st.booleans(),
    dashes=st.booleans(),
    invisible=st.booleans(),
    hours_ago=st.none() | st.integers(1, 23),
    views=st.none() | st.integers(0, 2_000_000),
)


@st.composite
def steps(draw: st.DrawFn) -> Step:
    action = draw(st.sampled_from(ACTIONS))
    if action == "refetch":  # the very same page
        return Step(action, Noise())
    if action == "cosmetic":  # the same words, dressed differently
        return Step(action, draw(NOISE.filter(bool)))
    return Step(action, draw(NOISE))


HISTORIES = st.tuples(NOISE, st.lists(steps(), max_size=10))


def render(url: str, tag: int, page: Page, noise: Noise) -> ArticleRecord:
    """The record a parser would make of the page as served with this noise."""
    updated = PUBLISHED + timedelta(days=page.updated_day, hours=2)
    paragraphs = [
        'The minister said "talks will resume" after the vote - the first since 2019.',
        "Officials didn't say when the deal could be signed.",
        f"Revision {page.revision}: the ministry named {page.revision + 3} delegations.",
    ]
    body = [_dressed(paragraph, noise) for paragraph in paragraphs]
    if noise.hours_ago is not None:
        body.insert(0, f"{noise.hours_ago} hours ago")
    if noise.views is not None:
        body.append(f"{noise.views:,} views")
    return ArticleRecord(
        url=url,
        canonical_url=url,
        site="x.test",
        page_type="article",
        headline=_dressed(f'Talks "resume" on deal no. {tag}', noise),  # unique per history
        authors=("RNA Desk",),
        published_at=PUBLISHED,
        published_raw="December 1, 2025",
        updated_at=updated,
        updated_raw=f"Last Updated {updated:%B} {updated.day}, {updated.year}",
        body=tuple(body),
    )


def _dressed(text: str, noise: Noise) -> str:
    if noise.quotes:
        text = re.sub(r'"([^"]*)"', "“\\1”", text).replace("'", "’")
    if noise.dashes:
        text = text.replace(" - ", " — ")
    if noise.invisible:
        text = text.replace(" ", "\u00a0", 1).replace("minister", "minis\u00adter") + "\u200b"
    if noise.spaces:
        text = "\t" + text.replace(" ", "  ") + " \n"
    return text


def check_history(store: Store, first_noise: Noise, history: list[Step]) -> None:
    tag = next(_articles)
    url = f"https://x.test/news/deal-{tag}"
    page, model = Page(), [("first", 0)]
    records = [render(url, tag, page, first_noise)]
    fetch_ids = [_save(store, records[0], 0, "new", "first")]
    for number, step in enumerate(history, start=1):
        page, kind = expected(page, step.action)
        if kind is not None:
            model.append((kind, number))
        records.append(render(url, tag, page, step.noise))
        outcome = "new_version" if kind else "unchanged"
        fetch_ids.append(_save(store, records[-1], number, outcome, kind))

    article = store.get_article(url)
    assert article is not None
    versions = store.versions(article.id)
    assert [v.kind for v in versions] == [kind for kind, _ in model]
    assert [v.version_no for v in versions] == list(range(1, len(model) + 1))
    assert [store.record_of(v) for v in versions] == [records[n] for _, n in model]
    assert [v.fetch_id for v in versions] == [fetch_ids[n] for _, n in model]
    assert article.current_version_id == versions[-1].id
    assert article.last_seen == _fetched_at(len(history))


def _save(
    store: Store, record: ArticleRecord, number: int, outcome: str, kind: VersionKind | None
) -> int:
    """Fetch number `number` of the page, saved; the save must end as the model says."""
    fetch_id = store.record_fetch(FetchInfo(record.url, _fetched_at(number), status=200))
    result = store.save(record, fetch_id=fetch_id)
    assert (result.outcome, result.kind) == (outcome, kind), (number, record.body)
    return fetch_id


def _fetched_at(number: int) -> datetime:
    return FIRST_FETCH + timedelta(hours=number)


def test_random_edit_histories_make_exactly_the_modelled_versions(store: Store) -> None:
    @settings(
        max_examples=EXAMPLES[store.database.dialect],
        deadline=None,
        database=None,  # no example files left in the working tree
    )
    @given(HISTORIES)
    def check(history: tuple[Noise, list[Step]]) -> None:
        check_history(store, *history)

    check()
