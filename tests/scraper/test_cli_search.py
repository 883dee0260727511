"""`newsarchive search` on an archive the pipeline wrote from the demo site."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.cli import main
from scraper.demo_site import DemoSite
from storage.db import open_database
from tests.scraper.crawl_helpers import crawl, demo_config


@pytest.fixture(scope="module")
def config_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("search")
    with DemoSite() as site:
        config = demo_config(site, root)
        database = open_database(config.settings.database_url)
        crawl(config, database)
        database.close()
    yield str(root / "schedules.yaml")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["search", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_jsonl_and_csv_give_the_same_ranked_hits(
    config_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "drone", "--config", config_path, "--format", "json")
    assert code == 0
    page = json.loads(out)
    urls = [hit["url"] for hit in page["hits"]]
    assert page["total"] >= 3 and len(urls) == len(set(urls))
    assert all("drone" in hit["snippet"].lower() for hit in page["hits"])

    _, out, _ = _run(capsys, "drone", "--config", config_path, "--format", "jsonl")
    assert [json.loads(line)["url"] for line in out.splitlines()] == urls
    _, out, _ = _run(capsys, "drone", "--config", config_path, "--format", "csv")
    assert [row["url"] for row in csv.DictReader(io.StringIO(out))] == urls


def test_table_shows_headlines_and_counts(
    config_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "drone", "--config", config_path, "--limit", "2")
    assert code == 0
    assert "articles" in out.splitlines()[0]
    assert "drone" in out.lower()


def test_filters_narrow_the_results(config_path: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["drone", "--config", config_path, "--format", "json"]
    _, out, _ = _run(capsys, *args, "--site", "chroniquedefense.example")
    hits = json.loads(out)["hits"]
    assert hits and {hit["site"] for hit in hits} == {"chroniquedefense.example"}
    _, out, _ = _run(capsys, *args, "--until", "2000-01-01")
    assert json.loads(out)["total"] == 0


@pytest.mark.parametrize(
    "args", [["!!!"], ["drone", "--since", "last tuesday"], ["drone", "--as-of", "x"]]
)
def test_bad_queries_exit_2_with_one_line(
    args: list[str], config_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, *args, "--config", config_path)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("text", ['"unbalanced', "NEAR(a b", "'; DROP TABLE articles; --", "a*"])
def test_hostile_text_never_breaks_the_command(
    text: str, config_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, text, "--config", config_path, "--format", "json")
    assert code in (0, 2), err
    if code == 0:
        assert "total" in json.loads(out)
    assert Path(config_path).exists()
