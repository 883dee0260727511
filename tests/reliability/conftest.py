"""The reliability suite's fixtures: both archive databases (SQLite and a private PostgreSQL,
from the store tests) and the closing tally of adversarial cases tried."""

from __future__ import annotations

import pytest

from tests.reliability.tally import summary_lines
from tests.storage.conftest import database, postgres_database, postgres_server, store

# fixtures of the store tests, imported for pytest
__all__ = ["database", "postgres_database", "postgres_server", "store"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = summary_lines()
    if lines:
        terminalreporter.write_sep("-", "reliability: adversarial cases tried")
        for line in lines:
            terminalreporter.write_line(line)
