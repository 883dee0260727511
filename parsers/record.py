"""The record: the one contract between the parsers and the store.

Frozen so a record can be hashed, cached and handed between threads without copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

PageType = Literal["article", "listing", "other"]
DatePrecision = Literal["day", "minute", "second"]


@dataclass(frozen=True, slots=True)
class Image:
    """An image of the article with the caption and credit printed beside it."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "caption": self.caption, "credit": self.credit, "alt": self.alt}


@dataclass(frozen=True, slots=True)
class ParserInfo:
    """Which parser made a record, so a re-parse can tell old output from new."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name}/{self.version}"


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """What a page says, normalized; dates are timezone-aware and keep the text they came from."""

    url: str
    canonical_url: str
    site: str
    page_type: PageType = "other"
    headline: str | None = None
    standfirst: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_raw: str | None = None
    published_precision: DatePrecision | None = None
    updated_at: datetime | None = None
    updated_raw: str | None = None
    updated_precision: DatePrecision | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    body: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    parser: ParserInfo = field(default_factory=lambda: ParserInfo("generic", "0"))
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)

    def fields_found(self) -> tuple[str, ...]:
        """The health signal: which extractable fields came out non-empty on this page."""
        return tuple(name for name in HEALTH_FIELDS if _filled(getattr(self, name)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready output: datetimes as ISO-8601 strings, tuples as lists."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "site": self.site,
            "page_type": self.page_type,
            "headline": self.headline,
            "standfirst": self.standfirst,
            "authors": list(self.authors),
            "published_at": _iso(self.published_at),
            "published_raw": self.published_raw,
            "published_precision": self.published_precision,
            "updated_at": _iso(self.updated_at),
            "updated_raw": self.updated_raw,
            "updated_precision": self.updated_precision,
            "section": self.section,
            "tags": list(self.tags),
            "language": self.language,
            "body": list(self.body),
            "images": [image.to_dict() for image in self.images],
            "parser": {"name": self.parser.name, "version": self.parser.version},
            "warnings": list(self.warnings),
        }


HEALTH_FIELDS = (
    "headline",
    "standfirst",
    "authors",
    "published_at",
    "updated_at",
    "section",
    "tags",
    "body",
    "images",
)


def record_from_dict(data: dict[str, Any]) -> ArticleRecord:
    """The inverse of `to_dict()`, so stored and exported records load back unchanged."""
    return ArticleRecord(
        url=data["url"],
        canonical_url=data["canonical_url"],
        site=data["site"],
        page_type=data.get("page_type", "other"),
        headline=data.get("headline"),
        standfirst=data.get("standfirst"),
        authors=tuple(data.get("authors") or ()),
        published_at=_from_iso(data.get("published_at")),
        published_raw=data.get("published_raw"),
        published_precision=data.get("published_precision"),
        updated_at=_from_iso(data.get("updated_at")),
        updated_raw=data.get("updated_raw"),
        updated_precision=data.get("updated_precision"),
        section=data.get("section"),
        tags=tuple(data.get("tags") or ()),
        language=data.get("language"),
        body=tuple(data.get("body") or ()),
        images=tuple(Image(**image) for image in data.get("images") or ()),
        parser=ParserInfo(**data["parser"]) if data.get("parser") else ParserInfo("generic", "0"),
        warnings=tuple(data.get("warnings") or ()),
    )


def _filled(value: object) -> bool:
    return value is not None and value != () and value != ""


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
