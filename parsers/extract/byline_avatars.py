"""The author's avatar and name printed side by side near the headline, with no class to say so.

Utility-class themes ("flex items-center", "w-12 h-12 rounded-full") print a byline as a
small round photo whose alt text is the author's name, next to the same name in plain text.
The photo is what marks it: the alt text alone could be anyone pictured, and the name alone
any line; together, with the photo cut round as avatars are, they are the byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborNode

from parsers.extract.author_names import clean_author_names, fold_name
from parsers.extract.byline_markup import BylineMarkup, headline_blocks, text_lines
from parsers.extract.page import clean_text

# How far above the headline the search reaches, and how many images it looks at.
AVATAR_LEVELS = 3
MAX_IMAGES = 12
# A byline photo is round, or its class says it is an avatar ("rounded-xl" is an app icon).
AVATAR_CLASS = re.compile(r"avatar|rounded-full|circle", re.IGNORECASE)
# The printed name sits beside the photo: in the elements that follow it, this far up.
NAME_LEVELS = 2
MAX_NAME_ELEMENTS = 3


def avatar_names(markup: BylineMarkup) -> Iterator[list[str]]:
    """The first avatar near the headline whose alt text is printed beside it as a name
    (outside comments, reviews and teasers)."""
    blocks = headline_blocks(markup.headline(), AVATAR_LEVELS)
    if not blocks:
        return
    for image in blocks[-1].css("img[alt]")[:MAX_IMAGES]:
        name = clean_text(image.attributes.get("alt") or "")
        if not name or not _is_avatar(image) or markup.is_foreign(image):
            continue
        found = clean_author_names([name])
        if len(found) == 1 and " " in found[0] and _printed_beside(image, found[0]):
            yield [found[0]]
            return


def _is_avatar(image: LexborNode) -> bool:
    return bool(AVATAR_CLASS.search(image.attributes.get("class") or ""))


def _printed_beside(image: LexborNode, name: str) -> bool:
    """The name is the text of an element following the photo (or its link or wrapper)."""
    wanted, anchor = fold_name(name), image
    for _ in range(NAME_LEVELS):
        sibling, seen = anchor.next, 0
        while sibling is not None and seen < MAX_NAME_ELEMENTS:
            if not (sibling.tag or "-").startswith("-"):  # "-text", "-comment"
                seen += 1
                if _opens_with(sibling, wanted):
                    return True
            sibling = sibling.next
        if anchor.parent is None:
            return False
        anchor = anchor.parent
    return False


def _opens_with(node: LexborNode, wanted: str) -> bool:
    lines = text_lines(node)
    return bool(lines) and fold_name(lines[0]) == wanted
