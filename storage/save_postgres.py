"""PostgreSQL: a new version with its byline, images and article pointer in one statement.

Each statement is a round trip to the server, and a save writes up to five rows in four
tables: as separate statements, the round trips cost more than the writes. Data-modifying
CTEs write them all at once. The ids are taken from their sequences first, so every row can
name the others whatever order they are written in; foreign keys are checked when the
statement ends, once every row is in.

The order still matters to the search index (migration 0005), whose row triggers fire when
the statement ends, in the order the rows were written: the byline and images first (the
version is not indexed yet: nothing to refresh), then the version (its search row), then
the article with its pointer, which indexes the version once, complete. Each CTE waits for
the one before by reading it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, Text, bindparam, func, insert, literal_column, select
from sqlalchemy import update as update_of
from sqlalchemy.dialects.postgresql import ARRAY

from parsers.record import Image
from storage.models import Article, ArticleVersion, VersionAuthor, VersionImage
from storage.prepared import Prepared

ARTICLE_COLUMNS = ("site_id", "url_key", "canonical_url", "first_seen", "last_seen")
_IMAGE_FIELDS = ("url", "caption", "credit", "alt")
_VERSION_COLUMNS = tuple(
    column.name for column in ArticleVersion.__table__.columns if column.name != "id"
)


def _next_id(table: str) -> Any:
    return func.nextval(func.pg_get_serial_sequence(table, "id"))


def _details(new_ids: Any) -> tuple[Any, Any]:
    """The CTEs writing the byline and the images (arrays in printed order) of version
    `new_ids.c.version_id`."""
    version_id = new_ids.c.version_id
    byline_rows = (
        func.unnest(bindparam("author_ids", type_=ARRAY(Integer)))
        .table_valued("author_id", with_ordinality="position")
        .render_derived()
    )
    byline = (
        insert(VersionAuthor)
        .from_select(
            ["version_id", "position", "author_id"],
            select(version_id, byline_rows.c.position - 1, byline_rows.c.author_id).select_from(
                new_ids, byline_rows
            ),
        )
        .returning(literal_column("1").label("added"))
        .cte("byline")
    )
    image_rows = (
        func.unnest(*(bindparam(f"image_{name}s", type_=ARRAY(Text)) for name in _IMAGE_FIELDS))
        .table_valued(*_IMAGE_FIELDS, with_ordinality="position")
        .render_derived()
    )
    images = (
        insert(VersionImage)
        .from_select(
            ["version_id", "position", *_IMAGE_FIELDS],
            select(
                version_id,
                image_rows.c.position - 1,
                *(image_rows.c[name] for name in _IMAGE_FIELDS),
            ).select_from(new_ids, image_rows),
        )
        .returning(literal_column("1").label("added"))
        .cte("images")
    )
    return byline, images


def _statement(*, new_article: bool) -> Any:
    ids = [_next_id("article_versions").label("version_id")]
    if new_article:
        ids.append(_next_id("articles").label("article_id"))
    new_ids = select(*ids).cte("new_ids")
    byline, images = _details(new_ids)
    details_written = (
        select(func.count()).select_from(byline).scalar_subquery()
        + select(func.count()).select_from(images).scalar_subquery()
    ) >= 0
    columns = ArticleVersion.__table__.c
    values: list[Any] = [bindparam(name, type_=columns[name].type) for name in _VERSION_COLUMNS]
    if new_article:
        values[_VERSION_COLUMNS.index("article_id")] = new_ids.c.article_id
    version = (
        insert(ArticleVersion)
        .from_select(
            ["id", *_VERSION_COLUMNS],
            select(new_ids.c.version_id, *values).select_from(new_ids).where(details_written),
        )
        .returning(ArticleVersion.id, ArticleVersion.article_id)
        .cte("new_version")
    )
    article_columns = Article.__table__.c
    article: Any
    if new_article:
        article = insert(Article).from_select(
            ["id", *ARTICLE_COLUMNS, "current_version_id"],
            select(
                new_ids.c.article_id,
                *(
                    bindparam(f"article_{name}", type_=article_columns[name].type)
                    for name in ARTICLE_COLUMNS
                ),
                version.c.id,
            ).select_from(new_ids, version),
        )
    else:
        article = (
            update_of(Article)
            .where(Article.id == version.c.article_id)
            .values(
                current_version_id=version.c.id,
                last_seen=func.coalesce(
                    bindparam("article_last_seen", type_=article_columns.last_seen.type),
                    Article.last_seen,
                ),
            )
        )
    pointed = article.returning(Article.id).cte("pointed")
    return select(version.c.id, pointed.c.id).select_from(version, pointed)


_ADD_VERSION = Prepared(_statement(new_article=False), named_columns=True)
_CREATE_ARTICLE = Prepared(_statement(new_article=True), named_columns=True)


def _values(
    version: dict[str, Any], author_ids: Sequence[int], images: Sequence[Image]
) -> dict[str, Any]:
    return {
        **version,
        "author_ids": list(author_ids),
        **{f"image_{name}s": [getattr(image, name) for image in images] for name in _IMAGE_FIELDS},
    }


def add_version(
    connection: Connection,
    version: dict[str, Any],
    details: tuple[Sequence[int], Sequence[Image]],
    last_seen: datetime | None,
) -> int:
    """Insert the version (`version`: every column but its id) with its byline (author ids)
    and images, and point its article at it (moving its last-seen time, unless None); the
    version's id."""
    values = _values(version, *details)
    values["article_last_seen"] = last_seen
    (row,) = _ADD_VERSION.execute(connection, values)
    version_id: int = row[0]
    return version_id


def create_article(
    connection: Connection,
    article: dict[str, Any],
    version: dict[str, Any],
    details: tuple[Sequence[int], Sequence[Image]],
) -> int:
    """Insert the article (`article`: `ARTICLE_COLUMNS`) pointing at its first version
    (`version`: every column but the ids) with its byline and images; the article's id."""
    values = _values(version, *details)
    values.update({f"article_{name}": article[name] for name in ARTICLE_COLUMNS})
    (row,) = _CREATE_ARTICLE.execute(connection, values)
    article_id: int = row[1]
    return article_id
