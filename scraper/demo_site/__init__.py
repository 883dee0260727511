"""The bundled offline demo site: news sites the project wrote, served on 127.0.0.1.

`newsarchive demo` crawls it to show the whole pipeline without internet; the crawl tests use
it as their fixture site and the crawl benchmark as its server (`DemoSite.synthetic`).
"""

from scraper.demo_site.http_handler import LoggedRequest
from scraper.demo_site.loading import load_demo_data
from scraper.demo_site.model import (
    BodyBlock,
    ChangeKind,
    DemoArticle,
    DemoImage,
    SiteChange,
    SiteData,
    SiteInfo,
)
from scraper.demo_site.server import DemoSite, DemoSources
from scraper.demo_site.synthetic import synthetic_data

__all__ = [
    "BodyBlock",
    "ChangeKind",
    "DemoArticle",
    "DemoImage",
    "DemoSite",
    "DemoSources",
    "LoggedRequest",
    "SiteChange",
    "SiteData",
    "SiteInfo",
    "load_demo_data",
    "synthetic_data",
]
