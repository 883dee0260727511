"""Errors of the storage package."""


class StorageError(Exception):
    """Base class for errors raised by the storage package."""


class DatabaseUrlError(StorageError):
    """The database URL cannot be used (malformed, or its driver is not installed)."""


class SaveConflictError(StorageError):
    """A save kept losing races with other writers and gave up."""


class WarcError(StorageError):
    """Base class for errors of the raw WARC archive."""


class WarcReferenceError(WarcError):
    """A stored (file, offset, length, record id) does not lead to the record it names."""


class WarcReadError(WarcError):
    """An archived record cannot be read: damaged bytes, a failed digest, not a WARC record."""


class WarcWriteError(WarcError):
    """A record could not be written; the partial bytes were cut off again where possible."""


class ArchiveFullError(WarcWriteError):
    """The WARC folder's disk (or the user's quota there) is full: no record can be written
    until space is freed, so a crawl stops rather than fetch pages it cannot keep."""

    kind = "disk_full"


class RevisitMismatchError(WarcError):
    """An identical-payload revisit was asked for a body whose digest differs from the original."""


class RecordError(StorageError):
    """A record the store cannot file (no http(s) URL to give it an identity)."""


class SearchQueryError(StorageError):
    """A search the archive cannot run as asked (no words to look for, a naive date, ...)."""


class ArticleNotFoundError(StorageError):
    """No archived article answers to the id or URL given."""


class VersionNotFoundError(StorageError):
    """The article has no version with the number given."""


class ArchiveNotFoundError(StorageError):
    """Opening an archive to read found no archive there (or one this version cannot read)."""


class ExportError(StorageError):
    """An export cannot be written as asked (an unknown format, a missing optional library)."""


class NeedsPostgresError(StorageError):
    """A feature that only PostgreSQL can carry (row locks skipped with SKIP LOCKED, one
    clock for every machine) was asked of another database."""
