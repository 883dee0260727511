"""The article pages: search, an article with its versions and cluster, history and diff.

Routes are plain functions (Starlette runs them in its thread pool), each one or two calls
on `storage.Archive`, whose queries bind every value: nothing typed reaches SQL as text.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from scraper.web.exceptions import BadParameterError
from scraper.web.params import (
    SearchParams,
    article_id,
    form_values,
    int_value,
    search_url,
    version_numbers,
)
from scraper.web.responses import archive_of, render
from storage.status import known_sites

# A cluster of a widely syndicated story can be long; the page lists this many members.
MAX_CLUSTER_MEMBERS = 100
PAGE_WINDOW = 3  # page links shown either side of the current page


def search_page(request: Request) -> Response:
    """The search form and one page of ranked hits; a bad filter re-shows the form (400)."""
    archive = archive_of(request)
    form = form_values(request.query_params)
    context: dict[str, object] = {"form": form, "sites": known_sites(archive.database)}
    try:
        params = SearchParams.from_query(request.query_params)
        page = params.run(archive)
    except BadParameterError as exc:
        context.update(title="Search", error=str(exc))
        return render(request, "search.html", context, status_code=400)
    last = params.last_page(page.total)
    context.update(
        title=f"Search: {params.text}" if params.text else "Search",
        page=page,
        params=params,
        first_rank=params.offset + 1,
        pages=[
            (number, search_url(form, number, params.limit))
            for number in range(
                max(1, params.page - PAGE_WINDOW), min(last, params.page + PAGE_WINDOW) + 1
            )
        ],
        previous_url=search_url(form, params.page - 1, params.limit) if params.page > 1 else None,
        next_url=search_url(form, params.page + 1, params.limit) if params.page < last else None,
    )
    return render(request, "search.html", context)


def article_page(request: Request) -> Response:
    """Metadata, body and images of one version (the current one unless ?version=N), the
    version timeline and the story's cluster."""
    archive = archive_of(request)
    ref = article_id(request.path_params["article_id"])
    article = archive.article(ref)
    shown = article.version(int_value(request.query_params, "version", None, 1, 1_000_000))
    members = archive.cluster(ref)
    context = {
        "title": shown.record.headline or article.url,
        "article": article,
        "shown": shown,
        "record": shown.record,
        "history": archive.history(ref),
        "cluster": members[:MAX_CLUSTER_MEMBERS],
        "cluster_size": len(members),
    }
    return render(request, "article.html", context)


def history_page(request: Request) -> Response:
    """Every version with what changed, and a form to compare any two."""
    archive = archive_of(request)
    ref = article_id(request.path_params["article_id"])
    article = archive.article(ref)
    context = {
        "title": f"History: {article.current.record.headline or article.url}",
        "article": article,
        "history": archive.history(ref),
    }
    return render(request, "history.html", context)


def diff_page(request: Request) -> Response:
    """Two versions side by side: changed fields, then the body paragraph by paragraph."""
    archive = archive_of(request)
    ref = article_id(request.path_params["article_id"])
    before, after = version_numbers(request.query_params)
    article = archive.article(ref)
    diff = archive.diff(ref, before, after)
    numbers = [version.number for version in article.versions]
    position = numbers.index(diff.after_number)
    context = {
        "title": f"Changes: {article.current.record.headline or article.url}",
        "article": article,
        "diff": diff,
        "before": article.version(diff.before_number),
        "after": article.version(diff.after_number),
        "previous_step": numbers[position - 1] if position > 1 else None,
        "next_step": numbers[position + 1] if position + 1 < len(numbers) else None,
    }
    return render(request, "diff.html", context)
