"""Export benchmark: rows per second and peak memory of `newsarchive export` by archive size.

Fills a synthetic archive (benchmarks/store_data.py: the same articles the store benchmark
uses) to each size in turn and, at each, exports every current version in a fresh process
per format, so each process's peak RSS is its own. Flat peak RSS across sizes is the
constant-memory claim; rows/s at the largest size is the speed figure (target: >= 5,000 rows/s
to JSON lines at 200k articles).

    .venv/bin/python benchmarks/export.py                       # 50k, 200k on SQLite
    .venv/bin/python benchmarks/export.py --sizes 20000 --formats jsonl
    .venv/bin/python benchmarks/export.py --db postgresql+psycopg://...   # an empty database
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.store_data import Archive as Synthetic  # noqa: E402
from benchmarks.store_data import Wording, chunks, prepare  # noqa: E402
from benchmarks.store_data import fill as fill_rows  # noqa: E402
from storage.db import Database, open_database  # noqa: E402

FILL_CHUNK = 2000
TARGET_ROWS_PER_SECOND = 5000
# Run in a child process: export, then report rows, seconds and the peak RSS.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from storage.db import open_database
from storage.export import ExportFilter, write_export

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

database = open_database(sys.argv[1], migrate=False)
started, cpu_started = time.perf_counter(), cpu()
rows = write_export(database, Path(sys.argv[3]), sys.argv[2], ExportFilter())
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
figures = {"rows": rows, "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mib": peak_mib}
print(json.dumps(figures))
"""


def main(argv: list[str] | None = None) -> int:
    options = _arguments().parse_args(argv)
    sizes = sorted(int(size) for size in options.sizes.split(","))
    formats = options.formats.split(",")
    with tempfile.TemporaryDirectory(prefix="newsarchive-export-") as scratch:
        url = options.db or f"sqlite:///{Path(scratch) / 'archive.sqlite3'}"
        database = open_database(url)
        results = _measure(database, url, sizes, formats, Path(scratch))
        database.close()
    _print(results, database.dialect)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def _measure(
    database: Database, url: str, sizes: list[int], formats: list[str], scratch: Path
) -> list[dict[str, Any]]:
    synthetic = Synthetic(Wording.from_fixtures())
    with database.write_engine.begin() as connection:
        prepare(connection)
    results, filled = [], 0
    for size in sizes:
        started = time.perf_counter()
        for chunk in chunks(range(filled, size), FILL_CHUNK):
            with database.write_engine.begin() as connection:
                fill_rows(connection, synthetic, chunk)
        filled = size
        print(f"filled {size} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for export_format in formats:
            figures = _export_in_child(url, export_format, scratch / f"out.{export_format}")
            figures.update(articles=size, format=export_format)
            results.append(figures)
            print(f"  {export_format}: {figures['rows_per_second']} rows/s", file=sys.stderr)
    return results


def _export_in_child(url: str, export_format: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, export_format, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    figures: dict[str, Any] = json.loads(done.stdout)
    figures["rows_per_second"] = round(figures["rows"] / max(figures["seconds"], 1e-9))
    figures["rows_per_cpu_second"] = round(figures["rows"] / max(figures["cpu_seconds"], 1e-9))
    figures["mib_per_1k_rows_file"] = round(path.stat().st_size / 2**20 / figures["rows"] * 1000, 2)
    figures["peak_mib"] = round(figures["peak_mib"], 1)
    figures["seconds"] = round(figures["seconds"], 1)
    path.unlink()
    return figures


def _print(results: list[dict[str, Any]], dialect: str) -> None:
    print(f"\n## Export ({dialect}; one fresh process per export)\n")
    print(
        "| articles | format | rows | seconds | rows/s | rows per CPU s | peak RSS MiB "
        "| file MiB per 1k rows |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for row in results:
        print(
            f"| {row['articles']} | {row['format']} | {row['rows']} | {row['seconds']} "
            f"| {row['rows_per_second']} | {row['rows_per_cpu_second']} | {row['peak_mib']} "
            f"| {row['mib_per_1k_rows_file']} |"
        )
    largest = max(row["articles"] for row in results)
    jsonl = [r for r in results if r["format"] == "jsonl" and r["articles"] == largest]
    if jsonl:
        rate = jsonl[0]["rows_per_second"]
        verdict = "met" if rate >= TARGET_ROWS_PER_SECOND else "NOT met"
        print(
            f"\nJSONL at {largest} articles: {rate} rows/s "
            f"(target {TARGET_ROWS_PER_SECOND}: {verdict})"
        )
    peaks = {row["format"]: [] for row in results}
    for row in results:
        peaks[row["format"]].append(row["peak_mib"])
    for export_format, values in peaks.items():
        print(f"peak RSS {export_format}: " + " -> ".join(f"{v} MiB" for v in values))


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000,200000", help="archive sizes (articles)")
    parser.add_argument("--formats", default="jsonl,csv,parquet")
    parser.add_argument("--db", help="an empty database URL (default: a scratch SQLite file)")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser


if __name__ == "__main__":
    sys.exit(main())
