"""A researcher's path through the real interface in headless Chromium: search, open an
article, its history, a diff; every page loads without a console error. Screenshots of each
page go to the pytest temporary folder (web-screenshots0 under pytest's base temp).

Runs the system's Chromium (Debian's package: scripts/install-chromium.sh), never a browser
Playwright downloads; skips, saying so, only when no Chromium is installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.conftest import DemoArchive
from tests.web.serving import Server, serving

CHROMIUM_ENV = "NEWSARCHIVE_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def chromium_path() -> str | None:
    """$NEWSARCHIVE_CHROMIUM, else a Chromium on PATH."""
    configured = os.environ.get(CHROMIUM_ENV, "").strip()
    if configured:
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Watched:
    """A browser page with what went wrong on it: console errors, script errors, bad loads."""

    page: Page
    shots: Path
    problems: list[str] = field(default_factory=list)

    def shoot(self, name: str) -> None:
        self.page.screenshot(path=self.shots / f"{name}.png", full_page=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium found: install it with scripts/install-chromium.sh "
            f"(Debian's chromium package) or name one in ${CHROMIUM_ENV}"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(
    browser: Browser, demo_archive: DemoArchive, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`newsarchive serve` over the demo archive (asked for after the browser, so a missing
    Chromium skips before the archive is made)."""
    with serving(demo_archive.database_url, tmp_path_factory.mktemp("web-serve")) as running:
        yield running


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: <pytest base temp>/web-screenshots0/."""
    return tmp_path_factory.mktemp("web-screenshots")


@pytest.fixture
def watched(browser: Browser, shots: Path) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    seen = Watched(page, shots)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.problems.append(f"console: {message.text} ({page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.problems.append(f"script: {error} ({page.url})"))
    page.on(
        "response",
        lambda response: (
            seen.problems.append(f"{response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield seen
    context.close()
    print(f"screenshots: {shots}")


def test_search_article_history_and_diff(server: Server, watched: Watched) -> None:
    page = watched.page
    page.goto(server.base_url)
    page.fill("#q", "radars")
    page.click("form.search-form button[type=submit]")
    page.wait_for_url("**/?q=radars*")
    expect(page.locator("#result-count")).to_contain_text("2 articles")
    expect(page.locator(".hit mark").first).to_be_visible()
    watched.shoot("1-search")

    page.click("a.hit-headline:has-text('quatorze radars')")
    expect(page.locator("#headline")).to_have_text(
        "Un industriel normand remporte la maintenance de quatorze radars"
    )
    expect(page.locator(".timeline li")).to_have_count(2)
    expect(page.locator(".metadata")).to_contain_text("minute precision")
    watched.shoot("2-article")

    page.click("text=full history")
    expect(page.locator("table.history tbody tr")).to_have_count(2)
    expect(page.locator("table.history")).to_contain_text("silent edit")
    expect(page.locator("table.history")).to_contain_text("1 paragraph changed")
    watched.shoot("3-history")

    page.click("a.diff-link")
    expect(page.locator("h1")).to_have_text("Version 1 → 2")
    deleted, inserted = page.locator("del.word-delete"), page.locator("ins.word-insert")
    expect(deleted).to_have_text("sept")
    expect(inserted).to_have_text("huit")
    expect(deleted).to_be_visible()
    expect(inserted).to_be_visible()
    assert _background(page, "del.word-delete") != _background(page, "td.after")
    assert _background(page, "ins.word-insert") != _background(page, "td.after")
    watched.shoot("4-diff")

    assert not watched.problems, "\n".join(watched.problems)


def test_chart_and_health_pages_render(server: Server, watched: Watched) -> None:
    page = watched.page
    page.goto(server.base_url + "stats")
    expect(page.locator("svg.bar-chart rect.bar").first).to_be_visible()
    assert page.locator("svg.bar-chart rect.bar").count() >= 2
    watched.shoot("5-stats")
    page.click("text=Parser health")
    expect(page.locator("table.health-matrix tbody tr").first).to_be_visible()
    expect(page.locator("p.ok")).to_contain_text("none flagged")
    watched.shoot("6-health")
    assert not watched.problems, "\n".join(watched.problems)


def _background(page: Page, selector: str) -> str:
    color = page.eval_on_selector(selector, "element => getComputedStyle(element).backgroundColor")
    return str(color)
