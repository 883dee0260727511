"""The store benchmark's measurements: save phases, the growing archive, searches.

Every figure is wall time of single calls in this one thread (`time.perf_counter`), so
PostgreSQL's server work counts as it does for a caller; rates are calls over the phase's
total time. Outcomes are checked as they come: a save that should have found its article
and did not is counted, never silently timed.
"""

from __future__ import annotations

import importlib
import itertools
import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import text

from benchmarks.store_data import (
    ALIASED_EVERY,
    AUTHORS,
    FIRST_DAY,
    FIXTURES,
    MARKED,
    MARKER,
    PROBE_EVERY,
    SECTIONS,
    SITES,
    Archive,
    Wording,
    articles_for,
    author_name,
    chunks,
    fill,
    prepare,
    site_name,
    versions_in,
)
from parsers import parse
from parsers.record import ArticleRecord
from storage.contract import FetchInfo
from storage.db import Database
from storage.search_queue import catch_up
from storage.store import Store

T = TypeVar("T")
PAGE = FIXTURES / "rnamedia.in" / "turkey-drone-facility-pakistan"
FILL_CHUNK = 5000  # articles per fill transaction
LOOKUPS = 600
PROBES = 200
SEARCH_RUNS = 5
BATCH = 50


def measure_saves(database: Database, count: int) -> dict[str, Any]:
    """The crawler's writes for `count` new pages, then re-saves and batched saves.

    Each phase also gets its calls per second of this process's CPU time: on SQLite all the
    work is done in this process, so that rate is the one an idle machine would reach even
    when other load slows the wall-clock one; on PostgreSQL it leaves out the server's.
    """
    store, page = Store(database), _page_record()
    new, more, batched = (_variants(page, count, start) for start in (0, count, 2 * count))
    when, later = datetime.now(UTC), datetime.now(UTC) + timedelta(hours=1)
    times: dict[str, list[float]] = {}
    cpu: dict[str, float] = {}
    fetches = [partial(store.record_fetch, _fetch(record, when)) for record in new]
    fetch_ids = _phase(times, cpu, "record_fetch", fetches)
    pairs = list(zip(new, fetch_ids, strict=True))
    parses = [partial(store.record_parse, r, i, r.site) for r, i in pairs]
    _phase(times, cpu, "record_parse", parses)
    # SQLite indexes saved articles for search in batches (`storage.search_queue`): each
    # phase ends by indexing what its last saves left queued, as a search would first.
    indexed = partial(catch_up, database)
    saves = [partial(store.save, record, fetch_id=fetch_id) for record, fetch_id in pairs]
    results = _phase(times, cpu, "save_new_by_fetch_id", saves, indexed)
    saves = [partial(store.save, record, _fetch(record, when)) for record in more]
    results += _phase(times, cpu, "save_new_with_fetch", saves, indexed)
    saves = [partial(store.save, record, seen_at=later) for record in new]
    results += _phase(times, cpu, "save_unchanged", saves, indexed)
    batches = [
        [(record, None) for record in batched[i : i + BATCH]] for i in range(0, count, BATCH)
    ]
    many = [partial(store.save_many, b) for b in batches]
    for batch in _phase(times, cpu, "save_many", many, indexed):
        results += batch
    per_record = f"save_many_{BATCH}_per_record"
    times[per_record] = [t / BATCH for t in times.pop("save_many") for _ in range(BATCH)]
    cpu[per_record] = cpu.pop("save_many")
    pipeline = (
        sum(times["record_fetch"]) + sum(times["record_parse"]) + sum(times["save_new_by_fetch_id"])
    )
    return {
        "records": count,
        "page": {"body_chars": len(page.text), "authors": 1, "images": len(page.images)},
        **{
            name: {**_stats(seconds), "cpu_per_second": round(len(seconds) / cpu[name], 1)}
            for name, seconds in times.items()
        },
        "page_pipeline_per_second": round(count / pipeline, 1),
        "outcomes": dict(Counter(result.outcome for result in results)),
        "outcomes_expected": {"new": 3 * count, "unchanged": count},
    }


def _fetch(record: ArticleRecord, when: datetime) -> FetchInfo:
    return FetchInfo(url=record.url, fetched_at=when, status=200, content_type="text/html")


def _phase(
    times: dict[str, list[float]],
    cpu: dict[str, float],
    name: str,
    calls: Sequence[Callable[[], T]],
    then: Callable[[], object] | None = None,
) -> list[T]:
    """Run the calls one by one, keeping each one's time under `name` (and the phase's CPU
    time of this process); their results. `then` finishes the phase's work (counted in the
    last call's time)."""
    started = time.process_time()
    results, times[name] = _timed(calls)
    if then is not None:
        _, (finish,) = _timed([then])
        times[name][-1] += finish
    cpu[name] = max(time.process_time() - started, 1e-9)
    return results


def measure_archive(
    database: Database, wording: Wording, sizes: list[int], search_articles: int
) -> dict[str, Any]:
    """Fill the synthetic archive size by size; time lookups at each, searches at one."""
    archive = Archive(wording)
    with database.write_engine.begin() as connection:
        prepare(connection)
    stops = sorted(
        {*((articles_for(size), "dedup") for size in sizes), (search_articles, "search")}
    )
    figures: dict[str, Any] = {"dedup": [], "fill": {"versions": 0, "seconds": 0.0}}
    filled = 0
    for articles, what in sorted(stops):
        if articles <= 0:
            continue
        figures["fill"] = _fill(database, archive, range(filled, articles), figures["fill"])
        filled = articles
        if what == "dedup":
            figures["dedup"].append(_dedup(database, archive, articles))
        else:
            figures["search"] = _search(database, wording, articles)
    fill_figures = figures["fill"]
    fill_figures["versions_per_second"] = round(
        fill_figures["versions"] / max(fill_figures["seconds"], 1e-9)
    )
    return figures


def _fill(
    database: Database, archive: Archive, numbers: range, so_far: dict[str, Any]
) -> dict[str, Any]:
    started, versions = time.perf_counter(), so_far["versions"]
    analyzed = versions
    for chunk in chunks(numbers, FILL_CHUNK):
        with database.write_engine.begin() as connection:
            versions += fill(connection, archive, chunk)
        if versions >= 2 * analyzed:  # statistics as autovacuum would keep them
            _settle(database)
            analyzed = versions
    _settle(database)
    seconds = so_far["seconds"] + time.perf_counter() - started
    return {"versions": versions, "seconds": round(seconds, 1)}


def _settle(database: Database) -> None:
    """PostgreSQL: fresh planner statistics; SQLite: the WAL folded into the database file
    (outside any transaction: SQLAlchemy's connections always begin one here)."""
    if database.dialect == "postgresql":
        with database.write_engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        return
    raw = database.engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def _dedup(database: Database, archive: Archive, articles: int) -> dict[str, Any]:
    store, draw = Store(database), random.Random(articles)
    urls = [_lookup_url(archive, draw, articles) for _ in range(LOOKUPS)]
    found, get_article = _timed([partial(store.get_article, url) for url, _ in urls])
    misses = sum((a is not None) != known for a, (_, known) in zip(found, urls, strict=True))
    probes = [draw.randrange(0, articles, PROBE_EVERY) for _ in range(PROBES)]
    seen = datetime.now(UTC)
    resaved, resave = _timed([partial(store.save, archive.record(n), seen_at=seen) for n in probes])
    first_new = 10**9 + articles
    new = [archive.record(first_new + k, prefix="new") for k in range(PROBES)]
    created, save_new = _timed([partial(store.save, record, seen_at=seen) for record in new])
    outcomes = Counter(r.outcome for r in [*resaved, *created])
    return {
        "versions": versions_in(articles),
        "articles": articles,
        "get_article_us": _stats(get_article, scale=1e6),
        "resave_unchanged": _stats(resave),
        "save_new": _stats(save_new),
        "wrong_lookups": misses,
        "outcomes": dict(outcomes),
        "outcomes_expected": {"unchanged": PROBES, "new": PROBES},
    }


def _lookup_url(archive: Archive, draw: random.Random, articles: int) -> tuple[str, bool]:
    """A URL to look up and whether the archive knows it: own (70%), alias (20%), unknown."""
    roll, number = draw.random(), draw.randrange(articles)
    if roll < 0.2:
        aliased = number - number % ALIASED_EVERY + 3
        if aliased < articles and archive.has_alias(aliased):
            return archive.alias_url(aliased), True
    if roll < 0.9:
        return archive.record(number).url, True
    return f"https://{site_name(number % SITES)}/unknown-{number}/", False


def _search(database: Database, wording: Wording, articles: int) -> dict[str, Any]:
    try:
        search_module = importlib.import_module("storage.search")
    except ImportError:
        return {"available": False, "articles": articles}
    search = search_module.Search(database)
    query = search_module.SearchQuery
    marked = search.run(query(text=MARKER)).total
    bylined = search.run(query(text=MARKER, author=author_name(MARKED % AUTHORS))).total
    figures: dict[str, Any] = {"available": True, "articles": articles}
    figures["bulk_rows_searchable"] = marked == 1 and bylined == 1
    timings: list[float] = []
    per_query = []
    for fields in _search_queries(wording):
        asked = query(**fields)
        page = search.run(asked)  # the first run warms the cache
        _, runs = _timed([partial(search.run, asked)] * SEARCH_RUNS)
        timings += runs
        per_query.append({**_described(fields), "total": page.total, "median_ms": _ms(runs)})
    figures.update(_stats(timings), queries=len(per_query), runs=SEARCH_RUNS)
    figures["per_query"] = per_query
    return figures


def _search_queries(wording: Wording) -> list[dict[str, Any]]:
    """Common to rare words, phrases, prefixes, exclusions, filters alone and with words, a
    second page, and the wording of a past day (as `SearchQuery` fields), drawn from the
    ranked vocabulary so they match what the archive holds. The commonest words are in
    about a third of the articles: the costliest searches to rank."""
    words = [w for w in wording.words if len(w) >= 5 and w.isascii() and w.isalpha()]
    pairs, known = (p.split() for p in wording.paragraphs), set(words)
    phrase = next(
        f"{a} {b}" for split in pairs for a, b in itertools.pairwise(split) if {a, b} <= known
    )
    return [
        {"text": words[2]},
        {"text": words[30]},
        {"text": words[150]},
        {"text": words[min(600, len(words) - 1)]},
        {"text": f"{words[10]} {words[80]}"},
        {"text": f"{words[1]} {words[2]}"},
        {"text": f"{words[4]} {words[40]} {words[200]}"},
        {"text": f'"{phrase}"'},
        {"text": f"{words[50][:4]}*"},
        {"text": f"{words[5]} -{words[6]}"},
        {"text": words[2], "offset": 20},
        {"text": words[20], "site": site_name(3)},
        {"text": words[25], "author": author_name(11)},
        {"text": words[15], "section": SECTIONS[2]},
        {"text": words[3], "has_versions": True},
        {"text": words[8], "published_from": _day(30)},
        {"text": words[9], "updated_from": _day(60), "updated_to": _day(90)},
        {"text": "", "site": site_name(5), "section": SECTIONS[1]},
        {"text": "", "author": author_name(42)},
        {"text": words[12], "as_of": _day(60)},
        {"text": words[7], "section": SECTIONS[3], "as_of": _day(100)},
    ]


def _day(number: int) -> datetime:
    """The synthetic archive's day `number` (its first article is published on day 0)."""
    return FIRST_DAY + timedelta(days=number)


def _described(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in fields.items()}


def _page_record() -> ArticleRecord:
    spec = json.loads(PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    html = PAGE.with_suffix(".html").read_text(encoding="utf-8")
    return parse(html, spec["url"], datetime.fromisoformat(spec["fetched_at"]))


def _variants(page: ArticleRecord, count: int, start: int) -> list[ArticleRecord]:
    """The page under `count` new URLs, each with its own headline (so its own text)."""
    records = []
    for number in range(start, start + count):
        url = f"https://rnamedia.in/bench/{number}/"
        headline = f"{page.headline} ({number})"
        records.append(replace(page, url=url, canonical_url=url, headline=headline))
    return records


def _timed(calls: Iterable[Callable[[], T]]) -> tuple[list[T], list[float]]:
    results, seconds = [], []
    for call in calls:
        started = time.perf_counter()
        results.append(call())
        seconds.append(time.perf_counter() - started)
    return results, seconds


def _stats(seconds: list[float], scale: float = 1e3) -> dict[str, float]:
    """Rate and latency of timed calls (latencies in ms, or µs with scale=1e6)."""
    ordered = sorted(seconds)
    unit = "ms" if scale == 1e3 else "us"
    return {
        "per_second": round(len(ordered) / sum(ordered), 1),
        f"p50_{unit}": round(statistics.median(ordered) * scale, 3),
        f"p95_{unit}": round(ordered[int(0.95 * (len(ordered) - 1))] * scale, 3),
        f"max_{unit}": round(ordered[-1] * scale, 3),
    }


def _ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1e3, 3)
