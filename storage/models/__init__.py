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
from storage.models.clusters import ClusterBand, ClusterSignature
from storage.models.crawl import Fetch, FrontierUrl, Site
from storage.models.operations import PageParse, Run, SiteLock
from storage.models.workers import HostPacing, HostSlot

__all__ = [
    "VERSION_KINDS",
    "Article",
    "ArticleAlias",
    "ArticleVersion",
    "Author",
    "Base",
    "ClusterBand",
    "ClusterSignature",
    "Fetch",
    "FrontierUrl",
    "HostPacing",
    "HostSlot",
    "PageParse",
    "Run",
    "Site",
    "SiteLock",
    "UTCDateTime",
    "VersionAuthor",
    "VersionImage",
]
