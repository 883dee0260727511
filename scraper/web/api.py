"""The JSON API under /api/: what the pages show, for scripts (same parameters as the pages).

/api/export streams every matching row (`storage.export.EXPORT_COLUMNS`) as JSONL or CSV in
constant memory; the filters are checked before the first byte, so a bad one is still a 400.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from scraper.web.export_stream import MEDIA_TYPES, export_chunks
from scraper.web.params import (
    SearchParams,
    article_id,
    export_filters,
    export_format,
    int_value,
    version_numbers,
)
from scraper.web.responses import archive_of
from scraper.web.serialize import (
    article_json,
    diff_json,
    health_json,
    history_json,
    search_json,
    stats_json,
)
from scraper.web.site_pages import site_healths, stats_for


def api_search(request: Request) -> Response:
    params = SearchParams.from_query(request.query_params)
    page = params.run(archive_of(request))
    return JSONResponse(search_json(page, params.page, params.limit))


def api_article(request: Request) -> Response:
    archive = archive_of(request)
    ref = article_id(request.path_params["article_id"])
    article = archive.article(ref)
    shown = article.version(int_value(request.query_params, "version", None, 1, 1_000_000))
    return JSONResponse(article_json(article, shown, archive.cluster(ref)))


def api_history(request: Request) -> Response:
    ref = article_id(request.path_params["article_id"])
    return JSONResponse(history_json(ref, archive_of(request).history(ref)))


def api_diff(request: Request) -> Response:
    ref = article_id(request.path_params["article_id"])
    before, after = version_numbers(request.query_params)
    return JSONResponse(diff_json(ref, archive_of(request).diff(ref, before, after)))


def api_export(request: Request) -> Response:
    chosen = export_format(request.query_params)
    rows = archive_of(request).rows(**export_filters(request.query_params))
    headers = {"Content-Disposition": f'attachment; filename="newsarchive-export.{chosen}"'}
    return StreamingResponse(
        export_chunks(rows, chosen), media_type=MEDIA_TYPES[chosen], headers=headers
    )


def api_stats(request: Request) -> Response:
    return JSONResponse(stats_json(stats_for(archive_of(request), request.query_params)))


def api_health(request: Request) -> Response:
    return JSONResponse(health_json(site_healths(archive_of(request))))
