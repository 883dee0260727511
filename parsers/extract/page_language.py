"""The page's language tag as the date reader needs it: with its region when any
declaration gives one, since the region decides numeric date order ("12/03/2026" is
March 12th in en-GB and December 3rd in en-US).

Sites often write a bare `<html lang="en">` and name the region only in og:locale.
"""

from __future__ import annotations

from parsers.extract.page import Page

META_LANGUAGE_NAMES = ("content-language", "og:locale", "language")


def declared_language(page: Page) -> str | None:
    """The declared language (cheap look-ups only), refined by a regional declaration of the
    same language; else the site's."""
    root = page.tree.root
    tags = [_tag(root.attributes.get("lang") if root is not None else None)]
    tags += [_tag(page.meta_first(name)) for name in META_LANGUAGE_NAMES]
    found = [tag for tag in tags if tag]
    if not found:
        return page.site.language if page.site is not None else None
    first = found[0]
    if "-" in first:
        return first
    regional = (tag for tag in found[1:] if "-" in tag and _base(tag) == _base(first))
    return next(regional, first)


def _tag(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip().replace("_", "-").split(",")[0].strip() or None


def _base(tag: str) -> str:
    return tag.partition("-")[0].lower()
