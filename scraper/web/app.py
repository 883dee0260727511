"""`create_app(archive)`: the Starlette application of the web interface.

Only GET (and HEAD) routes exist, over an archive the caller opened (read-only, as
`newsarchive serve` does). Templates and the stylesheet ship inside the package. Errors are
turned into answers here: a parameter the archive cannot use is a 400, an unknown article
or version a 404, anything unexpected a 500 that says nothing of its cause (the server log
has it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from scraper.web import api, pages, site_pages
from scraper.web.exceptions import BadParameterError
from scraper.web.formatting import FILTERS, GLOBALS
from scraper.web.responses import error_response
from scraper.web.security import SecurityMiddleware
from storage.archive import Archive
from storage.exceptions import (
    ArticleNotFoundError,
    ExportError,
    SearchQueryError,
    VersionNotFoundError,
)

PACKAGE_DIR = Path(__file__).resolve().parent
INTERNAL_ERROR = "internal error: the server's log has the details"

ROUTES: list[BaseRoute] = [
    Route("/", pages.search_page, name="search"),
    Route("/articles/{article_id:int}", pages.article_page, name="article"),
    Route("/articles/{article_id:int}/history", pages.history_page, name="history"),
    Route("/articles/{article_id:int}/diff", pages.diff_page, name="diff"),
    Route("/health", site_pages.health_page, name="health"),
    Route("/stats", site_pages.stats_page, name="stats"),
    Route("/api/search", api.api_search),
    Route("/api/articles/{article_id:int}", api.api_article),
    Route("/api/articles/{article_id:int}/history", api.api_history),
    Route("/api/articles/{article_id:int}/diff", api.api_diff),
    Route("/api/export", api.api_export),
    Route("/api/stats", api.api_stats),
    Route("/api/health", api.api_health),
    Mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static"),
]


def create_app(archive: Archive, allowed_hosts: Iterable[str] | None = None) -> Starlette:
    """The web interface over `archive`; `allowed_hosts` limits the Host names answered."""
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(SecurityMiddleware, allowed_hosts=allowed_hosts)],
        exception_handlers={
            BadParameterError: _bad_request,
            SearchQueryError: _bad_request,
            ExportError: _bad_request,
            ArticleNotFoundError: _not_found,
            VersionNotFoundError: _not_found,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.archive = archive
    app.state.templates = Jinja2Templates(env=template_environment())
    return app


def template_environment() -> jinja2.Environment:
    """Jinja2 with autoescaping on for every template, and undefined names as errors."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(FILTERS)
    environment.globals.update(GLOBALS)
    return environment


def _bad_request(request: Request, exc: Exception) -> Response:
    return error_response(request, 400, str(exc))


def _not_found(request: Request, exc: Exception) -> Response:
    return error_response(request, 404, str(exc))


def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):
        return _internal_error(request, exc)
    return error_response(request, exc.status_code, exc.detail.lower(), exc.headers)


def _internal_error(request: Request, _exc: Exception) -> Response:
    """The answer only; Starlette re-raises the error after it, for the server to log."""
    return error_response(request, 500, INTERNAL_ERROR)
