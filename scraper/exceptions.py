"""Errors of the scraper package: each ends a command with one clear line and an exit code."""


class ScraperError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(ScraperError):
    """Bad input a user can fix: a missing file, a malformed date, a bad URL."""

    exit_code = 2
