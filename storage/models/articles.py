"""What the archive holds: articles, their append-only versions, authors and images."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, JSONType, UTCDateTime
from storage.models.crawl import Site

VERSION_KINDS = ("first", "updated", "date_only", "silent_edit", "reparse")


class Article(Base):
    """One article, whatever URLs it was reached by; `url_key` is its identity.

    `canonical_url` is the canonical URL as the site spells it (normalized, `www.` kept), so
    it can be opened; `url_key` (`storage.identity.url_key`) is what deduplicates.
    `cluster_id` links the same story republished elsewhere (filled by clustering).
    """

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    url_key: Mapped[str] = mapped_column(Text, unique=True)
    canonical_url: Mapped[str] = mapped_column(Text)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_versions.id", use_alter=True)
    )
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)

    site: Mapped[Site] = relationship()


class ArticleAlias(Base):
    """Another URL that leads to an article: a fetched URL whose page names another canonical,
    or a URL of the same site carrying the same text."""

    __tablename__ = "article_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url_key: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())


class ArticleVersion(Base):
    """What the article said at one point; rows are only ever added, never changed.

    The record's fields are columns for querying; `record` is the whole record as JSON
    (`ArticleRecord.to_dict()`), the source `parsers.record_from_dict` rebuilds it from.
    Dates are stored in UTC; `record` keeps them with the page's own offset.
    """

    __tablename__ = "article_versions"
    __table_args__ = (
        UniqueConstraint("article_id", "version_no"),
        CheckConstraint(f"kind IN {VERSION_KINDS!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    version_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text)
    page_type: Mapped[str] = mapped_column(String(16))
    headline: Mapped[str | None] = mapped_column(Text)
    standfirst: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_raw: Mapped[str | None] = mapped_column(Text)
    published_precision: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_raw: Mapped[str | None] = mapped_column(Text)
    updated_precision: Mapped[str | None] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSONType)
    record: Mapped[dict[str, Any]] = mapped_column(JSONType)
    parser_name: Mapped[str] = mapped_column(String(64))
    parser_version: Mapped[str] = mapped_column(String(32))
    fields_found: Mapped[list[str]] = mapped_column(JSONType)
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    images: Mapped[list[VersionImage]] = relationship(order_by="VersionImage.position")
    author_links: Mapped[list[VersionAuthor]] = relationship(order_by="VersionAuthor.position")


class Author(Base):
    """A byline name as printed (people and desks alike: "RNA Desk")."""

    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)


class VersionAuthor(Base):
    """The byline of one version, in printed order."""

    __tablename__ = "version_authors"

    version_id: Mapped[int] = mapped_column(ForeignKey("article_versions.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)

    author: Mapped[Author] = relationship()


class VersionImage(Base):
    """An image of one version with its caption, credit and alt text."""

    __tablename__ = "images"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("article_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[str | None] = mapped_column(Text)
    alt: Mapped[str | None] = mapped_column(Text)
