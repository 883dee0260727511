"""`newsarchive run` and `newsarchive demo` as a user (or cron) calls them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from scraper.cli import main
from scraper.demo_config import demo_config_text
from scraper.demo_site import DemoSite
from storage.db import open_database
from storage.runs import RunLog


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite() as demo:
        yield demo


def _config(site: DemoSite, tmp_path: Path, extra_site: dict[str, object] | None = None) -> Path:
    doc = yaml.safe_load(demo_config_text(site, tmp_path / "data"))
    if extra_site is not None:
        doc["sites"]["broken.example"] = extra_site
        doc["settings"]["resolve"]["broken.example"] = doc["settings"]["resolve"]["rnamedia.in"]
    path = tmp_path / "schedules.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_run_prints_json_lines_and_stores_its_report(
    site: DemoSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config(site, tmp_path)

    assert main(["run", "--config", str(path), "--log-format", "json"]) == 0

    lines = _json_lines(capsys.readouterr().out)
    done = [line for line in lines if line["event"] == "site_done"]
    assert sorted(str(line["site"]) for line in done) == sorted(site.hosts)
    assert lines[-1]["event"] == "run_done" and lines[-1]["exit_code"] == 0
    assert lines[-1]["new_articles"] == len(site.article_urls())
    database = open_database(f"sqlite:///{tmp_path / 'data' / 'archive.sqlite3'}")
    runs = RunLog(database).recent()
    assert len(runs) == 1 and runs[0].exit_code == 0
    assert {s["site"] for s in runs[0].report["sites"]} == set(site.hosts)
    database.close()


def test_run_of_named_sites_only(
    site: DemoSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config(site, tmp_path)
    assert main(["run", "www.rnamedia.in", "--config", str(path), "--log-format", "json"]) == 0
    done = [x for x in _json_lines(capsys.readouterr().out) if x["event"] == "site_done"]
    assert [line["site"] for line in done] == ["rnamedia.in"]


def test_db_option_chooses_the_archive(
    site: DemoSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, other = _config(site, tmp_path), tmp_path / "elsewhere.sqlite3"
    args = ["run", "rnamedia.in", "--config", str(path), "--db", f"sqlite:///{other}"]
    assert main([*args, "--log-format", "json"]) == 0
    assert other.exists()
    assert not (tmp_path / "data" / "archive.sqlite3").exists()


def test_a_site_that_cannot_be_read_makes_exit_code_1(
    site: DemoSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = {
        "parser": "generic",
        "timezone": "UTC",
        "language": "en",
        "feeds": ["http://broken.example/feed/"],
    }
    path = _config(site, tmp_path, extra_site=broken)

    assert main(["run", "--config", str(path), "--log-format", "json"]) == 1

    lines = _json_lines(capsys.readouterr().out)
    assert lines[-1]["failed_sites"] == ["broken.example"]
    rnamedia = next(x for x in lines if x.get("site") == "rnamedia.in")
    assert rnamedia["failure"] is None and rnamedia["new_articles"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "nosuch.example"], "nosuch.example"),
        (["run", "--db", "nosuchdriver://x"], "nosuchdriver"),
        (["run", "--config", "/nonexistent/schedules.yaml"], "schedules.yaml"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    args: list[str],
    message: str,
    site: DemoSite,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if "--config" not in args:
        args = [*args, "--config", str(_config(site, tmp_path))]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


def test_demo_proves_the_mission(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(folder), "--log-format", "json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    kinds = {kind for article in outcome["versioned"] for kind in article["kinds"]}
    assert outcome["proved"] and {"date_only", "updated", "silent_edit"} <= kinds
    assert len(outcome["runs"]) == 2
    assert outcome["search"]["total"] > 0
    assert all("[[" in hit["snippet"] for hit in outcome["search"]["hits"])
    # run again: the folder is the demo's own, so it is emptied and refilled
    assert main(["demo", "--data-dir", str(folder), "--log-format", "json"]) == 0


def test_demo_refuses_a_folder_it_did_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    assert main(["demo", "--data-dir", str(tmp_path), "--log-format", "json"]) == 2
    assert (tmp_path / "precious.txt").exists()
    assert "did not write" in capsys.readouterr().err
