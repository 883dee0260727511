"""What running the archive leaves behind: run reports, site locks and the parse log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, JSONType, UTCDateTime


class SiteLock(Base):
    """Who is working on a site now; a row per site, taken over once it expires.

    In the database rather than a lock file so that runs on several machines sharing one
    PostgreSQL archive also keep off each other's sites.
    """

    __tablename__ = "site_locks"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Run(Base):
    """One `newsarchive run` (or scheduled job) and its report as JSON."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    exit_code: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSONType)


class PageParse(Base):
    """Which fields one parse of a fetched page filled: what parser health is computed from.

    Kept for every parsed page, not only for stored versions, so a layout change that turns
    articles into "not an article" or empties a field shows even when nothing was saved.
    """

    __tablename__ = "page_parses"
    __table_args__ = (Index("ix_page_parses_site_parsed_at", "site", "parsed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(Text)
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("fetches.id"))
    parsed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    parser: Mapped[str] = mapped_column(String(64))
    page_type: Mapped[str] = mapped_column(String(16))
    fields_found: Mapped[list[str]] = mapped_column(JSONType)
