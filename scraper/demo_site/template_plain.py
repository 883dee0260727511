"""A hand-made site's article page: no JSON-LD, no OpenGraph, no <time>, dates printed in
the site's language and local time only, so the parsers must read the visible text."""

from __future__ import annotations

from datetime import datetime
from string import Template

from scraper.demo_site.formatting import british_datetime, esc, french_datetime
from scraper.demo_site.model import DemoArticle, DemoImage, SiteInfo, slugify
from scraper.demo_site.page_context import PageContext, body_html, link_items

PAGE = Template("""<!DOCTYPE html>
<html lang="$language">
<head>
<meta charset="utf-8">
<title>$headline &mdash; $site_name</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<div id="header">
<a class="logo" href="$home_url">$site_name</a>
<ul id="menu">
$menu
</ul>
</div>
<div id="main">
<div class="story">
<p class="rubrique"><a href="$section_url">$section</a></p>
<h1>$headline</h1>
<p class="chapo"><b>$standfirst</b></p>
<p class="signature">$by $byline<br>$dates</p>
$figures
<div class="texte">
$body
</div>
</div>
<div id="sidebar">
<h3>$related</h3>
<ul>
$latest
</ul>
</div>
</div>
<div id="footer">&copy; $year $site_name &middot; <a href="$home_url">$contact</a></div>
</body>
</html>
""")

FIGURE = """<figure class="photo">
<img src="{src}" alt="{alt}" width="800" height="450">
<figcaption>{caption}{credit}</figcaption>
</figure>"""

# What the page prints around its dates and names, per language.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "by": "By",
        "and": "and",
        "published": "Published",
        "updated": "Updated",
        "credit": "Photo:",
        "related": "Read more",
        "contact": "Contact us",
        "authors_path": "/authors/",
    },
    "fr": {
        "by": "Par",
        "and": "et",
        "published": "Publié le",
        "updated": "Mis à jour le",
        "credit": "Crédit photo :",
        "related": "À lire aussi",
        "contact": "Nous contacter",
        "authors_path": "/auteurs/",
    },
}


def render_article(site: SiteInfo, article: DemoArticle, context: PageContext) -> str:
    labels = LABELS[site.language]
    return PAGE.substitute(
        language=site.language,
        headline=esc(article.headline),
        site_name=esc(site.name),
        home_url=esc(site.url("/")),
        menu=link_items(context.sections),
        section=esc(article.section),
        section_url=esc(site.url(site.section_path(article.section))),
        standfirst=esc(article.standfirst),
        by=esc(labels["by"]),
        byline=_byline(site, article.authors, labels),
        dates=_dates(site, article, labels),
        figures="\n".join(_figure(site, image, labels["credit"]) for image in article.images),
        body=body_html(article.body, heading_tag="h3"),
        related=esc(labels["related"]),
        latest=link_items(context.related_to(article)),
        year=article.published.year,
        contact=esc(labels["contact"]),
    )


def printed_date(site: SiteInfo, moment: datetime) -> str:
    return french_datetime(moment) if site.language == "fr" else british_datetime(moment)


def _dates(site: SiteInfo, article: DemoArticle, labels: dict[str, str]) -> str:
    published = f"{labels['published']} {printed_date(site, article.published)}"
    if article.updated is None:
        return esc(published)
    updated = f"{labels['updated']} {printed_date(site, article.updated)}"
    return f"{esc(published)} &middot; {esc(updated)}"


def _byline(site: SiteInfo, authors: tuple[str, ...], labels: dict[str, str]) -> str:
    folder = labels["authors_path"]
    links = [
        f'<a href="{esc(site.url(f"{folder}{slugify(name)}.html"))}">{esc(name)}</a>'
        for name in authors
    ]
    if len(links) <= 1:
        return "".join(links)
    return ", ".join(links[:-1]) + f" {esc(labels['and'])} " + links[-1]


def _figure(site: SiteInfo, image: DemoImage, credit_label: str) -> str:
    credit = ""
    if image.credit:
        credit = f' <span class="credit">{esc(credit_label)} {esc(image.credit)}</span>'
    return FIGURE.format(
        src=esc(site.url(image.src)), alt=esc(image.alt), caption=esc(image.caption), credit=credit
    )
