"""The analyst's toolkit: `parser new`, `save-fixture` and `parser check`, run as users run them."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from parsers import registry as registry_module
from parsers.registry import registered_sites
from scraper.cli import main
from scraper.golden import check_page, load_golden
from scraper.scaffold import class_name, module_name, slug_of

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RNA = FIXTURES / "rnamedia.in" / "turkey-drone-facility-pakistan"
RNA_URL = (
    "https://rnamedia.in/after-corvette-class-warships-turkey-eyes-drone-facility-in-pakistan/"
)
ARTICLE = (
    "<html lang='en'><head><title>Frigate launched | Harbour News</title></head><body>"
    "<article><h1>Frigate launched at the northern yard</h1>"
    "<time datetime='2025-05-02T10:00:00+00:00'>2 May 2025</time>"
    + "<p>The shipyard floated out the second frigate of the class on Friday morning.</p>" * 6
    + "</article></body></html>"
)


@pytest.fixture
def restore_registry() -> Iterator[None]:
    registered_sites()
    saved = dict(registry_module._REGISTRY)
    yield
    registry_module._REGISTRY.clear()
    registry_module._REGISTRY.update(saved)


@pytest.fixture
def page_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving one article page."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = ARTICLE.encode() if self.path.startswith("/news/") else b"not found"
            self.send_response(200 if self.path.startswith("/news/") else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_parser_check_passes_on_the_projects_golden_pages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parser", "check", "--fixtures", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "0 mismatches" in out


def test_parser_check_prints_each_wrong_field_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "rnamedia.in"
    folder.mkdir()
    shutil.copy(RNA.with_suffix(".html"), folder / "page.html")
    spec = json.loads(RNA.with_suffix(".json").read_text(encoding="utf-8"))
    spec["expected"]["headline"] = "A headline the page does not carry"
    spec["expected"]["authors"] = ["Someone Else"]
    (folder / "page.json").write_text(json.dumps(spec), encoding="utf-8")

    assert main(["parser", "check", "rnamedia.in", "--fixtures", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "headline" in out and "authors" in out and "Someone Else" in out
    assert "2 mismatches" in out
    assert "published_at" not in out


def test_parser_check_with_no_pages_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parser", "check", "--fixtures", str(tmp_path)]) == 2
    assert "no golden pages" in capsys.readouterr().err


def test_save_fixture_from_a_file_drafts_a_pair_that_checks_clean(tmp_path: Path) -> None:
    args = ["save-fixture", str(RNA.with_suffix(".html")), "--host", "www.rnamedia.in"]
    args += ["--url", RNA_URL, "--fixtures", str(tmp_path), "--fetched-at", "2025-12-07T10:00Z"]
    assert main(args) == 0
    spec = (
        tmp_path
        / "rnamedia.in"
        / "after-corvette-class-warships-turkey-eyes-drone-facility-in-pakistan.json"
    )
    draft = load_golden(spec)
    assert draft.expected["headline"].startswith("After Corvette-Class Warships")
    assert draft.expected["authors"] == ["RNA Desk"]
    assert check_page(draft) == []
    assert main(args) == 2, "an existing pair is not overwritten without --force"
    assert main([*args, "--force"]) == 0


def test_save_fixture_from_a_url_fetches_the_page(page_server: str, tmp_path: Path) -> None:
    url = f"{page_server}/news/frigate-launched.html"
    assert main(["save-fixture", url, "--host", "127.0.0.1", "--fixtures", str(tmp_path)]) == 0
    draft = load_golden(tmp_path / "127.0.0.1" / "frigate-launched.json")
    assert draft.url == url
    assert draft.expected["headline"] == "Frigate launched at the northern yard"
    assert draft.html_path.read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["save-fixture", "missing.html", "--host", "a.com", "--url", "https://a.com/x"],
            "no such",
        ),
        (["save-fixture", str(RNA.with_suffix(".html")), "--host", "rnamedia.in"], "--url"),
        (
            [
                "save-fixture",
                str(RNA.with_suffix(".html")),
                "--host",
                "other.com",
                "--url",
                RNA_URL,
            ],
            "not on other.com",
        ),
        (["save-fixture", str(RNA.with_suffix(".html")), "--host", "not a host"], "not a host"),
    ],
)
def test_save_fixture_refuses_bad_input_in_one_line(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--fixtures", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def _checkout(tmp_path: Path) -> Path:
    """A project checkout in miniature: the real parsers/sites/__init__.py."""
    sites = tmp_path / "parsers" / "sites"
    sites.mkdir(parents=True)
    shutil.copy(ROOT / "parsers" / "sites" / "__init__.py", sites / "__init__.py")
    return tmp_path


def test_parser_new_scaffolds_registers_and_saves_a_fixture(
    tmp_path: Path, restore_registry: None
) -> None:
    root = _checkout(tmp_path)
    page = tmp_path / "sample.html"
    page.write_text(ARTICLE, encoding="utf-8")
    args = ["parser", "new", "www.harbour-news.example", str(page), "--root", str(root)]
    args += ["--url", "https://harbour-news.example/news/frigate-launched/"]
    args += ["--timezone", "Europe/Oslo", "--language", "no"]
    assert main(args) == 0

    module = root / "parsers" / "sites" / "harbour_news_example.py"
    init = (root / "parsers" / "sites" / "__init__.py").read_text(encoding="utf-8")
    assert "harbour_news_example" in init.split("import", 2)[-1]
    assert '"harbour_news_example"' in init
    spec = importlib.util.spec_from_file_location("scaffolded_site", module)
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    cls = registered_sites()["harbour-news.example"]
    assert cls.__name__ == "HarbourNewsExample"
    assert cls().site_config(None).timezone == "Europe/Oslo"
    fixture = root / "tests" / "fixtures" / "harbour-news.example" / "frigate-launched.json"
    assert load_golden(fixture).expected["headline"] == "Frigate launched at the northern yard"
    lint = [sys.executable, "-m", "ruff"]
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        done = subprocess.run([*lint, *command, str(module), str(root / "parsers" / "sites")])
        assert done.returncode == 0, "scaffolded code passes the project's lint and format"


def test_parser_new_refuses_a_host_that_has_a_parser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parser", "new", "rnamedia.in", "--root", str(_checkout(tmp_path))]) == 2
    assert "already has a parser" in capsys.readouterr().err


def test_parser_new_outside_a_checkout_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parser", "new", "fresh-site.example", "--root", str(tmp_path)]) == 2
    assert "not a newsarchive checkout" in capsys.readouterr().err


def test_parser_list_names_every_site_parser(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parser", "list"]) == 0
    out = capsys.readouterr().out
    assert "rnamedia.in\tparsers.sites.rnamedia_in.RnaMedia" in out


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://a.com/news/2025/11/some-story/", "some-story"),
        ("https://a.com/news/Some_Story.html", "some-story"),
        ("https://a.com/story/amp/", "story"),
        ("https://a.com/", "index"),
    ],
)
def test_slug_of(url: str, slug: str) -> None:
    assert slug_of(url) == slug


def test_module_and_class_names_follow_the_host() -> None:
    assert module_name("ukdefencejournal.org.uk") == "ukdefencejournal_org_uk"
    assert class_name("mil.gov.ua") == "MilGovUa"
