"""The soak's figures as text: the settings, a row per interval as it ends, then memory per
process, versions made vs caught, and what each process said and how it exited."""

from __future__ import annotations

from typing import Any

ROW_COLUMNS = (
    ("interval", "interval", 11),
    ("worker_fetches", "fetched", 8),
    ("pages_per_second", "pages/s", 8),
    ("new_articles", "new art", 8),
    ("new_versions", "new ver", 8),
    ("not_modified", "304", 6),
    ("same_payload", "same pl", 8),
    ("same_text", "same txt", 9),
    ("scheduler_fetches", "discov", 7),
    ("errors", "errors", 7),
    ("site_new", "site new", 9),
    ("site_updates", "site upd", 9),
    ("worker_peak_mb", "wrk MB", 8),
    ("scheduler_peak_mb", "sched MB", 9),
)


def print_settings(settings: dict[str, Any]) -> None:
    print("Soak settings")
    width = max(len(key) for key in settings)
    for key, value in settings.items():
        print(f"  {key:<{width}}  {value}")
    print()
    print(_row_text({key: label for key, label, _ in ROW_COLUMNS}))


def print_row(row: dict[str, Any]) -> None:
    print(_row_text(row), flush=True)


def _row_text(row: dict[str, Any]) -> str:
    cells = []
    for key, _, width in ROW_COLUMNS:
        value = row.get(key)
        cells.append(f"{'-' if value is None else value!s:>{width}}")
    return " ".join(cells)


def print_summary(figures: dict[str, Any]) -> None:
    print()
    _print_totals(figures["totals"], figures["intervals"])
    print()
    _print_memory(figures["memory"], [row["interval"] for row in figures["intervals"]])
    print()
    _print_versions(figures["versions"], figures["archived_kinds"])
    print()
    _print_errors(figures["fetch_errors"])
    print()
    _print_processes(figures["processes"], figures["exit_codes"])


def _print_errors(errors: dict[str, Any]) -> None:
    print(f"Failed fetches: {errors['count']} {errors['by_kind']}")
    for example in errors["examples"]:
        print(f"  {example['url']}: {example['status']} {example['error']}")


def _print_totals(totals: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    soak_rows = [row for row in rows if row["interval"] != "drain"]
    rates = [row["pages_per_second"] for row in soak_rows]
    print(
        f"Totals: {totals['worker_fetches']} pages fetched by workers, "
        f"{totals['scheduler_fetches']} discovery fetches, {totals['new_articles']} new "
        f"articles, {totals['new_versions']} new versions, {totals['not_modified']} 304, "
        f"{totals['same_payload']} same payload, {totals['same_text']} same text, "
        f"{totals['errors']} errors"
    )
    if rates:
        print(f"Worker pages/s per interval: min {min(rates)}, max {max(rates)}")


def _print_memory(memory: dict[str, Any], intervals: list[str]) -> None:
    tolerance = memory["tolerance"]
    print(
        f"Peak RSS per process, MB (flat: last-third peak / first-third peak <= {1 + tolerance:g}"
        f" or at most {memory['slack_mb']:g} MB more)"
    )
    header = ["process", *intervals, "VmHWM", "last/first", "MB/min", "flat"]
    widths = [max(18, *(len(label) for label in memory["processes"])), *(7 for _ in intervals)]
    widths += [7, 10, 7, 5]
    print(
        " ".join(
            f"{cell:>{w}}" if i else f"{cell:<{w}}"
            for i, (cell, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for label, one in memory["processes"].items():
        cells = [label, *one["peak_mb_by_interval"], one["hwm_mb"], one["last_over_first"]]
        cells += [one["trend_mb_per_min"], {True: "yes", False: "NO", None: "-"}[one["flat"]]]
        texts = ["-" if cell is None else str(cell) for cell in cells]
        print(
            " ".join(
                f"{t:>{w}}" if i else f"{t:<{w}}"
                for i, (t, w) in enumerate(zip(texts, widths, strict=True))
            )
        )
    print(f"Memory verdict: {'flat' if memory['flat'] else 'NOT flat'}")


def _print_versions(versions: dict[str, Any], kinds: dict[str, int]) -> None:
    print("Versions made by the site vs caught by the archive (lag: site change -> version filed)")
    header = ("versions", "made", "caught", "share", "lag p50 s", "p95 s", "max s")
    print(_version_line(header))
    for key, label in (
        ("initial", "initial articles"),
        ("new", "published in the soak"),
        ("update", "updates in the soak"),
        ("all", "all"),
    ):
        one = versions[key]
        share = None if one["caught_share"] is None else f"{100 * one['caught_share']:.1f}%"
        cells = [one["made"], one["caught"], share, one["lag_median_s"], one["lag_p95_s"]]
        print(
            _version_line(
                (label, *("-" if c is None else str(c) for c in cells), str(one["lag_max_s"]))
            )
        )
    print(
        f"Missed: {versions['missed_superseded']} superseded by a later version before it "
        f"could be fetched, {versions['missed_current']} still current at the end"
    )
    print(
        f"Archived versions matching no site version: {versions['unexpected_archived']}; "
        f"a site version caught twice: {versions['duplicate_archived']}; kinds: {kinds}"
    )


def _version_line(cells: tuple[str, ...]) -> str:
    label, *figures = cells
    widths = (7, 7, 7, 10, 8, 8)
    return f"{label:<22} " + " ".join(f"{f:>{w}}" for f, w in zip(figures, widths, strict=True))


def _print_processes(processes: dict[str, Any], codes: dict[str, int]) -> None:
    print("Processes (exit code after SIGTERM; JSON events logged)")
    for label, one in processes.items():
        died = f", DIED at {one['died_at_s']} s" if one["died_at_s"] is not None else ""
        events = ", ".join(f"{name} {count}" for name, count in sorted(one["events"].items()))
        print(f"  {label}: pid {one['pid']}, exit {codes.get(label)}{died}; {events}")
        for warning in one["warnings"]:
            print(f"    {warning}")
        if one["stderr_tail"].strip():
            print(f"    stderr: ...{one['stderr_tail'].strip()[-300:]}")
