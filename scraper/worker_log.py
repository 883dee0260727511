"""What a worker tells its operator: text lines on a terminal, JSON lines otherwise.

The same line format as the scheduler daemon's (`scraper.schedule_log`), on a logger of its
own, so a log shipper reads both alike.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from scraper.schedule_log import TEXT_FORMAT, JsonLineFormatter

LOGGER_NAME = "newsarchive.worker"

log = logging.getLogger(LOGGER_NAME)


def event(name: str, message: str, *, level: int = logging.INFO, **data: Any) -> None:
    """One event: `message` for people, `name` and `data` for the JSON line."""
    log.log(level, message, extra={"event": name, "data": data})


def failure(name: str, message: str, **data: Any) -> None:
    """An error event with the traceback of the exception being handled."""
    log.error(message, exc_info=True, extra={"event": name, "data": data})


def log_to(stream: IO[str], as_json: bool) -> logging.Handler:
    """Send the worker's events to `stream`; undo with `unhook`."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter() if as_json else logging.Formatter(TEXT_FORMAT))
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    return handler


def unhook(handler: logging.Handler) -> None:
    log.removeHandler(handler)
    handler.close()
