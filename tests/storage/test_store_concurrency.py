"""Workers saving at the same moment: one article, one version, whoever wins the race."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from parsers.record import ArticleRecord
from storage.contract import FetchInfo
from storage.db import Database, open_database
from storage.store import Store
from tests.storage.tables import Rows

T = TypeVar("T")
WORKERS = 4
ROUNDS = 5
SEEN = datetime(2025, 12, 7, 10, 0, tzinfo=UTC)


def _record(
    number: int, *, site: str = "navalmonitor.example", author: str = "Navy Desk"
) -> ArticleRecord:
    url = f"https://{site}/story-{number}/"
    return ArticleRecord(
        url=url,
        canonical_url=url,
        site=site,
        page_type="article",
        headline=f"Story {number}",
        authors=(author,),
        updated_at=SEEN,
        body=(f"Body of story {number}.",),
    )


def _all_at_once(work: list[Callable[[], T]]) -> list[T]:
    """Run the calls in threads released together; re-raise the first failure."""
    barrier, results, errors = threading.Barrier(len(work)), [], []

    def run(call: Callable[[], T]) -> None:
        barrier.wait()
        try:
            results.append(call())
        except Exception as exc:  # surfaced below so the test shows the real error
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _fetch(record: ArticleRecord, worker: int) -> FetchInfo:
    return FetchInfo(url=record.url, fetched_at=SEEN + timedelta(seconds=worker), status=200)


def test_workers_saving_one_new_record_make_one_article(store: Store, rows: Rows) -> None:
    for number in range(ROUNDS):
        record = _record(number)
        results = _all_at_once(
            [partial(store.save, record, _fetch(record, w)) for w in range(WORKERS)]
        )
        assert Counter(r.outcome for r in results) == {"new": 1, "unchanged": WORKERS - 1}
    articles = rows("articles")
    assert sorted(a["url_key"] for a in articles) == sorted(_record(n).url for n in range(ROUNDS))
    # (PostgreSQL spends sequence numbers on the losers' rolled-back inserts: ids may skip.)
    assert sorted((v["article_id"], v["version_no"]) for v in rows("article_versions")) == [
        (article["id"], 1) for article in articles
    ]
    assert len(rows("fetches")) == ROUNDS * WORKERS
    assert len(rows("sites")) == len(rows("authors")) == 1


def test_workers_saving_one_edit_make_one_version(store: Store, rows: Rows) -> None:
    record = _record(0)
    store.save(record)
    for round_ in range(1, ROUNDS + 1):
        edited = replace(record, body=(f"Edit number {round_}.",))
        results = _all_at_once([partial(store.save, edited) for _ in range(WORKERS)])
        assert Counter(r.outcome for r in results) == {"new_version": 1, "unchanged": WORKERS - 1}
        assert {r.version_no for r in results} == {round_ + 1}
    versions = rows("article_versions")
    assert [(v["version_no"], v["kind"]) for v in versions] == [(1, "first")] + [
        (number, "silent_edit") for number in range(2, ROUNDS + 2)
    ]
    assert rows("articles")[0]["current_version_id"] == versions[-1]["id"]


def test_workers_meeting_a_new_site_and_author_share_their_rows(store: Store, rows: Rows) -> None:
    records = [_record(n, site="newsite.example", author="New Author") for n in range(WORKERS)]
    results = _all_at_once([partial(store.save, record) for record in records])
    assert [r.outcome for r in results] == ["new"] * WORKERS
    assert [row["name"] for row in rows("sites")] == ["newsite.example"]
    assert [row["name"] for row in rows("authors")] == ["New Author"]
    assert len(rows("version_authors")) == WORKERS


def _save_in_another_process(
    url: str, start: multiprocessing.synchronize.Barrier, outcomes: multiprocessing.Queue[str]
) -> None:
    database = open_database(url)
    try:
        start.wait()
        outcomes.put(Store(database).save(_record(7)).outcome)
    finally:
        database.close()


def test_processes_saving_one_record_make_one_article(database: Database, rows: Rows) -> None:
    url = database.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    start, outcomes = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_save_in_another_process, args=(url, start, outcomes))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    results = sorted(outcomes.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=120)
    assert results == ["new", "unchanged"]
    assert len(rows("articles")) == len(rows("article_versions")) == 1
