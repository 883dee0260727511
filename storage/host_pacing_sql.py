"""The statements of `storage.host_pacing`: each step of a host's pacing is one statement.

A turn is granted by one atomic `UPDATE ... WHERE next_allowed_at <= now AND in_flight <
connections RETURNING`: two workers asking at once are ordered by the row lock, and the
second's condition is checked again on the first's result, so neither the gap nor the
connections can be exceeded. `in_flight` counts the host's rows in `host_slots`; every
statement that deletes slot rows takes what it deleted off the count, so the two agree.
"""

from __future__ import annotations

from sqlalchemy import bindparam, text
from sqlalchemy.types import Boolean, Float, Integer, String

_NOW = "statement_timestamp()"
_CRAWL_DELAY = "coalesce(CAST(:crawl_delay AS double precision), p.crawl_delay)"
_GAP = f"greatest(CAST(:min_delay AS double precision), {_CRAWL_DELAY}, p.backoff)"
# The back-off after an answer: grown (doubled, at least the first step) after a 429/503,
# else shrunk by the recovery factor and dropped below the floor.
_GROWN = "least(:cap, greatest(:first, 2 * greatest(p.min_delay, p.crawl_delay), 2 * p.backoff))"
_SHRUNK = "CASE WHEN p.backoff * :recovery < :floor THEN 0 ELSE p.backoff * :recovery END"
_BACKOFF = f"CASE WHEN :overloaded THEN {_GROWN} ELSE {_SHRUNK} END"
_BLOCK = (
    "CASE WHEN :overloaded THEN "
    f"least(coalesce(CAST(:retry_after AS double precision), {_GROWN}), :max_block) ELSE 0 END"
)

CREATE = text(
    f"""
INSERT INTO host_pacing (host, next_allowed_at, min_delay, crawl_delay, backoff,
                         max_connections, in_flight, updated_at)
VALUES (:host, {_NOW}, :min_delay, 0, 0, :connections, 0, {_NOW})
ON CONFLICT (host) DO NOTHING
"""
).bindparams(bindparam("min_delay", type_=Float), bindparam("connections", type_=Integer))

# A turn, when the host's next start has come and a connection is free; else what to wait
# for. The second half reads the row as the statement found it.
TAKE_TURN = text(
    f"""
WITH granted AS (
    UPDATE host_pacing AS p
    SET next_allowed_at = {_NOW} + make_interval(secs => {_GAP}),
        in_flight = p.in_flight + 1,
        min_delay = :min_delay,
        crawl_delay = {_CRAWL_DELAY},
        max_connections = :connections,
        updated_at = {_NOW}
    WHERE p.host = :host
      AND p.next_allowed_at <= {_NOW}
      AND p.in_flight < :connections
    RETURNING greatest(p.min_delay, p.crawl_delay, p.backoff) AS gap
), slot AS (
    INSERT INTO host_slots (host, token, holder, acquired_at, expires_at)
    SELECT :host, :token, :holder, {_NOW}, {_NOW} + make_interval(secs => :lease)
    FROM granted
)
SELECT true AS granted, gap, 0.0 AS wait, false AS busy, false AS stale FROM granted
UNION ALL
SELECT false, 0.0,
       greatest(0, extract(epoch FROM p.next_allowed_at - {_NOW}))::double precision,
       p.in_flight >= :connections,
       EXISTS (SELECT 1 FROM host_slots AS s WHERE s.host = p.host AND s.expires_at <= {_NOW})
FROM host_pacing AS p
WHERE p.host = :host AND NOT EXISTS (SELECT 1 FROM granted)
"""
).bindparams(
    bindparam("min_delay", type_=Float),
    bindparam("connections", type_=Integer),
    bindparam("lease", type_=Float),
    bindparam("holder", type_=String),
    bindparam("token", type_=String),
)

# The slot dropped; the next start a full gap after the request surely reached the host
# (`elapsed` seconds ago), and after any block the answer asked for.
END_TURN = text(
    f"""
WITH dropped AS (
    DELETE FROM host_slots WHERE host = :host AND token = :token RETURNING 1
)
UPDATE host_pacing AS p
SET in_flight = p.in_flight - (SELECT count(*) FROM dropped),
    backoff = {_BACKOFF},
    next_allowed_at = greatest(
        p.next_allowed_at,
        {_NOW} - make_interval(secs => :elapsed)
            + make_interval(secs => greatest(p.min_delay, p.crawl_delay, {_BACKOFF})),
        {_NOW} + make_interval(secs => {_BLOCK})),
    updated_at = {_NOW}
WHERE p.host = :host
RETURNING greatest(0, extract(epoch FROM p.next_allowed_at - {_NOW}))::double precision
"""
).bindparams(
    bindparam("overloaded", type_=Boolean),
    bindparam("elapsed", type_=Float),
    bindparam("cap", type_=Float),
    bindparam("first", type_=Float),
    bindparam("recovery", type_=Float),
    bindparam("floor", type_=Float),
    bindparam("max_block", type_=Float),
)

# Slots whose lease ran out (their worker died): dropped, and off the count.
DROP_STALE = text(
    f"""
WITH stale AS (
    DELETE FROM host_slots WHERE host = :host AND expires_at <= {_NOW} RETURNING 1
)
UPDATE host_pacing SET in_flight = in_flight - (SELECT count(*) FROM stale)
WHERE host = :host
"""
)

DROP_HOLDERS = text(
    """
WITH mine AS (DELETE FROM host_slots WHERE holder = :holder RETURNING host),
counted AS (SELECT host, count(*) AS n FROM mine GROUP BY host)
UPDATE host_pacing AS p SET in_flight = p.in_flight - counted.n
FROM counted WHERE p.host = counted.host
"""
)
