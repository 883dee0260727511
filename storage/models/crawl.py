"""What the crawler knows: sites, the frontier of URLs to (re)fetch, and every fetch made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime


class Site(Base):
    """A site as `parsers.urls.site_of` names it (host without `www.`)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FrontierUrl(Base):
    """One row per page identity: when to fetch it next and what the last fetch left behind.

    `url_key` is `storage.identity.url_key(url)`; `url` is the spelling to fetch. The
    validators (ETag, Last-Modified) make the next fetch conditional; `last_digest` lets an
    identical payload skip the parse; `recheck_step` indexes the site's recheck schedule and
    goes back to 0 when a change is found. `lastmod_seen` / `published_seen` are the dates
    discovery saw (sitemap lastmod, feed entry date), which can make a URL due at once.
    `lease_holder` / `lease_expires_at`: the worker that claimed the URL and until when.
    """

    __tablename__ = "frontier_urls"
    __table_args__ = (
        Index("ix_frontier_urls_state_next_due_at", "state", "next_due_at"),
        Index("ix_frontier_urls_site_id_next_due_at", "site_id", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    url_key: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="new")
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    last_digest: Mapped[str | None] = mapped_column(String(128))
    failure_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    recheck_step: Mapped[int] = mapped_column(Integer, default=0)
    lastmod_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    # Which `newsarchive worker` has claimed the URL, until when (storage.leases).
    lease_holder: Mapped[str | None] = mapped_column(String(255), index=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Fetch(Base):
    """One HTTP exchange (or a failed attempt) and where its raw bytes sit in the WARC files.

    `status` is None when no response came (timeout, reset); `revisit` marks a 304 or an
    identical payload archived as a WARC revisit record.
    """

    __tablename__ = "fetches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    final_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    content_type: Mapped[str | None] = mapped_column(String(255))
    warc_file: Mapped[str | None] = mapped_column(Text)
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_length: Mapped[int | None] = mapped_column(BigInteger)
    payload_digest: Mapped[str | None] = mapped_column(String(128), index=True)
    warc_record_id: Mapped[str | None] = mapped_column(Text)
    revisit: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
