"""rnamedia.in (RNA Media, New Delhi): WordPress with Yoast.

The printed dates are the site's word: "Published December 6, 2025 2:54 pm" (India time, to
the minute) and "Last Updated December 6, 2025" (a day). Yoast's JSON-LD restates them in
UTC with seconds the page never shows, so the printed ones win.
"""

from __future__ import annotations

from parsers.registry import register
from parsers.site_config import SiteConfig
from parsers.site_parser import SiteParser


@register("rnamedia.in")
class RnaMedia(SiteParser):
    name = "rnamedia.in"
    version = "1"
    facts = SiteConfig(
        timezone="Asia/Kolkata",
        language="en",
        date_formats=("%B %d, %Y %I:%M %p", "%B %d, %Y"),
    )
    published_selector = "time.entry-date.published"
    updated_selector = "time.updated"
