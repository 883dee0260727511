"""`newsarchive config check|show`: a line per site and exit 0, or one error line and exit 2."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from scraper.cli import cli, main
from scraper.cli_config import config_group, duration_text, effective, safe_database_url
from scraper.config import load_config
from scraper.settings import CONFIG_ENV, DATABASE_ENV

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "schedules.yaml"

# Until scraper/cli.py registers the group itself; a no-op once it does.
if "config" not in cli.commands:
    cli.add_command(config_group)

GOOD = """\
settings:
  database: postgresql+psycopg://archive:s3cret@db.internal/news
sites:
  example.com:
    parser: generic
    timezone: Europe/Paris
    language: fr
    feeds: [https://example.com/feed/]
    sitemaps: [https://example.com/sitemap.xml, https://example.com/news-sitemap.xml]
    sections:
      - url: https://example.com/defense/
        link_pattern: '/\\d{4}/'
    include: ['/\\d{4}/']
    schedule: {cron: '15 */2 * * *'}
    recheck: [90m, 1d]
  other.example.org:
    parser: generic
    timezone: UTC
    language: en
    feeds: [https://other.example.org/rss]
    enabled: false
"""
DUPLICATE_LINE = len(GOOD.splitlines()) + 1


@pytest.fixture(autouse=True)
def _no_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.delenv(CONFIG_ENV, raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["config", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_prints_a_line_per_site(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = _run(capsys, "check", str(_write(tmp_path, GOOD)))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].split() == [
        *("example.com", "parser=generic", "feeds=1", "sitemaps=2", "sections=1"),
        *("tz=Europe/Paris", "lang=fr"),
    ]
    assert lines[1].endswith("(disabled)")
    assert "2 sites (1 enabled)" in lines[2]


def test_check_never_prints_the_database_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _code, out, _err = _run(capsys, "check", str(_write(tmp_path, GOOD)))
    assert "s3cret" not in out
    assert "postgresql+psycopg://archive:***@db.internal/news" in out


def test_check_of_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "check", str(SHIPPED))
    assert (code, err) == (0, "")
    sites = load_config(SHIPPED).sites
    assert len(out.splitlines()) == len(sites) + 1
    for site, line in zip(sites, out.splitlines(), strict=False):
        assert line.startswith(site.host)
        assert f"parser={site.parser}" in line


def test_check_reads_the_default_path_and_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, GOOD)
    code, out, _err = _run(capsys, "check")
    assert code == 0
    assert "schedules.yaml: ok" in out
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(GOOD.replace("enabled: false", "enabled: true"), encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(elsewhere))
    monkeypatch.setenv(DATABASE_ENV, "sqlite:///env.sqlite3")
    code, out, _err = _run(capsys, "check")
    assert code == 0
    assert f"{elsewhere}: ok, 2 sites (2 enabled), database sqlite:///env.sqlite3" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("Europe/Paris", "Mars/Olympus"), ":6: site example.com, key timezone: "),
        (GOOD.replace("cron: '15 */2 * * *'", "cron: 'often'"), "key schedule.cron: bad cron"),
        (GOOD.replace("[90m, 1d]", "[90 minutes]"), "key recheck[0]: bad duration"),
        (
            GOOD + "  example.com:\n    parser: generic\n",
            f":{DUPLICATE_LINE}: site example.com: given",
        ),
    ],
)
def test_check_of_a_bad_file_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    code, out, err = _run(capsys, "check", str(path))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"newsarchive: error: {path}:")
    assert expected in lines[0]


def test_check_of_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = _run(capsys, "check", str(tmp_path / "none.yaml"))
    assert code == 2
    assert err == f"newsarchive: error: {tmp_path / 'none.yaml'}: no such file\n"


def test_show_prints_a_config_that_loads_back_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = _write(tmp_path, GOOD.replace("archive:s3cret@", "archive@"))
    code, out, _err = _run(capsys, "show", str(source))
    assert code == 0
    shown = tmp_path / "shown.yaml"
    shown.write_text(out, encoding="utf-8")
    original, reloaded = load_config(source), load_config(shown)
    assert reloaded.settings == original.settings
    assert reloaded.sites == original.sites


def test_show_fills_in_defaults_and_masks_passwords(tmp_path: Path) -> None:
    shown = effective(load_config(_write(tmp_path, GOOD)))
    settings = shown["settings"]
    assert isinstance(settings, dict)
    assert settings["min_delay"] == 2.0
    assert settings["database"] == "postgresql+psycopg://archive:***@db.internal/news"
    sites = shown["sites"]
    assert isinstance(sites, dict)
    assert sites["example.com"]["recheck"] == ["1h30m", "1d"]
    assert sites["other.example.org"]["recheck"][-1] == "30d"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (45, "45s"), (5400, "1h30m"), (86400 * 14, "14d"), (90061, "1d1h1m1s")],
)
def test_duration_text(seconds: int, text: str) -> None:
    assert duration_text(timedelta(seconds=seconds)) == text


def test_safe_database_url_keeps_urls_without_passwords() -> None:
    assert safe_database_url("sqlite:///data/archive.sqlite3") == "sqlite:///data/archive.sqlite3"
