"""Mojibake: text whose UTF-8 bytes were once read as windows-1252 or Latin-1, printed in
the page itself ("Rustâ€™s", "Â© 2024"). No decoding of the page's bytes can undo it;
ftfy recognises the sequences and reverses them.

ftfy's own test reads every character of the text, so a page is first searched for the
marks such text nearly always carries ("â€" of curly punctuation, "Ã"/"Â" of accented
letters and symbols, emoji's "ð\x9f", C1 quotes and dashes), each a fast substring search;
only then is each field matched against the shapes mojibake can take.
"""

from __future__ import annotations

import re
from dataclasses import replace

import ftfy

from parsers.record import ArticleRecord, Image

# Continuation bytes 0x80-0xBF as Latin-1 reads them, and 0x80-0x9F as windows-1252 does.
_CONTINUATION = "\x80-\xbf" + re.escape(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore"))
SUSPECT = re.compile(f"[\xc2-\xf4][{_CONTINUATION}]|[\x80-\x9f]")
MARKS = ("â€", "Ã", "Â", "ð\x9f", "ðŸ", "\x80", "\x92", "\x93", "\x94", "\x96", "\x97")


def repair_record(record: ArticleRecord) -> ArticleRecord:
    """The record with its text fields repaired; the same record when none looks broken."""
    text = "\n".join(_texts(record))
    if not any(mark in text for mark in MARKS) or SUSPECT.search(text) is None:
        return record
    return replace(
        record,
        headline=_optional(record.headline),
        standfirst=_optional(record.standfirst),
        authors=tuple(map(repair, record.authors)),
        section=_optional(record.section),
        tags=tuple(map(repair, record.tags)),
        body=tuple(map(repair, record.body)),
        images=tuple(map(_image, record.images)),
    )


def repair(text: str) -> str:
    return ftfy.fix_encoding(text) if SUSPECT.search(text) else text


def _optional(text: str | None) -> str | None:
    return repair(text) if text else text


def _image(image: Image) -> Image:
    return replace(
        image,
        caption=_optional(image.caption),
        credit=_optional(image.credit),
        alt=_optional(image.alt),
    )


def _texts(record: ArticleRecord) -> list[str]:
    texts = [record.headline or "", record.standfirst or "", record.section or ""]
    texts += [*record.authors, *record.tags, *record.body]
    for image in record.images:
        texts += [image.caption or "", image.credit or "", image.alt or ""]
    return texts
