"""The benchmark's metric definitions, on small hand-made values."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmarks` is not installed

from benchmarks import metrics
from benchmarks.pages import Truth, html_to_text
from benchmarks.scoring import Tally, score_page
from benchmarks.systems import ALL_FIELDS, PEER_FIELDS, Extraction

EASTERN = timezone(timedelta(hours=-5))


# Titles -----------------------------------------------------------------------------------
def test_normalize_text_folds_case_quotes_dashes_and_space() -> None:
    assert (
        metrics.normalize_text("  “Drones” —\u00a0the  NEW\u200b front ")
        == '"drones" - the new front'
    )


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("Navy Orders ‘Six’ Frigates", True),
        ("navy orders 'six'   frigates", True),
        ("Navy Orders 'Six' Frigates | Defence Daily", False),
        (None, False),
        ("", False),
    ],
)
def test_title_match_is_a_plain_normalized_comparison(output: str | None, expected: bool) -> None:
    assert metrics.title_match(output, "Navy orders 'six' frigates") is expected


# Authors ----------------------------------------------------------------------------------
def test_joined_bylines_split_the_same_way_on_both_sides() -> None:
    truth = ["JANE DOE, John Smith and Ann Lee"]
    assert metrics.author_names(truth) == {"jane doe", "john smith", "ann lee"}
    assert metrics.authors_exact(["Ann Lee", "Jane  Doe", "John Smith"], truth)


def test_author_names_do_not_split_inside_words() -> None:
    assert metrics.author_names(["Alexandra Anderson"]) == {"alexandra anderson"}


def test_authors_f1_and_exact_set() -> None:
    truth = ["Jane Doe", "John Smith"]
    assert metrics.authors_f1(["Jane Doe"], truth) == pytest.approx(2 / 3)
    assert not metrics.authors_exact(["Jane Doe"], truth)
    assert metrics.authors_f1([], truth) == 0.0
    assert metrics.authors_f1(["RNA Desk"], truth) == 0.0


# Dates ------------------------------------------------------------------------------------
def test_truth_dates_of_every_shape() -> None:
    day = metrics.parse_truth_date("2025-09-04")
    assert day == metrics.TruthDate(date(2025, 9, 4), "day", None)
    instant = metrics.parse_truth_date("2016-12-09T09:13:00.000Z")
    assert instant is not None and instant.instant == datetime(2016, 12, 9, 9, 13, tzinfo=UTC)
    unix = metrics.parse_truth_date("Sun Nov 23 16:00:00 EDT 2014")
    assert unix is not None and unix.instant == datetime(2014, 11, 23, 20, 0, tzinfo=UTC)
    assert metrics.parse_truth_date("2015-11") == metrics.TruthDate(date(2015, 11, 1), "month")
    assert metrics.parse_truth_date("yesterday") is None


def test_midnight_and_naive_truths_are_days_not_instants() -> None:
    midnight = metrics.parse_truth_date("2017-06-29T00:00:00.000Z")
    naive = metrics.parse_truth_date("2022-06-01 06:00:00")
    assert midnight is not None and midnight.instant is None
    assert naive is not None and naive.instant is None and naive.day == date(2022, 6, 1)


def test_day_match_in_own_offset_or_in_the_truth_offset() -> None:
    truth = metrics.parse_truth_date("2016-12-17T02:19:00Z")
    assert truth is not None
    late_evening_eastern = datetime(2016, 12, 16, 21, 19, tzinfo=EASTERN)
    assert metrics.day_match(late_evening_eastern, truth)
    assert metrics.day_match(date(2016, 12, 17), truth)
    assert not metrics.day_match(date(2016, 12, 16), truth)
    assert not metrics.day_match(None, truth)


def test_day_match_of_a_day_truth_uses_the_output_own_calendar_day() -> None:
    truth = metrics.parse_truth_date("2025-09-04")
    assert truth is not None
    assert metrics.day_match(datetime(2025, 9, 4, 23, 30, tzinfo=EASTERN), truth)
    assert not metrics.day_match(datetime(2025, 9, 5, 0, 30, tzinfo=UTC), truth)


def test_month_truth_matches_on_year_and_month() -> None:
    truth = metrics.parse_truth_date("2015-11")
    assert truth is not None
    assert metrics.day_match(date(2015, 11, 20), truth)
    assert not metrics.day_match(date(2015, 12, 1), truth)


def test_minute_match_needs_an_aware_output() -> None:
    truth = metrics.parse_truth_date("2016-12-09T09:13:00.000Z")
    assert truth is not None
    assert metrics.minute_match(datetime(2016, 12, 9, 4, 13, 59, tzinfo=EASTERN), truth)
    assert not metrics.minute_match(datetime(2016, 12, 9, 4, 14, tzinfo=EASTERN), truth)
    assert not metrics.minute_match(datetime(2016, 12, 9, 9, 13), truth)
    assert not metrics.minute_match(date(2016, 12, 9), truth)


# Body -------------------------------------------------------------------------------------
def test_shingles_count_repeats_and_keep_short_texts_whole() -> None:
    assert metrics.shingles(["a", "b"]) == {("a", "b"): 1}
    assert metrics.shingles([]) == {}
    repeated = metrics.shingles(["x", "y", "z", "w", "x", "y", "z", "w"])
    assert repeated[("x", "y", "z", "w")] == 2
    assert sum(repeated.values()) == 5


def test_body_scores_precision_and_recall() -> None:
    found = metrics.body_scores("A b c d E x y z", "a b c d e")
    assert found.precision == pytest.approx(2 / 5)
    assert found.recall == 1.0
    assert found.f1 == pytest.approx(2 * 0.4 / 1.4)
    assert metrics.body_scores("a b c d e", "a b c d e").f1 == 1.0


def test_body_scores_of_empty_or_doubled_output() -> None:
    assert metrics.body_scores("", "a b c d e") == metrics.PrecisionRecall(0.0, 0.0)
    doubled = metrics.body_scores("a b c d e. a b c d e.", "a b c d e")
    assert doubled.recall == 1.0
    assert doubled.precision < 1.0


def test_contains_words_matches_whole_words_in_order() -> None:
    haystack = metrics.token_string("The frigate's hull, welded in Gdańsk.")
    assert metrics.contains_words(haystack, "frigate S hull")
    assert metrics.contains_words(haystack, "welded in gdańsk")
    assert not metrics.contains_words(haystack, "frig")
    assert not metrics.contains_words(haystack, "hull frigate")
    assert not metrics.contains_words(haystack, "...")


def test_snippet_share_present_and_absent() -> None:
    haystack = metrics.token_string("Alpha beta gamma. Delta epsilon.")
    snippets = ["alpha beta", "zeta", "—"]
    assert metrics.snippet_share(haystack, snippets, present=True) == 0.5
    assert metrics.snippet_share(haystack, snippets, present=False) == 0.5
    assert metrics.snippet_share(haystack, ["—"], present=True) is None


# Captions ---------------------------------------------------------------------------------
def test_captions_match_with_the_credit_split_off() -> None:
    assert metrics.captions_match("Credit Jane Doe", "Jane Doe")
    assert metrics.captions_match(
        "Sailors on the deck of the frigate. Photo: Navy", "Sailors on the deck of the frigate"
    )
    assert not metrics.captions_match("Sailors on deck", "A tank in the snow")
    assert not metrics.captions_match("", "Jane Doe")


def test_caption_counts_on_both_sides() -> None:
    counts = metrics.caption_counts(
        ["The new radar", "Logo", ""], ["The new radar (Photo: MoD)", "A map"]
    )
    assert counts == metrics.CaptionCounts(1, 2, 1, 2)


# Scoring ----------------------------------------------------------------------------------
def test_score_page_only_scores_annotated_and_reported_fields() -> None:
    truth = Truth(title="Frigate launched", captions=("The frigate",), page_type="article")
    output = Extraction(title="Frigate Launched", captions=("The frigate",), page_type="listing")
    assert score_page(truth, output, ALL_FIELDS) == {
        "title.exact": (1.0, 1.0),
        "captions.recall": (1, 1),
        "captions.precision": (1, 1),
        "page_type.accuracy": (0.0, 1.0),
    }
    assert set(score_page(truth, output, PEER_FIELDS)) == {"title.exact"}


def test_score_page_uses_the_prefix_only_without_a_full_body() -> None:
    truth = Truth(body_prefix="The navy said", body_with=("two ships",), body_without=("Login",))
    output = Extraction(body="Yesterday the navy said two ships sailed.")
    assert score_page(truth, output, PEER_FIELDS) == {
        "body.prefix_hit": (1.0, 1.0),
        "body.with": (1.0, 1.0),
        "body.without": (1.0, 1.0),
    }


def test_tally_pools_numerators_and_denominators() -> None:
    tally = Tally()
    for contribution in ((1, 2), (0, 0), (2, 2)):
        tally.add(contribution)
    assert (tally.value, tally.pages) == (0.75, 3)
    assert Tally().value == 0.0


def test_html_to_text_keeps_the_words_of_a_fragment() -> None:
    text = html_to_text(
        "<div><p>First <b>para</b>.</p><figure><figcaption>Cap</figcaption></figure>"
    )
    assert metrics.tokens(text) == ("first", "para", "cap")
