"""From one page's output and truth to score contributions, and from those to set scores.

A contribution is a (numerator, denominator) pair: per-page metrics add (score, 1) and are
averages over the pages that carry the truth; captions add (matched, total) and are pooled,
since pages carry 1 to 20 captions and an empty output has no per-page precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from benchmarks import metrics
from benchmarks.pages import Truth
from benchmarks.systems import Extraction

# (metric key, label) in report order; the field is the part before the dot.
METRICS = (
    ("title.exact", "title: normalized exact match"),
    ("authors.exact_set", "authors: exact set"),
    ("authors.name_f1", "authors: name F1"),
    ("published.day", "published: day accuracy"),
    ("published.minute_utc", "published: minute accuracy, UTC"),
    ("published.minute_local", "published: minute, local clock"),
    ("body.precision", "body: 4-gram precision"),
    ("body.recall", "body: 4-gram recall"),
    ("body.f1", "body: 4-gram F1"),
    ("body.prefix_hit", "body: true prefix found"),
    ("body.with", "body: must-have snippets found"),
    ("body.without", "body: must-not snippets absent"),
    ("captions.recall", "captions: recall"),
    ("captions.precision", "captions: precision"),
    ("page_type.accuracy", "page type: article or not"),
)
METRIC_KEYS = tuple(key for key, _ in METRICS)
LABELS = dict(METRICS)

Contributions = dict[str, tuple[float, float]]


def field_of(metric: str) -> str:
    return metric.partition(".")[0]


@dataclass(slots=True)
class Tally:
    """A running score: sum of numerators over sum of denominators, and pages counted."""

    numerator: float = 0.0
    denominator: float = 0.0
    pages: int = 0

    def add(self, contribution: tuple[float, float]) -> None:
        self.numerator += contribution[0]
        self.denominator += contribution[1]
        self.pages += 1

    def absorb(self, other: Tally) -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.pages += other.pages

    @property
    def value(self) -> float:
        return self.numerator / self.denominator if self.denominator else 0.0


def score_page(truth: Truth, output: Extraction, fields: frozenset[str]) -> Contributions:
    """Every metric this page's truth allows, for the fields the system reports."""
    scores: Contributions = {}
    if "title" in fields and truth.title:
        scores["title.exact"] = _rate(metrics.title_match(output.title, truth.title))
    if "authors" in fields and truth.authors:
        scores["authors.exact_set"] = _rate(metrics.authors_exact(output.authors, truth.authors))
        scores["authors.name_f1"] = (metrics.authors_f1(output.authors, truth.authors), 1.0)
    if "published" in fields and truth.published:
        scores |= _date_scores(output.published, truth.published)
    if "body" in fields:
        scores |= _body_scores(output.body, truth)
    if "captions" in fields and truth.captions:
        counts = metrics.caption_counts(output.captions, truth.captions)
        scores["captions.recall"] = (counts.true_matched, counts.true_total)
        scores["captions.precision"] = (counts.output_matched, counts.output_total)
    if "page_type" in fields and truth.page_type:
        same = metrics.is_article(output.page_type) == metrics.is_article(truth.page_type)
        scores["page_type.accuracy"] = _rate(same)
    return scores


def _date_scores(output: datetime | date | None, truth_text: str) -> Contributions:
    truth = metrics.parse_truth_date(truth_text)
    if truth is None:
        return {}
    scores = {"published.day": _rate(metrics.day_match(output, truth))}
    if truth.instant is not None:
        scores["published.minute_utc"] = _rate(metrics.minute_match(output, truth))
    if truth.wall_clock is not None:
        scores["published.minute_local"] = _rate(metrics.local_minute_match(output, truth))
    return scores


def _body_scores(output: str, truth: Truth) -> Contributions:
    scores: Contributions = {}
    if truth.body and metrics.tokens(truth.body):
        found = metrics.body_scores(output, truth.body)
        scores["body.precision"] = (found.precision, 1.0)
        scores["body.recall"] = (found.recall, 1.0)
        scores["body.f1"] = (found.f1, 1.0)
    elif truth.body_prefix and metrics.tokens(truth.body_prefix):
        scores["body.prefix_hit"] = _rate(
            metrics.contains_words(metrics.token_string(output), truth.body_prefix)
        )
    if truth.body_with or truth.body_without:
        haystack = metrics.token_string(output)
        for key, snippets, present in (
            ("body.with", truth.body_with, True),
            ("body.without", truth.body_without, False),
        ):
            share = metrics.snippet_share(haystack, snippets, present=present)
            if share is not None:
                scores[key] = (share, 1.0)
    return scores


def _rate(hit: bool) -> tuple[float, float]:
    return (1.0 if hit else 0.0, 1.0)
