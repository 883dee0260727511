"""Export rows as the lines of a streamed download: the same JSONL and CSV as
`Archive.export` writes to a file, produced a row at a time (constant memory)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from storage.export import ExportFormat, text_lines

MEDIA_TYPES: dict[ExportFormat, str] = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
ROWS_PER_CHUNK = 100  # rows joined into one chunk sent, so a big export is not a write per row


def export_chunks(rows: Iterable[dict[str, Any]], export_format: ExportFormat) -> Iterator[str]:
    """The export's text in chunks of `ROWS_PER_CHUNK` rows (CSV: the header first)."""
    chunk: list[str] = []
    for line in text_lines(rows, export_format):
        chunk.append(line)
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk.clear()
    if chunk:
        yield "".join(chunk)
