"""The home page, paginated section pages, and the private page robots.txt forbids.

One layout for all templates: discovery reads links, not chrome. The private page is linked
from the listings (and listed in the sitemap) so a crawler that ignored robots.txt would find
it, which is what makes "never fetched" a real test.
"""

from __future__ import annotations

from string import Template

from scraper.demo_site.formatting import esc, iso
from scraper.demo_site.model import PRIVATE_PREFIX, DemoArticle, SiteInfo
from scraper.demo_site.page_context import PageContext, link_items
from scraper.demo_site.template_plain import printed_date

PRIVATE_ARTICLE_PATH = f"{PRIVATE_PREFIX}editorial-planning-notes-for-next-week/"
TEASER_LINK_SELECTOR = "article.teaser h2.entry-title a"
PRIVATE_HEADLINE = "Editorial planning notes for next week (staff only)"

PAGE = Template("""<!DOCTYPE html>
<html lang="$language">
<head>
<meta charset="utf-8">
<title>$title</title>
<link rel="canonical" href="$url">
$rel_links
<link rel="alternate" type="application/rss+xml" title="$site_name" href="$feed_url">
</head>
<body class="archive">
<header class="site-header"><p class="site-title"><a href="$home_url">$site_name</a></p>
<nav class="main-navigation"><ul>
$menu
</ul></nav></header>
<main class="site-main">
<h1 class="page-title">$heading</h1>
$teasers
<nav class="navigation pagination">$pagination</nav>
</main>
<footer class="site-footer">&copy; $site_name</footer>
</body>
</html>
""")

TEASER = """<article class="teaser post">
<h2 class="entry-title"><a href="{url}">{headline}</a></h2>
<p class="teaser-meta"><time datetime="{iso}">{date}</time> &middot; {authors}</p>
<p class="teaser-excerpt">{standfirst}</p>
</article>"""
PRIVATE_TEASER = """<article class="teaser post staff-only">
<h2 class="entry-title"><a href="{url}">{headline}</a></h2>
</article>"""
PAGINATION_WORDS = {
    "en": ("Newer posts", "Older posts", "Page"),
    "fr": ("Articles plus récents", "Suivant", "Page"),
}

PRIVATE_PAGE = Template("""<!DOCTYPE html>
<html lang="$language">
<head><meta charset="utf-8"><title>$headline</title>
<meta name="robots" content="noindex, nofollow"></head>
<body><main><article><h1>$headline</h1>
<p>Internal notes for the desk. Crawlers are asked not to read this page: robots.txt \
disallows $prefix.</p>
<p>Monday: procurement briefing. Tuesday: shipyard visit. Wednesday: budget analysis.</p>
</article></main></body>
</html>
""")


def render_listing(
    site: SiteInfo,
    context: PageContext,
    heading: str,
    articles: tuple[DemoArticle, ...],
    page: int,
    pages: tuple[str, ...],
) -> str:
    """One page of a listing; `pages` are the paths of all its pages, first page first."""
    url = site.url(pages[page - 1])
    teasers = [_teaser(site, article) for article in articles]
    if page == 1:
        private = PRIVATE_TEASER.format(
            url=esc(site.url(PRIVATE_ARTICLE_PATH)), headline=esc(PRIVATE_HEADLINE)
        )
        teasers.append(private)
    title = heading if page == 1 else f"{heading} - {PAGINATION_WORDS[site.language][2]} {page}"
    return PAGE.substitute(
        language=site.language,
        title=esc(f"{title} - {site.name}"),
        url=esc(url),
        rel_links=_rel_links(site, page, pages),
        site_name=esc(site.name),
        feed_url=esc(site.url("/feed/")),
        home_url=esc(site.url("/")),
        menu=link_items(context.sections),
        heading=esc(heading),
        teasers="\n".join(teasers),
        pagination=_pagination(site, page, pages),
    )


def render_private_page(site: SiteInfo) -> str:
    return PRIVATE_PAGE.substitute(
        language=site.language, headline=esc(PRIVATE_HEADLINE), prefix=PRIVATE_PREFIX
    )


def _teaser(site: SiteInfo, article: DemoArticle) -> str:
    return TEASER.format(
        url=esc(site.url(site.article_path(article))),
        headline=esc(article.headline),
        iso=iso(article.published),
        date=esc(printed_date(site, article.published)),
        authors=esc(", ".join(article.authors)),
        standfirst=esc(article.standfirst),
    )


def _rel_links(site: SiteInfo, page: int, pages: tuple[str, ...]) -> str:
    links = []
    if page > 1:
        links.append(f'<link rel="prev" href="{esc(site.url(pages[page - 2]))}">')
    if page < len(pages):
        links.append(f'<link rel="next" href="{esc(site.url(pages[page]))}">')
    return "\n".join(links)


def _pagination(site: SiteInfo, page: int, pages: tuple[str, ...]) -> str:
    newer, older, _ = PAGINATION_WORDS[site.language]
    parts = []
    if page > 1:
        parts.append(
            f'<a class="prev page-numbers" href="{esc(site.url(pages[page - 2]))}">{newer}</a>'
        )
    if page < len(pages):
        parts.append(
            f'<a class="next page-numbers" href="{esc(site.url(pages[page]))}">{older}</a>'
        )
    return " ".join(parts)
