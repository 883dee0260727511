"""The statements of a save, built and wrapped once (`storage.prepared`): each call then only
binds its values. Every lookup is an index lookup, whatever the size of the archive.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, insert, literal_column, select, union_all
from sqlalchemy import update as update_of

from storage.models import (
    Article,
    ArticleAlias,
    ArticleVersion,
    Fetch,
    VersionAuthor,
    VersionImage,
)
from storage.prepared import Prepared, written_limit

# Why a URL leads to an article. Only "same_text" links are guesses: a record reached
# through one may not add versions (a stale copy would flip the article back and forth).
FETCHED_URL = "fetched_url"
CANONICAL = "canonical"
SAME_TEXT = "same_text"

# How the article was found, best first: by its own URL (the record's canonical, then the
# fetched one), by an alias (the same order), by the same text elsewhere on the site.
OWN_CANONICAL, OWN_FETCHED, ALIAS_CANONICAL, ALIAS_FETCHED, SAME_TEXT_RANK = range(5)


def _rank(url_key: Any, canonical_rank: int) -> ColumnElement[Any]:
    return case(
        (url_key == bindparam("canonical_key"), literal_column(str(canonical_rank))),
        else_=literal_column(str(canonical_rank + 1)),
    )


_RECORD_KEYS: tuple[Any, ...] = (bindparam("canonical_key"), bindparam("fetched_key"))
_OWN: Any = select(
    Article.id.label("article_id"),
    _rank(Article.url_key, OWN_CANONICAL).label("rank"),
    literal_column("NULL").label("reason"),
).where(Article.url_key.in_(_RECORD_KEYS))
_ALIASED = select(
    ArticleAlias.article_id, _rank(ArticleAlias.url_key, ALIAS_CANONICAL), ArticleAlias.reason
).where(ArticleAlias.url_key.in_(_RECORD_KEYS))
# The first article of the site holding a version with the same text (NULL hash: none).
_SAME_TEXT_HOLDER = (
    select(ArticleVersion.article_id)
    .join(Article, Article.id == ArticleVersion.article_id)
    .where(
        ArticleVersion.content_hash == bindparam("content_hash"),
        Article.site_id == bindparam("site_id"),
    )
    .order_by(ArticleVersion.article_id)
    .limit(written_limit(1))
    .subquery()
)
_HOLDING_SAME_TEXT = select(
    _SAME_TEXT_HOLDER.c.article_id,
    literal_column(str(SAME_TEXT_RANK)),
    literal_column(f"'{SAME_TEXT}'"),
)
_LEADS = union_all(_OWN, _ALIASED, _HOLDING_SAME_TEXT).subquery("leads")
_BEST_LEAD = select(_LEADS).order_by(_LEADS.c.rank).limit(written_limit(1)).subquery("best_lead")

# The article a record leads to, its row locked (PostgreSQL; SQLite's write transaction
# holds the whole file), with how it was found: one round trip whatever the answer.
FIND_ARTICLE = Prepared(
    select(
        Article.id,
        Article.url_key,
        Article.canonical_url,
        Article.last_seen,
        Article.current_version_id,
        _BEST_LEAD.c.rank,
        _BEST_LEAD.c.reason,
    )
    .join_from(Article, _BEST_LEAD, Article.id == _BEST_LEAD.c.article_id)
    .with_for_update(of=Article)
)
_VERSION_RULE_COLUMNS = (
    ArticleVersion.version_no,
    ArticleVersion.content_hash,
    ArticleVersion.updated_at,
)
CURRENT_VERSION = Prepared(
    select(*_VERSION_RULE_COLUMNS).where(ArticleVersion.id == bindparam("version_id"))
)
CURRENT_VERSION_WITH_RECORD = Prepared(
    select(*_VERSION_RULE_COLUMNS, ArticleVersion.record).where(
        ArticleVersion.id == bindparam("version_id")
    )
)
FETCH_TIME = Prepared(select(Fetch.fetched_at).where(Fetch.id == bindparam("fetch_id")))
INSERT_FETCH = Prepared(insert(Fetch).returning(Fetch.id))
INSERT_ARTICLE = Prepared(insert(Article).returning(Article.id))
UPDATE_ARTICLE = Prepared(update_of(Article).where(Article.id == bindparam("article_id")))
INSERT_VERSION = Prepared(insert(ArticleVersion).returning(ArticleVersion.id))
INSERT_AUTHOR_LINKS = Prepared(insert(VersionAuthor))
INSERT_IMAGES = Prepared(insert(VersionImage))
