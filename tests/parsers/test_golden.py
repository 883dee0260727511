"""Golden pages: every field a careful reader takes off a fixture page, one check per field.

Each `tests/fixtures/<host>/<slug>.json` names the page's URL, when it was fetched, optionally
the site's facts, and the expected fields; `<slug>.html` beside it is the page. The expected
values are written by hand from the page (tests/fixtures/README.md), never copied from the
parser's output, so a failure here means the parser is wrong until a human reads the page and
says otherwise. The comparison rules live in `scraper.golden`, shared with `parser check`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scraper.golden import GoldenPage, check_field, load_golden

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MIN_FIXTURES = 14


def _fixture_specs() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.json"))


def _fixture_id(spec: Path) -> str:
    return f"{spec.parent.name}/{spec.stem}"


@cache
def _golden(spec: Path) -> GoldenPage:
    return load_golden(spec)


@cache
def _parsed(spec: Path) -> dict[str, Any]:
    """Parse each page once for all its checks; the record as `to_dict()` gives it."""
    result: dict[str, Any] = _golden(spec).parse().to_dict()
    return result


def _checks() -> list[Any]:
    """One parameter per (page, field), so a report names exactly what a page got wrong."""
    return [
        pytest.param(spec, name, id=f"{_fixture_id(spec)}::{name}")
        for spec in _fixture_specs()
        for name in _golden(spec).expected
    ]


def test_fixtures_are_discovered() -> None:
    specs = _fixture_specs()
    assert len(specs) >= MIN_FIXTURES, f"only {len(specs)} golden pages under {FIXTURES}"


@pytest.mark.parametrize("spec", _fixture_specs(), ids=_fixture_id)
def test_fixture_is_well_formed(spec: Path) -> None:
    """load_golden refuses a malformed fixture (unknown keys, no page, naive fetch time)."""
    assert _golden(spec).expected


@pytest.mark.parametrize(("spec", "name"), _checks())
def test_golden_field(spec: Path, name: str) -> None:
    mismatch = check_field(name, _golden(spec).expected[name], _parsed(spec))
    assert mismatch is None, f"{name}: expected {mismatch.expected!r}, found {mismatch.found!r}"
