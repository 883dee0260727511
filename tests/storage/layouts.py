"""Parse logs of a site before and after a layout change, made by parsing a real fixture page.

`healthy` is the Border Watch Journal golden page as written; `changed` is the same page after
a redesign that dropped the byline, the "Updated" line and the dated related-stories list
(byline and updated date go missing; the dateline stays, so the page still reads as a
story); `not_article` has lost the story markup altogether, so the page no longer parses as
an article. The URLs carry no date, so nothing can be read from them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Literal

from parsers import ArticleRecord, SiteConfig, parse
from storage.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "borderwatchjournal.example"
SITE = "borderwatchjournal.example"
URL = "https://www.borderwatchjournal.example/land/counter-drone-turret-trial-{n}.html"
Layout = Literal["healthy", "changed", "not_article"]
BYLINE_AND_UPDATE = re.compile(
    r'<span class="by">.*?</span><br>|&middot; <span class="upd">.*?</span>'
)
RELATED_STORIES = re.compile(r'<div class="morestories">.*?</ul>\s*</div>', re.S)
STORY = re.compile(r'<div class="story">.*?<div class="storytools">.*?</div>\s*</div>', re.S)
# What the redesign took away from every page.
LOST_IN_CHANGE = {"authors", "updated_at"}


@cache
def page_record(layout: Layout) -> ArticleRecord:
    """The fixture page in the given layout, through the real parser."""
    meta = json.loads((FIXTURE / "counter-drone-trial.json").read_text(encoding="utf-8"))
    html = (FIXTURE / "counter-drone-trial.html").read_text(encoding="utf-8")
    if layout == "changed":
        html = RELATED_STORIES.sub("", BYLINE_AND_UPDATE.sub("", html))
    elif layout == "not_article":
        html = STORY.sub("", html)
    fetched_at = datetime.fromisoformat(meta["fetched_at"])
    site = SiteConfig(meta["site"]["timezone"], meta["site"]["language"])
    return parse(html, URL.format(n=0), fetched_at, site=site)


def log_parses(store: Store, layout: Layout, count: int, site: str = SITE) -> None:
    """Log `count` parses of distinct pages of `site` in the given layout, oldest first."""
    record = page_record(layout)
    for number in range(count):
        store.record_parse(replace(record, url=URL.format(n=number)), None, site)
