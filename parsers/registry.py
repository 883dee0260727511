"""Which extractor reads which site: an explicit registry keyed by host.

Explicit (no import-time magic beyond the decorator) so that `parser check` can list every
site, and duplicate claims on a host fail loudly at import instead of shadowing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from parsers.exceptions import DuplicateParserError
from parsers.extract.generic import GenericExtractor
from parsers.urls import site_of

ExtractorClass = TypeVar("ExtractorClass", bound=type[GenericExtractor])

_REGISTRY: dict[str, type[GenericExtractor]] = {}


def register(*hosts: str) -> Callable[[ExtractorClass], ExtractorClass]:
    """Class decorator: claim hosts (www./m./amp. prefixes are folded) for a site parser."""

    def claim(cls: ExtractorClass) -> ExtractorClass:
        for host in hosts:
            key = site_of(f"https://{host}/")
            owner = _REGISTRY.get(key)
            if owner is not None and owner is not cls:
                raise DuplicateParserError(
                    f"{key} is claimed by {owner.__name__} and {cls.__name__}"
                )
            _REGISTRY[key] = cls
        return cls

    return claim


def get_parser(url: str) -> GenericExtractor:
    """The site's parser when one is registered for the URL's host, else the generic one."""
    _load_sites()
    host = site_of(url)
    while host:
        cls = _REGISTRY.get(host)
        if cls is not None:
            return cls()
        _, _, host = host.partition(".")
    return GenericExtractor()


def registered_sites() -> dict[str, type[GenericExtractor]]:
    _load_sites()
    return dict(sorted(_REGISTRY.items()))


def _load_sites() -> None:
    import parsers.sites  # noqa: F401  (registers every site module on first use)
