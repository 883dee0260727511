"""Caption and credit splitting, from text and from the elements around a picture."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.extract.captions import (
    clean_credit,
    host_caption,
    sibling_caption,
    split_credit,
    tidy_text,
)


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        (
            "Turkey plans to set up a facility in Pakistan to assemble combat drones, part of "
            "Ankara’s drive to boost its global defense industry. Image courtesy: AI-generated "
            "picture via Sora",
            "Turkey plans to set up a facility in Pakistan to assemble combat drones, part of "
            "Ankara’s drive to boost its global defense industry.",
            "AI-generated picture via Sora",
        ),
        ("A howitzer in action. Photo: Jane Doe", "A howitzer in action.", "Jane Doe"),
        ("A howitzer in action. Photo by Jane Doe", "A howitzer in action.", "Jane Doe"),
        ("The launch (Photo by John Smith/AFP)", "The launch", "John Smith/AFP"),
        ("Sailors on deck. Credit: US Navy", "Sailors on deck.", "US Navy"),
        ("A radar. Image: Thales", "A radar.", "Thales"),
        ("Defence exports by year. Source: SIPRI", "Defence exports by year.", "SIPRI"),
        ("The ship at sea © Jane Doe", "The ship at sea", "Jane Doe"),
        (
            "A drone, seen in 2023. John Doe/Getty Images",
            "A drone, seen in 2023.",
            "John Doe/Getty Images",
        ),
        ("Workers remove a sign in 1989. (AP)", "Workers remove a sign in 1989.", "AP"),
        ("Танк на полігоні. Фото: Міноборони", "Танк на полігоні.", "Міноборони"),
        ("Испытания ракеты. Фото: Минобороны России", "Испытания ракеты.", "Минобороны России"),
        ("The test lab | photo by Joan Bardeletti", "The test lab", "Joan Bardeletti"),
        ("Fernando, AKA DoctorX. Photo: Joseph Cox", "Fernando, AKA DoctorX.", "Joseph Cox"),
        ("Sailors on deck (U.S. Navy photo)", "Sailors on deck", "U.S. Navy"),
        ("Un radar lors d’essais. Crédit photo : DGA", "Un radar lors d’essais.", "DGA"),
        ("İskelede dört araç. Fotoğraf: AA", "İskelede dört araç.", "AA"),
        ("A rocket on the pad. Courtesy of NASA", "A rocket on the pad.", "NASA"),
        ("Credit Ashraf Shazly/Agence France-Presse", None, "Ashraf Shazly/Agence France-Presse"),
        ("Photo: Joseph Cox", None, "Joseph Cox"),
        ("Devindra Hardawar/AOL", None, "Devindra Hardawar/AOL"),
    ],
)
def test_credit_is_split_off_the_end_of_a_caption(
    text: str, caption: str | None, credit: str | None
) -> None:
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize(
    "text",
    [
        "The photo: a reminder of the war, shown at the museum",
        "A soldier. Photo: Ukrainian troops fire a howitzer near Bakhmut.",
        "The minister (left) meets the general (right)",
        "Before/After",
        "Memory leak in action",
        "Source code of the firmware was leaked last year",
        "Credit card fraud rises in the capital",
    ],
)
def test_captions_without_a_credit_are_kept_whole(text: str) -> None:
    assert split_credit(text) == (text, None)


@pytest.mark.parametrize("text", [None, "", "   ", "Credit", "Photo:", "©"])
def test_empty_or_label_only_captions_give_nothing(text: str | None) -> None:
    assert split_credit(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("(Bild: Hersteller)", "Hersteller"),
        ("Credit Credit Chang W. Lee/The New York Times", "Chang W. Lee/The New York Times"),
        ("Photo by James Martin/CNET ", "James Martin/CNET"),
        (
            "Atomic Taco via Wikimedia Commons (license)",
            "Atomic Taco via Wikimedia Commons (license)",
        ),
        ("Credit", None),
        ("", None),
    ],
)
def test_clean_credit_drops_labels_and_wrapping_brackets(text: str, credit: str | None) -> None:
    assert clean_credit(text) == credit


def test_tidy_text_folds_space_and_undoes_separator_spaces() -> None:
    assert tidy_text(" The \u00a0 Titanic ’s\u200b hull ( 1912 ) , seen “ here ” . ") == (
        "The Titanic’s hull (1912), seen “here”."
    )


def _first(html: str, selector: str) -> tuple[str | None, str | None]:
    tree = LexborHTMLParser(html)
    node = tree.css_first(selector)
    assert node is not None
    if selector == "img":
        body = tree.body
        assert body is not None
        return sibling_caption(node, body)
    return host_caption(node)


def test_host_caption_reads_figcaption_and_its_credit_element() -> None:
    html = """<figure><img src="a.jpg"><figcaption>Can you spot it?<br>
      <small>Photo by <a href="/u">Ricardo Gomez</a></small></figcaption></figure>"""
    assert _first(html, "figure") == ("Can you spot it?", "Ricardo Gomez")


def test_host_caption_skips_caption_classed_wrappers_of_the_picture() -> None:
    html = """<figure><div class="caption-wrap"><img src="a.jpg"></div>
      <div class="image-caption">The real caption</div></figure>"""
    assert _first(html, "figure") == ("The real caption", None)


def test_host_caption_finds_a_credit_outside_the_caption() -> None:
    html = """<figure><img src="a.jpg"><figcaption>A missile launch.</figcaption>
      <span class="photo-credit">MoD</span></figure>"""
    assert _first(html, "figure") == ("A missile launch.", "MoD")


def test_host_without_caption_gives_nothing() -> None:
    assert _first('<figure><img src="a.jpg"></figure><p>Next paragraph.</p>', "figure") == (
        None,
        None,
    )


def test_sibling_caption_needs_a_caption_class_right_after_the_picture() -> None:
    captioned = '<div><img src="a.jpg"><br><span class="media-caption">A jet.</span></div>'
    plain = '<div><img src="a.jpg"><p>Just the next paragraph.</p></div>'
    assert _first(captioned, "img") == ("A jet.", None)
    assert _first(plain, "img") == (None, None)
