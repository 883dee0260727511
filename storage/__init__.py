"""The archive: records, versions, the raw WARC store, search and exports.

Imports only the parsers' record types, so the store can be used without the crawler.
"""

from storage.archive import Archive
from storage.contract import FetchInfo, SaveResult
from storage.db import Database, open_database
from storage.store import Store

__all__ = ["Archive", "Database", "FetchInfo", "SaveResult", "Store", "open_database"]
