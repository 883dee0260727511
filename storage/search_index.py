"""How each database's full-text indexes are asked: FTS5 on SQLite, tsvectors on PostgreSQL.

Searches without `as_of` ask only current versions, the others every indexed version
(migration 0005): on PostgreSQL current and replaced versions are two tables; on SQLite one
FTS5 table whose rowid is the version id for current versions and minus it for replaced
ones, so that current ones are its positive rowids (FTS5 skips the rest), bm25 weighs words
by every indexed version, and moving a version out of the current ones writes one FTS5
index, not two (each FTS5 index written costs a segment flush at commit; for the same reason
saves queue their articles and `storage.search_queue` indexes them in batches). Both answer
the same questions for `storage.search`: which index rows match, for which version, how
well (higher is better; the scales differ between the databases), and which passage to show
with the matches marked.
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
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, aggregate_order_by

from storage.models import ArticleVersion, Author, VersionAuthor, VersionImage
from storage.models.search import POSTGRES_CURRENT, POSTGRES_REPLACED, SQLITE_FTS
from storage.search_syntax import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Term,
    fts5_expression,
    tsquery_text,
)

# The text search configuration migrations 0003 and 0005 indexed PostgreSQL documents with.
POSTGRES_CONFIG = "english"
# bm25 weight of each FTS5 column: headline, standfirst, body, captions, authors.
SQLITE_COLUMN_WEIGHTS = (10.0, 4.0, 1.0, 2.0, 2.0)
SNIPPET_WORDS = 24
SNIPPET_GAP = " … "
POSTGRES_HEADLINE_OPTIONS = (
    f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MaxFragments=2, '
    f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 3}, FragmentDelimiter="{SNIPPET_GAP}"'
)


@dataclass(frozen=True, slots=True)
class TextMatch:
    """The index to select from and what to ask of it; `snippet` also reads `ArticleVersion`
    (joined on `version_id`) on PostgreSQL.

    `lookup_id` is the version id to join or test `IN (...)` with. On SQLite it is `+rowid`,
    which SQLite cannot hand to FTS5: FTS5 would run the MATCH (and gather bm25's statistics)
    again for each id it is given, where testing each hit against the other side is cheap.
    `page_id` picks a page of hits by id: there, FTS5 running the MATCH for each of a page of
    ids is cheaper than reading every hit, unless a prefix makes each run expand it over the
    whole vocabulary. `counts_alone`: the index counts its matches without reading them.
    """

    source: FromClause
    version_id: ColumnElement[int]
    lookup_id: ColumnElement[int]
    page_id: ColumnElement[int]
    counts_alone: bool
    condition: ColumnElement[bool]
    score: ColumnElement[float]
    snippet: ColumnElement[str]


def text_match(dialect: str, terms: tuple[Term, ...], *, current: bool = True) -> TextMatch:
    """The match of `terms` in the current-version index (or, not `current`, the index of
    every version) of the database called `dialect`."""
    if dialect == "postgresql":
        return _postgres_match(terms, current)
    return _sqlite_match(terms, current)


def _sqlite_match(terms: tuple[Term, ...], current: bool) -> TextMatch:
    # FTS5 names a hidden column after its table: the handle for MATCH, bm25 and snippet.
    index: ColumnElement[Any] = literal_column(SQLITE_FTS.name)
    expression = bindparam("fts_query", fts5_expression(terms), type_=String)
    condition: ColumnElement[bool] = index.op("MATCH", is_comparison=True)(expression)
    rowid = SQLITE_FTS.c.rowid
    weights = [literal(weight, Float) for weight in SQLITE_COLUMN_WEIGHTS]
    if current:
        version_id: ColumnElement[int] = rowid
        lookup_id: ColumnElement[int] = literal_column(f"+{SQLITE_FTS.name}.rowid", Integer)
        condition = and_(condition, rowid > 0)
        prefixed = any(term.prefix for term in terms)
        page_id = lookup_id if prefixed else rowid
    else:
        version_id = lookup_id = page_id = func.abs(rowid, type_=Integer)
    return TextMatch(
        source=SQLITE_FTS,
        version_id=version_id,
        lookup_id=lookup_id,
        page_id=page_id,
        counts_alone=True,
        condition=condition,
        score=-func.bm25(index, *weights, type_=Float),  # bm25: lower is better
        snippet=func.snippet(
            index, -1, HIGHLIGHT_START, HIGHLIGHT_END, SNIPPET_GAP, SNIPPET_WORDS, type_=String
        ),
    )


def _postgres_match(terms: tuple[Term, ...], current: bool) -> TextMatch:
    source: FromClause = POSTGRES_CURRENT
    if not current:
        both = union_all(
            *(select(t.c.version_id, t.c.document) for t in (source, POSTGRES_REPLACED))
        )
        source = both.subquery("search_documents")
    config = literal(POSTGRES_CONFIG, REGCONFIG)
    query = func.to_tsquery(config, bindparam("tsquery", tsquery_text(terms), type_=String))
    document: ColumnElement[Any] = source.c.document
    text = func.concat_ws(
        SNIPPET_GAP,
        ArticleVersion.headline,
        ArticleVersion.standfirst,
        ArticleVersion.body,
        _postgres_captions(),
        _postgres_authors(),
    )
    return TextMatch(
        source=source,
        version_id=source.c.version_id,
        lookup_id=source.c.version_id,
        page_id=source.c.version_id,
        counts_alone=False,
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
