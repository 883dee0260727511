"""Shared per-host pacing on PostgreSQL: turns, slots in flight, gaps, back-off, Crawl-delay.

Each `SharedPacing` stands for one worker process; several of them on one database are
several workers.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.host_pacing import BackoffRule, PacingRule, SharedPacing, Turn, Wait

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)

HOST = "a.example"
SLOT_LEASE = 60.0
BUSY_RETRY = 0.05
WAIT_SECONDS = 30.0  # an upper bound for a slot lease to run out, never an expectation


def allow_now(database: Database, host: str) -> None:
    with database.transaction() as session:
        session.execute(
            text("UPDATE host_pacing SET next_allowed_at = now() WHERE host = :host"),
            {"host": host},
        )


def turn_of(answer: Turn | Wait) -> Turn:
    assert isinstance(answer, Turn), answer
    return answer


def wait_of(answer: Turn | Wait) -> Wait:
    assert isinstance(answer, Wait), answer
    return answer


def test_a_turn_moves_the_next_start_a_gap_on(database: Database) -> None:
    pacing = SharedPacing(database, "w1", SLOT_LEASE)
    rule = PacingRule(connections=2, min_delay=30.0)

    turn = turn_of(pacing.take_turn(HOST, rule, BUSY_RETRY))
    wait = wait_of(SharedPacing(database, "w2", SLOT_LEASE).take_turn(HOST, rule, BUSY_RETRY))

    assert turn.gap == 30.0
    assert not wait.busy
    assert 0 < wait.seconds <= 30.0


def test_no_more_requests_in_flight_than_connections_across_workers(database: Database) -> None:
    first, second = (
        SharedPacing(database, "w1", SLOT_LEASE),
        SharedPacing(database, "w2", SLOT_LEASE),
    )
    rule = PacingRule(connections=2, min_delay=0.0)
    one = turn_of(first.take_turn(HOST, rule, BUSY_RETRY))
    turn_of(second.take_turn(HOST, rule, BUSY_RETRY))

    busy = wait_of(second.take_turn(HOST, rule, BUSY_RETRY))
    assert busy == Wait(BUSY_RETRY, busy=True)

    first.end_turn(one, elapsed=0.0)
    turn_of(second.take_turn(HOST, rule, BUSY_RETRY))


def test_the_gap_counts_from_when_the_request_was_sent(database: Database) -> None:
    pacing = SharedPacing(database, "w1", SLOT_LEASE)
    rule = PacingRule(connections=1, min_delay=30.0)

    def next_allowed(host: str) -> datetime:
        state = pacing.state(host)
        assert state is not None
        return state.next_allowed_at

    sent_long_ago = turn_of(pacing.take_turn(HOST, rule, BUSY_RETRY))
    granted = next_allowed(HOST)
    pacing.end_turn(sent_long_ago, elapsed=1000.0)
    assert next_allowed(HOST) == granted  # a gap from the grant is the later one

    sent_just_now = turn_of(pacing.take_turn("b.example", rule, BUSY_RETRY))
    granted = next_allowed("b.example")
    pacing.end_turn(sent_just_now, elapsed=0.0)
    assert next_allowed("b.example") > granted  # a full gap from the send, after the grant


def test_a_429_grows_the_backoff_and_retry_after_blocks_the_host(database: Database) -> None:
    rule = BackoffRule(first=1.0, cap=8.0, recovery=0.5, floor=0.3)
    pacing = SharedPacing(database, "w1", SLOT_LEASE, rule)
    polite = PacingRule(connections=1, min_delay=0.0)

    def backoff() -> float:
        state = pacing.state(HOST)
        assert state is not None
        return state.backoff

    turn = turn_of(pacing.take_turn(HOST, polite, BUSY_RETRY))
    wait = pacing.end_turn(turn, elapsed=0.0, overloaded=True, retry_after=40.0)
    assert backoff() == 1.0
    assert 39.0 < wait <= 40.0
    blocked = wait_of(SharedPacing(database, "w2", SLOT_LEASE).take_turn(HOST, polite, 0))
    assert 39.0 < blocked.seconds <= 40.0

    steps = []
    for overloaded in (True, True, True, False, False, False):
        other = "b.example"
        turn = turn_of(pacing.take_turn(other, polite, BUSY_RETRY))
        pacing.end_turn(turn, elapsed=1000.0, overloaded=overloaded, retry_after=0.0)
        state = pacing.state(other)
        assert state is not None
        steps.append(state.backoff)
        allow_now(database, other)  # so the test need not wait out each gap
    assert steps == [1.0, 2.0, 4.0, 2.0, 1.0, 0.5]


def test_crawl_delay_is_kept_for_every_worker(database: Database) -> None:
    reader = SharedPacing(database, "w1", SLOT_LEASE)
    turn = turn_of(reader.take_turn(HOST, PacingRule(1, 0.0, crawl_delay=5.0), BUSY_RETRY))
    assert turn.gap == 5.0
    reader.end_turn(turn, elapsed=100.0)  # answered long ago: the grant's gap stands

    state = reader.state(HOST)
    assert state is not None and state.crawl_delay == 5.0
    other = wait_of(SharedPacing(database, "w2", SLOT_LEASE).take_turn(HOST, PacingRule(1, 0.0), 0))
    assert 0 < other.seconds <= 5.0


def test_a_dead_workers_slot_frees_itself_when_its_lease_runs_out(database: Database) -> None:
    rule = PacingRule(connections=1, min_delay=0.0)
    turn_of(SharedPacing(database, "dead", 0.1).take_turn(HOST, rule, BUSY_RETRY))
    survivor = SharedPacing(database, "w2", SLOT_LEASE)
    assert wait_of(survivor.take_turn(HOST, rule, BUSY_RETRY)).busy

    deadline = time.monotonic() + WAIT_SECONDS
    while isinstance(answer := survivor.take_turn(HOST, rule, BUSY_RETRY), Wait):
        assert time.monotonic() < deadline, "the dead worker's slot never freed"
        time.sleep(0.02)
    assert answer.host == HOST


def test_workers_taking_turns_at_once_never_overlap_on_a_host(database: Database) -> None:
    rule = PacingRule(connections=1, min_delay=0.0)
    lock = threading.Lock()
    in_flight, peak, done, errors = [0], [0], [0], []

    def work(name: str) -> None:
        pacing = SharedPacing(database, name, SLOT_LEASE)
        try:
            for _ in range(8):
                while isinstance(answer := pacing.take_turn(HOST, rule, BUSY_RETRY), Wait):
                    time.sleep(0.005)
                with lock:
                    in_flight[0] += 1
                    peak[0] = max(peak[0], in_flight[0])
                time.sleep(0.005)  # the request
                with lock:
                    in_flight[0] -= 1
                    done[0] += 1
                pacing.end_turn(answer, elapsed=0.0)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert done[0] == 32
    assert peak[0] == 1
