"""Byline strings to clean author names: prefixes, roles, dates and joiners are not names."""

from __future__ import annotations

import pytest

from parsers.extract.author_names import clean_author_names, looks_like_name, split_byline


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", ("Jane Doe",)),
        ("Written by: Jane Doe", ("Jane Doe",)),
        ("Posted by Jane Doe", ("Jane Doe",)),
        ("Par Jeanne Dupont", ("Jeanne Dupont",)),
        ("Von Anna Müller", ("Anna Müller",)),
        ("Автор: Іван Петренко", ("Іван Петренко",)),
        ("Posted on March 3, 2024 by Jane Doe", ("Jane Doe",)),
    ],
)
def test_byline_prefixes_are_stripped(raw: str, expected: tuple[str, ...]) -> None:
    assert clean_author_names([raw]) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("David Smith at", "David Smith"), ("王小明 發表在", "王小明"), ("李华 发表于", "李华")],
)
def test_a_trailing_connector_is_not_part_of_the_name(raw: str, expected: str) -> None:
    assert clean_author_names([raw]) == (expected,)


def test_a_surname_particle_is_not_taken_for_a_prefix() -> None:
    assert clean_author_names(["Daniel D. Von Hoff"]) == ("Daniel D. Von Hoff",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("Jane Doe, John Roe & Max Poe", ("Jane Doe", "John Roe", "Max Poe")),
        ("Anna Müller und Peter Schmidt", ("Anna Müller", "Peter Schmidt")),
        ("Jeanne Dupont et Marie Curie", ("Jeanne Dupont", "Marie Curie")),
        ("Jane Doe, John Roe, and Max Poe", ("Jane Doe", "John Roe", "Max Poe")),
    ],
)
def test_several_authors_are_split(raw: str, expected: tuple[str, ...]) -> None:
    assert clean_author_names([raw]) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Doe, Staff Writer", "Jane Doe"),
        ("Jane Doe | Senior Correspondent", "Jane Doe"),
        ("Jane Doe | Reuters", "Jane Doe"),
        ("Jane Doe, Contributor", "Jane Doe"),
        ("Jane Doe for The Times", "Jane Doe"),
        ("Jane Doe Staff Writer", "Jane Doe"),
        ("Senior staff writer Jane Doe", "Jane Doe"),
        ("Jane Doe, MD, PhD", "Jane Doe"),
        ("Jane Doe, Shipping Expert", "Jane Doe"),
        ("Jane Doe | May 2, 2024", "Jane Doe"),
        ("Jane Doe (jane@example.com)", "Jane Doe"),
        ("Jane Doe https://example.com/jane", "Jane Doe"),
    ],
)
def test_roles_credentials_dates_and_contacts_are_stripped(raw: str, expected: str) -> None:
    assert clean_author_names([raw]) == (expected,)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Brett Cruz, Privacy and Digital Security Expert", ("Brett Cruz",)),
        ("Nicole Forbes, Master Horticulturalist & Garden Educator", ("Nicole Forbes",)),
        ("Jane Doe, Marketing Director and John Roe", ("Jane Doe", "John Roe")),
        ("Marketing and Event Coordinator", ()),
    ],
)
def test_a_job_joined_by_and_is_one_job_not_more_names(raw: str, expected: tuple[str, ...]) -> None:
    assert clean_author_names([raw]) == expected


def test_and_n_others_is_dropped() -> None:
    assert clean_author_names(["Jane Doe and 3 others"]) == ("Jane Doe",)


@pytest.mark.parametrize("byline", ["RNA Desk", "Reuters", "AFP", "Staff", "By RNA Desk"])
def test_an_organisation_byline_is_kept(byline: str) -> None:
    assert clean_author_names([byline]) == (byline.removeprefix("By "),)


def test_an_organisation_name_with_and_is_not_split() -> None:
    raw = "Center for Drug Evaluation and Research"
    assert clean_author_names([raw]) == (raw,)


def test_an_agency_after_a_person_is_an_affiliation() -> None:
    assert clean_author_names(["Jane Doe, AFP"]) == ("Jane Doe",)


def test_shouted_names_are_title_cased_and_acronyms_kept() -> None:
    assert clean_author_names(["By KEVIN SACK AND SHERI FINK"]) == ("Kevin Sack", "Sheri Fink")
    assert clean_author_names(["O'BRIEN-SMITH"]) == ("O'Brien-Smith",)
    assert clean_author_names(["BBC"]) == ("BBC",)


def test_mixed_case_names_are_kept_as_written() -> None:
    assert clean_author_names(["Ronan McDonald"]) == ("Ronan McDonald",)


def test_duplicates_are_dropped_case_insensitively_in_order() -> None:
    assert clean_author_names(["Jane Doe", "JANE DOE", "John Roe", "jane doe"]) == (
        "Jane Doe",
        "John Roe",
    )


def test_html_entities_are_decoded() -> None:
    assert clean_author_names(["Maria &amp; Katerina"]) == ("Maria", "Katerina")


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "https://www.facebook.com/janedoe",
        "@janedoe",
        "jane@example.com",
        "Jane Doe is a reporter who has covered defence for ten years.",
        "May 2, 2024",
        "By",
        "Share",
        "About the author",
        "12345",
        "x" * 300,
    ],
)
def test_values_that_are_not_names_are_rejected(garbage: str) -> None:
    assert clean_author_names([garbage]) == ()


def test_the_first_segment_with_a_name_wins() -> None:
    assert split_byline("Updated May 2, 2024 · Jane Doe") == ["Jane Doe"]


def test_looks_like_name() -> None:
    assert looks_like_name("Alejandro de la Garza")
    assert looks_like_name("swardley")
    assert not looks_like_name("@swardley")
    assert not looks_like_name("read more about this")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A section name before a middle dot, then the byline.
        ("Politics · Jane Doe, John Roe", ("Jane Doe", "John Roe")),
        # A section name before a bar, then a piece that says "by".
        ("Guide | by Jane Doe | Deputy Editor", ("Jane Doe",)),
        # A user name before a bar and a badge: the user name stays.
        ("quietfox | Gold Member", ("quietfox",)),
    ],
)
def test_a_section_label_before_the_byline_is_skipped(raw: str, expected: tuple[str, ...]) -> None:
    assert clean_author_names([raw]) == expected


def test_an_ampersand_beside_a_single_letter_is_one_title() -> None:
    assert clean_author_names(["Mac & i"]) == ("Mac & i",)
    assert clean_author_names(["Jane Doe & John Roe"]) == ("Jane Doe", "John Roe")


def test_an_organisation_in_capitals_is_not_a_credential() -> None:
    assert clean_author_names(["Editors, USA TODAY"]) == ("Editors", "Usa Today")
    assert clean_author_names(["Jane Doe, MD, PhD"]) == ("Jane Doe",)


@pytest.mark.parametrize(
    "raw", ["View Full Bio", "Comment Now", "Connect Directly", "Contributors"]
)
def test_profile_and_comment_buttons_are_not_names(raw: str) -> None:
    assert clean_author_names([raw]) == ()


@pytest.mark.parametrize("placeholder", ["creator", "Default", "Member", "Participant", "Posts"])
def test_template_placeholders_are_not_names(placeholder: str) -> None:
    # mil.gov.ua ships <meta name="twitter:creator" content="creator"> on its news pages.
    assert not looks_like_name(placeholder)
    assert clean_author_names([placeholder]) == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["By Ysabel Yates", "Illustration by Claire Lordon"], ("Ysabel Yates",)),
        (["By Ysabel Yates Illustration by Claire Lordon"], ("Ysabel Yates",)),
        (["Fact-checked by Frank Bass"], ()),
        (["Written by Jane Doe, medically reviewed by John Roe, MD"], ("Jane Doe",)),
        (["By Jane Doe | Photographs by John Roe"], ("Jane Doe",)),
        (["Jane Doe; edited by John Roe"], ("Jane Doe",)),
        # The writer's own photographs: the name is the author's.
        (["Words and photos by Jane Doe"], ("Jane Doe",)),
    ],
)
def test_credits_for_other_work_name_no_author(raw: list[str], expected: tuple[str, ...]) -> None:
    assert clean_author_names(raw) == expected


def test_a_contributors_label_is_stripped() -> None:
    assert clean_author_names(["Contributors: Jane Doe"]) == ("Jane Doe",)


@pytest.mark.parametrize("label", ["著者", "作者：", "Autor", "Par", "Byline:"])
def test_a_byline_label_standing_alone_is_no_name(label: str) -> None:
    assert clean_author_names([label]) == ()
    assert not looks_like_name(label)
