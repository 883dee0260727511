"""Date labels: which date a printed word names, in several languages, wherever it sits."""

from __future__ import annotations

import pytest

from parsers.extract.date_labels import LABEL, UPDATED_MARK, kind_inside, label_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Written By: Cazzy Magennis Last Updated: August 1, 2025", "updated"),
        ("Published: Jan 1, 2020 | Updated: Feb 2, 2021", "published"),
        ("(Re)Published: May 25, 2025", "published"),
        ("Originally Posted: June 1, 2021", "published"),
        ("Last edited by chunix64 (2025-11-01 15:15:18)", "updated"),
        ("最終更新日：2019年4月2日", "updated"),
        ("公開日 2019年2月13日", "published"),
        ("公開日2019年2月13日", "published"),
        ("Aggiornato il 3 marzo 2024", "updated"),
        ("By Jane Doe · Dec 12, 2025", None),
    ],
)
def test_the_last_label_before_the_date_decides(text: str, kind: str | None) -> None:
    assert kind_inside(text) == kind


def test_a_label_ending_the_text_before_a_date_element_counts() -> None:
    labels = list(LABEL.finditer("Updated"))
    assert len(labels) == 1 and label_kind(labels[0]) == "updated"


def test_words_merely_starting_like_a_label_are_not_labels() -> None:
    assert kind_inside("Updates from the front 2025") is None


@pytest.mark.parametrize(
    ("marks", "updated"),
    [
        ("field field--name-changed", True),
        ("block-field-blocknodeblogchanged", True),
        ("date-last-modify", True),
        ("exchanged-rates date", False),
        ("entry-date published", False),
    ],
)
def test_class_names_that_mark_an_update(marks: str, updated: bool) -> None:
    assert bool(UPDATED_MARK.search(marks)) is updated
