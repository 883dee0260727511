"""Golden pages: every field a careful reader takes off a fixture page, one check per field.

Each `tests/fixtures/<host>/<slug>.json` names the page's URL, when it was fetched, the site's
facts and the expected fields; `<slug>.html` beside it is the page. The expected values are
written by hand from the page (tests/fixtures/README.md), never copied from the parser's output,
so a failure here means the parser is wrong until a human reads the page and says otherwise.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from parsers import SiteConfig, parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MIN_FIXTURES = 14

DATE_FIELDS = frozenset({"published_at", "updated_at"})
LIST_FIELDS = frozenset({"authors", "tags", "body"})
PLAIN_FIELDS = frozenset(
    {
        "page_type",
        "headline",
        "standfirst",
        "published_precision",
        "updated_precision",
        "section",
        "language",
        "canonical_url",
        "site",
    }
)
SNIPPET_FIELDS = frozenset({"body_contains", "body_excludes"})
KNOWN_FIELDS = DATE_FIELDS | LIST_FIELDS | PLAIN_FIELDS | SNIPPET_FIELDS | {"images"}
IMAGE_KEYS = ("url", "caption", "credit")
TOP_LEVEL_KEYS = frozenset({"url", "fetched_at", "site", "expected", "notes"})


def _fixture_specs() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.json"))


def _fixture_id(spec: Path) -> str:
    return f"{spec.parent.name}/{spec.stem}"


def _checks() -> list[Any]:
    """One parameter per (page, field), so a report names exactly what a page got wrong."""
    return [
        pytest.param(spec, name, id=f"{_fixture_id(spec)}::{name}")
        for spec in _fixture_specs()
        for name in json.loads(spec.read_text(encoding="utf-8")).get("expected", {})
    ]


@cache
def _spec(spec: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(spec.read_text(encoding="utf-8"))
    return data


@cache
def _parsed(spec: Path) -> dict[str, Any]:
    """Parse each page once for all its checks; the record as `to_dict()` gives it."""
    data = _spec(spec)
    html = spec.with_suffix(".html").read_bytes()
    site = data.get("site")
    config = None
    if site is not None:
        config = SiteConfig(
            timezone=site.get("timezone"),
            language=site.get("language"),
            date_formats=tuple(site.get("date_formats", ())),
        )
    fetched_at = datetime.fromisoformat(data["fetched_at"])
    record = parse(html, data["url"], fetched_at, site=config)
    result: dict[str, Any] = record.to_dict()
    return result


def test_fixtures_are_discovered() -> None:
    specs = _fixture_specs()
    assert len(specs) >= MIN_FIXTURES, f"only {len(specs)} golden pages under {FIXTURES}"


@pytest.mark.parametrize("spec", _fixture_specs(), ids=_fixture_id)
def test_fixture_is_well_formed(spec: Path) -> None:
    """A typo in a fixture must fail loudly, not silently check nothing."""
    data = _spec(spec)
    assert spec.with_suffix(".html").is_file(), "the page beside the JSON is missing"
    assert set(data) <= TOP_LEVEL_KEYS, f"unknown keys: {sorted(set(data) - TOP_LEVEL_KEYS)}"
    assert data["url"].startswith(("http://", "https://"))
    assert datetime.fromisoformat(data["fetched_at"]).tzinfo is not None
    unknown = set(data["expected"]) - KNOWN_FIELDS
    assert not unknown, f"unknown expected fields: {sorted(unknown)}"
    assert data["expected"], "a fixture must check at least one field"


@pytest.mark.parametrize(("spec", "name"), _checks())
def test_golden_field(spec: Path, name: str) -> None:
    expected = _spec(spec)["expected"][name]
    record = _parsed(spec)
    if name in DATE_FIELDS:
        _check_date(record[name], expected)
    elif name == "images":
        _check_images(record["images"], expected)
    elif name == "body_contains":
        _check_snippets(record["body"], expected, present=True)
    elif name == "body_excludes":
        _check_snippets(record["body"], expected, present=False)
    else:
        assert record[name] == expected


def _check_date(actual: str | None, expected: str | None) -> None:
    """Compare instants to the second: the offset a parser reports the time in is its own affair,
    and the record's finest precision is the second, so milliseconds a page states are not."""
    if expected is None:
        assert actual is None
        return
    assert actual is not None, f"expected {expected}, found no date"
    found = datetime.fromisoformat(actual)
    assert found.tzinfo is not None, f"{actual} is not timezone-aware"
    wanted = datetime.fromisoformat(expected)
    assert found.replace(microsecond=0) == wanted, f"{actual} is not the instant {expected}"


def _check_images(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    """url, caption and credit always; alt only where the fixture states it."""
    keys = [(*IMAGE_KEYS, "alt") if "alt" in image else IMAGE_KEYS for image in expected]
    found = [{key: image.get(key) for key in k} for image, k in zip(actual, keys, strict=False)]
    found += [{"url": image["url"]} for image in actual[len(expected) :]]
    wanted = [{key: image.get(key) for key in k} for image, k in zip(expected, keys, strict=True)]
    assert found == wanted


def _check_snippets(body: list[str], snippets: list[str], *, present: bool) -> None:
    text = "\n\n".join(body)
    if present:
        missing = [snippet for snippet in snippets if snippet not in text]
        assert not missing, f"body lacks {missing}"
    else:
        leaked = [snippet for snippet in snippets if snippet in text]
        assert not leaked, f"body carries boilerplate {leaked}"
