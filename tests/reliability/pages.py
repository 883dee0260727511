"""The golden fixture pages as fuzzing seeds, and the checks every mutated page must pass.

A page passes when `parsers.parse` returns a record for its URL without a "parse failed"
warning (an extractor error caught by `parse` costs the whole page), the record can be
stored (JSON, UTF-8, no NUL: PostgreSQL refuses NUL in text), and the parse took less than
PAGE_CPU_SECONDS of CPU: a guard against pathological blow-ups, not a benchmark.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from parsers import ArticleRecord, parse
from tests.reliability.tally import tried

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGE_CPU_SECONDS = 2.0
_BODY_TAG = re.compile(rb"<body[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Golden:
    name: str
    html: bytes
    url: str
    fetched_at: datetime

    def body_start(self) -> int:
        """Where the body's content begins (after <body ...>), or 0."""
        found = _BODY_TAG.search(self.html)
        return found.end() if found else 0

    def __repr__(self) -> str:  # what Hypothesis prints for a failing example
        return f"Golden({self.name!r})"


def golden_pages() -> list[Golden]:
    pages = []
    for html in sorted(FIXTURES.glob("*/*.html")):
        expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append(
            Golden(
                f"{html.parent.name}/{html.stem}",
                html.read_bytes(),
                expected["url"],
                datetime.fromisoformat(expected["fetched_at"]),
            )
        )
    return pages


GOLDEN = golden_pages()


def parsed(page: str | bytes, golden: Golden, kind: str) -> ArticleRecord:
    """Parse a mutated page and check what every page must satisfy; counts it under `kind`."""
    tried(f"parser fuzz: {kind}")
    started = time.thread_time()
    record = parse(page, golden.url, golden.fetched_at)
    spent = time.thread_time() - started
    assert spent < PAGE_CPU_SECONDS, f"{spent:.2f} s of CPU for one page"
    assert isinstance(record, ArticleRecord) and record.url == golden.url
    failed = [warning for warning in record.warnings if warning.startswith("parse failed")]
    assert not failed, failed
    stored = json.dumps(record.to_dict(), ensure_ascii=False)
    stored.encode("utf-8")  # raises on a lone surrogate
    assert "\x00" not in stored
    return record
