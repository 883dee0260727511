"""MinHash signatures of article bodies and the LSH band keys that find near-duplicates.

Republished wire copy keeps most of its wording: a new first line, a dropped paragraph, a
site's own sign-off. Bodies are cut into overlapping runs of `SHINGLE_WORDS` words; two
bodies are near-duplicates when the MinHash estimate of their shingles' Jaccard similarity
reaches `JACCARD_THRESHOLD` and they share at least one LSH band key (the candidate test a
database index can answer). Both tests are deterministic, so every process agrees.

The permutations are datasketch's (`MinHash.bulk`), computed in the parsing processes
when a crawl files records, so the one filing process never hashes bodies itself. The
shingles reach datasketch already hashed to 32 bits (all it keeps of its default, the first
4 bytes of a SHA-1): each word's CRC-32, then each run of words combined in numpy. Joining,
encoding and SHA-1-hashing every shingle in Python was two thirds of sketching a body.
datasketch is imported when first used: it brings in scipy, a third of a second at every
start of a command that never clusters.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
SEED = 1
SHINGLE_WORDS = 5
# Shorter bodies (briefs, captions-only pages) say too little to tell stories apart.
MIN_WORDS = 40
JACCARD_THRESHOLD = 0.5
# Sketches a crawl keeps for its clustering step at most (under 2 KB each).
SIGNED_LIMIT = 20_000

# datasketch keeps hash values below 2**32, so four bytes hold each one losslessly.
Signature = npt.NDArray[np.uint32]

_WORD = re.compile(r"[^\W_]+")
# A run of words hashes as the polynomial of its words' CRC-32s in this prime (the largest
# below 2**32), modulo 2**32: under 2**64 at every step, so uint64 arithmetic is exact.
_RUN_BASE = np.uint64(4_294_967_291)
_LOW_32 = np.uint64(0xFFFF_FFFF)
_STORED_DTYPE = "<u4"


# How datasketch weighs (false positives, false negatives) when it picks the banding. A
# candidate pair is confirmed by the similarity estimate (`Sketch.near`), so a false one
# costs a comparison while a missed one leaves a story out of its cluster: 32 bands of 4
# rows find 87% of pairs at the threshold and 99.6% at 0.63, where weighing both alike (25
# bands of 5) found 55% and 93%.
LSH_WEIGHTS = (0.1, 0.9)


@cache
def lsh_shape() -> tuple[int, int]:
    """(bands, rows per band) that datasketch finds best for the threshold and weights."""
    from datasketch import MinHashLSH  # imported when first needed: it brings in scipy

    lsh = MinHashLSH(threshold=JACCARD_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    return int(lsh.b), int(lsh.r)


def _empty_minhash() -> MinHash:
    """A new MinHash sharing the seeded permutations, which are drawn once per process
    (drawing them costs as much as hashing a short article)."""
    from datasketch import MinHash

    template = _template()
    return MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=int,  # the values handed over are 32-bit hashes already
        permutations=template.permutations,
        scheme=template.scheme,
    )


@cache
def _template() -> MinHash:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)


@cache
def method() -> str:
    """How signatures are made; signatures made otherwise are recomputed, never compared.

    datasketch 2 changed its permutation scheme, so the scheme is part of the name, and so
    is the shingle hash (signatures made with datasketch's SHA-1 before are made again)."""
    from datasketch import MinHash

    scheme = getattr(MinHash(num_perm=1, seed=SEED), "scheme", "legacy")
    bands, rows = lsh_shape()
    return f"minhash/{scheme}/crc32/p{NUM_PERM}b{bands}r{rows}/s{SEED}/w{SHINGLE_WORDS}"


def words_of(body: str) -> list[str]:
    return _WORD.findall(body.casefold())


def sketch_of(body: str) -> Sketch | None:
    """The body's sketch, or None when it is too short to compare."""
    words = words_of(body)
    if len(words) < max(MIN_WORDS, SHINGLE_WORDS):
        return None
    minhash = _empty_minhash()
    minhash.update_batch(shingle_hashes(words))
    return Sketch.of(minhash.hashvalues)


def shingle_hashes(words: list[str]) -> npt.NDArray[np.uint64]:
    """Each distinct run of `SHINGLE_WORDS` words (of all, when fewer) as a 32-bit hash."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    word_hashes = np.fromiter(
        (zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words)
    )
    runs = max(len(words) - SHINGLE_WORDS + 1, 1)
    hashes = np.zeros(runs, dtype=np.uint64)
    for offset in range(min(SHINGLE_WORDS, len(words))):
        hashes = (hashes * _RUN_BASE + word_hashes[offset : offset + runs]) & _LOW_32
    return np.unique(hashes)


@dataclass(frozen=True, slots=True)
class Sketch:
    """A body's MinHash signature and its LSH band keys (one signed 64-bit key per band)."""

    signature: Signature
    keys: tuple[int, ...]

    @classmethod
    def of(cls, hashes: npt.ArrayLike) -> Sketch:
        signature = np.asarray(hashes, dtype=np.uint32)
        if signature.shape != (NUM_PERM,):
            raise ValueError(f"a signature has {NUM_PERM} values, not {signature.shape}")
        return cls(signature, tuple(_band_keys(signature)))

    @classmethod
    def decode(cls, stored: bytes) -> Sketch:
        return cls.of(np.frombuffer(stored, dtype=_STORED_DTYPE))

    def encode(self) -> bytes:
        return self.signature.astype(_STORED_DTYPE).tobytes()

    def similarity(self, other: Sketch) -> float:
        """The MinHash estimate of the two bodies' Jaccard similarity."""
        return float(np.count_nonzero(self.signature == other.signature)) / len(self.signature)

    def near(self, other: Sketch) -> bool:
        """Near-duplicates: an LSH candidate pair (a shared key) and similar enough."""
        shares_a_band = not set(self.keys).isdisjoint(other.keys)
        return shares_a_band and self.similarity(other) >= JACCARD_THRESHOLD


class SignedVersions:
    """Sketches of versions' bodies made before clustering (by a crawl's parsing processes),
    by article id and version number, so `Clusters.update` need not read and hash them.

    The latest `limit` are kept (a long crawl's memory stays bounded, and the versions
    clustered as they were filed are the earlier ones); a version whose sketch was dropped
    is hashed from the database when clustered, like any other.
    """

    def __init__(self, limit: int = SIGNED_LIMIT) -> None:
        self.limit = limit
        self._sketches: dict[tuple[int, int], Sketch | None] = {}

    def add(self, article_id: int, version_no: int, sketch: Sketch | None) -> None:
        self._sketches[(article_id, version_no)] = sketch
        if len(self._sketches) > self.limit:
            del self._sketches[next(iter(self._sketches))]

    def get(self, article_id: int, version_no: int) -> Sketch | None:
        """The version's sketch (None: too short to compare); KeyError when not handed over."""
        return self._sketches[(article_id, version_no)]

    def __contains__(self, version: object) -> bool:
        return version in self._sketches

    def __len__(self) -> int:
        return len(self._sketches)


def _band_keys(signature: Signature) -> list[int]:
    """Each band's number and rows hashed to one signed 64-bit key (the stored form).

    A key shared by chance only makes a candidate pair, which `Sketch.near` then rejects."""
    bands, rows = lsh_shape()
    stored = signature.astype(_STORED_DTYPE)
    return [
        int.from_bytes(
            hashlib.blake2b(
                band.to_bytes(2, "big") + stored[band * rows : (band + 1) * rows].tobytes(),
                digest_size=8,
            ).digest(),
            "big",
            signed=True,
        )
        for band in range(bands)
    ]
