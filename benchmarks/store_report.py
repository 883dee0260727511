"""The store benchmark's figures as tables: saves, deduplication by archive size, search."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

SAVE_PHASES = (
    ("record_fetch", "record_fetch"),
    ("record_parse", "record_parse"),
    ("save_new_by_fetch_id", "save, new article (fetch id)"),
    ("save_new_with_fetch", "save, new article (with its fetch)"),
    ("save_unchanged", "save, unchanged"),
    ("save_many_50_per_record", "save_many, 50 a batch (per record)"),
)
DATABASES = ("sqlite", "postgresql")
WIDTH = 132


def print_report(figures: dict[str, Any]) -> None:
    console = Console()
    if not console.is_terminal:  # a file or a pipe: wide enough for every column
        console = Console(width=WIDTH)
    databases = [name for name in DATABASES if name in figures]
    console.print(_saves_table(figures, databases))
    console.print(_dedup_table(figures, databases))
    console.print(_search_table(figures, databases))
    for line in _summary(figures, databases):
        console.print(line)


def _saves_table(figures: dict[str, Any], databases: list[str]) -> Table:
    some = figures[databases[0]]["saves"]
    page = some["page"]
    title = (
        f"Saves, one thread, {some['records']} records a phase (rnamedia.in page: "
        f"{page['body_chars']} body chars, {page['authors']} author, {page['images']} image)"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("operation")
    for name in databases:
        table.add_column(f"{name} /s", justify="right")
        table.add_column("p50 ms", justify="right")
        table.add_column("p95 ms", justify="right")
    for key, label in SAVE_PHASES:
        cells = []
        for name in databases:
            phase = figures[name]["saves"][key]
            cells += [
                f"{phase['per_second']:,.0f}",
                f"{phase['p50_ms']:.2f}",
                f"{phase['p95_ms']:.2f}",
            ]
        table.add_row(label, *cells)
    pipeline = [f"{figures[name]['saves']['page_pipeline_per_second']:,.0f}" for name in databases]
    table.add_row("page: fetch + parse log + save", *(c for p in pipeline for c in (p, "", "")))
    return table


def _dedup_table(figures: dict[str, Any], databases: list[str]) -> Table:
    table = Table(title="Deduplication as the archive grows", title_justify="left")
    for column in ("database", "versions", "articles", "get_article p50/p95 µs"):
        table.add_column(column, justify="right")
    for column in ("re-save, unchanged p50/p95 ms", "save, new p50/p95 ms", "wrong"):
        table.add_column(column, justify="right")
    for name in databases:
        for stage in figures[name].get("archive", {}).get("dedup", []):
            lookups, resave, new = (
                stage["get_article_us"],
                stage["resave_unchanged"],
                stage["save_new"],
            )
            wrong = stage["wrong_lookups"] + _unexpected(stage)
            table.add_row(
                name,
                f"{stage['versions']:,}",
                f"{stage['articles']:,}",
                f"{lookups['p50_us']:.0f} / {lookups['p95_us']:.0f}",
                f"{resave['p50_ms']:.2f} / {resave['p95_ms']:.2f}",
                f"{new['p50_ms']:.2f} / {new['p95_ms']:.2f}",
                str(wrong),
            )
    return table


def _search_table(figures: dict[str, Any], databases: list[str]) -> Table:
    table = Table(title="Search (storage.search)", title_justify="left")
    for column in ("database", "articles", "queries × runs", "p50 ms", "p95 ms", "max ms"):
        table.add_column(column, justify="right")
    table.add_column("bulk rows searchable")
    for name in databases:
        search = figures[name].get("archive", {}).get("search")
        if search is None:
            continue
        if not search["available"]:
            table.add_row(name, f"{search['articles']:,}", "search: not available", "", "", "", "")
            continue
        table.add_row(
            name,
            f"{search['articles']:,}",
            f"{search['queries']} × {search['runs']}",
            f"{search['p50_ms']:.1f}",
            f"{search['p95_ms']:.1f}",
            f"{search['max_ms']:.1f}",
            "yes" if search["bulk_rows_searchable"] else "NO",
        )
    return table


def _summary(figures: dict[str, Any], databases: list[str]) -> list[str]:
    lines = []
    for name in databases:
        fill = figures[name].get("archive", {}).get("fill")
        if fill:
            lines.append(
                f"{name} bulk fill: {fill['versions']:,} versions in {fill['seconds']:.0f} s "
                f"({fill['versions_per_second']:,}/s, search triggers firing)"
            )
        saves = figures[name]["saves"]
        if saves["outcomes"] != saves["outcomes_expected"]:
            lines.append(
                f"{name} save outcomes {saves['outcomes']}, expected {saves['outcomes_expected']}"
            )
    for name in databases:
        search = figures[name].get("archive", {}).get("search") or {}
        if search.get("available"):
            slowest = max(search["per_query"], key=lambda query: query["median_ms"])
            asked = {k: v for k, v in slowest.items() if k not in ("total", "median_ms")}
            lines.append(
                f"{name} slowest search: {asked} {slowest['median_ms']:.1f} ms "
                f"({slowest['total']:,} hits)"
            )
    rate = figures["sqlite"]["saves"]["save_new_by_fetch_id"]["per_second"]
    target = figures["target_saves_per_second"]
    verdict = "meets" if rate >= target else "misses"
    lines.append(
        f"SQLite new-article saves: {rate:,.0f}/s, {verdict} the target of {target:,.0f}/s"
    )
    load = figures["load_average"]
    lines.append(
        f"peak RSS {figures['peak_rss_mb']} MB (this process; not the PostgreSQL server), "
        f"{figures['cpus']} CPUs, load average {load['start']} -> {load['end']}, "
        f"{figures['seconds']:.0f} s in all"
    )
    return lines


def _unexpected(stage: dict[str, Any]) -> int:
    outcomes, expected = stage["outcomes"], stage["outcomes_expected"]
    return sum(abs(outcomes.get(key, 0) - count) for key, count in expected.items())
