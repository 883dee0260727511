"""Generated demo sites for the crawl benchmark: many hosts, thousands of article pages.

Deterministic for a seed (one random.Random per host), so two runs crawl the same pages. The
articles are cut from the three real templates and read like news (sentences from a small
vocabulary), so a benchmark measures real parsing, not parsing of lorem ipsum. Changes are
made to every tenth article (date bump, silent edit, update in turn) plus one new article per
host, so a second crawl meets every kind of version.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from scraper.demo_site.model import (
    TEMPLATES,
    BodyBlock,
    ChangeKind,
    DemoArticle,
    DemoImage,
    SiteChange,
    SiteData,
    SiteInfo,
    TemplateName,
    slugify,
)

EPOCH = datetime(2025, 12, 1, 12, 0)
SPREAD_MINUTES = 60 * 24 * 60  # articles published over the 60 days before EPOCH
CHANGE_EVERY = 10
CHANGE_CYCLE: tuple[ChangeKind, ...] = ("date_only", "silent_edit", "updated")
ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Europe/Paris")
SECTIONS = ("Air", "Land", "Naval", "Industry", "Policy")
SITE_WORDS = ("Defence", "Security", "Military", "Strategic", "Naval", "Aerospace")
SITE_NOUNS = ("Review", "Monitor", "Dispatch", "Journal", "Times", "Observer")

FIRST_NAMES = ("Anna", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jon")
LAST_NAMES = ("Adler", "Brandt", "Costa", "Dunn", "Evans", "Fischer", "Gray", "Haas", "Ivers")
ACTORS = (
    "The navy", "The air force", "The army", "The defence ministry", "A state shipyard",
    "Parliament's defence committee", "The coast guard", "A national arms maker",
    "Allied commanders", "Procurement officials", "The border guard", "Military planners",
)  # fmt: skip
VERBS = (
    "ordered", "tested", "delayed", "approved", "cancelled", "expanded", "reviewed",
    "unveiled", "deployed", "upgraded", "questioned", "funded",
)  # fmt: skip
THINGS = (
    "patrol vessels", "transport aircraft", "air-defence radars", "armoured vehicles",
    "training drones", "coastal missiles", "night-vision sights", "field hospitals",
    "mine-clearing boats", "satellite links", "artillery shells", "tanker aircraft",
)  # fmt: skip
ADJUNCTS = (
    "after a year of trials", "despite concerns over cost", "under a new framework deal",
    "for the northern command", "ahead of a major exercise", "in a move welcomed by allies",
    "to replace ageing equipment", "following a critical audit", "at a ceremony on Monday",
    "in its latest budget", "as part of a wider reform", "within the next two years",
)  # fmt: skip
COMMENTS = (
    "Officials said the decision followed months of negotiation.",
    "Critics argue the programme is already behind schedule.",
    "The first deliveries are expected next year.",
    "Industry groups welcomed the announcement.",
    "The ministry declined to give a figure for the cost.",
    "Analysts said the move reflects changing priorities.",
    "Crews will begin training on the new equipment in the spring.",
    "Several allies are watching the results closely.",
)  # fmt: skip
CREDITS = ("Staff photo", "Ministry of Defence", "File photo/AP", "Handout")


def synthetic_data(hosts: int = 50, pages_per_host: int = 100, seed: int = 1) -> SiteData:
    if hosts < 1 or pages_per_host < 1:
        raise ValueError("a synthetic demo needs at least one host and one page per host")
    width = max(2, len(str(hosts)))
    sites, articles, changes = [], [], []
    for number in range(1, hosts + 1):
        rng = random.Random(seed * 1_000_003 + number)
        site = _site(f"synth-{number:0{width}d}.example", number, rng)
        own = [_article(site, rng, index) for index in range(pages_per_host)]
        sites.append(site)
        articles.extend(own)
        changes.extend(_changes(site, own, rng))
    return SiteData(tuple(sites), tuple(articles), tuple(changes))


def _site(host: str, number: int, rng: random.Random) -> SiteInfo:
    template = cast(TemplateName, TEMPLATES[number % len(TEMPLATES)])
    return SiteInfo(
        host=host,
        name=f"{rng.choice(SITE_WORDS)} {rng.choice(SITE_NOUNS)} {number}",
        template=template,
        timezone=ZONES[number % len(ZONES)],
        language="en",
        section_page_size=20,
        sitemap_size=50,
    )


def _article(site: SiteInfo, rng: random.Random, index: int) -> DemoArticle:
    zone = ZoneInfo(site.timezone)
    published = (EPOCH - timedelta(minutes=rng.randrange(SPREAD_MINUTES))).replace(tzinfo=zone)
    updated = published + timedelta(hours=rng.randint(1, 48)) if rng.random() < 0.3 else None
    count = rng.randint(2, 40)
    headline = f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {count} {rng.choice(THINGS)}"
    headline = f"{headline} {rng.choice(ADJUNCTS)}"
    author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return DemoArticle(
        host=site.host,
        slug=f"{slugify(headline)}-{index + 1}",
        section=rng.choice(SECTIONS),
        headline=headline,
        standfirst=f"{_sentence(rng)} {rng.choice(COMMENTS)}",
        authors=(author,),
        published=published,
        updated=updated,
        body=_body(rng),
        images=(
            DemoImage(
                src=f"/images/{site.host}/{index + 1}.jpg",
                caption=_sentence(rng),
                credit=rng.choice(CREDITS),
                alt=headline,
            ),
        ),
        tags=tuple(rng.sample(THINGS, 2)),
    )


def _sentence(rng: random.Random) -> str:
    what = f"{rng.randint(2, 40)} {rng.choice(THINGS)}"
    return f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {what} {rng.choice(ADJUNCTS)}."


def _paragraph(rng: random.Random) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(2, 4))]
    return " ".join([*sentences, rng.choice(COMMENTS)])


def _body(rng: random.Random) -> tuple[BodyBlock, ...]:
    paragraphs = [BodyBlock(_paragraph(rng)) for _ in range(rng.randint(5, 8))]
    heading = BodyBlock(f"What the {rng.choice(THINGS)} mean for the fleet", heading=True)
    middle = len(paragraphs) // 2
    return (*paragraphs[:middle], heading, *paragraphs[middle:])


def _changes(site: SiteInfo, articles: list[DemoArticle], rng: random.Random) -> list[SiteChange]:
    zone = ZoneInfo(site.timezone)
    at = (EPOCH + timedelta(days=1)).replace(tzinfo=zone)
    changes = []
    for position, article in enumerate(articles[::CHANGE_EVERY]):
        kind = CHANGE_CYCLE[position % len(CHANGE_CYCLE)]
        moment = at + timedelta(minutes=position)
        changes.append(SiteChange(kind, _changed(article, kind, moment, rng)))
    new = _article(site, rng, len(articles))
    new = replace(new, published=at, updated=None, modified=None)
    changes.append(SiteChange("new", new))
    return changes


def _changed(
    article: DemoArticle, kind: ChangeKind, moment: datetime, rng: random.Random
) -> DemoArticle:
    body = article.body
    if kind in ("silent_edit", "updated"):
        body = (*body, BodyBlock(_paragraph(rng)))
    updated = moment if kind in ("date_only", "updated") else article.updated
    return replace(article, body=body, updated=updated, modified=moment)
