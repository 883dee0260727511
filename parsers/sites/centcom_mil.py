"""centcom.mil press releases (U.S. Central Command, Tampa).

Releases print a bare day ("December 03, 2025") at headquarters, so the site's timezone is
Eastern time; headline, body and the release-header split are read by the generic cascade.
"""

from __future__ import annotations

from parsers.registry import register
from parsers.site_config import SiteConfig
from parsers.site_parser import SiteParser


@register("centcom.mil")
class CentcomMil(SiteParser):
    name = "centcom.mil"
    version = "1"
    facts = SiteConfig(timezone="America/New_York", language="en", date_formats=("%B %d, %Y",))
