"""Errors of the storage package."""


class StorageError(Exception):
    """Base class for errors raised by the storage package."""
