"""What one pass over a site did: the figures a run report prints and stores."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class SiteReport:
    """Counters filled in as the pass goes; `failed` says the site could not be read at all."""

    site: str
    started_at: datetime
    finished_at: datetime | None = None
    sources_read: int = 0
    discovered: int = 0
    fetched: int = 0
    not_modified: int = 0
    same_payload: int = 0
    new_articles: int = 0
    unchanged: int = 0
    duplicates: int = 0
    not_articles: int = 0
    versions: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    skipped: str | None = None
    failure: str | None = None

    @property
    def failed(self) -> bool:
        return self.failure is not None

    @property
    def requests(self) -> int:
        return self.fetched + self.not_modified + self.sources_read

    @property
    def seconds(self) -> float:
        end = self.finished_at or self.started_at
        return (end - self.started_at).total_seconds()

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "started_at": self.started_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "sources_read": self.sources_read,
            "discovered": self.discovered,
            "fetched": self.fetched,
            "not_modified": self.not_modified,
            "same_payload": self.same_payload,
            "new_articles": self.new_articles,
            "new_versions": dict(sorted(self.versions.items())),
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "not_articles": self.not_articles,
            "errors": dict(sorted(self.errors.items())),
            "refused": dict(sorted(self.refused.items())),
            "skipped": self.skipped,
            "failure": self.failure,
        }
