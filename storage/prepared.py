"""Core statements compiled once per dialect and run on the DBAPI cursor of a `Connection`.

`Connection.execute` costs 20-60 µs of Python per statement (execution context, parameter
processing, result wrapping) where SQLite itself needs a few: for a save, which runs about
ten statements, more than the database's own work. A `Prepared` statement is compiled by
SQLAlchemy (the same SQL, the same type processing of dates and JSON) and then executed on
the raw cursor of the connection's transaction. Errors are raised as SQLAlchemy raises them
(`IntegrityError`, ...; a lost connection is invalidated), and `before_cursor_execute`
listeners still see every statement, so retries, tests and tracing cannot tell the
difference; `echo` logging does not see them. They run inside the connection's `begin()`
(SQLAlchemy commits or rolls back the work). Parameters SQLAlchemy must expand (IN lists)
are not supported: name each value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Dialect, Integer, literal_column
from sqlalchemy.exc import DBAPIError, InvalidRequestError, ResourceClosedError
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]
Row = tuple[Any, ...]
_REQUIRED = object()  # the default of a parameter each call must give


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One statement's SQL for one dialect and set of given parameters, and how to bind it:
    each placeholder's parameter name and default, and the processors of those that have
    one (by placeholder)."""

    sql: str
    binds: tuple[tuple[str, Any], ...]  # (name, default value), one per placeholder
    processors: tuple[tuple[int, Processor], ...]
    positional: bool
    results: tuple[Processor | None, ...]

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        get = values.get
        bound = [get(name, default) for name, default in self.binds]
        if _REQUIRED in bound:
            missing = [name for name, default in self.binds if get(name, default) is _REQUIRED]
            raise KeyError(f"no value for the parameters {missing}")
        for index, processor in self.processors:
            bound[index] = processor(bound[index])
        if self.positional:
            return tuple(bound)
        return {name: value for (name, _), value in zip(self.binds, bound, strict=True)}

    def rows(self, raw: list[Any]) -> list[Row]:
        if not any(self.results):
            return [tuple(row) for row in raw]
        return [
            tuple(
                value if p is None else p(value) for p, value in zip(self.results, row, strict=True)
            )
            for row in raw
        ]


class Prepared:
    """A Core statement (no expanding parameters), compiled on first use per dialect and set
    of parameter names; then each call binds its values and runs on the raw cursor.

    As with `Connection.execute`, an INSERT or UPDATE that names no columns writes those its
    values name. `named_columns=True`: the statement names all it writes (its values name
    only parameters), so it is compiled once per dialect.
    """

    def __init__(self, statement: Executable, *, named_columns: bool = False) -> None:
        self.statement = statement
        self.named_columns = named_columns
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> list[Row]:
        """Run with one set of values; the result rows (none for statements without any)."""
        compiled = self._for(connection.dialect, tuple(values))
        parameters = compiled.parameters(values)
        return compiled.rows(_run(connection, compiled.sql, parameters, many=False))

    def execute_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once per row (the DBAPI's executemany); every row names the same values."""
        if not rows:
            return
        compiled = self._for(connection.dialect, tuple(rows[0]))
        _run(connection, compiled.sql, [compiled.parameters(row) for row in rows], many=True)

    def _for(self, dialect: Dialect, names: tuple[str, ...]) -> _Compiled:
        key = (dialect.name, () if self.named_columns else names)
        found = self._compiled.get(key)
        if found is None:
            columns = None if self.named_columns else list(names)
            found = self._compiled[key] = _compile(self.statement, dialect, columns)
        return found


def written_limit(count: int) -> ColumnElement[int]:
    """A LIMIT written into the SQL of a statement run at every save, instead of bound: newer
    SQLite (3.51; not 3.40) compiles a statement whose LIMIT is a parameter again each time it
    runs, its planner reading the value, which doubled the cost of a save's article lookup."""
    return literal_column(str(int(count)), Integer)


def _compile(statement: Executable, dialect: Dialect, columns: list[str] | None) -> _Compiled:
    compiled = statement.compile(dialect=dialect, column_keys=columns)  # type: ignore[attr-defined]
    if not isinstance(compiled, SQLCompiler) or any(b.expanding for b in compiled.bind_names):
        raise TypeError(f"cannot prepare {compiled.string!r}: it has expanding parameters")
    if "POSTCOMPILE" in compiled.string:  # values SQLAlchemy writes into the SQL (LIMIT 1)
        compiled = statement.compile(  # type: ignore[attr-defined]
            dialect=dialect, column_keys=columns, compile_kwargs={"render_postcompile": True}
        )
    entries: dict[str, tuple[Processor | None, Any]] = {}
    for bind, name in compiled.bind_names.items():
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        entries[name] = (processor, _REQUIRED if bind.required else bind.effective_value)
    positional = compiled.positiontup is not None
    # Positional styles: one value per placeholder, in order (a name used twice, twice).
    order = compiled.positiontup if compiled.positiontup is not None else list(entries)
    binds = tuple((name, entries[name][1]) for name in order)
    processors = tuple(
        (index, processor)
        for index, processor in enumerate(entries[name][0] for name in order)
        if processor is not None
    )
    returned = getattr(statement, "exported_columns", ())
    results = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in returned
    )
    return _Compiled(compiled.string, binds, processors, positional, results)


def _run(connection: Connection, sql: str, parameters: Any, *, many: bool) -> list[Any]:
    if not connection.in_transaction():  # SQLAlchemy would not know to commit the work
        raise InvalidRequestError("prepared statements run inside the connection's begin()")
    dialect = connection.dialect
    raw = connection.connection.dbapi_connection
    if raw is None:
        raise ResourceClosedError("the connection is closed")
    cursor = raw.cursor()
    try:
        # Calling the dispatcher costs more than the rest of this function, and the
        # engine always has listeners (connect, begin) though rarely this one: ask first.
        listeners = connection.dispatch.before_cursor_execute
        if listeners:
            listeners(connection, cursor, sql, parameters, None, many)
        if many:
            cursor.executemany(sql, parameters)
            return []
        cursor.execute(sql, parameters)
        return list(cursor.fetchall()) if cursor.description else []
    except dialect.loaded_dbapi.Error as exc:
        lost = dialect.is_disconnect(exc, raw, cursor)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            sql, parameters, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost
        ) from exc
    finally:
        cursor.close()
