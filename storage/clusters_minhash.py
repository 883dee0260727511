"""MinHash signatures of article bodies and the LSH band keys that find near-duplicates.

Republished wire copy keeps most of its wording: a new first line, a dropped paragraph, a
site's own sign-off. Bodies are cut into overlapping runs of `SHINGLE_WORDS` words; two
bodies are near-duplicates when the MinHash estimate of their shingles' Jaccard similarity
reaches `JACCARD_THRESHOLD` and they share at least one LSH band key (the candidate test a
database index can answer). Both tests are deterministic, so every process agrees.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SEED = 1
SHINGLE_WORDS = 5
# Shorter bodies (briefs, captions-only pages) say too little to tell stories apart.
MIN_WORDS = 40
JACCARD_THRESHOLD = 0.5

Signature = npt.NDArray[np.uint64]

_WORD = re.compile(r"[^\W_]+")
_STORED_DTYPE = "<u8"


@cache
def lsh_shape() -> tuple[int, int]:
    """(bands, rows per band) datasketch finds best for the threshold."""
    lsh = MinHashLSH(threshold=JACCARD_THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


@cache
def method() -> str:
    """How signatures are made; signatures made otherwise are recomputed, never compared.

    datasketch 2 changed its permutation scheme, so the scheme is part of the name.
    """
    scheme = getattr(MinHash(num_perm=1, seed=SEED), "scheme", "legacy")
    return f"minhash/{scheme}/p{NUM_PERM}/s{SEED}/w{SHINGLE_WORDS}"


def shingles(body: str) -> set[bytes] | None:
    """The body's word shingles, or None when it is too short to compare."""
    words = _WORD.findall(body.casefold())
    if len(words) < max(MIN_WORDS, SHINGLE_WORDS):
        return None
    runs = (words[i : i + SHINGLE_WORDS] for i in range(len(words) - SHINGLE_WORDS + 1))
    return {" ".join(run).encode() for run in runs}


def sketches(bodies: list[str]) -> list[Sketch | None]:
    """The sketch of each body (None for a body too short to compare)."""
    sets = [shingles(body) for body in bodies]
    made = iter(MinHash.bulk([s for s in sets if s is not None], num_perm=NUM_PERM, seed=SEED))
    return [None if s is None else Sketch.of(next(made).hashvalues) for s in sets]


@dataclass(frozen=True, slots=True)
class Sketch:
    """A body's MinHash signature and its LSH band keys (one signed 64-bit key per band)."""

    signature: Signature
    keys: tuple[int, ...]

    @classmethod
    def of(cls, hashes: npt.ArrayLike) -> Sketch:
        signature = np.asarray(hashes, dtype=np.uint64)
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


def _band_keys(signature: Signature) -> list[int]:
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
