"""Every exchange goes to the WARC files first, then its fetch row to the database.

In that order, so a crash between the two leaves an archived response without a row (which
`warc verify` lists and `reparse` still reads), never a row pointing at nothing. Both calls
block on disk, so they run in worker threads and the event loop keeps fetching.
"""

from __future__ import annotations

import asyncio

from scraper.fetch_result import FetchResult
from storage.contract import FetchInfo
from storage.store import Store
from storage.warc import HttpRequest, HttpResponse, WarcArchive, WarcRef, payload_digest


class Recorder:
    """Archive one fetch result and file its row; returns the row id and the WARC reference."""

    def __init__(self, store: Store, archive: WarcArchive) -> None:
        self.store = store
        self.archive = archive

    async def capture(
        self, result: FetchResult, site: str, previous: WarcRef | None
    ) -> tuple[int, WarcRef | None]:
        if result.request is None or result.status is None:
            info = FetchInfo(
                url=result.url,
                fetched_at=result.fetched_at,
                final_url=result.final_url,
                error=_error(result),
                site=site,
            )
            return await asyncio.to_thread(self.store.record_fetch, info), None
        ref = await asyncio.to_thread(self._archive, result, previous)
        info = FetchInfo(
            url=result.url,
            fetched_at=result.fetched_at,
            status=result.status,
            final_url=result.final_url,
            content_type=result.content_type,
            warc_file=ref.filename,
            warc_offset=ref.offset,
            warc_length=ref.length,
            payload_digest=ref.payload_digest,
            warc_record_id=ref.record_id,
            revisit=_is_revisit(result, previous),
            error=_error(result),
            site=site,
        )
        return await asyncio.to_thread(self.store.record_fetch, info), ref

    def _archive(self, result: FetchResult, previous: WarcRef | None) -> WarcRef:
        assert result.request is not None and result.status is not None
        request = HttpRequest(result.request.method, result.request.url, result.request.headers)
        response = HttpResponse(result.status, result.reason, result.headers, result.body)
        return self.archive.write_fetch(
            request, response, result.fetched_at, previous, ip=result.ip
        )


def _is_revisit(result: FetchResult, previous: WarcRef | None) -> bool:
    if result.status == 304:
        return True
    return previous is not None and previous.payload_digest == payload_digest(result.body)


def _error(result: FetchResult) -> str | None:
    if result.error_kind is None:
        return None
    return f"{result.error_kind}: {result.error_message or ''}".strip()
