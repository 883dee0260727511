"""What a demo site holds: its sites, their articles, and the changes a second run must find.

Everything is frozen: a change makes a new article, so the pages before and after a change can
be rendered side by side and compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal, get_args
from zoneinfo import ZoneInfo

TemplateName = Literal["wordpress", "arc", "plain"]
ChangeKind = Literal["date_only", "silent_edit", "updated", "new"]
TEMPLATES: tuple[str, ...] = get_args(TemplateName)
CHANGE_KINDS: tuple[str, ...] = get_args(ChangeKind)
PRIVATE_PREFIX = "/private/"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """An ASCII path segment: "Défense & Industrie" -> "defense-industrie"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class BodyBlock:
    """One paragraph of the body, or a sub-heading (kept as a paragraph by the parsers)."""

    text: str
    heading: bool = False


@dataclass(frozen=True, slots=True)
class DemoImage:
    src: str
    caption: str
    credit: str | None
    alt: str


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """A demo site: its host, the template its pages are cut from, and its local facts."""

    host: str
    name: str
    template: TemplateName
    timezone: str
    language: str
    section_page_size: int = 10
    sitemap_size: int = 1000
    feed_size: int = 20
    news_sitemap_size: int = 50
    author_bios: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def url(self, path: str) -> str:
        """The public address: real host name, plain http, no port (the fetcher overrides
        where the host resolves to)."""
        return f"http://{self.host}{path}"

    def article_path(self, article: DemoArticle) -> str:
        """Each template has its CMS's address shape, so discovery meets all three."""
        if self.template == "arc":
            day = article.published
            return f"/{slugify(article.section)}/{day:%Y/%m/%d}/{article.slug}/"
        if self.template == "plain":
            return f"/{slugify(article.section)}/{article.slug}.html"
        return f"/{article.slug}/"

    def section_path(self, section: str, page: int = 1) -> str:
        base = f"/category/{slugify(section)}/"
        return base if page == 1 else f"{base}page/{page}/"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """An article as its site holds it; `modified` is the server's last edit, which a silent
    edit moves while the printed dates stay."""

    host: str
    slug: str
    section: str
    headline: str
    standfirst: str
    authors: tuple[str, ...]
    published: datetime
    body: tuple[BodyBlock, ...]
    updated: datetime | None = None
    images: tuple[DemoImage, ...] = ()
    tags: tuple[str, ...] = ()
    modified: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.host, self.slug)

    @property
    def last_modified(self) -> datetime:
        return max(moment for moment in (self.published, self.updated, self.modified) if moment)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body as the parsers should return it: sub-headings included, in order."""
        return tuple(block.text for block in self.body)

    def content(self) -> tuple[object, ...]:
        """What a content hash covers: the words, not the dates."""
        captions = tuple((image.caption, image.credit) for image in self.images)
        return (self.headline, self.standfirst, self.authors, self.body, captions)


@dataclass(frozen=True, slots=True)
class SiteChange:
    """One change the site makes between two runs, and the article as it reads afterwards."""

    kind: ChangeKind
    after: DemoArticle

    @property
    def key(self) -> tuple[str, str]:
        return self.after.key


@dataclass(frozen=True, slots=True)
class SiteData:
    sites: tuple[SiteInfo, ...]
    articles: tuple[DemoArticle, ...]
    changes: tuple[SiteChange, ...] = ()

    def site(self, host: str) -> SiteInfo:
        for site in self.sites:
            if site.host == host:
                return site
        raise KeyError(f"no demo site {host!r}")

    def articles_of(self, host: str) -> tuple[DemoArticle, ...]:
        """Newest first, as feeds and section pages list them."""
        own = (article for article in self.articles if article.host == host)
        return tuple(sorted(own, key=lambda article: article.published, reverse=True))

    def with_changes(self) -> SiteData:
        """The site after every change: edited articles replaced, new ones added."""
        replaced = {change.key: change.after for change in self.changes}
        kept = tuple(replaced.pop(article.key, article) for article in self.articles)
        return replace(self, articles=kept + tuple(replaced.values()), changes=())


def check_change(before: DemoArticle | None, change: SiteChange) -> None:
    """Refuse a change whose article does not differ the way its kind says (a data bug)."""
    after = change.after
    where = f"change {change.kind} of {after.host}{after.slug}"
    if change.kind == "new":
        if before is not None:
            raise ValueError(f"{where}: the article already exists")
        return
    if before is None:
        raise ValueError(f"{where}: no such article")
    same_words = before.content() == after.content()
    same_dates = (before.published, before.updated) == (after.published, after.updated)
    expected = {
        "date_only": same_words and not same_dates,
        "silent_edit": not same_words and same_dates,
        "updated": not same_words and not same_dates,
    }
    if not expected[change.kind]:
        raise ValueError(f"{where}: words same={same_words}, dates same={same_dates}")
    if after.last_modified <= before.last_modified:
        raise ValueError(f"{where}: the edit must be later than {before.last_modified}")
