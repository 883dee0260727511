"""The article's images, each paired with the caption and credit printed beside it.

The lead image is the one the page declares (JSON-LD, og:image, twitter:image); its caption
is the figure that shows it, or the figure at the top of the article. Then come the images
of the main container in document order. One picture appears under many URLs (sizes, CDN
parameters, mobile and desktop copies), so images are merged on a size-free identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborNode

from parsers.extract.captions import (
    attribute_caption,
    clean_credit,
    host_caption,
    sibling_caption,
    split_credit,
    tidy_text,
)
from parsers.extract.image_urls import image_identity, largest_candidate, usable_url
from parsers.extract.page import JsonObject, Page
from parsers.extract.select import unique
from parsers.record import Image

LEAD_META_NAMES = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
# Lazy loaders keep the real picture in these; `src` is often a placeholder then. After
# them `src` (what the page shows), then the largest candidate of `srcset`.
LAZY_SRCSET_ATTRIBUTES = ("data-srcset", "data-lazy-srcset")
URL_ATTRIBUTES = (
    "data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src",
    "data-full-url", "datasrc", "src",
)  # fmt: skip
# Containers that hold one picture and its caption.
HOST_SELECTOR = "figure, .wp-caption, .wp-block-image"
PICTURE_SELECTOR = "img, picture, amp-img"
PICTURE_TAGS = frozenset({"img", "picture", "amp-img"})
# Where a figure drawn by script keeps its picture's address.
HOST_LINK_SELECTOR = (
    "[itemprop=contentUrl], [itemprop=url], [data-src], [data-srcset], [data-original], "
    "[data-lazy-src]"
)
HOST_LINK_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "content", "href", "src")
# Not article pictures (icons, avatars, logos), judged by the img's own labels.
SKIPPED_LABEL_WORDS = frozenset(
    {"avatar", "avatars", "icon", "icons", "favicon", "logo", "logos", "emoji", "gravatar",
     "spacer", "pixel", "sprite", "badge"}
)  # fmt: skip
MAX_DECORATION_ALT = 60  # an icon's alt is a word or two; a long alt is a description
_LABEL_WORD = re.compile(r"[a-z]+")
MIN_SIDE_PIXELS = 100
MAX_IMAGES = 60  # past this the container is a gallery or a listing: enough is read
MAX_SCANNED = 200
HERO_LEVELS = 3
HERO_SIBLINGS = 4
HERO_MAX_TEXT = 300
TOP_OF_MAIN_CHARS = 80


@dataclass
class _Found:
    """An image while it is being merged with its copies."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None
    source: LexborNode | None = None  # where it was found, to tell where it stands
    _identity: str | None = None

    @property
    def identity(self) -> str:
        if self._identity is None:
            self._identity = image_identity(self.url)
        return self._identity

    def merge(self, other: _Found) -> None:
        self.caption = self.caption or other.caption
        self.credit = self.credit or other.credit
        self.alt = self.alt or other.alt

    def to_image(self) -> Image:
        return Image(self.url, self.caption, self.credit, self.alt)


def find_images(page: Page, main: LexborNode | None) -> tuple[Image, ...]:
    """The lead image first (with its caption when shown), then the main container's images."""
    lead = _lead_image(page)
    in_main = _images_in(page, main) if main is not None else []
    hero = _hero_image(page, main) if main is not None else None
    found: list[_Found] = []
    if lead is not None:
        shown = next((image for image in in_main if image.identity == lead.identity), None)
        if hero is not None and (hero.identity == lead.identity or shown is None):
            shown, hero = hero, None
        elif shown is not None:
            in_main.remove(shown)
        elif _caption_at_top(in_main, main):
            shown = in_main.pop(0)
        if shown is not None:  # the page's own copy: its URL is the one readers see
            shown.merge(lead)
            lead = shown
        found.append(lead)
    if hero is not None:
        found.append(hero)
    found.extend(in_main)
    return tuple(image.to_image() for image in _deduplicate(found))


# --- the lead image --------------------------------------------------------------------------


def _lead_image(page: Page) -> _Found | None:
    for article in page.articles_in_jsonld():
        image = _jsonld_image(page, article.get("image"))
        if image is not None:
            return image
    for name in LEAD_META_NAMES:
        for value in page.meta.get(name, ()):
            url = usable_url(page, value)
            if url is not None:
                alt = page.meta_first(f"{name}:alt", "og:image:alt", "twitter:image:alt")
                return _Found(url, alt=alt)
    return None


def _jsonld_image(page: Page, value: Any) -> _Found | None:
    """JSON-LD `image` is a URL, an ImageObject, a reference to one, or a list of those."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        url = usable_url(page, value)
        return _Found(url) if url is not None else None
    if not isinstance(value, dict):
        return None
    value = _resolve_reference(page, value)
    link = value.get("url") or value.get("contentUrl")
    url = usable_url(page, link) if isinstance(link, str) else None
    if url is None:
        return None
    raw_caption = value.get("caption")
    caption, credit = split_credit(raw_caption if isinstance(raw_caption, str) else None)
    named_credit = value.get("creditText") or value.get("copyrightHolder")
    if isinstance(named_credit, str):
        credit = clean_credit(named_credit) or credit
    return _Found(url, caption, credit)


def _resolve_reference(page: Page, value: JsonObject) -> JsonObject:
    """Yoast points at "#primaryimage" by @id; the object itself sits in the @graph."""
    reference = value.get("@id")
    if reference is None or "url" in value or "contentUrl" in value:
        return value
    for obj in page.jsonld:
        if obj.get("@id") == reference:
            return obj
    return value


def _hero_image(page: Page, main: LexborNode) -> _Found | None:
    """The picture just above the body (the article's header): how the lead image is shown."""
    hero = _picture_before(main)
    if hero is None:
        return None
    if hero.tag not in PICTURE_TAGS:
        images = _images_of_host(page, hero, set())
        return images[0] if images else None
    image = _image_of_node(page, hero)
    if image is not None:
        caption, credit = sibling_caption(hero, main.parent or main)
        image.caption, image.credit = caption or image.caption, credit or image.credit
    return image


def _caption_at_top(in_main: list[_Found], main: LexborNode | None) -> bool:
    """The first picture of main, captioned, with at most a few words above it."""
    if not in_main or main is None:
        return False
    first = in_main[0]
    if first.source is None or not (first.caption or first.credit):
        return False
    return _text_before(first.source, main) <= TOP_OF_MAIN_CHARS


def _picture_before(main: LexborNode) -> LexborNode | None:
    """The nearest figure (else picture) above the body, inside the article, if there is one."""
    node: LexborNode | None = main
    for _ in range(HERO_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None
        sibling = node.prev
        seen = 0
        while sibling is not None and seen < HERO_SIBLINGS:
            if sibling.is_element_node:
                seen += 1
                found = sibling.css(HOST_SELECTOR) or sibling.css(PICTURE_SELECTOR)
                if found:  # lexbor's css() includes the node itself
                    return found[-1]
                if len(sibling.text(deep=True).strip()) > HERO_MAX_TEXT:
                    return None
            sibling = sibling.prev
        if node.tag == "article":
            return None
        node = node.parent
    return None


def _text_before(node: LexborNode, main: LexborNode) -> int:
    """Characters of main's text that come before node (counting stops past the limit)."""
    total = 0
    current: LexborNode | None = node
    while current is not None and current.mem_id != main.mem_id:
        sibling = current.prev
        while sibling is not None and total <= TOP_OF_MAIN_CHARS:
            total += len((sibling.text(deep=True) or "").strip())
            sibling = sibling.prev
        current = current.parent
    return total


# --- images of the main container ------------------------------------------------------------


def _images_in(page: Page, main: LexborNode) -> list[_Found]:
    """Figures and loose pictures in document order; a figure speaks for the pictures in it."""
    found: list[_Found] = []
    consumed: set[int] = set()
    for node in unique(main.css(f"{HOST_SELECTOR}, {PICTURE_SELECTOR}"))[:MAX_SCANNED]:
        if len(found) >= MAX_IMAGES:
            break
        if node.mem_id in consumed:
            continue
        if node.tag not in PICTURE_TAGS:
            if len(node.css(HOST_SELECTOR)) == 1:  # a figure of figures is read figure by figure
                found.extend(_images_of_host(page, node, consumed))
            continue
        if node.tag != "img" and node.css_first("img") is not None:
            continue  # its img speaks for it
        image = _image_of_node(page, node)
        if image is not None:
            caption, credit = sibling_caption(node, main)
            image.caption = caption or image.caption
            image.credit = credit or image.credit
            found.append(image)
    return found


def _images_of_host(page: Page, host: LexborNode, consumed: set[int]) -> list[_Found]:
    """The pictures of one figure; its caption goes to the first of them."""
    images: list[_Found] = []
    for node in host.css(PICTURE_SELECTOR):
        consumed.add(node.mem_id)
        if node.tag != "img" and node.css_first("img") is not None:
            continue
        image = _image_of_node(page, node)
        if image is not None:
            images.append(image)
    if not images:
        url = usable_url(page, _host_link(host))
        if url is None:
            return []
        images.append(_Found(url, source=host))
    caption, credit = host_caption(host)
    images[0].caption = caption or images[0].caption
    images[0].credit = credit or images[0].credit
    return images


def _host_link(host: LexborNode) -> str | None:
    """A figure whose picture is drawn by script still names it in microdata or data-*."""
    attributes = host.attributes
    if "imageobject" in (attributes.get("itemtype") or "").lower() and attributes.get("itemid"):
        return attributes["itemid"]
    for node in host.css(HOST_LINK_SELECTOR):
        node_attributes = node.attributes
        link = largest_candidate(node_attributes.get("data-srcset"))
        for name in HOST_LINK_ATTRIBUTES:
            link = link or node_attributes.get(name)
        if link:
            return link
    return None


def _image_of_node(page: Page, node: LexborNode) -> _Found | None:
    attributes = node.attributes
    if _is_decoration(attributes):
        return None
    links = (usable_url(page, link) for link in _picture_links(node, attributes))
    url = next((link for link in links if link is not None), None)
    if url is None:
        return None
    caption, credit = attribute_caption(node)
    alt = tidy_text(attributes.get("alt")) or None
    return _Found(url, caption, credit, alt, source=node)


def _picture_links(node: LexborNode, attributes: dict[str, str | None]) -> Iterator[str | None]:
    """An img's possible URLs, best first: lazy-load sources, src, then the largest srcset."""
    for name in LAZY_SRCSET_ATTRIBUTES:
        yield largest_candidate(attributes.get(name))
    for name in URL_ATTRIBUTES:
        yield attributes.get(name)
    yield largest_candidate(attributes.get("srcset"))
    picture = node if node.tag == "picture" else node.parent
    if picture is not None and picture.tag == "picture":
        for source in picture.css("source"):
            yield largest_candidate(source.attributes.get("srcset"))


def _is_decoration(attributes: dict[str, str | None]) -> bool:
    """Icons, avatars, logos and tracking pixels, judged by the img's own attributes."""
    alt = attributes.get("alt") or ""
    label = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
    if len(alt) <= MAX_DECORATION_ALT:
        label = f"{label} {alt}"
    if not SKIPPED_LABEL_WORDS.isdisjoint(_LABEL_WORD.findall(label.lower())):
        return True
    # 0 and junk mean unknown: some CMSs write height="0".
    sides = [
        (attributes.get(name) or "").strip().removesuffix("px") for name in ("width", "height")
    ]
    return any(side.isdigit() and 0 < int(side) < MIN_SIDE_PIXELS for side in sides)


def _deduplicate(found: list[_Found]) -> list[_Found]:
    kept: dict[str, _Found] = {}
    for image in found:
        first = kept.get(image.identity)
        if first is None:
            kept[image.identity] = image
        else:
            first.merge(image)
    return list(kept.values())
