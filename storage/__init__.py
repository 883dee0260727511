"""The archive: records, versions, the raw WARC store, search and exports.

Imports only the parsers' record types, so the store can be used without the crawler.
"""
