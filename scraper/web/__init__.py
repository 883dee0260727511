"""The read-only web interface for researchers: `newsarchive serve` runs `create_app(archive)`.

Server-rendered pages (search, article, history, diff, health, a chart of articles over
time) and a JSON API under /api/, all over `storage.Archive` opened read-only.
"""

from scraper.web.app import create_app

__all__ = ["create_app"]
