"""Mojibake printed in the page is repaired in the record; correct text is left alone."""

from __future__ import annotations

import pytest

from parsers import parse
from parsers.mojibake import repair

URL = "https://www.example.com/guides/ownership"
PROSE = "The borrow checker makes sure every reference stays valid for as long as it is used."


def _page(headline: str, paragraph: str) -> str:
    return (
        f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
        f"<p>{paragraph} {PROSE}</p><p>{PROSE}</p></article></body></html>"
    )


def test_utf8_read_as_windows_1252_in_the_page_is_repaired() -> None:
    record = parse(_page("Rustâ€™s ownership", "Itâ€™s the â€œcoreâ€\x9d idea."), URL)
    assert record.headline == "Rust’s ownership"
    assert record.body[0].startswith("It’s the “core” idea.")


def test_windows_1252_quotes_read_as_latin_1_are_repaired() -> None:
    record = parse(_page("Reviews", "Isidro says: \x93I shopped around a lot.\x94"), URL)
    assert record.body[0].startswith("Isidro says: “I shopped around a lot.”")


@pytest.mark.parametrize(
    "text",
    [
        "Naïve café — “quoted” · 20 °C · «guillemets» · Ångström",
        "Минобороны Украины сообщило о поставках",
        "国防部发布新闻",
        "Ã la carte is not a word, but ÀÉÎ are letters",
    ],
)
def test_correct_text_is_left_alone(text: str) -> None:
    assert repair(text) == text
