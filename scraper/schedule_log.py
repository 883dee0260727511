"""What the scheduler daemon tells its operator: plain text lines, or one JSON object a line.

Everything goes through `logging`, so APScheduler's own warnings (a missed run, a pass still
busy when its next run came) land in the same stream and format as the daemon's events.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import IO, Any

LOGGER_NAME = "newsarchive.schedule"
LIBRARY_LOGGER = "apscheduler"
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(message)s"

log = logging.getLogger(LOGGER_NAME)


def event(name: str, message: str, *, level: int = logging.INFO, **data: Any) -> None:
    """One event: `message` for people, `name` and `data` for the JSON line."""
    log.log(level, message, extra={"event": name, "data": data})


def failure(name: str, message: str, **data: Any) -> None:
    """An error event with the traceback of the exception being handled."""
    log.error(message, exc_info=True, extra={"event": name, "data": data})


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


def log_to(stream: IO[str], as_json: bool) -> logging.Handler:
    """Send the daemon's events (and APScheduler's warnings) to `stream`; undo with `unhook`."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter() if as_json else logging.Formatter(TEXT_FORMAT))
    for name, level in ((LOGGER_NAME, logging.INFO), (LIBRARY_LOGGER, logging.WARNING)):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
    return handler


def unhook(handler: logging.Handler) -> None:
    for name in (LOGGER_NAME, LIBRARY_LOGGER):
        logging.getLogger(name).removeHandler(handler)
    handler.close()
