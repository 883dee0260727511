"""`warc verify` and `reparse` on an archive the real pipeline wrote from the demo site."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import scraper.reparse
from parsers import ArticleRecord
from scraper.cli import main
from scraper.config import Config, load_config
from scraper.demo_site import DemoSite
from storage.db import Database, open_database
from storage.search_queue import queued
from tests.scraper.crawl_helpers import crawl, demo_config, versions_by_url


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Config, Path]]:
    """A demo crawl, its site changes, and a second crawl: responses, revisits, versions."""
    root = tmp_path_factory.mktemp("archive")
    with DemoSite() as site:
        config = demo_config(site, root)
        database = open_database(config.settings.database_url)
        crawl(config, database)
        site.apply_changes()
        crawl(config, database)
        database.close()
    yield config, root / "schedules.yaml"


def _copy(archive: tuple[Config, Path], tmp_path: Path) -> tuple[Config, Path, Database]:
    """A private copy of the archive (tests that change it must not share it)."""
    _config, path = archive
    shutil.copytree(path.parent, tmp_path / "copy")
    text = path.read_text().replace(str(path.parent), str(tmp_path / "copy"))
    copy = tmp_path / "copy" / "schedules.yaml"
    copy.write_text(text)
    copied = load_config(copy, environ={})
    return copied, copy, open_database(copied.settings.database_url)


def test_warc_verify_passes_on_what_the_crawl_wrote(
    archive: tuple[Config, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["warc", "verify", "--config", str(archive[1])]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out
    assert " 0 references" not in out


def test_warcio_reads_every_file(archive: tuple[Config, Path]) -> None:
    files = sorted(Path(archive[0].settings.warc_dir).glob("*.warc.gz"))
    assert files
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_warc_verify_fails_on_a_damaged_file(
    archive: tuple[Config, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, path, database = _copy(archive, tmp_path)
    database.close()
    victim = sorted(Path(config.settings.warc_dir).glob("*.warc.gz"))[0]
    data = bytearray(victim.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = b"\0" * 64
    victim.write_bytes(bytes(data))

    assert main(["warc", "verify", "--config", str(path)]) == 1
    captured = capsys.readouterr()
    assert victim.name in captured.err
    assert "problems" in captured.out


def test_reparse_of_an_unchanged_archive_makes_no_version(
    archive: tuple[Config, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _config, path, database = _copy(archive, tmp_path)
    before = versions_by_url(database)

    assert main(["reparse", "--config", str(path)]) == 0

    assert versions_by_url(database) == before
    assert f"{len(before)} archived pages reparsed: 0 new" in capsys.readouterr().out
    database.close()


def test_reparse_keeps_a_changed_extraction_as_a_reparse_version(
    archive: tuple[Config, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config, path, database = _copy(archive, tmp_path)
    before = versions_by_url(database)
    real_parse = scraper.reparse.parse

    def better_parser(*args: Any, **kwargs: Any) -> ArticleRecord:
        record = real_parse(*args, **kwargs)
        return dataclasses.replace(record, section=f"{record.section or ''} (fixed)")

    monkeypatch.setattr(scraper.reparse, "parse", better_parser)
    assert main(["reparse", "--config", str(path), "--site", "rnamedia.in"]) == 0
    assert queued(database) == 0  # its new versions are indexed for search when it ends
    assert main(["reparse", "--config", str(path), "--site", "rnamedia.in"]) == 0  # idempotent

    after = versions_by_url(database)
    for url, kinds in after.items():
        expected = [*before[url], "reparse"] if "//rnamedia.in/" in url else before[url]
        assert kinds == expected, url
    database.close()


def test_reparse_refuses_a_bad_date(archive: tuple[Config, Path]) -> None:
    assert main(["reparse", "--config", str(archive[1]), "--since", "yesterday-ish"]) == 2
