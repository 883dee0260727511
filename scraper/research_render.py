"""How `show` and `diff` print an article and a comparison: text, JSON, HTML, colour."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.text import Text

from parsers.record import ArticleRecord
from storage.diffs import ParagraphChange, VersionDiff
from storage.history import StoredArticle, StoredVersion


def version_json(article: StoredArticle, version: StoredVersion) -> dict[str, Any]:
    """The record as stored, with where it sits in the article's history."""
    return {
        "article_id": article.article_id,
        "url": article.url,
        "site": article.site,
        "cluster_id": article.cluster_id,
        "first_seen": article.first_seen.isoformat(),
        "last_seen": article.last_seen.isoformat(),
        "version": version.number,
        "versions": len(article.versions),
        "kind": version.kind,
        "saved_at": version.saved_at.isoformat(),
        "content_hash": version.content_hash,
        "record": version.record.to_dict(),
    }


def show_text(article: StoredArticle, version: StoredVersion) -> str:
    record = version.record
    lines = [record.headline or "(no headline)", ""]
    lines += [f"{label}: {value}" for label, value in _metadata(article, version) if value]
    if record.standfirst:
        lines += ["", record.standfirst]
    lines += ["", *_spaced(record.body)]
    for number, image in enumerate(record.images, start=1):
        lines += ["", f"[image {number}] {image.url}"]
        if image.caption:
            lines.append(f"  caption: {image.caption}")
        if image.credit:
            lines.append(f"  credit: {image.credit}")
    return "\n".join(lines)


def show_html(article: StoredArticle, version: StoredVersion) -> str:
    """A standalone, escaped HTML page of the version (to open in a browser or mail on)."""
    record = version.record
    escaped = html.escape
    meta = "".join(
        f"<dt>{escaped(label)}</dt><dd>{escaped(str(value))}</dd>"
        for label, value in _metadata(article, version)
        if value
    )
    body = "".join(f"<p>{escaped(paragraph)}</p>" for paragraph in record.body)
    figures = "".join(
        _figure_html(image.url, image.caption, image.credit) for image in record.images
    )
    standfirst = (
        f"<p class=standfirst>{escaped(record.standfirst)}</p>" if record.standfirst else ""
    )
    title = escaped(record.headline or article.url)
    return (
        "<!doctype html>\n<html lang="
        f'"{escaped(record.language or "en")}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{standfirst}<dl>{meta}</dl>{figures}{body}</article></body></html>"
    )


def render_diff(console: Console, diff: VersionDiff) -> None:
    """Coloured: removed text red and struck through, added text green, by word."""
    console.print(
        Text(f"version {diff.before_number} -> {diff.after_number}: ", style="bold")
        + Text(diff.summary())
    )
    for change in diff.fields:
        line = Text(f"{change.name}: ", style="bold")
        line.append(change.before or "(none)", style="red strike")
        line.append(" -> ")
        line.append(change.after or "(none)", style="green")
        console.print(line)
    for paragraph in diff.paragraphs:
        if paragraph.kind != "equal":
            console.print()
            console.print(_paragraph_text(paragraph))


def _paragraph_text(paragraph: ParagraphChange) -> Text:
    if paragraph.kind == "insert":
        return Text("+ ", style="green bold") + Text(paragraph.after or "", style="green")
    if paragraph.kind == "delete":
        return Text("- ", style="red bold") + Text(paragraph.before or "", style="red strike")
    line = Text("~ ", style="yellow bold")
    for op in paragraph.words:
        style = {"insert": "green underline", "delete": "red strike"}.get(op.kind, "")
        line.append(op.text, style=style)
    return line


def _metadata(article: StoredArticle, version: StoredVersion) -> list[tuple[str, object]]:
    record = version.record
    return [
        ("url", article.url),
        ("site", article.site),
        ("section", record.section),
        ("authors", "; ".join(record.authors)),
        ("published", _dated(record, "published")),
        ("updated", _dated(record, "updated")),
        ("language", record.language),
        ("tags", ", ".join(record.tags)),
        (
            "version",
            f"{version.number} of {len(article.versions)} ({version.kind}, saved "
            f"{version.saved_at:%Y-%m-%d %H:%M} UTC)",
        ),
        ("first seen", f"{article.first_seen:%Y-%m-%d %H:%M} UTC"),
        ("cluster", article.cluster_id),
        ("article id", article.article_id),
    ]


def _dated(record: ArticleRecord, which: str) -> str | None:
    value: datetime | None = getattr(record, f"{which}_at")
    if value is None:
        return None
    precision = getattr(record, f"{which}_precision")
    return value.date().isoformat() if precision == "day" else value.isoformat()


def _figure_html(url: str, caption: str | None, credit: str | None) -> str:
    escaped = html.escape
    text = " ".join(
        part
        for part in (
            escaped(caption) if caption else "",
            f"<small>{escaped(credit)}</small>" if credit else "",
        )
        if part
    )
    return f'<figure><img src="{escaped(url)}" alt=""><figcaption>{text}</figcaption></figure>'


def _spaced(paragraphs: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        lines.append(paragraph)
    return lines
