"""What a page template is given besides its article: the site's menu and latest headlines."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.demo_site.formatting import esc
from scraper.demo_site.model import BodyBlock, DemoArticle, SiteInfo

LATEST_IN_SIDEBAR = 5


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True, slots=True)
class PageContext:
    """The chrome around an article: every real page carries a menu and related links, and
    the parsers must leave both out of the body."""

    site: SiteInfo
    sections: tuple[Link, ...]
    latest: tuple[Link, ...]

    @classmethod
    def of(cls, site: SiteInfo, articles: tuple[DemoArticle, ...]) -> PageContext:
        """`articles` newest first."""
        names = sorted({article.section for article in articles})
        sections = tuple(Link(site.url(site.section_path(name)), name) for name in names)
        latest = tuple(
            Link(site.url(site.article_path(article)), article.headline)
            for article in articles[:LATEST_IN_SIDEBAR]
        )
        return cls(site, sections, latest)

    def related_to(self, article: DemoArticle) -> tuple[Link, ...]:
        own = self.site.url(self.site.article_path(article))
        return tuple(link for link in self.latest if link.url != own)


def link_items(links: tuple[Link, ...], item_class: str = "") -> str:
    """`<li><a href=...>text</a></li>` for each link."""
    attribute = f' class="{item_class}"' if item_class else ""
    return "\n".join(
        f'<li{attribute}><a href="{esc(link.url)}">{esc(link.text)}</a></li>' for link in links
    )


def body_html(
    body: tuple[BodyBlock, ...], paragraph_class: str = "", heading_tag: str = "h2"
) -> str:
    attribute = f' class="{paragraph_class}"' if paragraph_class else ""
    return "\n".join(
        f"<{heading_tag}>{esc(block.text)}</{heading_tag}>"
        if block.heading
        else f"<p{attribute}>{esc(block.text)}</p>"
        for block in body
    )
