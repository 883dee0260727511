"""What near-duplicate clustering keeps between runs: each article's MinHash and LSH keys."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ClusterSignature(Base):
    """The MinHash of an article's body as of `version_id`, the version it was computed from.

    A newer current version, or another `method` (how shingles were hashed), makes the
    article due for clustering again; `signature` is None when the body was too short to
    compare, so the article was left alone in its cluster.
    """

    __tablename__ = "cluster_signatures"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("article_versions.id"))
    method: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class ClusterBand(Base):
    """One LSH band key of an article's signature: sharing a key makes two articles candidates.

    Kept in a table so the lookup is an index scan that works across processes and runs.
    """

    __tablename__ = "cluster_bands"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("cluster_signatures.article_id"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, index=True)
