"""Dates a page declares for machines: JSON-LD and meta tags, by kind, in order of trust.

Names and keys are data: a publisher's new meta name is one more entry, not a new rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from parsers.dates import epoch_text
from parsers.extract.date_labels import Kind
from parsers.extract.page import JsonObject, Page, is_article_type, jsonld_types

JSONLD_PUBLISHED_KEYS = ("datePublished", "dateCreated", "uploadDate")
JSONLD_UPDATED_KEYS = ("dateModified",)
# JSON-LD objects whose dates belong to something else than the page.
FOREIGN_JSONLD_TYPES = frozenset(
    {"comment", "review", "answer", "question", "person", "organization", "event", "offer"}
)

# Meta names (lower-cased, itemprop included) in order of trust.
META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "published", "published_time", "publish-date",
    "publishdate",
    "publish_date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date.created", "dc.date", "citation_publication_date",
    "citation_date", "og:pubdate", "article_date_original", "original-publish-date",
    "cxenseparse:recs:publishtime", "datecreated", "date",
)  # fmt: skip
META_UPDATED = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "article.updated", "modified_time", "dcterms.modified", "dc.date.modified",
    "last-modified", "lastmod", "revision_date",
)  # fmt: skip

# Other meta names that say what they hold ("w-published-date", "cdc:last_updated").
META_PUBLISHED_NAME = re.compile(r"publi(?:sh|cation)|pub-?date|first.?published|created")
META_UPDATED_NAME = re.compile(r"modif|updated|last.?update")
META_NOT_A_DATE = re.compile(r"publisher|author|expir|review|(?:^|:)published$")


def doubly_named_metas(page: Page) -> Iterator[str]:
    """Values of meta tags named both as a modification and as the publication
    (<meta name="modified-date" itemprop="datePublished">)."""
    if "datepublished" not in page.meta:
        return
    for node in page.tree.css("meta[itemprop]"):
        attrs = node.attributes
        names = f"{attrs.get('name') or ''} {attrs.get('property') or ''}".lower()
        value = attrs.get("content") or attrs.get("value")
        if value and META_UPDATED_NAME.search(names):
            yield value


def meta_dates(meta: dict[str, list[str]], kind: Kind) -> Iterator[str]:
    """Meta values of a kind: the known names in order of trust, then any name saying it."""
    for name in META_PUBLISHED if kind == "published" else META_UPDATED:
        yield from meta.get(name, ())[:2]
    pattern = META_PUBLISHED_NAME if kind == "published" else META_UPDATED_NAME
    for name, values in meta.items():
        if pattern.search(name) and not META_NOT_A_DATE.search(name):
            yield from values[:1]
    if kind == "published":
        yield from _parsely_page_date(meta.get("parsely-page", ()))


def _parsely_page_date(values: list[str] | tuple[()]) -> Iterator[str]:
    """Parse.ly's older tag: one JSON object in a meta, its "pub_date" the publication."""
    for value in values[:1]:
        try:
            data = json.loads(value)
        except ValueError:
            return
        if isinstance(data, dict) and isinstance(data.get("pub_date"), str):
            yield data["pub_date"]


def _jsonld_dates(obj: JsonObject, kind: Kind) -> Iterator[str]:
    for key in JSONLD_PUBLISHED_KEYS if kind == "published" else JSONLD_UPDATED_KEYS:
        value = obj.get(key)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value[:3] if isinstance(item, str))
        elif isinstance(value, dict) and isinstance(value.get("@value"), str):
            yield value["@value"]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            text = epoch_text(value)
            if text is not None:
                yield text


def jsonld_article_dates(page: Page, kind: Kind) -> Iterator[str]:
    """Dates of the page's article objects (NewsArticle, BlogPosting...)."""
    for obj in page.articles_in_jsonld():
        yield from _jsonld_dates(obj, kind)


def jsonld_other_dates(page: Page, kind: Kind) -> Iterator[str]:
    """Dates of other objects about the page (WebPage...), not comments, events or offers."""
    for obj in page.jsonld:
        if not is_article_type(obj) and not FOREIGN_JSONLD_TYPES.intersection(jsonld_types(obj)):
            yield from _jsonld_dates(obj, kind)
