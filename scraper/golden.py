"""Golden pages: loading them, comparing a parse against them field by field, writing new ones.

One module owns the rules, so `newsarchive parser check`, `save-fixture` and the test suite
agree on what "this page parses right" means (tests/fixtures/README.md describes the format).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from parsers import ArticleRecord, SiteConfig, parse
from scraper.exceptions import UsageError

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
TOP_LEVEL_KEYS = frozenset({"url", "fetched_at", "site", "expected", "notes"})
IMAGE_KEYS = ("url", "caption", "credit")
# What save-fixture writes, in reading order: every field a human should confirm.
SAVED_FIELDS = (
    "page_type",
    "headline",
    "standfirst",
    "authors",
    "published_at",
    "published_precision",
    "updated_at",
    "updated_precision",
    "section",
    "tags",
    "language",
    "canonical_url",
    "body",
    "images",
)


@dataclass(frozen=True, slots=True)
class GoldenPage:
    """One fixture pair: `<slug>.json` (what a careful reader takes off) beside `<slug>.html`."""

    spec: Path
    url: str
    fetched_at: datetime
    site: SiteConfig | None
    expected: dict[str, Any]

    @property
    def host(self) -> str:
        return self.spec.parent.name

    @property
    def name(self) -> str:
        return f"{self.host}/{self.spec.stem}"

    @property
    def html_path(self) -> Path:
        return self.spec.with_suffix(".html")

    def parse(self) -> ArticleRecord:
        return parse(self.html_path.read_bytes(), self.url, self.fetched_at, site=self.site)


@dataclass(frozen=True, slots=True)
class Mismatch:
    field: str
    expected: Any
    found: Any


def load_golden(spec: Path) -> GoldenPage:
    """Read one fixture, refusing a malformed one: a typo must fail loudly, not check nothing."""
    try:
        data = json.loads(spec.read_text(encoding="utf-8"))
        fetched_at = datetime.fromisoformat(data["fetched_at"])
        url = data["url"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{spec}: not a golden page ({type(exc).__name__}: {exc})") from exc
    problems = _problems(spec, data, fetched_at, url)
    if problems:
        raise UsageError(f"{spec}: {'; '.join(problems)}")
    return GoldenPage(spec, url, fetched_at, _site(data.get("site")), data["expected"])


def golden_pages(root: Path, host: str | None = None) -> Iterator[GoldenPage]:
    """Every fixture under `root` (tests/fixtures), or only those of `host`."""
    pattern = f"{host}/*.json" if host else "*/*.json"
    for spec in sorted(root.glob(pattern)):
        yield load_golden(spec)


def check_field(name: str, expected: Any, record: dict[str, Any]) -> Mismatch | None:
    """None when the field is right; else what was expected and what the parser gave."""
    if name in DATE_FIELDS:
        right = _same_instant(record[name], expected)
        return None if right else Mismatch(name, expected, record[name])
    if name == "images":
        found = _comparable_images(record["images"], expected)
        wanted = _comparable_images(expected, expected)
        return None if found == wanted else Mismatch(name, wanted, found)
    if name in SNIPPET_FIELDS:
        text = "\n\n".join(record["body"])
        present = name == "body_contains"
        wrong = [snippet for snippet in expected if (snippet in text) != present]
        return Mismatch(name, expected, wrong) if wrong else None
    return None if record[name] == expected else Mismatch(name, expected, record[name])


def check_page(page: GoldenPage) -> list[Mismatch]:
    record = page.parse().to_dict()
    found = (check_field(name, value, record) for name, value in page.expected.items())
    return [mismatch for mismatch in found if mismatch is not None]


def expected_from_record(record: ArticleRecord) -> dict[str, Any]:
    """The parser's current output in fixture form: a draft for a human to correct."""
    data = record.to_dict()
    return {name: data[name] for name in SAVED_FIELDS}


def _problems(spec: Path, data: dict[str, Any], fetched_at: datetime, url: Any) -> list[str]:
    problems = []
    if not spec.with_suffix(".html").is_file():
        problems.append("the page beside the JSON is missing")
    if set(data) - TOP_LEVEL_KEYS:
        problems.append(f"unknown keys {sorted(set(data) - TOP_LEVEL_KEYS)}")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        problems.append("url must be http(s)")
    if fetched_at.tzinfo is None:
        problems.append("fetched_at must carry an offset")
    expected = data.get("expected")
    if not isinstance(expected, dict) or not expected:
        problems.append("expected must name at least one field")
    elif set(expected) - KNOWN_FIELDS:
        problems.append(f"unknown expected fields {sorted(set(expected) - KNOWN_FIELDS)}")
    return problems


def _site(raw: Any) -> SiteConfig | None:
    if raw is None:
        return None
    return SiteConfig(
        timezone=raw.get("timezone"),
        language=raw.get("language"),
        date_formats=tuple(raw.get("date_formats", ())),
    )


def _same_instant(actual: str | None, expected: str | None) -> bool:
    """Instants to the second: the offset a parser reports in is its own affair, and the
    record's finest precision is the second, so milliseconds a page states are not."""
    if expected is None or actual is None:
        return actual is expected
    found = datetime.fromisoformat(actual)
    if found.tzinfo is None:
        return False
    return found.replace(microsecond=0) == datetime.fromisoformat(expected)


def _comparable_images(
    images: list[dict[str, Any]], expected: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """url, caption and credit always; alt only where the fixture states it; extras by url."""
    keys = [(*IMAGE_KEYS, "alt") if "alt" in image else IMAGE_KEYS for image in expected]
    shown = [{key: image.get(key) for key in k} for image, k in zip(images, keys, strict=False)]
    return shown + [{"url": image["url"]} for image in images[len(expected) :]]
