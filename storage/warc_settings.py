"""Defaults of the raw WARC archive, in one place so the CLI and the crawler agree."""

from __future__ import annotations

from pathlib import Path

DEFAULT_WARC_ROOT = Path("data/warc")
# Files are closed once they pass this size; 1 GiB is the usual web-archive file size.
DEFAULT_MAX_FILE_BYTES = 1 << 30
DEFAULT_PREFIX = "newsarchive"
WARC_VERSION = "1.1"
