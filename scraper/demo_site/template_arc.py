"""An article page in the manner of Arc XP sites: one NewsArticle JSON-LD block in UTC, BEM
class names, a "By A and B" byline, the credit in its own span, an app-shell script."""

from __future__ import annotations

from string import Template
from typing import Any

from scraper.demo_site.formatting import arc_datetime, esc, iso, iso_utc, json_ld
from scraper.demo_site.model import DemoArticle, DemoImage, SiteInfo, slugify
from scraper.demo_site.page_context import PageContext, body_html, link_items

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$headline | $site_name</title>
<meta name="description" content="$standfirst">
<link rel="canonical" href="$url">
<meta property="og:type" content="article">
<meta property="og:title" content="$headline">
<meta property="og:description" content="$standfirst">
<meta property="og:url" content="$url">
<meta property="og:site_name" content="$site_name">
<meta property="og:image" content="$image_url">
<meta name="twitter:card" content="summary_large_image">
<script type="application/ld+json">$news_article</script>
<script id="fusion-metadata" type="application/javascript">window.Fusion=window.Fusion||{};\
Fusion.arcSite="$arc_site";Fusion.contentCache={};</script>
</head>
<body>
<div id="fusion-app" class="layout-section">
<header class="c-nav">
<a class="c-nav__logo" href="$home_url">$site_name</a>
<nav class="c-nav__sections"><ul>
$menu
</ul></nav>
<a class="c-nav__subscribe" href="$home_url">Subscribe</a>
</header>
<main class="b-article-body">
<article class="c-article">
<div class="c-overline"><a href="$section_url">$section</a></div>
<h1 class="c-heading b-headline">$headline</h1>
<h2 class="c-subheadline">$standfirst</h2>
<div class="c-attribution">
<div class="c-byline">By $byline</div>
<div class="c-date"><time datetime="$published_iso">$published_printed</time>$updated_span</div>
</div>
$figures
<div class="c-article-body">
$body
</div>
<div class="c-tags">$tags</div>
</article>
<aside class="c-related"><h2 class="c-related__title">Most read</h2><ul>
$latest
</ul></aside>
</main>
<footer class="c-footer"><p>&copy; $year $site_name. All rights reserved.</p>
<a href="$home_url">Terms of use</a> <a href="$home_url">Privacy policy</a></footer>
</div>
</body>
</html>
""")

FIGURE = """<figure class="c-media-item">
<img src="{src}" alt="{alt}" loading="lazy" width="1440" height="810">
<figcaption><span class="c-media-item__caption">{caption}</span>{credit}</figcaption>
</figure>"""


def render_article(site: SiteInfo, article: DemoArticle, context: PageContext) -> str:
    url = site.url(site.article_path(article))
    lead = article.images[0] if article.images else None
    return PAGE.substitute(
        headline=esc(article.headline),
        standfirst=esc(article.standfirst),
        url=esc(url),
        site_name=esc(site.name),
        arc_site=slugify(site.name).replace("-", ""),
        home_url=esc(site.url("/")),
        image_url=esc(site.url(lead.src)) if lead else "",
        news_article=json_ld(_news_article(site, article, url)),
        menu=link_items(context.sections, "c-nav__item"),
        section=esc(article.section),
        section_url=esc(site.url(site.section_path(article.section))),
        byline=_byline(site, article.authors),
        published_iso=iso(article.published),
        published_printed=esc(arc_datetime(article.published)),
        updated_span=_updated_span(article),
        figures="\n".join(_figure(site, image) for image in article.images),
        body=body_html(article.body, paragraph_class="c-paragraph", heading_tag="h3"),
        tags=" ".join(
            f'<a class="c-tags__tag" href="{esc(site.url(f"/tags/{slugify(tag)}/"))}">'
            f"{esc(tag)}</a>"
            for tag in article.tags
        ),
        latest=link_items(context.related_to(article), "c-related__item"),
        year=article.published.year,
    )


def _byline(site: SiteInfo, authors: tuple[str, ...]) -> str:
    links = [
        f'<a class="c-byline__author" href="{esc(site.url(f"/people/{slugify(name)}/"))}">'
        f"{esc(name)}</a>"
        for name in authors
    ]
    if len(links) <= 1:
        return "".join(links)
    return ", ".join(links[:-1]) + " and " + links[-1]


def _updated_span(article: DemoArticle) -> str:
    if article.updated is None:
        return ""
    return (
        f' <span class="c-date__updated">Updated <time datetime="{iso(article.updated)}">'
        f"{esc(arc_datetime(article.updated))}</time></span>"
    )


def _figure(site: SiteInfo, image: DemoImage) -> str:
    credit = ""
    if image.credit:
        credit = f' <span class="c-media-item__credit">({esc(image.credit)})</span>'
    return FIGURE.format(
        src=esc(site.url(image.src)), alt=esc(image.alt), caption=esc(image.caption), credit=credit
    )


def _news_article(site: SiteInfo, article: DemoArticle, url: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "datePublished": iso_utc(article.published),
        "dateModified": iso_utc(article.updated or article.published),
        "author": [
            {"@type": "Person", "name": name, "url": site.url(f"/people/{slugify(name)}/")}
            for name in article.authors
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": site.name,
            "logo": {"@type": "ImageObject", "url": site.url("/pf/resources/logo.png")},
        },
        "articleSection": article.section,
        "keywords": list(article.tags),
        "image": [
            {
                "@type": "ImageObject",
                "url": site.url(image.src),
                "caption": image.caption,
                "creditText": image.credit,
            }
            for image in article.images
        ],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "isAccessibleForFree": True,
    }
