"""One adapter per measured system, each returning the same normalized `Extraction`.

trafilatura and newspaper4k are benchmark-only extras (the `bench` extra); they are imported
when their adapter is built, so the project's own adapter runs without them.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

ALL_FIELDS = frozenset({"title", "authors", "published", "body", "captions", "page_type"})
PEER_FIELDS = frozenset({"title", "authors", "published", "body"})
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability", "newspaper")


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a system read off a page; a date-only published value is a `date`."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | date | None = None
    body: str = ""
    captions: tuple[str, ...] = ()
    page_type: str | None = None


EMPTY = Extraction()


class System(Protocol):
    """An extractor under test; `fields` are the ones it reports (others are not scored)."""

    name: str
    fields: frozenset[str]

    def extract(self, html: str, url: str, fetched_at: datetime) -> Extraction: ...


class ParseFailedError(Exception):
    """parsers.parse swallowed an exception; the benchmark counts it like any other."""


class Newsarchive:
    """The project's own parser: `parsers.parse` -> ArticleRecord."""

    name = "newsarchive"
    fields = ALL_FIELDS

    def __init__(self) -> None:
        from parsers import parse

        self._parse = parse

    def extract(self, html: str, url: str, fetched_at: datetime) -> Extraction:
        record = self._parse(html, url, fetched_at)
        failures = [warning for warning in record.warnings if warning.startswith("parse failed")]
        if failures:
            raise ParseFailedError(failures[0])
        published: datetime | date | None = record.published_at
        if record.published_at is not None and record.published_precision == "day":
            published = record.published_at.date()
        captions = (
            " ".join(part for part in (image.caption, image.credit) if part)
            for image in record.images
        )
        return Extraction(
            title=record.headline,
            authors=record.authors,
            published=published,
            body=record.text,
            captions=tuple(caption for caption in captions if caption),
            page_type=record.page_type,
        )


class Trafilatura:
    """trafilatura 2.x `bare_extraction` with metadata, every other option at its default.

    It reports the day only (htmldate's default output format); `pagetype` is the page's
    og:type, scored as its page-type answer.
    """

    name = "trafilatura"
    fields = PEER_FIELDS | {"page_type"}

    def __init__(self) -> None:
        from trafilatura import bare_extraction

        _quiet()
        self._extract: Callable[..., Any] = bare_extraction

    def extract(self, html: str, url: str, fetched_at: datetime) -> Extraction:
        document = self._extract(html, url=url, with_metadata=True)
        if document is None:
            return EMPTY
        return Extraction(
            title=document.title,
            authors=tuple(_split(document.author, ";")),
            published=_day(document.date),
            body=document.text or "",
            page_type=document.pagetype,
        )


class Newspaper4k:
    """newspaper4k: Article(url); download(input_html=html); parse().

    `fetch_images=False` keeps it off the network (by default it downloads images to size
    the top image), which the other systems never do either.
    """

    name = "newspaper4k"
    fields = PEER_FIELDS

    def __init__(self) -> None:
        _quiet()
        from newspaper import Article  # type: ignore[import-untyped]

        self._article: Callable[..., Any] = Article

    def extract(self, html: str, url: str, fetched_at: datetime) -> Extraction:
        article = self._article(url, fetch_images=False)
        article.download(input_html=html)
        article.parse()
        return Extraction(
            title=article.title or None,
            authors=tuple(article.authors or ()),
            published=article.publish_date,
            body=article.text or "",
        )


SYSTEMS: dict[str, Callable[[], System]] = {
    "newsarchive": Newsarchive,
    "trafilatura": Trafilatura,
    "newspaper4k": Newspaper4k,
}
PROJECT = "newsarchive"
PEERS = ("trafilatura", "newspaper4k")


def build_systems(names: Sequence[str]) -> list[System]:
    unknown = [name for name in names if name not in SYSTEMS]
    if unknown:
        raise ValueError(f"unknown system(s): {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    return [SYSTEMS[name]() for name in names]


def _split(value: str | None, separator: str) -> list[str]:
    return [part.strip() for part in (value or "").split(separator) if part.strip()]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _quiet() -> None:
    """The peers log every odd page at WARNING and newspaper4k warns about nltk on import."""
    warnings.filterwarnings("ignore", category=UserWarning, module=r"newspaper(\..*)?")
    warnings.filterwarnings("ignore", module=r"dateutil(\..*)?")  # unknown zone names
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
