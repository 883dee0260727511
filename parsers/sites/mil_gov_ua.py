"""mil.gov.ua (Ministry of Defence of Ukraine): one news template since 2022.

The generic cascade reads it whole (headline, body and "20 листопада 2025, 14:35"); the page
states no zone and no language, so the site's facts are what this class adds: Kyiv time and
Ukrainian month names (the English edition's pages carry their own lang).
"""

from __future__ import annotations

from parsers.registry import register
from parsers.site_config import SiteConfig
from parsers.site_parser import SiteParser


@register("mil.gov.ua")
class MilGovUa(SiteParser):
    name = "mil.gov.ua"
    version = "1"
    facts = SiteConfig(timezone="Europe/Kyiv", language="uk")
