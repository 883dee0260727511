"""What the scheduler daemon tells its operator: plain text lines, or one JSON object a line.

Everything goes through `logging`, so APScheduler's own warnings (a missed run, a pass still
busy when its next run came) land in the same stream and format as the daemon's events.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

LOGGER_NAME = "newsarchive.schedule"
LIBRARY_LOGGER = "apscheduler"
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(message)s"


class JsonLineFormatter(logging.Formatter):
    """`{"time", "level", "event", "message", ...data}`; library records get event "log"."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", "log"),
            "message": record.getMessage(),
            **getattr(record, "data", {}),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class EventLog:
    """A process's events on logger `name` (with `libraries`' loggers at their levels): text
    lines on a terminal, JSON lines otherwise, the same format for every daemon."""

    def __init__(self, name: str, libraries: Sequence[tuple[str, int]] = ()) -> None:
        self.log = logging.getLogger(name)
        self.loggers = [(self.log, logging.INFO)]
        self.loggers += [(logging.getLogger(lib), level) for lib, level in libraries]

    def event(self, name: str, message: str, *, level: int = logging.INFO, **data: Any) -> None:
        """One event: `message` for people, `name` and `data` for the JSON line."""
        self.log.log(level, message, extra={"event": name, "data": data})

    def failure(self, name: str, message: str, **data: Any) -> None:
        """An error event with the traceback of the exception being handled."""
        self.log.error(message, exc_info=True, extra={"event": name, "data": data})

    def log_to(self, stream: IO[str], as_json: bool) -> logging.Handler:
        """Send the events to `stream`; undo with `unhook`."""
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonLineFormatter() if as_json else logging.Formatter(TEXT_FORMAT))
        for logger, level in self.loggers:
            logger.setLevel(level)
            logger.addHandler(handler)
        return handler

    def unhook(self, handler: logging.Handler) -> None:
        for logger, _ in self.loggers:
            logger.removeHandler(handler)
        handler.close()


# The daemon's events, and APScheduler's warnings in the same stream and format.
_events = EventLog(LOGGER_NAME, [(LIBRARY_LOGGER, logging.WARNING)])
event, failure = _events.event, _events.failure
log_to, unhook = _events.log_to, _events.unhook
