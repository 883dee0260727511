"""Bytes to text for saved pages: BOM, declared charset, meta charset, then detection."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.decoding import decode_html

TEXT = "<p>Café “quoted” — €5</p>"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_decides_the_encoding_and_is_removed(bom: bytes, encoding: str) -> None:
    assert decode_html(bom + TEXT.encode(encoding)) == TEXT


def test_bom_wins_over_a_contradicting_meta_charset() -> None:
    page = '<meta charset="windows-1251">' + TEXT
    assert decode_html(codecs.BOM_UTF8 + page.encode("utf-8")) == page


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1251">',
        "<meta charset=windows-1251>",
        "<META CHARSET='Windows-1251'>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    ],
)
def test_meta_charset_is_read(meta: str) -> None:
    page = f"<html><head>{meta}</head><body><p>Привет, мир</p></body></html>"
    assert decode_html(page.encode("cp1251")) == page


def test_declared_charset_wins_over_the_meta_charset() -> None:
    page = '<meta charset="utf-8"><p>Привет</p>'
    assert decode_html(page.encode("koi8-r"), declared="koi8-r") == page


def test_unknown_declared_charset_falls_back_to_the_meta_charset() -> None:
    page = '<meta charset="windows-1251"><p>Привет</p>'
    assert decode_html(page.encode("cp1251"), declared="no-such-charset") == page


@pytest.mark.parametrize("declared", ["iso-8859-1", "latin-1", "ISO_8859-1", "us-ascii"])
def test_latin1_and_ascii_declarations_decode_as_windows_1252(declared: str) -> None:
    # 0x93/0x94 are curly quotes in windows-1252 and invisible C1 controls in latin-1.
    data = b"<p>\x93Ready\x94 \x96 caf\xe9 \x80</p>"
    assert decode_html(data, declared=declared) == "<p>“Ready” – café €</p>"


def test_latin1_meta_charset_decodes_as_windows_1252() -> None:
    data = b'<meta charset="ISO-8859-1"><p>\x93Ready\x94</p>'
    assert decode_html(data) == '<meta charset="ISO-8859-1"><p>“Ready”</p>'


def test_undeclared_utf8_is_read_as_utf8() -> None:
    page = "<html><body><p>Café déjà vu – naïve</p></body></html>"
    assert decode_html(page.encode("utf-8")) == page


def test_bytes_wrong_for_the_declared_charset_become_replacement_characters() -> None:
    assert decode_html(b'<meta charset="utf-8"><p>ok \xff\xfe</p>').endswith("ok \ufffd\ufffd</p>")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        b"\x00" * 64,
        bytes(range(256)) * 8,
        b"\xff\xfe\xfd" * 1000,
        b"<meta charset=''><p>\x81\x8d\x8f\x90\x9d</p>",
        b'<meta charset="x-user-defined"><p>\xc3\x28</p>',
    ],
)
def test_undetectable_bytes_give_text_without_raising(data: bytes) -> None:
    assert isinstance(decode_html(data), str)


def test_declared_charset_with_a_nul_is_ignored() -> None:
    assert decode_html(b"<p>caf\xc3\xa9</p>", declared="utf\x00-8") == "<p>café</p>"


DECLARED = st.sampled_from(
    [None, "", "utf-8", "windows-1252", "shift_jis", "utf-16", "gb18030", "no-such", "utf\x00-8"]
)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000), declared=DECLARED)
def test_decoding_never_raises(data: bytes, declared: str | None) -> None:
    assert isinstance(decode_html(data, declared=declared), str)


@pytest.mark.parametrize("charset", ["base64", "rot13", "hex", "idna", "undefined"])
def test_a_meta_charset_naming_a_non_text_codec_is_ignored(charset: str) -> None:
    page = f'<meta charset="{charset}"><p>Navy buys frigates</p>'
    assert decode_html(page.encode("utf-8")) == page


def test_a_meta_charset_of_punycode_does_not_empty_the_page() -> None:
    page = '<meta charset="punycode"><p>Navy buys frigates</p>'
    assert decode_html(page.encode("utf-8")) == page


def test_meta_utf16_on_ascii_compatible_bytes_is_read_as_utf8() -> None:
    page = '<meta charset="utf-16"><p>Navy buys frigates</p>'
    assert decode_html(page.encode("utf-8")) == page


def test_undeclared_windows_1252_keeps_curly_quotes() -> None:
    page = (
        "<html><body><p>The minister said “we will buy the jets” — and the deal, worth €2bn, "
        "was signed on Monday. It’s the largest order this year.</p></body></html>"
    )
    assert decode_html(page.encode("cp1252")) == page


UNDECLARED = [
    ("Le ministre a déclaré que la flotte sera renforcée. L’armée a reçu ses avions.", "cp1252"),
    ("El ministro señaló que la Armada recibirá más buques. Costará millones.", "cp1252"),
    ("Zażółć gęślą jaźń — ministerstwo obrony podpisało umowę na dostawę śmigłowców.", "cp1250"),
    ("Министерство обороны подписало контракт на поставку новых вертолётов для армии.", "cp1251"),
    ("Министерство обороны подписало контракт на поставку новых вертолётов для армии.", "koi8_r"),
    ("Ο υπουργός άμυνας υπέγραψε τη σύμβαση για τα νέα πλοία του πολεμικού ναυτικού.", "cp1253"),
    ("Savunma Bakanlığı yeni helikopterlerin alımı için sözleşme imzaladı.", "cp1254"),
    ("国防部今天宣布了新的采购计划，包括舰艇和飞机。该计划将在明年开始实施。", "gb18030"),
    ("防衛省は本日、新しい調達計画を発表しました。来年から実施される予定です。", "shift_jis"),
    ("국방부는 오늘 새로운 조달 계획을 발표했습니다. 내년부터 시행될 예정입니다.", "euc_kr"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "encoding"), UNDECLARED)
def test_undeclared_pages_in_other_languages_keep_their_encoding(text: str, encoding: str) -> None:
    """Leaning to windows-1252 must not take pages that read cleanly only in their own."""
    page = f"<html><head><title>x</title></head><body><p>{text}</p></body></html>"
    assert decode_html(page.encode(encoding)) == page
