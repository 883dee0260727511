"""Errors of the parsers package.

`parse()` itself never raises on page content; these are for callers that misuse the API
(an unknown host in the registry, a duplicate registration, a bad site config).
"""


class ParserError(Exception):
    """Base class for errors raised by the parsers package."""


class DuplicateParserError(ParserError):
    """Two site parsers claim the same host; the registry refuses rather than guess."""


class SiteConfigError(ParserError):
    """A site's facts (timezone, language) are not usable."""
