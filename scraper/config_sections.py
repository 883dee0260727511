"""The `sections:` list of a site entry: listing pages whose article links discovery follows.

Each item is a bare URL or a mapping that narrows the page's article links; a selector or
pattern that cannot compile fails at load time, naming its line, not mid-crawl.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from scraper.config_fields import Fields, shown_url, url_problem

UrlCheck = Callable[[str], str | None]

SECTION_KEYS = frozenset({"url", "link_selector", "link_pattern"})


@dataclass(frozen=True, slots=True)
class SectionPage:
    """A listing page whose article links discovery follows.

    Links are narrowed by a CSS selector and/or a URL regex; with neither, discovery's own
    rule for story-like addresses applies.
    """

    url: str
    link_selector: str | None = None
    link_pattern: re.Pattern[str] | None = None

    def wants(self, link: str) -> bool:
        """The URL half of the rule (the selector is applied to the page by discovery)."""
        return self.link_pattern is None or self.link_pattern.search(link) is not None


def section_pages(fields: Fields, off_site: UrlCheck) -> tuple[SectionPage, ...]:
    """A site's `sections:` list; `off_site` names why a URL is not on the site, if it is not."""
    value = fields.raw("sections")
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.fail("sections", "expected a list of URLs or {url, link_selector, link_pattern}")
    return tuple(_section(fields, index, item, off_site) for index, item in enumerate(value))


def _section(fields: Fields, index: int, item: object, off_site: UrlCheck) -> SectionPage:
    """A bare URL, or a mapping that narrows its article links by selector and/or pattern."""
    body = {"url": item} if isinstance(item, str) else item
    sub = Fields(fields.doc, (*fields.path, "sections", index), body, SECTION_KEYS)
    url = sub.required_text("url")
    if problem := url_problem(url) or off_site(url):
        sub.fail("url", f"{problem}: {shown_url(url)!r}")
    selector = sub.text("link_selector", "") or None
    if selector is not None:
        try:
            LexborHTMLParser("<p></p>").css(selector)
        except SelectolaxError:
            sub.fail("link_selector", f"bad CSS selector {selector!r}")
    pattern_text = sub.text("link_pattern", "")
    pattern = sub.pattern("link_pattern", pattern_text) if pattern_text else None
    return SectionPage(url=url, link_selector=selector, link_pattern=pattern)
