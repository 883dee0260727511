"""Sections named after their heading: an id that is the heading's slug is an anchor.

Documentation generators and Markdown renderers give each section the slug of its heading
as id ("sharing-with-a-single-developer" for "Sharing with a single developer"), so an id
can hold a boilerplate word by accident; such a section is part of the article.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

HEADINGS = "h1, h2, h3, h4, h5, h6"
# Fewer words make a component's name as readily as a heading ("comments", "related-posts").
MIN_WORDS = 3
_NOT_SLUG = re.compile(r"[\W_]+")


def slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.casefold()).strip("-")


def is_heading_anchor(node: LexborNode) -> bool:
    """Whether the node's id is the slug of its first heading (a numbered suffix allowed),
    a phrase of at least MIN_WORDS words."""
    ident = slug(node.attributes.get("id") or "")
    if ident.count("-") < MIN_WORDS - 1:
        return False
    heading = node.css_first(HEADINGS)
    if heading is None:
        return False
    title = slug(heading.text(deep=True))
    return bool(title) and (ident == title or ident.startswith(f"{title}-"))
