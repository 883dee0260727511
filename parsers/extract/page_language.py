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
    same language; else the site's; else the one the title's script gives away."""
    root = page.tree.root
    tags = [_tag(root.attributes.get("lang") if root is not None else None)]
    tags += [_tag(page.meta_first(name)) for name in META_LANGUAGE_NAMES]
    found = [tag for tag in tags if tag]
    if not found:
        if page.site is not None and page.site.language:
            return page.site.language
        return script_language(page.title_text)
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


def script_language(text: str) -> str | None:
    """The language a title's script gives away when the page declares none: kana is
    Japanese, Hangul Korean, Thai script Thai, and Han characters alone Chinese (whose
    publishers print in UTC+8, mainland, Taiwan and Hong Kong alike). Latin, Cyrillic and
    Arabic scripts are shared by too many languages, and countries, to say."""
    han = False
    for char in text:
        point = ord(char)
        if 0x3041 <= point <= 0x30FA:  # hiragana and katakana, not the shared "・" and "ー"
            return "ja"
        if 0xAC00 <= point <= 0xD7A3 or 0x1100 <= point <= 0x11FF:
            return "ko"
        if 0x0E00 <= point <= 0x0E7F:
            return "th"
        han = han or 0x4E00 <= point <= 0x9FFF
    return "zh" if han else None
