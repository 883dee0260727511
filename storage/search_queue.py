"""SQLite's search index, brought up to date a batch of articles at a time (migration 0009).

FTS5 writes a new index segment, and merges older ones, at the end of every transaction
that touched it: indexing one article per transaction cost about 450 µs of a 1.1 ms save,
against under 100 µs per article when a few dozen share a transaction. So on SQLite, moving
an article's pointer only queues the article (`search_queue`), and the queue is indexed:

- by a save's own transaction once `INDEX_EVERY` articles wait (at most `SAVE_BATCH` then,
  so a backlog left by bulk writes drains a bounded amount per save);
- when a crawl run or a reparse ends (`Store.index_queued`), so the queue is empty between
  runs;
- before every search that may write (`Search.run` calls `catch_up`): a few milliseconds
  at most after ordinary saves. A read-only opening cannot, so while a crawl runs its
  searches may miss the last saves until their batch fills.

Queued rows are part of the saves' own transactions: nothing is lost on a crash, the next
catch-up indexes them. PostgreSQL indexes in its triggers as before; there, all of this is a
no-op.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from storage.db import Database
from storage.prepared import Prepared

logger = logging.getLogger(__name__)

INDEX_EVERY = 32  # queued articles that make a save index the queue
SAVE_BATCH = 128  # the most articles one save indexes
CATCH_UP_BATCH = 2000  # articles per transaction of a catch-up
_WARNED: set[str] = set()  # databases whose queue a search could not index
_COLUMNS = "headline, standfirst, body, captions, authors"
# The queued articles this batch indexes, lowest article id first.
_DUE = "(SELECT article_id FROM search_queue ORDER BY article_id LIMIT :batch)"
# Each due article with its pointer and the highest version number pointed at since it was
# queued (or now): every version up to it gets indexed, as 0005's triggers indexed each
# version its pointer reached, even when the pointer has moved back since.
_POINTERS = f"""SELECT q.article_id, a.current_version_id AS current_id,
    max(q.up_to_no, coalesce(c.version_no, 0)) AS up_to_no
FROM search_queue AS q JOIN articles AS a ON a.id = q.article_id
LEFT JOIN search_versions AS c ON c.version_id = a.current_version_id
WHERE q.article_id IN {_DUE}"""
_DOCUMENT = """v.headline, v.standfirst, v.body,
(SELECT group_concat(caption, ' / ') FROM (SELECT caption FROM images
    WHERE version_id = v.id AND caption IS NOT NULL ORDER BY position)),
(SELECT group_concat(name, ', ') FROM (SELECT authors.name FROM version_authors
    JOIN authors ON authors.id = version_authors.author_id
    WHERE version_authors.version_id = v.id ORDER BY version_authors.position))"""
# Indexed current versions no longer pointed at: their rows move to minus their id.
_LEFT_BEHIND = f"""FROM ({_POINTERS}) AS p
JOIN search_versions AS s ON s.article_id = p.article_id
WHERE s.is_current AND s.version_id IS NOT p.current_id"""
_STEPS = (
    f"""INSERT INTO search_fts (rowid, {_COLUMNS})
SELECT -f.rowid, f.headline, f.standfirst, f.body, f.captions, f.authors
FROM (SELECT s.version_id {_LEFT_BEHIND}) AS gone
CROSS JOIN search_fts AS f ON f.rowid = gone.version_id ORDER BY 1""",
    f"DELETE FROM search_fts WHERE rowid IN (SELECT s.version_id {_LEFT_BEHIND})",
    # A pointer moved back to a replaced version: its row under minus its id goes, to come
    # back under its id with the rest below.
    f"""DELETE FROM search_fts WHERE rowid IN (SELECT -s.version_id FROM ({_POINTERS}) AS p
JOIN search_versions AS s ON s.version_id = p.current_id
WHERE s.is_indexed AND NOT s.is_current)""",
    # Every version up to the pointed-at one not indexed yet (the pointed-at one under its
    # id, the others under minus theirs), in rowid order: one FTS5 segment for the lot.
    f"""INSERT INTO search_fts (rowid, {_COLUMNS})
SELECT CASE WHEN v.id = p.current_id THEN v.id ELSE -v.id END, {_DOCUMENT}
FROM ({_POINTERS}) AS p
JOIN search_versions AS s ON s.article_id = p.article_id AND s.version_no <= p.up_to_no
JOIN article_versions AS v ON v.id = s.version_id
WHERE NOT s.is_indexed OR (s.version_id = p.current_id AND NOT s.is_current)
ORDER BY 1""",
    f"""UPDATE search_versions SET is_indexed = 1,
    is_current = version_id IS (SELECT p.current_id FROM ({_POINTERS}) AS p
        WHERE p.article_id = search_versions.article_id)
WHERE article_id IN {_DUE} AND (is_current OR is_indexed = 0 AND version_no <= (
    SELECT p.up_to_no FROM ({_POINTERS}) AS p WHERE p.article_id = search_versions.article_id)
    OR version_id IN (SELECT p.current_id FROM ({_POINTERS}) AS p))""",
    f"DELETE FROM search_queue WHERE article_id IN {_DUE}",
)
_INDEX_STEPS = tuple(Prepared(text(step)) for step in _STEPS)
_QUEUED_UP_TO = Prepared(
    text("SELECT count(*) FROM (SELECT 1 FROM search_queue LIMIT :most) AS queued")
)
# Asked at every save: its LIMIT written in (see `storage.prepared.written_limit`).
_BATCH_WAITING = Prepared(
    text(f"SELECT count(*) FROM (SELECT 1 FROM search_queue LIMIT {INDEX_EVERY}) AS queued")
)


def index_due(connection: Connection) -> None:
    """Index the queue in this save's transaction once `INDEX_EVERY` articles wait."""
    if connection.dialect.name != "sqlite":
        return
    if _BATCH_WAITING.execute(connection, {})[0][0] >= INDEX_EVERY:
        index_queued(connection, SAVE_BATCH)


def index_queued(connection: Connection, batch: int) -> int:
    """Index up to `batch` queued articles in this transaction; how many were queued."""
    due: int = _QUEUED_UP_TO.execute(connection, {"most": batch})[0][0]
    if due:
        for step in _INDEX_STEPS:
            step.execute(connection, {"batch": batch})
    return due


def queued(database: Database) -> int:
    """Articles whose latest versions a search cannot find yet (0 on PostgreSQL)."""
    if database.dialect != "sqlite":
        return 0
    with database.engine.connect() as connection:
        count: int = connection.execute(text("SELECT count(*) FROM search_queue")).scalar_one()
    return count


def catch_up(database: Database) -> int:
    """Index every queued article, `CATCH_UP_BATCH` a transaction; how many were indexed.

    A database this process may not write (a read-only opening, a locked one past the busy
    timeout) is left as it is, with one warning: its searches miss the queued articles until
    a writer indexes them (every batch of saves, the end of a crawl run, `Store.index_queued`).
    """
    if database.dialect != "sqlite":
        return 0
    indexed = 0
    while _any_queued(database):
        try:
            with database.write_lock, database.write_engine.begin() as connection:
                done = index_queued(connection, CATCH_UP_BATCH)
        except OperationalError as exc:
            _warn_once(database, exc)
            return indexed
        indexed += done
        if done < CATCH_UP_BATCH:
            break
    return indexed


def _warn_once(database: Database, exc: OperationalError) -> None:
    """One warning per database and process: a read-only `serve` would repeat it per search."""
    url = database.url.render_as_string()
    if url not in _WARNED:
        _WARNED.add(url)
        logger.warning("search cannot index the articles saves queued at %s: %s", url, exc.orig)


def _any_queued(database: Database) -> bool:
    try:
        with database.engine.connect() as connection:
            row = connection.execute(text("SELECT 1 FROM search_queue LIMIT 1")).first()
    except OperationalError as exc:
        if "no such table" in str(exc.orig):  # an archive older than 0009, opened read-only
            return False
        raise
    return row is not None
