"""Facts about a site that the page itself may not state (its timezone, its language)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsers.exceptions import SiteConfigError


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Applied only where the page is silent: a page's own offset or lang always wins."""

    timezone: str | None = None
    language: str | None = None
    date_formats: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.timezone is not None:
            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise SiteConfigError(f"unknown timezone {self.timezone!r}") from exc

    @property
    def tzinfo(self) -> ZoneInfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None
