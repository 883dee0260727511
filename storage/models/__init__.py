"""The archive's tables as SQLAlchemy models; the migrations in `storage/migrations` build them."""

from storage.models.articles import (
    VERSION_KINDS,
    Article,
    ArticleAlias,
    ArticleVersion,
    Author,
    VersionAuthor,
    VersionImage,
)
from storage.models.base import Base, UTCDateTime
from storage.models.crawl import Fetch, FrontierUrl, Site

__all__ = [
    "VERSION_KINDS",
    "Article",
    "ArticleAlias",
    "ArticleVersion",
    "Author",
    "Base",
    "Fetch",
    "FrontierUrl",
    "Site",
    "UTCDateTime",
    "VersionAuthor",
    "VersionImage",
]
