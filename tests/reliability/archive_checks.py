"""What must hold of an archive whenever a crawl stops, killed or not: one row per article,
a fetch row under every version, a complete WARC record under every fetch, a sound database
file. Each check returns the problems it found (empty: it holds), so a test can say which
kill point broke which rule."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text

from scraper.demo_site import DemoSite
from storage.archive_check import fetch_refs, verify_archive
from storage.db import Database
from storage.locks import SiteLocks
from storage.models import Article
from storage.sqlite_driver import driver
from storage.warc import verify

_DUPLICATE_ARTICLES = text(
    "SELECT canonical_url, count(*) FROM articles GROUP BY canonical_url HAVING count(*) > 1"
)
# A site that never changes gives each article exactly one version: a second one is a page
# filed twice (fetched again after a kill, and not recognised as the same).
_EXTRA_VERSIONS = text(
    "SELECT article_id, count(*) FROM article_versions GROUP BY article_id HAVING count(*) > 1"
)
_VERSIONS_WITHOUT_FETCH = text(
    "SELECT v.id, v.url FROM article_versions v LEFT JOIN fetches f ON f.id = v.fetch_id"
    " WHERE f.id IS NULL"
)
# The run's last step clusters whatever is left, those filed before a kill included.
_UNCLUSTERED = text("SELECT count(*) FROM articles WHERE cluster_id IS NULL")
_ANSWERED_WITHOUT_WARC = text(
    "SELECT id, url, status FROM fetches WHERE status IS NOT NULL"
    " AND (warc_file IS NULL OR warc_record_id IS NULL)"
)


def row_problems(database: Database) -> list[str]:
    """Duplicate articles or versions, versions with no fetch, answers with no WARC record."""
    checks = {
        "duplicate article": _DUPLICATE_ARTICLES,
        "article filed twice": _EXTRA_VERSIONS,
        "version without its fetch": _VERSIONS_WITHOUT_FETCH,
        "fetch without a WARC reference": _ANSWERED_WITHOUT_WARC,
    }
    problems = []
    with database.engine.connect() as connection:
        for name, query in checks.items():
            problems += [f"{name}: {tuple(row)}" for row in connection.execute(query).all()[:5]]
    return problems


def sqlite_problems(database: Database) -> list[str]:
    """`PRAGMA integrity_check`, `foreign_key_check` and FTS5's own check of the search
    index against its rows; nothing to check on PostgreSQL.

    On a connection of its own: SQLite 3.51's pragma also checks FTS5 tables, and on a
    connection that ran it before, it reports a checksum mismatch once another process has
    written the table since (a stale cached index structure; a fresh connection, FTS5's own
    check and every search read the table as it is).
    """
    if database.engine.dialect.name != "sqlite":
        return []
    connection = driver.connect(str(database.engine.url.database), isolation_level=None)
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
        search = _search_index_problems(connection)
    finally:
        connection.close()
    problems = [] if integrity == ["ok"] else [f"integrity_check: {integrity[:5]}"]
    return problems + [f"foreign_key_check: {tuple(row)}" for row in foreign[:5]] + search


def _search_index_problems(connection: driver.Connection) -> list[str]:
    try:
        connection.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
    except driver.DatabaseError as exc:
        return [f"search index: {exc}"]
    return []


def reference_problems(database: Database, warc_dir: Path) -> list[str]:
    """Every fetch row's WARC reference leads to a complete record with its digest. Damage in
    a file a killed writer left open is not counted: the next start cuts it off."""
    report = verify(warc_dir, fetch_refs(database))
    return [str(problem) for problem in report.problems if problem.ref is not None]


def crash_problems(database: Database, warc_dir: Path) -> list[str]:
    """What must already hold the moment a crawl dies, before any restart repairs anything."""
    return [
        *sqlite_problems(database),
        *row_problems(database),
        *reference_problems(database, warc_dir),
    ]


def torn_warc_tail(warc_dir: Path) -> bool:
    """Whether a killed writer left a file whose last record is cut short."""
    report = verify(warc_dir)
    return any("cut short" in problem.message for problem in report.problems)


def archived_urls(database: Database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(Article.canonical_url)))


def missing_articles(site: DemoSite, database: Database) -> set[str]:
    """Articles the fixture site holds that the archive has not got."""
    return set(site.article_urls()) - archived_urls(database)


def final_problems(site: DemoSite, database: Database, warc_dir: Path) -> list[str]:
    """After the last, uninterrupted run: all of the crash checks, every WARC file read end
    to end with nothing left open, every article there and clustered, and no site lock left
    behind."""
    problems = [*sqlite_problems(database), *row_problems(database)]
    report = verify_archive(database, warc_dir)
    problems += [f"warc verify: {problem}" for problem in report.problems[:5]]
    missing = sorted(missing_articles(site, database))
    problems += [f"{len(missing)} articles not archived, e.g. {missing[:3]}"] if missing else []
    with database.engine.connect() as connection:
        unclustered = connection.execute(_UNCLUSTERED).scalar_one()
    problems += [f"{unclustered} articles never clustered"] if unclustered else []
    locks = SiteLocks(database).holders()
    return problems + ([f"site locks left: {locks}"] if locks else [])
