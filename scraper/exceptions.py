"""Errors of the scraper package: each ends a command with one clear line and an exit code."""


class ScraperError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(ScraperError):
    """Bad input a user can fix: a missing file, a malformed date, a bad URL."""

    exit_code = 2


class DiscoveryError(ScraperError):
    """A feed, sitemap or section page that cannot be read; names the source and the reason.

    The crawler records it against the source and carries on with the others.
    """


class MalformedXmlError(DiscoveryError):
    """Not well-formed XML, a corrupt gzip layer, or XML that is no sitemap or feed."""


class UnsafeXmlError(DiscoveryError):
    """XML that declares entities or external references: refused before any expansion."""


class DocumentTooLargeError(DiscoveryError):
    """A document (or what its gzip layer inflates to) larger than the configured cap."""


class ConfigError(UsageError):
    """schedules.yaml (or an environment override) is not usable: names the file, line and key."""


class InvalidURLError(UsageError):
    """A URL handed to the fetcher that is not an absolute http(s) URL with a host."""


class FetchError(ScraperError):
    """Why a page could not be fetched. The fetcher returns these in `FetchResult`
    (`error_kind` is the class's `kind`) and never raises them to its caller."""

    kind = "fetch"


class UnsafeURLError(FetchError):
    """A scheme other than http(s), or a host resolving to a private or other internal address."""

    kind = "unsafe_url"


class RobotsDisallowedError(FetchError):
    """robots.txt forbids the URL (or could not be read, which forbids everything for now)."""

    kind = "robots_disallowed"


class HostDeferredError(FetchError):
    """The host asked (Retry-After) to be left alone for longer than the fetcher waits."""

    kind = "deferred"


class FetchTimeoutError(FetchError):
    """No connection, no response or no complete body within the configured time."""

    kind = "timeout"


class ConnectionFailedError(FetchError):
    """The host could not be resolved or reached, or it reset or dropped the connection."""

    kind = "connection"


class ProtocolViolationError(FetchError):
    """The server broke HTTP in a way a retry will not fix."""

    kind = "protocol"


class RedirectError(FetchError):
    """A redirect without a usable Location."""

    kind = "bad_redirect"


class TooManyRedirectsError(RedirectError):
    """More redirects than the configured maximum."""

    kind = "too_many_redirects"


class RedirectLoopError(RedirectError):
    """A redirect back to a URL already visited in the same fetch."""

    kind = "redirect_loop"


class ResponseTooLargeError(FetchError):
    """A body over the byte cap, as sent or once decompressed (a gzip bomb)."""

    kind = "too_large"


class ContentTypeRefusedError(FetchError):
    """A content type the caller did not ask for (an image, a PDF where HTML was wanted)."""

    kind = "content_type"


class ContentDecodingError(FetchError):
    """A Content-Encoding that is unknown or whose data is corrupt."""

    kind = "decoding"


class RobotsUnreachableError(RobotsDisallowedError):
    """robots.txt could not be read (5xx, 429, network failure): nothing is fetched from the
    host until it can be, which is usually soon; unlike a disallow, worth trying again."""

    kind = "robots_unreachable"


class StoppedWaiting(ScraperError):
    """A worker was told to stop while a request waited for its turn at a host: the request
    was never sent, so its URL goes back to the frontier for another worker."""
