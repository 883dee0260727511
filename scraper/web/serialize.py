"""The JSON the API answers with: archive values as plain dicts, times as ISO 8601 text.

Search snippets keep the `[[ ]]` match marks (`storage.search.split_highlights` cuts them);
records are `ArticleRecord.to_dict()`, the same shape the exports and `newsarchive parse` use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.archive import HistoryEntry
from storage.clusters import ClusterMember
from storage.diffs import VersionDiff
from storage.health import SiteHealth
from storage.history import StoredArticle, StoredVersion
from storage.search import SearchHit, SearchPage
from storage.stats import ArchiveStats


def search_json(page: SearchPage, page_number: int, limit: int) -> dict[str, Any]:
    return {
        "total": page.total,
        "page": page_number,
        "limit": limit,
        "hits": [hit_json(hit) for hit in page.hits],
    }


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "article_id": hit.article_id,
        "version_id": hit.version_id,
        "version_no": hit.version_no,
        "url": hit.url,
        "site": hit.site,
        "headline": hit.headline,
        "published_at": _iso(hit.published_at),
        "updated_at": _iso(hit.updated_at),
        "snippet": hit.snippet,
        "score": hit.score,
    }


def article_json(
    article: StoredArticle, shown: StoredVersion, cluster: list[ClusterMember]
) -> dict[str, Any]:
    """The article, every version's facts, the record of `shown` and its cluster."""
    return {
        "article_id": article.article_id,
        "url": article.url,
        "site": article.site,
        "first_seen": _iso(article.first_seen),
        "last_seen": _iso(article.last_seen),
        "cluster_id": article.cluster_id,
        "current_version": article.current.number,
        "versions": [version_json(version) for version in article.versions],
        "version": shown.number,
        "record": shown.record.to_dict(),
        "cluster": [member_json(member) for member in cluster],
    }


def version_json(version: StoredVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "kind": version.kind,
        "saved_at": _iso(version.saved_at),
        "content_hash": version.content_hash,
        "parser": str(version.record.parser),
    }


def member_json(member: ClusterMember) -> dict[str, Any]:
    return {
        "article_id": member.article_id,
        "url": member.url,
        "site": member.site,
        "headline": member.headline,
        "first_seen": _iso(member.first_seen),
    }


def history_json(article_id: int, entries: list[HistoryEntry]) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "versions": [
            {
                **version_json(entry.version),
                "summary": entry.summary,
                "fields_changed": [change.name for change in entry.diff.fields]
                if entry.diff
                else [],
            }
            for entry in entries
        ],
    }


def diff_json(article_id: int, diff: VersionDiff) -> dict[str, Any]:
    return {"article_id": article_id, **diff.to_dict()}


def stats_json(stats: ArchiveStats) -> dict[str, Any]:
    return stats.to_dict()


def health_json(healths: list[SiteHealth]) -> dict[str, Any]:
    return {
        "flagged": [health.site for health in healths if health.flagged],
        "sites": [health.to_dict() for health in healths],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
