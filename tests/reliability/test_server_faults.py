"""A real crawl (`scraper.run.run_once`) of a local site whose pages misbehave: read timeouts,
resets mid-body, 429 and 503 storms with Retry-After, a body dripping past the time limit,
a body shorter than its Content-Length, a redirect loop, corrupt gzip. The run finishes;
each failing URL's error is on record with its kind (the run report, the fetch row, the
frontier's failure count and last error); the URLs are due again after the retry policy's
wait and not before; and a later run, once the server is fixed, archives every one.

tests/scraper/test_fetch_retries.py and test_fetch.py check the fetcher alone against each
fault; tests/scraper/test_crawl.py crawls a well-behaved demo site. This module joins them:
faults met by the whole pipeline, on both databases. Each fault is served on a host of its
own (a subdomain of the site), so one host's Retry-After or back-off delays no other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from scraper.config import Config
from storage.db import Database
from storage.frontier import ERROR_RETRY, Frontier
from tests.reliability.local_site import (
    FEED_PATH,
    SITE,
    START,
    archived_urls,
    article_html,
    crawl,
    feed_xml,
    fetch_rows,
    frontier_rows,
    later,
    site_config,
)
from tests.reliability.tally import tried
from tests.scraper.http_servers import (
    HTML_TYPE,
    Call,
    LocalServer,
    Route,
    delayed,
    page,
    redirect,
    start_gaps,
    status,
    trickle,
)

RSS = "application/rss+xml"


def reset_mid_body(call: Call) -> None:
    body = article_html("reset")
    call.send_head(200, {"Content-Type": HTML_TYPE, "Content-Length": str(len(body))})
    call.write(body[: len(body) // 3])
    call.reset()


def shorter_than_declared(call: Call) -> None:
    body = article_html("short")
    call.send_head(200, {"Content-Type": HTML_TYPE, "Content-Length": str(len(body) + 4096)})
    call.write(body)
    call._handler.close_connection = True  # a clean close, the rest never sent


def corrupt_gzip(call: Call) -> None:
    body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + b"not deflate data " * 64
    call.respond(200, body, {"Content-Type": HTML_TYPE, "Content-Encoding": "gzip"})


@dataclass(frozen=True)
class Fault:
    name: str  # also the story's host: <name>.wire.example
    route: Route
    kind: str  # what the run report counts it as
    status: int | None = None  # the status the last fetch row keeps, if a head came

    @property
    def host(self) -> str:
        return f"{self.name}.{SITE}"

    @property
    def path(self) -> str:
        return f"/2025/12/01/{self.name}/"

    @property
    def url(self) -> str:
        return f"http://{self.host}{self.path}"


LOOP = "/2025/12/01/loop-back/"
FAULTS = [
    Fault("read-timeout", delayed(10.0, page(article_html("late"))), "timeout"),
    Fault("reset-mid-body", reset_mid_body, "connection", 200),
    Fault("storm-429", status(429, {"Retry-After": "1"}), "http_429", 429),
    Fault("storm-503", status(503, {"Retry-After": "1"}), "http_503", 503),
    Fault("hour-429", status(429, {"Retry-After": "3600"}), "http_429", 429),
    Fault("slow-drip", trickle(b"<p>drip</p>", count=60, interval=0.1), "timeout", 200),
    Fault("truncated", shorter_than_declared, "connection", 200),
    Fault("redirect-loop", redirect(LOOP), "redirect_loop"),
    Fault("corrupt-gzip", corrupt_gzip, "decoding", 200),
]
NETWORK_FAULTS = [fault for fault in FAULTS if not fault.kind.startswith("http_")]
HEALTHY = f"http://{SITE}/2025/12/01/healthy-story/"


def broken_routes() -> dict[str, Route]:
    routes = {fault.path: fault.route for fault in FAULTS}
    routes[LOOP] = redirect(FAULTS[7].path)
    routes["/2025/12/01/healthy-story/"] = page(article_html("healthy-story"))
    routes[FEED_PATH] = page(feed_xml([HEALTHY, *(f.url for f in FAULTS)]), content_type=RSS)
    return routes


def fixed_routes() -> dict[str, Route]:
    routes = broken_routes()
    routes.update({fault.path: page(article_html(fault.name)) for fault in FAULTS})
    return routes


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer(broken_routes()) as local:
        yield local


def _config(tmp_path: Path, server: LocalServer) -> Config:
    return site_config(tmp_path, server, [fault.host for fault in FAULTS])


def _due(database: Database, config: Config, at: datetime) -> set[str]:
    frontier = Frontier(database, config.sites[0].recheck)
    return {due.url for due in frontier.due(SITE, at)}


def test_a_crawl_through_server_faults_records_them_and_recovers(
    tmp_path: Path, server: LocalServer, database: Database
) -> None:
    config = _config(tmp_path, server)
    report = crawl(config, database)
    tried("server faults: kinds met by a real crawl", len(FAULTS))

    (site,) = report.sites
    assert not site.failed, site.to_dict()
    expected_kinds: dict[str, int] = {}
    for fault in FAULTS:
        expected_kinds[fault.kind] = expected_kinds.get(fault.kind, 0) + 1
    assert dict(site.errors) == expected_kinds
    assert archived_urls(database) == {HEALTHY}

    rows = frontier_rows(database)
    for fault in FAULTS:
        row = rows[fault.url]
        assert (row.failure_count, row.state) == (1, "new"), fault.name
        assert row.next_due_at == START + ERROR_RETRY, fault.name
        last = fetch_rows(database, fault.url)[-1]
        assert last.status == fault.status, (fault.name, last.status, last.error)
        if fault in NETWORK_FAULTS:
            assert last.error is not None and last.error.startswith(f"{fault.kind}: "), last.error
            assert row.last_error, fault.name
    assert rows[HEALTHY].failure_count == 0

    # Retries were bounded (one more attempt), and a storm's Retry-After was waited out.
    for name in ("storm-429", "storm-503"):
        path = next(fault.path for fault in FAULTS if fault.name == name)
        attempts = server.requests_to(path)
        assert len(attempts) == 2 and start_gaps(attempts)[0] >= 0.9, name
    assert len(server.requests_to(FAULTS[4].path)) == 1  # asked for an hour: not retried now

    failing = {fault.url for fault in FAULTS}
    assert _due(database, config, later(START, minutes=29)).isdisjoint(failing)
    assert _due(database, config, later(START, minutes=31)) >= failing

    server.routes.update(fixed_routes())
    report = crawl(config, database, later(START, minutes=31))
    (site,) = report.sites
    assert not site.failed and not site.errors, site.to_dict()
    assert archived_urls(database) == {HEALTHY, *failing}
    rows = frontier_rows(database)
    for fault in FAULTS:
        row = rows[fault.url]
        assert (row.failure_count, row.last_error, row.state) == (0, None, "active"), fault.name
    assert len(server.requests_to("/2025/12/01/healthy-story/")) == 1  # not due again yet


def test_a_final_http_error_is_named_in_the_frontier(
    tmp_path: Path, server: LocalServer, database: Database
) -> None:
    storm = next(fault for fault in FAULTS if fault.name == "storm-503")
    server.routes[FEED_PATH] = page(feed_xml([storm.url]), content_type=RSS)
    crawl(_config(tmp_path, server), database)
    row = frontier_rows(database)[storm.url]
    assert row.failure_count == 1
    assert row.last_error is not None and "503" in row.last_error
