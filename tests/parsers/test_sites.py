"""The site layer: every site parser has a golden page, every golden page routes to its parser,
and a site class's facts and selectors do what its docstring says."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parsers import GenericExtractor, SiteConfig, get_parser, parse
from parsers.registry import registered_sites
from parsers.site_parser import SiteParser
from parsers.urls import site_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SITE_PARSER_HOSTS = ("rnamedia.in", "mil.gov.ua", "centcom.mil")


def _fixture_urls() -> list[tuple[Path, str]]:
    return [
        (spec, json.loads(spec.read_text(encoding="utf-8"))["url"])
        for spec in sorted(FIXTURES.glob("*/*.json"))
    ]


def test_the_project_registers_its_site_parsers() -> None:
    assert set(SITE_PARSER_HOSTS) <= set(registered_sites())


@pytest.mark.parametrize("host", sorted(registered_sites()))
def test_every_registered_parser_has_a_golden_page(host: str) -> None:
    assert sorted((FIXTURES / host).glob("*.json")), f"no fixture under tests/fixtures/{host}/"


@pytest.mark.parametrize(
    ("spec", "url"), _fixture_urls(), ids=lambda value: getattr(value, "stem", "")
)
def test_every_golden_page_routes_to_its_sites_parser(spec: Path, url: str) -> None:
    host = spec.parent.name
    assert site_of(url) == host, "a fixture lives in the folder of its URL's site"
    expected = registered_sites().get(host, GenericExtractor)
    assert type(get_parser(url)) is expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.mil.gov.ua/news/2025/11/20/x/",
        "https://m.rnamedia.in/some-story/",
        "https://amp.rnamedia.in/some-story/amp/",
        "https://WWW.CENTCOM.MIL/en/news/press-releases/x",
    ],
)
def test_www_mobile_and_amp_hosts_fold_to_the_site_parser(url: str) -> None:
    assert isinstance(get_parser(url), SiteParser)


def test_site_facts_apply_where_the_caller_gives_none() -> None:
    parser = get_parser("https://www.mil.gov.ua/news/x")
    assert parser.site_config(None) == SiteConfig(timezone="Europe/Kyiv", language="uk")


def test_callers_facts_override_the_classes_field_by_field() -> None:
    parser = get_parser("https://www.mil.gov.ua/news/x")
    merged = parser.site_config(SiteConfig(language="en"))
    assert merged == SiteConfig(timezone="Europe/Kyiv", language="en")


def test_generic_parser_passes_the_callers_facts_through() -> None:
    given = SiteConfig(timezone="Europe/Paris")
    assert GenericExtractor().site_config(given) is given
    assert GenericExtractor().site_config(None) is None


MIL_PAGE = """<html><body><h1>Заголовок новини про оборону країни</h1>
<div class="aticle-date">{date}</div>
<div id="aticle-content"><p>{text}</p><p>{text}</p></div></body></html>"""


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("20 листопада 2025, 14:35", "2025-11-20T14:35:00+02:00"),
        ("15 липня 2025, 09:05", "2025-07-15T09:05:00+03:00"),  # summer time in Kyiv
    ],
)
def test_mil_gov_ua_reads_its_printed_time_as_kyiv_time(printed: str, expected: str) -> None:
    text = "Міністерство оборони України повідомило про нові поставки техніки. " * 5
    html = MIL_PAGE.format(date=printed, text=text)
    record = parse(html, "https://www.mil.gov.ua/news/2025/x/", datetime(2025, 12, 1, tzinfo=UTC))
    assert record.published_at is not None
    assert record.published_at.isoformat() == expected
    assert record.parser.name == "mil.gov.ua"


RNA_PAGE = """<html lang="en-US"><head>
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Drone plant",
 "datePublished": "2025-12-06T09:24:00+00:00", "dateModified": "2025-12-08T06:00:00+00:00"}}
</script></head><body><article><h1>Drone plant</h1>
<ul><li>Published <time class="entry-date published">December 6, 2025 2:54 pm</time></li>
{updated}</ul><p>{text}</p><p>{text}</p></article></body></html>"""


def _rna(updated: str) -> tuple[datetime | None, str | None, datetime | None, str | None]:
    text = "Turkey plans to assemble combat drones in Pakistan, officials said. " * 4
    html = RNA_PAGE.format(updated=updated, text=text)
    record = parse(html, "https://rnamedia.in/drone-plant/", datetime(2025, 12, 9, tzinfo=UTC))
    return (
        record.published_at,
        record.published_precision,
        record.updated_at,
        record.updated_precision,
    )


def test_rnamedia_prefers_its_printed_dates_with_their_own_precision() -> None:
    published, published_precision, updated, updated_precision = _rna(
        '<li>Last Updated <time class="updated">December 7, 2025</time></li>'
    )
    assert published is not None and published.isoformat() == "2025-12-06T14:54:00+05:30"
    assert published_precision == "minute"
    assert updated is not None and updated.isoformat() == "2025-12-07T00:00:00+05:30"
    assert updated_precision == "day"


def test_rnamedia_falls_back_to_the_cascade_when_its_selector_finds_nothing() -> None:
    """A layout change degrades the field to the generic reading instead of emptying it."""
    _, _, updated, updated_precision = _rna("")
    assert updated is not None
    assert updated == datetime(2025, 12, 8, 6, 0, tzinfo=UTC)
    assert updated_precision == "second"


class _SelectorSite(SiteParser):
    name = "selector-site"
    facts = SiteConfig(timezone="Europe/Paris", language="fr", date_formats=("%d/%m/%Y %Hh%M",))
    headline_selector = ".titre-principal"
    author_selector = ".signature"
    section_selector = ".rubrique"
    published_selector = ".publie"


SELECTOR_PAGE = """<html><body><h1>Navigation</h1><p class="rubrique">Marine</p>
<h2 class="titre-principal">La frégate rejoint Toulon</h2>
<span class="signature">Par Jean Dupont</span><span class="publie">03/03/2025 14h05</span>
<article><p>{text}</p><p>{text}</p></article></body></html>"""


def test_selectors_and_printed_formats_read_the_sites_own_markup() -> None:
    from parsers.extract.page import Page

    text = "La frégate a rejoint son port d'attache après trois mois en mer. " * 4
    page = Page.from_html(
        SELECTOR_PAGE.format(text=text),
        "https://selector.example/a",
        datetime(2025, 3, 4, tzinfo=UTC),
        _SelectorSite().site_config(None),
    )
    record = _SelectorSite().extract(page)
    assert record.headline == "La frégate rejoint Toulon"
    assert record.authors == ("Jean Dupont",)
    assert record.section == "Marine"
    assert record.published_at is not None
    assert record.published_at.isoformat() == "2025-03-03T14:05:00+01:00"
    assert record.published_precision == "minute"
