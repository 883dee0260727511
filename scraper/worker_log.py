"""What a worker tells its operator: text lines on a terminal, JSON lines otherwise.

The same line format as the scheduler daemon's (`scraper.schedule_log`), on a logger of its
own, so a log shipper reads both alike.
"""

from __future__ import annotations

from scraper.schedule_log import EventLog

LOGGER_NAME = "newsarchive.worker"

_events = EventLog(LOGGER_NAME)
event, failure = _events.event, _events.failure
log_to, unhook = _events.log_to, _events.unhook
