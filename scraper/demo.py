"""`newsarchive demo`: the whole mission on a machine without internet, in seconds.

Starts the bundled demo site on 127.0.0.1, crawls it into a fresh SQLite archive under
`data/demo/` through the same configuration, fetcher, parsers, WARC archive and store a real
run uses, lets the site publish its changes (a date bump, a silent edit, an update and a new
article), crawls again and shows what the archive caught.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from scraper.config import load_config
from scraper.demo_config import demo_config_text
from scraper.demo_site import DemoSite
from scraper.exceptions import UsageError
from scraper.run import RunOptions, RunReport, run_once
from scraper.site_pass import NoProgress, Progress
from storage.db import Database, open_database
from storage.models import Article, ArticleVersion
from storage.search import Search, SearchPage, SearchQuery

DEFAULT_DEMO_DIR = Path("data/demo")
MARKER = ".newsarchive-demo"
DEMO_SEARCH = "drone"  # a word several demo articles use, to show a ranked search


@dataclass(frozen=True, slots=True)
class VersionedArticle:
    url: str
    headline: str | None
    kinds: tuple[str, ...]


@dataclass(slots=True)
class DemoOutcome:
    config_path: Path
    database_url: str
    runs: list[RunReport] = field(default_factory=list)
    versioned: list[VersionedArticle] = field(default_factory=list)
    articles: int = 0
    search_text: str = DEMO_SEARCH
    search: SearchPage | None = None

    @property
    def kinds_found(self) -> set[str]:
        return {kind for article in self.versioned for kind in article.kinds[1:]}

    @property
    def proved(self) -> bool:
        """A date change and a silent edit were both caught as versions."""
        kinds = self.kinds_found
        return bool(kinds & {"date_only", "updated"}) and "silent_edit" in kinds


def run_demo(data_dir: Path = DEFAULT_DEMO_DIR, progress: Progress | None = None) -> DemoOutcome:
    """Two runs over the demo site with its changes in between; what the archive holds."""
    _fresh(data_dir)
    with DemoSite() as site:
        config_path = data_dir / "schedules.yaml"
        config_path.write_text(demo_config_text(site, data_dir), encoding="utf-8")
        config = load_config(config_path, environ={})
        outcome = DemoOutcome(config_path, config.settings.database_url)
        database = open_database(config.settings.database_url)
        try:
            options = RunOptions(progress=progress or NoProgress())
            outcome.runs.append(run_once(config, (), options, database))
            site.apply_changes()
            outcome.runs.append(run_once(config, (), options, database))
            outcome.versioned, outcome.articles = _versioned(database)
            outcome.search = Search(database).run(SearchQuery(text=DEMO_SEARCH, limit=3))
        finally:
            database.close()
    return outcome


def _fresh(data_dir: Path) -> None:
    """Empty the demo folder, refusing to delete a folder the demo did not make."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).exists():
            raise UsageError(f"{data_dir} holds files the demo did not write; choose another")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text("written by `newsarchive demo`; deleted by its next run\n")


def _versioned(database: Database) -> tuple[list[VersionedArticle], int]:
    with database.session() as session:
        total = session.scalar(select(func.count(Article.id))) or 0
        rows = session.execute(
            select(Article.canonical_url, ArticleVersion.headline, ArticleVersion.kind)
            .join(ArticleVersion, ArticleVersion.article_id == Article.id)
            .order_by(Article.id, ArticleVersion.version_no)
        ).all()
    kinds: dict[str, list[str]] = {}
    headlines: dict[str, str | None] = {}
    for url, headline, kind in rows:
        kinds.setdefault(url, []).append(kind)
        headlines[url] = headline
    versioned = [
        VersionedArticle(url, headlines[url], tuple(found))
        for url, found in kinds.items()
        if len(found) > 1
    ]
    return versioned, total
