"""The golden-page rules shared by the test suite and `parser check`: each can fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scraper.exceptions import UsageError
from scraper.golden import check_field, load_golden

RECORD: dict[str, Any] = {
    "headline": "Frigate launched",
    "published_at": "2025-05-02T12:00:00.250000+02:00",
    "updated_at": None,
    "authors": ["A. Writer"],
    "body": ["First paragraph.", "Share this article"],
    "images": [
        {"url": "https://a.com/1.jpg", "caption": "The frigate.", "credit": "Navy", "alt": "x"},
        {"url": "https://a.com/2.jpg", "caption": None, "credit": None, "alt": None},
    ],
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("headline", "Frigate launched"),
        ("published_at", "2025-05-02T10:00:00+00:00"),  # same instant, other offset
        ("updated_at", None),
        ("authors", ["A. Writer"]),
        ("body_contains", ["First paragraph."]),
        ("body_excludes", ["Leave a Reply"]),
        (
            "images",
            [
                {"url": "https://a.com/1.jpg", "caption": "The frigate.", "credit": "Navy"},
                {"url": "https://a.com/2.jpg", "caption": None, "credit": None},
            ],
        ),
    ],
)
def test_right_fields_pass(name: str, expected: Any) -> None:
    assert check_field(name, expected, RECORD) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("headline", "Frigate Launched"),
        ("published_at", "2025-05-02T12:00:00+00:00"),
        ("updated_at", "2025-05-02T12:00:00+00:00"),
        ("published_at", None),
        ("authors", ["A. Writer", "B. Writer"]),
        ("body_contains", ["Second paragraph."]),
        ("body_excludes", ["Share this article"]),
        ("images", [{"url": "https://a.com/1.jpg", "caption": "The frigate", "credit": "Navy"}]),
        ("images", [{"url": "https://a.com/1.jpg", "caption": "The frigate.", "alt": "y"}]),
        ("images", [{"url": "https://a.com/1.jpg", "caption": "The frigate.", "credit": "Navy"}]),
    ],
)
def test_wrong_fields_are_reported(name: str, expected: Any) -> None:
    mismatch = check_field(name, expected, RECORD)
    assert mismatch is not None and mismatch.field == name


def _write(tmp_path: Path, document: dict[str, Any], page: bool = True) -> Path:
    spec = tmp_path / "a.com" / "story.json"
    spec.parent.mkdir(exist_ok=True)
    spec.write_text(json.dumps(document), encoding="utf-8")
    if page:
        spec.with_suffix(".html").write_text("<p>x</p>", encoding="utf-8")
    return spec


GOOD = {"url": "https://a.com/story", "fetched_at": "2025-01-01T00:00:00+00:00"}


@pytest.mark.parametrize(
    ("document", "page", "message"),
    [
        ({**GOOD, "expected": {"headline": "x"}}, False, "page beside the JSON"),
        ({**GOOD, "expected": {"headlne": "x"}}, True, "unknown expected fields"),
        ({**GOOD, "expected": {}}, True, "at least one field"),
        (
            {**GOOD, "fetched_at": "2025-01-01T00:00:00", "expected": {"headline": "x"}},
            True,
            "offset",
        ),
        ({**GOOD, "expect": {}, "expected": {"headline": "x"}}, True, "unknown keys"),
        ({"url": "https://a.com/story", "expected": {"headline": "x"}}, True, "not a golden page"),
    ],
)
def test_malformed_fixtures_are_refused(
    tmp_path: Path, document: dict[str, Any], page: bool, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        load_golden(_write(tmp_path, document, page))
