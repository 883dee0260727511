"""Images with captions and credits (placeholder until the images cascade lands)."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from parsers.extract.page import Page
from parsers.record import Image


def find_images(page: Page, main: LexborNode | None) -> tuple[Image, ...]:
    return ()
