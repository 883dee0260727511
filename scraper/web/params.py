"""Query parameters of the pages and the API, checked before anything reaches the archive.

Every value is text of bounded length without NUL; numbers are whole numbers in range; dates
go through `storage.archive.moment`, so the web takes what the Python API takes (YYYY-MM-DD
or ISO 8601, naive means UTC, a plain day as an upper bound means its end). A value that
fails is a `BadParameterError` naming the parameter: a 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from scraper.web.exceptions import BadParameterError
from storage.archive import Archive, moment
from storage.exceptions import ArticleNotFoundError, SearchQueryError
from storage.export import ExportFormat
from storage.search import SearchPage

MAX_VALUE_CHARS = 500
PAGE_SIZE = 20
MAX_LIMIT = 100
# Deep pages cost a scan of every result before them; past this, narrow the search instead.
MAX_OFFSET = 10_000
MAX_ID = 2**63 - 1
SEARCH_FIELDS = ("q", "site", "section", "author", "since", "until", "as_of", "has_versions")
WEB_EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv")
PERIODS = ("day", "week")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def text_value(query: Mapping[str, str], name: str) -> str | None:
    """The parameter stripped, None when absent or blank."""
    value = query.get(name, "")
    if len(value) > MAX_VALUE_CHARS:
        raise BadParameterError(f"{name} is too long: at most {MAX_VALUE_CHARS} characters")
    if "\x00" in value:
        raise BadParameterError(f"{name} holds a NUL character")
    return value.strip() or None


def int_value(
    query: Mapping[str, str], name: str, default: int | None, low: int, high: int
) -> int | None:
    """A whole number from `low` to `high` (the default when absent)."""
    value = text_value(query, name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < low or int(value) > high:
        raise BadParameterError(f"{name} must be a whole number from {low} to {high}: {value!r}")
    return int(value)


def bool_value(query: Mapping[str, str], name: str) -> bool | None:
    value = text_value(query, name)
    if value is None:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise BadParameterError(f"{name} must be 1 or 0 (yes or no): {value!r}")


def date_value(query: Mapping[str, str], name: str, *, end_of_day: bool = False) -> datetime | None:
    """An aware datetime the database can bind (UTC-representable), or None."""
    value = text_value(query, name)
    if value is None:
        return None
    try:
        when = moment(value, end_of_day=end_of_day)
        if when is not None:
            when.astimezone(UTC)
    except SearchQueryError as exc:
        raise BadParameterError(f"{name}: {exc}") from None
    except (OverflowError, ValueError):
        raise BadParameterError(f"{name} is out of range: {value!r}") from None
    return when


def choice_value(query: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (the first when absent)."""
    value = text_value(query, name)
    if value is None:
        return choices[0]
    if value not in choices:
        raise BadParameterError(f"{name} must be one of {', '.join(choices)}: {value!r}")
    return value


def article_id(value: int) -> int:
    """A path's article id; one no database can hold is unknown (a 404, not a 500)."""
    if not 0 < value <= MAX_ID:
        raise ArticleNotFoundError(f"no article with id {value}")
    return value


def form_values(query: Mapping[str, str]) -> dict[str, str]:
    """The search filters as typed, cut to length: to fill the form in again, even on a 400."""
    return {name: query.get(name, "")[:MAX_VALUE_CHARS] for name in SEARCH_FIELDS}


def search_url(form: Mapping[str, str], page: int, limit: int = PAGE_SIZE) -> str:
    """The search page's URL for these filters at `page` (and page size, if not the default)."""
    kept: dict[str, str | int] = {name: value for name, value in form.items() if value}
    if limit != PAGE_SIZE:
        kept["limit"] = limit
    return "/?" + urlencode({**kept, "page": page})


@dataclass(frozen=True, slots=True)
class SearchParams:
    """A search as the page and /api/search take it: the Python API's filters and a page."""

    text: str
    site: str | None
    section: str | None
    author: str | None
    since: datetime | None
    until: datetime | None
    as_of: datetime | None
    has_versions: bool | None
    page: int
    limit: int

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> SearchParams:
        limit = int_value(query, "limit", PAGE_SIZE, 1, MAX_LIMIT) or PAGE_SIZE
        page = int_value(query, "page", 1, 1, MAX_OFFSET // limit + 1) or 1
        return cls(
            text=text_value(query, "q") or "",
            site=text_value(query, "site"),
            section=text_value(query, "section"),
            author=text_value(query, "author"),
            since=date_value(query, "since"),
            until=date_value(query, "until", end_of_day=True),
            as_of=date_value(query, "as_of", end_of_day=True),
            has_versions=bool_value(query, "has_versions"),
            page=page,
            limit=limit,
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def run(self, archive: Archive) -> SearchPage:
        """The page of hits; a query the archive refuses is a `BadParameterError`."""
        try:
            return archive.search(
                self.text,
                site=self.site,
                section=self.section,
                author=self.author,
                since=self.since,
                until=self.until,
                as_of=self.as_of,
                has_versions=self.has_versions,
                limit=self.limit,
                offset=self.offset,
            )
        except SearchQueryError as exc:
            raise BadParameterError(str(exc)) from None

    def last_page(self, total: int) -> int:
        """The last page that may be asked for (results past `MAX_OFFSET` are not paged to)."""
        shown = min(total, MAX_OFFSET + self.limit)
        return max(1, -(-shown // self.limit))


def export_filters(query: Mapping[str, str]) -> dict[str, Any]:
    """Keyword filters for `Archive.rows` (site, section, author, since, until, all_versions)."""
    return {
        "site": text_value(query, "site"),
        "section": text_value(query, "section"),
        "author": text_value(query, "author"),
        "since": date_value(query, "since"),
        "until": date_value(query, "until", end_of_day=True),
        "all_versions": bool(bool_value(query, "all_versions")),
    }


def export_format(query: Mapping[str, str]) -> ExportFormat:
    chosen = choice_value(query, "format", WEB_EXPORT_FORMATS)
    return "csv" if chosen == "csv" else "jsonl"


def version_numbers(query: Mapping[str, str]) -> tuple[int | None, int | None]:
    """The `from` and `to` version numbers of a diff (None: the API's default)."""
    return (
        int_value(query, "from", None, 1, 1_000_000),
        int_value(query, "to", None, 1, 1_000_000),
    )
