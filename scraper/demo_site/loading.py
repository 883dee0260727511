"""Reads the demo's contents (articles.yaml, shipped as package data) into the model.

The file is the project's own data, so a mistake in it is a bug: it raises ValueError naming
the entry, and a test loads the shipped file.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from importlib import resources
from typing import Any, cast
from zoneinfo import ZoneInfo

import yaml

from scraper.demo_site.model import (
    CHANGE_KINDS,
    TEMPLATES,
    BodyBlock,
    ChangeKind,
    DemoArticle,
    DemoImage,
    SiteChange,
    SiteData,
    SiteInfo,
    TemplateName,
    check_change,
)

PACKAGE = "scraper.demo_site"
DATA_FILE = "articles.yaml"
LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M"
HEADING_MARK = "## "


def load_demo_data(text: str | None = None) -> SiteData:
    """The shipped demo sites, or those described by `text` (the same YAML shape)."""
    if text is None:
        text = resources.files(PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    sites = tuple(_site(entry) for entry in raw["sites"])
    zones = {site.host: site.zone for site in sites}
    articles = tuple(_article(entry, zones) for entry in raw["articles"])
    known = {article.key: article for article in articles}
    changes = tuple(_change(entry, known, zones) for entry in raw.get("changes") or ())
    for change in changes:
        check_change(known.get(change.key), change)
    return SiteData(sites, articles, changes)


def _site(entry: dict[str, Any]) -> SiteInfo:
    template = entry["template"]
    if template not in TEMPLATES:
        raise ValueError(f"site {entry['host']}: unknown template {template!r}")
    return SiteInfo(
        host=entry["host"],
        name=entry["name"],
        template=cast(TemplateName, template),
        timezone=entry["timezone"],
        language=entry["language"],
        section_page_size=entry.get("section_page_size", 10),
        author_bios=dict(entry.get("author_bios") or {}),
    )


def _article(entry: dict[str, Any], zones: dict[str, ZoneInfo]) -> DemoArticle:
    host = entry["host"]
    if host not in zones:
        raise ValueError(f"article {entry.get('slug')}: no site {host!r}")
    zone = zones[host]
    return DemoArticle(
        host=host,
        slug=entry["slug"],
        section=entry["section"],
        headline=entry["headline"],
        standfirst=entry["standfirst"],
        authors=tuple(entry["authors"]),
        published=local_time(entry["published"], zone),
        updated=local_time(entry["updated"], zone) if entry.get("updated") else None,
        modified=local_time(entry["modified"], zone) if entry.get("modified") else None,
        body=body_blocks(entry["body"]),
        images=tuple(_image(image) for image in entry.get("images") or ()),
        tags=tuple(entry.get("tags") or ()),
    )


def _image(entry: dict[str, Any]) -> DemoImage:
    return DemoImage(entry["src"], entry["caption"], entry.get("credit"), entry.get("alt", ""))


def _change(
    entry: dict[str, Any], known: dict[tuple[str, str], DemoArticle], zones: dict[str, ZoneInfo]
) -> SiteChange:
    kind = entry["kind"]
    if kind not in CHANGE_KINDS:
        raise ValueError(f"change {entry}: unknown kind {kind!r}")
    if kind == "new":
        article = _article(entry["article"], zones)
        at = local_time(entry["at"], zones[article.host])
        return SiteChange("new", replace(article, modified=at))
    before = known.get((entry["host"], entry["slug"]))
    if before is None:
        raise ValueError(f"change {kind}: no article {entry['host']} {entry['slug']}")
    at = local_time(entry["at"], zones[before.host])
    updated = local_time(entry["updated"], zones[before.host]) if "updated" in entry else None
    after = replace(
        before,
        updated=updated or before.updated,
        modified=at,
        body=_edited_body(before.body, entry.get("replace") or {}, entry.get("append") or []),
    )
    return SiteChange(cast(ChangeKind, kind), after)


def _edited_body(
    body: tuple[BodyBlock, ...], replaced: dict[int, str], appended: list[str]
) -> tuple[BodyBlock, ...]:
    blocks = list(body)
    for index, text in replaced.items():
        blocks[index] = body_blocks([text])[0]
    return (*blocks, *body_blocks(appended))


def body_blocks(items: list[str]) -> tuple[BodyBlock, ...]:
    return tuple(
        BodyBlock(item.removeprefix(HEADING_MARK), heading=item.startswith(HEADING_MARK))
        for item in items
    )


def local_time(text: str, zone: ZoneInfo) -> datetime:
    return datetime.strptime(text, LOCAL_TIME_FORMAT).replace(tzinfo=zone)
