"""Page parsing: pure functions of (html, url, fetched_at) to normalized article records.

Imports nothing else from the project, so it can be used and tested alone.
"""

from parsers.api import parse
from parsers.extract.generic import GenericExtractor
from parsers.record import ArticleRecord, Image, ParserInfo, record_from_dict
from parsers.registry import get_parser, register
from parsers.site_config import SiteConfig

__all__ = [
    "ArticleRecord",
    "GenericExtractor",
    "Image",
    "ParserInfo",
    "SiteConfig",
    "get_parser",
    "parse",
    "record_from_dict",
    "register",
]
