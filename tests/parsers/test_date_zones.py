"""likely_zone: the zone guessed from a page's domain and language (declared, or given away
by its title's script), or none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers import parse
from parsers.extract.date_zones import likely_printed_zone, likely_zone
from parsers.extract.page_language import script_language


@pytest.mark.parametrize(
    ("host", "language", "zone"),
    [
        ("www.lemonde.fr", None, "Europe/Paris"),
        ("news.example.co.uk", "en-US", "Europe/London"),  # the domain says more than the tag
        ("news.example.com", "en-GB", "Europe/London"),
        ("news.example.com", "ja", "Asia/Tokyo"),
        ("news.example.com", "pt_BR", "America/Sao_Paulo"),
        ("news.example.com", "de-DE", "Europe/Berlin"),
    ],
)
def test_domain_then_region_then_language(host: str, language: str | None, zone: str) -> None:
    found = likely_zone(host, language)
    assert found is not None
    assert found.key == zone


@pytest.mark.parametrize(
    ("host", "language"),
    [("news.example.com", "en"), ("startup.io", None), ("news.example.com", None), ("", "xx")],
)
def test_no_guess_without_a_telling_domain_or_language(host: str, language: str | None) -> None:
    assert likely_zone(host, language) is None


@pytest.mark.parametrize(
    ("host", "language", "zone"),
    [
        ("news.example.com", "en", "America/New_York"),  # English on a generic domain
        ("news.example.com", "en-GB", "Europe/London"),  # the region says more
        ("www.lemonde.fr", "en", "Europe/Paris"),  # the country domain says more
        ("startup.io", "en", None),  # two letters: a country's domain, even a vanity one
        ("news.example.com", None, None),
        ("news.example.com", "sw", None),
    ],
)
def test_printed_clocks_of_english_pages_on_generic_domains(
    host: str, language: str | None, zone: str | None
) -> None:
    found = likely_printed_zone(host, language)
    assert (found.key if found is not None else None) == zone


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("PHPの新機能まとめ", "ja"),  # kana, even beside Han characters
        ("한국 국방부 발표", "ko"),
        ("ข่าวกลาโหม", "th"),
        ("国防部新闻发布会", "zh"),  # Han alone
        ("习近平・讲话", "zh"),  # a middle dot Chinese shares with Japanese
        ("Defence news", None),
        ("Новини оборони", None),  # Cyrillic: Ukrainian, Russian, Bulgarian...
        ("", None),
    ],
)
def test_the_title_script_gives_the_language(title: str, language: str | None) -> None:
    assert script_language(title) == language


def test_an_undeclared_japanese_page_prints_tokyo_time() -> None:
    html = (
        "<html><head><title>PHPの新機能まとめ</title></head><body><article>"
        "<h1>PHPの新機能まとめ</h1><p>2019年4月4日 09:00</p>"
        f"<p>{'新しいバージョンが公開されました。' * 20}</p></article></body></html>"
    )
    record = parse(html, "https://www.example.org/archives/1.html")
    assert record.published_at == datetime(2019, 4, 4, 0, 0, tzinfo=UTC)


def test_a_declared_language_wins_over_the_title_script() -> None:
    html = (
        '<html lang="en"><head><title>東京 report</title></head><body><article>'
        "<h1>東京 report</h1><p>April 4, 2019 09:00</p>"
        f"<p>{'The ministry published the figures on Thursday. ' * 20}</p></article></body></html>"
    )
    record = parse(html, "https://www.example.org/archives/1.html")
    assert record.published_at == datetime(2019, 4, 4, 13, 0, tzinfo=UTC)  # New York
