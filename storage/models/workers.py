"""What `newsarchive worker` processes share: per-host pacing and the slots in flight.

Workers on several machines keep one host's politeness together, so its state lives here,
not in any one process: when the host may next be asked (`next_allowed_at`, which the
configured delay, robots.txt's Crawl-delay and a back-off after 429/503 push on), and one
row per request in flight (`host_slots`), each with a lease so a killed worker's slot frees
itself. The frontier's own leases are two columns of `frontier_urls`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime


class HostPacing(Base):
    """One host's pacing: the next start it allows and the gaps that set it (seconds)."""

    __tablename__ = "host_pacing"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    next_allowed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    min_delay: Mapped[float] = mapped_column(Float)
    crawl_delay: Mapped[float] = mapped_column(Float)
    backoff: Mapped[float] = mapped_column(Float)
    max_connections: Mapped[int] = mapped_column(Integer)
    in_flight: Mapped[int] = mapped_column(Integer)  # its rows in host_slots
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HostSlot(Base):
    """A request in flight to a host; gone when it ends, or stale once `expires_at` passed."""

    __tablename__ = "host_slots"

    host: Mapped[str] = mapped_column(ForeignKey("host_pacing.host"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
