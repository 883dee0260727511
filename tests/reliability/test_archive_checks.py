"""The SQLite checks the kill and disk-full tests rest on find what they are for: a sound
archive passes, a search index out of step with its rows does not, whichever connection ran
the checks before."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database, open_database
from storage.store import Store
from tests.reliability.archive_checks import sqlite_problems
from tests.storage.test_search import FRIGATE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    opened = open_database(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    store = Store(opened)
    store.save(FRIGATE)
    store.index_queued()
    yield opened
    opened.close()


def test_a_sound_archive_has_no_problems(database: Database) -> None:
    assert sqlite_problems(database) == []


def test_a_search_index_out_of_step_with_its_rows_is_reported(database: Database) -> None:
    with database.write_engine.begin() as connection:  # a row gone behind FTS5's back
        connection.execute(text("DELETE FROM search_fts_content"))
    problems = sqlite_problems(database)
    assert problems and any("search_fts" in problem for problem in problems), problems


def test_writes_of_another_process_between_checks_are_no_problem(database: Database) -> None:
    """A connection that ran SQLite 3.51's integrity pragma once reports a false checksum
    mismatch after another process writes the search index: the checks use their own."""
    assert sqlite_problems(database) == []
    with database.engine.connect() as connection:  # a pooled connection checks, as before
        connection.execute(text("PRAGMA integrity_check")).all()
    url = str(database.engine.url)
    script = (
        "import sys; from dataclasses import replace; from storage.db import open_database;"
        "from storage.store import Store; from tests.storage.test_search import FRIGATE;"
        "database = open_database(sys.argv[1]); store = Store(database);"
        "store.save(replace(FRIGATE, url='https://navalmonitor.example/news/2/',"
        " canonical_url='https://navalmonitor.example/news/2/', body=('Another hull.',)));"
        "store.index_queued(); database.close()"
    )
    subprocess.run([sys.executable, "-c", script, url], cwd=ROOT, check=True, timeout=60)
    assert sqlite_problems(database) == []
