"""Pages parsed in batches: a page goes at once while few batches are out, the pages handed
in meanwhile make the next batch, and each page gets its own parse or its own error (even
one that cannot cross processes, or a pool that died)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from typing import Any

import pytest

from parsers.record import ArticleRecord, ParserInfo
from scraper.parse_batches import ParseBatches, ParseCall, parse_each
from scraper.site_pass import Parsed

AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
BODY = tuple(f"Paragraph {n} of the story says something new about the fleet." for n in range(9))


class _Unpicklable(Exception):
    def __init__(self, handle: threading.Lock) -> None:
        super().__init__("held a lock")
        self.handle = handle

    def __reduce__(self) -> Any:
        raise TypeError("cannot pickle a lock")


def _parser(body: bytes, url: str, charset: str | None, at: datetime, entry: Any) -> ArticleRecord:
    if body == b"broken":
        raise ValueError(f"cannot read {url}")
    if body == b"odd":
        raise _Unpicklable(threading.Lock())
    return ArticleRecord(
        url=url,
        canonical_url=url,
        site="news.example",
        page_type="article",
        headline=body.decode(),
        body=BODY,
        parser=ParserInfo("test", "1"),
    )


def _call(n: int, body: bytes | None = None) -> ParseCall:
    url = f"https://news.example/{n}"
    return (_parser, body or f"story {n}".encode(), url, "utf-8", AT, None)  # type: ignore[return-value]


class _Counting(ThreadPoolExecutor):
    """Records the size of each batch sent; `gate` holds the first one until set."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.batches: list[int] = []
        self.gate = threading.Event()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        calls = args[0]
        self.batches.append(len(calls))
        first = len(self.batches) == 1

        def run() -> Any:
            if first:
                self.gate.wait(timeout=10)
            return fn(*args, **kwargs)

        return super().submit(run)


@pytest.fixture
def pool() -> Iterator[_Counting]:
    with _Counting() as counting:
        yield counting


def _parse_all(
    batches: ParseBatches, calls: list[ParseCall], release: threading.Event, first: int = 0
) -> list[Any]:
    """Parse `calls`: the `first` ones handed in alone, the rest once they are out."""

    async def run() -> list[Any]:
        early = [asyncio.ensure_future(batches.parse(call)) for call in calls[:first]]
        for _ in range(5):
            await asyncio.sleep(0)  # the early ones are sent (and held by the pool)
        asyncio.get_running_loop().call_later(0.05, release.set)
        later = [batches.parse(call) for call in calls[first:]]
        return list(await asyncio.gather(*early, *later, return_exceptions=True))

    return asyncio.run(run())


def test_pages_handed_in_while_a_batch_is_out_make_the_next_batches(pool: _Counting) -> None:
    batches = ParseBatches(pool, in_flight=1, max_batch=8)

    outcomes = _parse_all(batches, [_call(n) for n in range(12)], pool.gate, first=1)

    assert pool.batches == [1, 8, 3]
    assert [outcome.record.headline for outcome in outcomes] == [f"story {n}" for n in range(12)]
    assert all(isinstance(outcome, Parsed) and outcome.sketch for outcome in outcomes)


def test_each_page_gets_its_own_error(pool: _Counting) -> None:
    batches = ParseBatches(pool, in_flight=1)
    calls = [_call(0), _call(1, b"broken"), _call(2), _call(3, b"odd"), _call(4)]

    first, broken, third, odd, fifth = _parse_all(batches, calls, pool.gate)

    assert [first.record.url, third.record.url, fifth.record.url] == [
        "https://news.example/0",
        "https://news.example/2",
        "https://news.example/4",
    ]
    assert isinstance(broken, ValueError) and str(broken) == "cannot read https://news.example/1"
    assert isinstance(odd, RuntimeError) and str(odd) == "_Unpicklable: held a lock"


def test_a_pool_that_died_fails_the_pages_it_was_given() -> None:
    class _Dead(ThreadPoolExecutor):
        def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
            raise BrokenProcessPool("a parsing process died")

    with _Dead(max_workers=1) as dead:
        outcomes = _parse_all(
            ParseBatches(dead, in_flight=2), [_call(n) for n in range(3)], threading.Event()
        )

    assert [type(outcome) for outcome in outcomes] == [BrokenProcessPool] * 3


def test_parse_each_keeps_the_order_of_its_pages() -> None:
    outcomes = parse_each([_call(2), _call(1, b"broken"), _call(0)])

    assert isinstance(outcomes[1], ValueError)
    assert [o.record.headline for o in (outcomes[0], outcomes[2])] == ["story 2", "story 0"]  # type: ignore[union-attr]
