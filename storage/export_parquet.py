"""Parquet output of exports: typed columns, written a row group at a time.

A row group is built from at most `ROW_GROUP_SIZE` rows and written before the next is read,
so memory stays flat however many rows the archive holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from storage.exceptions import ExportError

if TYPE_CHECKING:
    import pyarrow

ROW_GROUP_SIZE = 10_000


class _Column(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...


def write_parquet(rows: Iterator[dict[str, Any]], path: Path, columns: Sequence[_Column]) -> int:
    """Write `rows` (dicts keyed by the column names) to `path`; how many were written."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise ExportError("Parquet export needs pyarrow (pip install pyarrow)") from exc
    schema = pa.schema([pa.field(column.name, _arrow_type(pa, column.kind)) for column in columns])
    written = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for chunk in _chunks(rows, ROW_GROUP_SIZE):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            written += len(chunk)
    return written


def _arrow_type(pa: Any, kind: str) -> pyarrow.DataType:
    types = {
        "int": pa.int64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "datetime": pa.timestamp("us", tz="UTC"),
        "list": pa.list_(pa.string()),
    }
    return types[kind]


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
