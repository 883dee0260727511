"""What every route shares: the archive it reads, rendering a template, answering an error.

An error is a page under / and a JSON object under /api/; either way one line written for
the reader (the parameter, the article or the version at fault), never a traceback or SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from storage.archive import Archive

API_PREFIX = "/api/"


def archive_of(request: Request) -> Archive:
    archive = request.app.state.archive
    if not isinstance(archive, Archive):
        raise TypeError("the app was made without an archive")
    return archive


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, context, status_code=status_code, headers=headers
    )


def error_response(
    request: Request, status_code: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """`message` as JSON under /api/, else as an HTML page with the same status."""
    if request.url.path.startswith(API_PREFIX):
        body = {"error": message, "status": status_code}
        return JSONResponse(body, status_code=status_code, headers=headers)
    context = {"status": status_code, "message": message, "title": f"Error {status_code}"}
    return render(request, "error.html", context, status_code, headers)
