"""The words a page prints next to a date to say which date it is, and class names that do.

Kept as data, per language: a label decides between published and updated, and the two are
never swapped, so a label vocabulary is the cheapest guard against reporting a revision as
the publication.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["published", "updated"]

# Words printed before a date (regex fragments, matched case-insensitively).
PUBLISHED_WORDS = (
    r"(?:first\s+|originally\s+|\(re\))?published(?:\s+on)?",
    r"posted(?:\s+on)?",
    r"date\s+(?:published|posted)",
    r"publi[ée]e?\s+le",
    r"publicado(?:\s+(?:el|em))?",
    r"pubblicato(?:\s+il)?",
    r"veröffentlicht(?:\s+am)?",
    r"gepubliceerd(?:\s+op)?",
    r"opublikowano",
    r"опубліковано",
    r"опубликовано",
    r"yayınlanma(?:\s+tarihi)?",
    r"公開日?",
    r"投稿日",
    r"配信日?",
    r"发布(?:时间|日期)?",
    r"發佈(?:時間|日期)?",
    r"입력",
)
UPDATED_WORDS = (
    r"(?:last\s*)?updated?(?:\s+on)?",
    r"(?:last\s+)?modified(?:\s+on)?",
    r"last\s+(?:edited|edit|revised|reviewed)(?:\s+on)?",
    r"mis\s+à\s+jour(?:\s+le)?",
    r"actualizado(?:\s+el)?",
    r"atualizado(?:\s+em)?",
    r"aggiornato(?:\s+il)?",
    r"aktualisiert(?:\s+am)?",
    r"bijgewerkt(?:\s+op)?",
    r"zaktualizowano",
    r"оновлено",
    r"обновлено",
    r"güncelleme(?:\s+tarihi)?",
    r"güncellendi",
    r"最終更新日?",
    r"更新日?",
    r"更新时间",
    r"수정",
)
# Labels naming the first publication of a story the page re-dates (printed before or after
# the date: "Originally published 3 May 2024", "3 May 2024 | Originally published").
ORIGINAL_LABEL = re.compile(
    r"\b(?:originally|first)\s+published\b|\bpubli[ée]e?\s+initialement\b"
    r"|\bursprünglich\s+veröffentlicht\b|\bpublicado\s+originalmente\b",
    re.I,
)
# A label ends where the date begins: at a space, a colon (also full-width), or a digit in
# languages that write none ("公開日2019年").
LABEL = re.compile(
    rf"(?:(?P<updated>{'|'.join(UPDATED_WORDS)})|(?P<published>{'|'.join(PUBLISHED_WORDS)}))"
    r"(?=[\s:：]|$|(?<=[^\x00-\u024f])\d)\s*[:：]?\s*",
    re.I,
)
# Class and id words of date elements.
PUBLISHED_MARK = re.compile(r"publish|pubdate|posted|post-date|postdate|entry-date|created", re.I)
UPDATED_MARK = re.compile(r"updat|modif|edited|revised|(?<!ex)changed", re.I)
DIGIT = re.compile(r"\d")


def label_kind(match: re.Match[str]) -> Kind:
    return "updated" if match["updated"] else "published"


def kind_inside(text: str) -> Kind | None:
    """The kind the last label before a text's first digit gives ("By Jo Last updated: May 1")."""
    first_digit = DIGIT.search(text)
    end = first_digit.start() if first_digit is not None else len(text)
    labels = [label for label in LABEL.finditer(text) if label.start() < end]
    return label_kind(labels[-1]) if labels else None
