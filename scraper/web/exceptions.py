"""Errors of the web interface: each becomes a 4xx answer with one clear line, never a 500."""

from __future__ import annotations

from scraper.exceptions import UsageError


class BadParameterError(UsageError):
    """A query parameter the interface cannot use (a malformed number, date or choice): 400."""
