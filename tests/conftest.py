"""Fixtures shared across test packages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scraper.cli import cli


@dataclass(frozen=True, slots=True)
class DemoArchive:
    """An archive made by `newsarchive demo`: its database URL and the demo's JSON outcome."""

    folder: Path
    database_url: str
    outcome: dict[str, Any]

    def versioned(self, kind: str) -> str:
        """The URL of the demo article whose second version is of `kind`."""
        return next(a["url"] for a in self.outcome["versioned"] if a["kinds"][-1] == kind)


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> DemoArchive:
    """The demo archive, made once per test session (two crawls of the offline demo site)."""
    folder = tmp_path_factory.mktemp("demo-archive") / "demo"
    result = CliRunner().invoke(
        cli, ["demo", "--data-dir", str(folder), "--log-format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert outcome["proved"]
    return DemoArchive(folder, f"sqlite:///{folder / 'archive.sqlite3'}", outcome)
