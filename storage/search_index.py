"""How each database's full-text index is asked: FTS5 on SQLite, tsvectors on PostgreSQL.

Both answer the same four questions for `storage.search`: which index rows match, for which
version, how well (higher is better; the scales differ between the databases), and which
passage to show with the matches marked. Migration 0003 builds what is queried here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    Integer,
    String,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR, aggregate_order_by

from storage.models import ArticleVersion, Author, VersionAuthor, VersionImage
from storage.models.search import POSTGRES_DOCUMENTS_TABLE, SQLITE_FTS_TABLE
from storage.search_syntax import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Term,
    fts5_expression,
    tsquery_text,
)

# The text search configuration migration 0003 indexed PostgreSQL documents with.
POSTGRES_CONFIG = "english"
# bm25 weight of each FTS5 column: headline, standfirst, body, captions, authors.
SQLITE_COLUMN_WEIGHTS = (10.0, 4.0, 1.0, 2.0, 2.0)
SNIPPET_WORDS = 24
SNIPPET_GAP = " … "
POSTGRES_HEADLINE_OPTIONS = (
    f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MaxFragments=2, '
    f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 3}, FragmentDelimiter="{SNIPPET_GAP}"'
)

_FTS = table(SQLITE_FTS_TABLE, column("rowid", Integer))
_DOCUMENTS = table(
    POSTGRES_DOCUMENTS_TABLE,
    column("version_id", Integer),
    column("wording", TSVECTOR),
    column("extras", TSVECTOR),
)


@dataclass(frozen=True, slots=True)
class TextMatch:
    """The index to join (on `version_id`) and what to ask of it."""

    source: FromClause
    version_id: ColumnElement[int]
    condition: ColumnElement[bool]
    score: ColumnElement[float]
    snippet: ColumnElement[str]


def text_match(dialect: str, terms: tuple[Term, ...]) -> TextMatch:
    """The match of `terms` in the index of the database called `dialect`."""
    return _postgres_match(terms) if dialect == "postgresql" else _sqlite_match(terms)


def _sqlite_match(terms: tuple[Term, ...]) -> TextMatch:
    # FTS5 names a hidden column after its table: the handle for MATCH, bm25 and snippet.
    index: ColumnElement[Any] = literal_column(SQLITE_FTS_TABLE)
    expression = bindparam("fts_query", fts5_expression(terms), type_=String)
    weights = [literal(weight, Float) for weight in SQLITE_COLUMN_WEIGHTS]
    return TextMatch(
        source=_FTS,
        version_id=_FTS.c.rowid,
        condition=index.op("MATCH", is_comparison=True)(expression),
        score=-func.bm25(index, *weights, type_=Float),  # bm25: lower is better
        snippet=func.snippet(
            index, -1, HIGHLIGHT_START, HIGHLIGHT_END, SNIPPET_GAP, SNIPPET_WORDS, type_=String
        ),
    )


def _postgres_match(terms: tuple[Term, ...]) -> TextMatch:
    config = literal(POSTGRES_CONFIG, REGCONFIG)
    query = func.to_tsquery(config, bindparam("tsquery", tsquery_text(terms), type_=String))
    # The expression the GIN index is built on (migration 0003), so the index answers.
    document = _DOCUMENTS.c.wording.op("||", return_type=TSVECTOR)(_DOCUMENTS.c.extras)
    text = func.concat_ws(
        SNIPPET_GAP,
        ArticleVersion.headline,
        ArticleVersion.standfirst,
        ArticleVersion.body,
        _postgres_captions(),
        _postgres_authors(),
    )
    return TextMatch(
        source=_DOCUMENTS,
        version_id=_DOCUMENTS.c.version_id,
        condition=document.bool_op("@@")(query),
        score=func.ts_rank_cd(document, query, type_=Float),
        snippet=func.ts_headline(config, text, query, POSTGRES_HEADLINE_OPTIONS, type_=String),
    )


def _postgres_captions() -> ColumnElement[str]:
    in_order = aggregate_order_by(literal(" / "), VersionImage.position)
    return (
        select(func.string_agg(VersionImage.caption, in_order))
        .where(VersionImage.version_id == ArticleVersion.id)
        .scalar_subquery()
    )


def _postgres_authors() -> ColumnElement[str]:
    in_order = aggregate_order_by(literal(", "), VersionAuthor.position)
    return (
        select(func.string_agg(Author.name, in_order))
        .join(VersionAuthor, VersionAuthor.author_id == Author.id)
        .where(VersionAuthor.version_id == ArticleVersion.id)
        .scalar_subquery()
    )
