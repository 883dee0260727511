"""A WordPress article page with Yoast SEO, in the manner of rnamedia.in.

What matters to the parsers: Yoast's JSON-LD @graph (dates in UTC), "Published <time
class="entry-date published">" and "Last Updated <time class="updated">" printed as the site
prints them (a minute and a day), the credit inside the caption ("Image courtesy: ..."), an
avatar-only byline, the author box, the comment form and a "Latest News" sidebar.
"""

from __future__ import annotations

import zlib
from string import Template
from typing import Any

from scraper.demo_site.formatting import american_day, esc, iso, iso_utc, json_ld
from scraper.demo_site.formatting import wordpress_datetime as printed
from scraper.demo_site.model import DemoArticle, DemoImage, SiteInfo, slugify
from scraper.demo_site.page_context import PageContext, body_html, link_items

PAGE = Template("""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<meta name="description" content="$standfirst">
<meta name="robots" content="index, follow, max-image-preview:large">
<link rel="canonical" href="$url">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="$title">
<meta property="og:description" content="$standfirst">
<meta property="og:url" content="$url">
<meta property="og:site_name" content="$site_name">
<meta property="article:published_time" content="$published_utc">
<meta property="article:modified_time" content="$modified_utc">
<meta property="og:image" content="$image_url">
<meta name="author" content="$author_names">
<script type="application/ld+json" class="yoast-schema-graph">$graph</script>
<link rel="alternate" type="application/rss+xml" title="$site_name &raquo; Feed" href="$feed_url">
</head>
<body class="post-template-default single single-post postid-$post_id single-format-standard">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="$home_url" rel="home">$site_name</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
$menu
</ul></nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
<article id="post-$post_id" class="post-$post_id post type-post status-publish \
format-standard has-post-thumbnail hentry category-$section_slug">
<header class="entry-header">
<div class="entry-categories"><span class="cat-links"><a href="$section_url" \
rel="category tag">$section</a></span></div>
<h1 class="entry-title">$headline</h1>
<div class="entry-excerpt"><p>$standfirst</p></div>
</header>
$lead_image
<div class="entry-meta">
<span class="byline">$avatars</span>
<ul class="post-dates">
<li class="posted-on">Published <time class="entry-date published" \
datetime="$published_iso">$published_printed</time></li>
$updated_item
</ul>
</div>
<div class="entry-content">
$body
$more_images
</div>
<footer class="entry-footer"><span class="tags-links">$tags</span></footer>
$author_boxes
</article>
<div id="comments" class="comments-area">
<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="$home_url" method="post" id="commentform" class="comment-form">
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span>
Required fields are marked <span class="required">*</span></p>
<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span>\
</label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" \
value="Post Comment"></p>
</form>
</div>
</div>
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Latest News</h2><ul>
$latest
</ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">&copy; $year $site_name. \
All rights reserved.</div></footer>
</div>
</body>
</html>
""")

AVATAR = '<img alt="Avatar photo" src="{src}" class="avatar photo" height="96" width="96">'
AUTHOR_BOX = """<div class="author-box">
{avatar}
<div class="author-info"><span class="written-by">Written By</span>
<h4 class="author-name"><a href="{url}" rel="author">{name}</a></h4>
<p class="author-description">{bio}</p></div>
</div>"""
LEAD_FIGURE_CLASS = "post-thumbnail wp-caption"
FIGURE = """<figure class="{figure_class}">
<img width="1200" height="675" src="{src}" class="{img_class}" alt="{alt}" decoding="async">
<figcaption class="wp-caption-text">{caption}</figcaption>
</figure>"""


def render_article(site: SiteInfo, article: DemoArticle, context: PageContext) -> str:
    url = site.url(site.article_path(article))
    modified = article.updated or article.published
    lead, *more = article.images or (None,)
    return PAGE.substitute(
        title=esc(f"{article.headline} - {site.name}"),
        headline=esc(article.headline),
        standfirst=esc(article.standfirst),
        url=esc(url),
        site_name=esc(site.name),
        home_url=esc(site.url("/")),
        feed_url=esc(site.url("/feed/")),
        post_id=post_id(article),
        published_utc=iso_utc(article.published),
        modified_utc=iso_utc(modified),
        published_iso=iso(article.published),
        published_printed=esc(printed(article.published)),
        updated_item=_updated_item(article),
        image_url=esc(site.url(lead.src)) if lead else "",
        author_names=esc(", ".join(article.authors)),
        graph=json_ld(_yoast_graph(site, article, url)),
        menu=link_items(context.sections, "menu-item"),
        section=esc(article.section),
        section_slug=slugify(article.section),
        section_url=esc(site.url(site.section_path(article.section))),
        lead_image=_figure(site, lead, LEAD_FIGURE_CLASS, "wp-post-image") if lead else "",
        more_images="\n".join(_figure(site, image, "wp-block-image", "") for image in more),
        avatars=" ".join(AVATAR.format(src=esc(_avatar(site, name))) for name in article.authors),
        body=body_html(article.body, heading_tag="h2"),
        tags=", ".join(_tag_link(site, tag) for tag in article.tags),
        author_boxes="\n".join(_author_box(site, name) for name in article.authors),
        latest=link_items(context.related_to(article)),
        year=article.published.year,
    )


def post_id(article: DemoArticle) -> int:
    """A stable WordPress-like post number."""
    return 10_000 + zlib.crc32(article.slug.encode()) % 90_000


def _updated_item(article: DemoArticle) -> str:
    if article.updated is None:
        return ""
    return (
        f'<li class="updated-on">Last Updated <time class="updated" '
        f'datetime="{iso(article.updated)}">{esc(american_day(article.updated))}</time></li>'
    )


def _figure(site: SiteInfo, image: DemoImage, figure_class: str, img_class: str) -> str:
    caption = image.caption + (f" Image courtesy: {image.credit}" if image.credit else "")
    return FIGURE.format(
        figure_class=figure_class,
        img_class=img_class,
        src=esc(site.url(image.src)),
        alt=esc(image.alt),
        caption=esc(caption),
    )


def _avatar(site: SiteInfo, name: str) -> str:
    return site.url(f"/wp-content/uploads/avatars/{slugify(name)}-96x96.png")


def _author_box(site: SiteInfo, name: str) -> str:
    return AUTHOR_BOX.format(
        avatar=AVATAR.format(src=esc(_avatar(site, name))),
        url=esc(site.url(f"/author/{slugify(name)}/")),
        name=esc(name),
        bio=esc(site.author_bios.get(name, "")),
    )


def _tag_link(site: SiteInfo, tag: str) -> str:
    return f'<a href="{esc(site.url(f"/tag/{slugify(tag)}/"))}" rel="tag">{esc(tag)}</a>'


def _yoast_graph(site: SiteInfo, article: DemoArticle, url: str) -> dict[str, Any]:
    home = site.url("/")
    people = [
        {
            "@type": "Person",
            "@id": f"{home}#/schema/person/{slugify(name)}",
            "name": name,
            "description": site.author_bios.get(name, ""),
            "url": site.url(f"/author/{slugify(name)}/"),
        }
        for name in article.authors
    ]
    modified = iso_utc(article.updated or article.published)
    lead = article.images[0] if article.images else None
    words = sum(len(block.text.split()) for block in article.body)
    graph: list[dict[str, Any]] = [
        {
            "@type": "Article",
            "@id": f"{url}#article",
            "isPartOf": {"@id": url},
            "author": [{"name": person["name"], "@id": person["@id"]} for person in people],
            "headline": article.headline,
            "datePublished": iso_utc(article.published),
            "dateModified": modified,
            "mainEntityOfPage": {"@id": url},
            "wordCount": words,
            "publisher": {"@id": f"{home}#organization"},
            "keywords": list(article.tags),
            "articleSection": [article.section],
            "inLanguage": "en-US",
        },
        {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": f"{article.headline} - {site.name}",
            "isPartOf": {"@id": f"{home}#website"},
            "datePublished": iso_utc(article.published),
            "dateModified": modified,
            "description": article.standfirst,
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "inLanguage": "en-US",
        },
        {
            "@type": "BreadcrumbList",
            "@id": f"{url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": home},
                {"@type": "ListItem", "position": 2, "name": article.headline},
            ],
        },
        {"@type": "WebSite", "@id": f"{home}#website", "url": home, "name": site.name},
        {"@type": "Organization", "@id": f"{home}#organization", "name": site.name, "url": home},
        *people,
    ]
    if lead is not None:
        image_url = site.url(lead.src)
        graph[0]["image"] = {"@id": f"{url}#primaryimage"}
        graph.append(
            {
                "@type": "ImageObject",
                "@id": f"{url}#primaryimage",
                "url": image_url,
                "contentUrl": image_url,
                "width": 1200,
                "height": 675,
                "caption": lead.caption,
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}
