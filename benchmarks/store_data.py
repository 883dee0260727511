"""Synthetic archives for the store benchmark: realistic rows, written fast.

Texts are drawn from the words of the golden pages (tests/fixtures), weighted by how often
the pages use them, so searches meet a natural mix of common and rare words. Archives are
filled with bulk Core inserts (a thousand rows to a statement), never through
`Store.save`; the search index triggers fire for every row, as for the store's own writes,
and each chunk's transaction indexes the articles they queued, as a batch of saves does.
Each article has its own URL and byline, every tenth one an alias URL, every fourth was
edited once (two versions). Every version has a distinct content hash: the true hash of its
record for the probe articles (every `PROBE_EVERY`th, which the benchmark re-saves and must
find unchanged; they also carry a captioned image, as real pages do), a unique stand-in for
the others (true hashes for a million rows would cost more than the rest of the fill).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, func, insert, select, text, update

from parsers import parse
from parsers.record import ArticleRecord, Image, ParserInfo
from storage.content_hash import content_hash
from storage.identity import url_key
from storage.models import (
    Article,
    ArticleAlias,
    ArticleVersion,
    Author,
    Base,
    Site,
    VersionAuthor,
    VersionImage,
)
from storage.search_queue import index_queued

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
SITES = 20
AUTHORS = 2000
SECTIONS = ("Navy", "Air", "Land", "Industry", "Policy", "Cyber", "Space", "World")
PROBE_EVERY = 50
EDITED_EVERY = 4  # article numbers n with n % 4 == 1 have a second version
ALIASED_EVERY = 10
MARKER = "quetzalbenchmark"  # a word only article MARKED's headline holds
MARKED = 7
FIRST_DAY = datetime(2024, 1, 1, tzinfo=UTC)
PARAGRAPHS = 4096
HEADLINES = 4096
_WORD = re.compile(r"[^\W\d_]{3,}")
_PARSER = ParserInfo("synthetic", "1")


@dataclass(frozen=True, slots=True)
class Wording:
    """Words of the golden pages, most used first, and the texts drawn from them."""

    words: tuple[str, ...]
    paragraphs: tuple[str, ...]
    headlines: tuple[str, ...]

    @classmethod
    def from_fixtures(cls, folder: Path = FIXTURES) -> Wording:
        counts: Counter[str] = Counter()
        for page in sorted(folder.glob("*/*.html")):
            spec = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
            when = datetime.fromisoformat(spec["fetched_at"])
            record = parse(page.read_text(encoding="utf-8"), spec["url"], when)
            counts.update(
                word.lower() for word in _WORD.findall(f"{record.headline} {record.text}")
            )
        ranked = counts.most_common()
        words, weights = [word for word, _ in ranked], [count for _, count in ranked]
        paragraphs = _texts(words, weights, PARAGRAPHS, (24, 40), seed=1)
        headlines = _texts(words, weights, HEADLINES, (6, 11), seed=2)
        return cls(tuple(words), paragraphs, tuple(text.capitalize() for text in headlines))


def _texts(
    words: list[str], weights: list[int], count: int, length: tuple[int, int], seed: int
) -> tuple[str, ...]:
    draw = random.Random(seed)
    return tuple(
        " ".join(draw.choices(words, weights, k=draw.randint(*length))) for _ in range(count)
    )


@dataclass(frozen=True, slots=True)
class Archive:
    """The synthetic archive's article number `n` -> its record, as `Store.save` would get it."""

    wording: Wording

    def record(self, number: int, version: int = 1, *, prefix: str = "story") -> ArticleRecord:
        site = site_name(number % SITES)
        url = f"https://{site}/{2024 + number % 3}/{prefix}-{number}/"
        first, second, third = _picks(f"{prefix}{number}/{version}")
        paragraphs = self.wording.paragraphs
        headline = self.wording.headlines[third % HEADLINES]
        published = FIRST_DAY + timedelta(minutes=number)
        images: tuple[Image, ...] = ()
        if self.is_probe(number) or prefix != "story":
            images = (Image(f"https://{site}/img/{number}.jpg", paragraphs[third][:60]),)
        return ArticleRecord(
            url=url,
            canonical_url=url,
            site=site,
            page_type="article",
            headline=f"{headline} {MARKER}" if number == MARKED else headline,
            authors=(author_name(number % AUTHORS),),
            published_at=published,
            updated_at=published + timedelta(days=version - 1),
            section=SECTIONS[number % len(SECTIONS)],
            language="en",
            body=(paragraphs[first], paragraphs[second]),
            images=images,
            parser=_PARSER,
        )

    @staticmethod
    def has_alias(number: int) -> bool:
        return number % ALIASED_EVERY == 3

    @staticmethod
    def alias_url(number: int) -> str:
        """The other URL an article with an alias was also reached by."""
        return f"https://{site_name(number % SITES)}/?p={number}"

    @staticmethod
    def versions_of(number: int) -> int:
        return 2 if number % EDITED_EVERY == 1 else 1

    @staticmethod
    def is_probe(number: int) -> bool:
        return number % PROBE_EVERY == 0


def _picks(seed: str) -> tuple[int, int, int]:
    """Three paragraph numbers for a seed: a fixed pseudo-random draw, cheap to repeat."""
    digest = int.from_bytes(hashlib.blake2b(seed.encode(), digest_size=8).digest(), "big")
    return digest % PARAGRAPHS, (digest >> 16) % PARAGRAPHS, (digest >> 32) % PARAGRAPHS


def site_name(index: int) -> str:
    return f"site-{index:02d}.example"


def author_name(index: int) -> str:
    return f"Writer {index:04d}"


def articles_for(versions: int) -> int:
    """How many articles of the synthetic archive hold about `versions` versions."""
    return versions * EDITED_EVERY // (EDITED_EVERY + 1)


def versions_in(articles: int) -> int:
    """How many versions the synthetic archive's first `articles` articles hold."""
    return articles + (articles + EDITED_EVERY - 2) // EDITED_EVERY


def prepare(connection: Connection) -> None:
    """Create the sites and authors the synthetic articles refer to."""
    now = datetime.now(UTC)
    sites = [{"name": site_name(i), "created_at": now} for i in range(SITES)]
    connection.execute(insert(Site), sites)
    connection.execute(insert(Author), [{"name": author_name(i)} for i in range(AUTHORS)])


@dataclass(slots=True)
class _Rows:
    articles: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    bylines: list[dict[str, Any]]
    images: list[dict[str, Any]]
    aliases: list[dict[str, Any]]


def fill(connection: Connection, archive: Archive, numbers: range) -> int:
    """Insert the articles numbered `numbers` (one transaction); the versions written.

    On SQLite the pointers queue the articles for search, and the queue is indexed here, once
    every row is in: each body is tokenized once, in one FTS5 segment for the chunk.
    """
    rows = _rows(connection, archive, numbers)
    for model, batch in (
        (Article, rows.articles),
        (ArticleVersion, rows.versions),
        (VersionAuthor, rows.bylines),
        (VersionImage, rows.images),
        (ArticleAlias, rows.aliases),
    ):
        _insert_many(connection, model, batch)
    _point_at_current_versions(connection, rows.articles[0]["id"], rows.articles[-1]["id"])
    if connection.dialect.name == "sqlite":
        index_queued(connection, len(numbers))
    return len(rows.versions)


def _rows(connection: Connection, archive: Archive, numbers: range) -> _Rows:
    sites = dict(connection.execute(select(Site.name, Site.id)).all())
    authors = dict(connection.execute(select(Author.name, Author.id)).all())
    histories = [
        (n, [archive.record(n, v) for v in range(1, archive.versions_of(n) + 1)]) for n in numbers
    ]
    article_ids = _reserved_ids(connection, Article.__tablename__, len(histories))
    count = sum(len(history) for _, history in histories)
    version_ids = iter(_reserved_ids(connection, ArticleVersion.__tablename__, count))
    rows = _Rows([], [], [], [], [])
    for article_id, (number, history) in zip(article_ids, histories, strict=True):
        first = history[0]
        if archive.is_probe(number):  # the synthetic URLs are written in their key's form
            assert url_key(first.url) == first.url, first.url
        rows.articles.append(_article_row(article_id, sites[first.site], first, len(history)))
        for version_no, record in enumerate(history, start=1):
            version_id = next(version_ids)
            probe = archive.is_probe(number)
            rows.versions.append(_version_row(version_id, article_id, version_no, record, probe))
            author_id = authors[record.authors[0]]
            rows.bylines.append({"version_id": version_id, "position": 0, "author_id": author_id})
            rows.images.extend(
                {"version_id": version_id, "position": position, **image.to_dict()}
                for position, image in enumerate(record.images)
            )
        if archive.has_alias(number):
            alias, seen = archive.alias_url(number), rows.articles[-1]["first_seen"]
            row = {"url_key": alias, "url": alias, "article_id": article_id}
            rows.aliases.append({**row, "reason": "fetched_url", "first_seen": seen})
    return rows


def _insert_many(connection: Connection, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert the rows a thousand to a statement (SQLAlchemy's "insertmanyvalues", which
    SQLite uses for statements with RETURNING), not one statement per row: a statement is
    the unit in which SQLite's FTS5 indexes what the search triggers give it in memory."""
    if rows:
        key = sqlalchemy.inspect(model).primary_key
        connection.execute(insert(model).returning(*key), rows).close()


def _point_at_current_versions(connection: Connection, first_id: int, last_id: int) -> None:
    newest = (
        select(func.max(ArticleVersion.id))
        .where(ArticleVersion.article_id == Article.id)
        .scalar_subquery()
    )
    connection.execute(
        update(Article)
        .where(Article.id.between(first_id, last_id))
        .values(current_version_id=newest)
    )


def _reserved_ids(connection: Connection, table: str, count: int) -> list[int]:
    """`count` ids no other row of the table has or will get (SQLite: the transaction holds
    the write lock; PostgreSQL: taken from the table's own sequence)."""
    if connection.dialect.name == "sqlite":
        last = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        return list(range(last + 1, last + 1 + count))
    sequence = f"pg_get_serial_sequence('{table}', 'id')"
    taken = connection.execute(
        text(f"SELECT nextval({sequence}) FROM generate_series(1, :count)"), {"count": count}
    )
    return sorted(taken.scalars())


def _article_row(
    article_id: int, site_id: int, first: ArticleRecord, versions: int
) -> dict[str, Any]:
    published = first.published_at or FIRST_DAY
    return {
        "id": article_id,
        "site_id": site_id,
        "url_key": first.url,
        "canonical_url": first.url,
        "current_version_id": None,
        "first_seen": published,
        "last_seen": published + timedelta(days=versions - 1, hours=1),
    }


def _version_row(
    version_id: int, article_id: int, number: int, record: ArticleRecord, probe: bool
) -> dict[str, Any]:
    stand_in = hashlib.sha256(f"{record.url}#{number}".encode()).hexdigest()
    return {
        "id": version_id,
        "article_id": article_id,
        "version_no": number,
        "kind": "first" if number == 1 else "updated",
        "content_hash": content_hash(record) if probe else stand_in,
        "url": record.url,
        "canonical_url": record.canonical_url,
        "page_type": record.page_type,
        "headline": record.headline,
        "standfirst": None,
        "section": record.section,
        "language": record.language,
        "published_at": record.published_at,
        "published_raw": None,
        "published_precision": None,
        "updated_at": record.updated_at,
        "updated_raw": None,
        "updated_precision": None,
        "body": record.text,
        "tags": [],
        "record": record.to_dict(),
        "parser_name": record.parser.name,
        "parser_version": record.parser.version,
        "fields_found": list(record.fields_found()),
        "fetch_id": None,
        "created_at": record.updated_at,
    }


def chunks(numbers: range, size: int) -> Iterator[range]:
    for start in range(numbers.start, numbers.stop, size):
        yield range(start, min(start + size, numbers.stop))
