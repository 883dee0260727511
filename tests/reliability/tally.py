"""How many adversarial cases the reliability tests tried, kind by kind.

Property tests draw as many examples as their settings allow (and Hypothesis may replay or
shrink some), so the count is kept as the tests run; `conftest.py` prints it at the end.
"""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()


def tried(kind: str, count: int = 1) -> None:
    TRIED[kind] += count


def summary_lines() -> list[str]:
    return [f"{count:6d}  {kind}" for kind, count in sorted(TRIED.items())]
