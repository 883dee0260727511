"""MinHash sketches: estimates that track the shingles' Jaccard similarity, words compared
without case or punctuation, the same signature in every process and for every block size,
and signatures that never change under one method name (they are stored and compared)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

from storage.clusters_minhash import (
    JACCARD_THRESHOLD,
    NUM_PERM,
    SHINGLE_WORDS,
    SignedVersions,
    Sketch,
    lsh_shape,
    method,
    shingle_hashes,
    sketch_of,
    words_of,
)

# A vocabulary without repeats: every run of five words is a distinct shingle.
WORDS = [f"w{number}x" for number in range(2000)]


def _body(start: int, stop: int) -> str:
    return " ".join(WORDS[start:stop])


def _jaccard(one: str, other: str) -> float:
    def shingles(body: str) -> set[tuple[str, ...]]:
        words = words_of(body)
        return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - 4)}

    first, second = shingles(one), shingles(other)
    return len(first & second) / len(first | second)


def _sketch(body: str) -> Sketch:
    sketch = sketch_of(body)
    assert sketch is not None
    return sketch


@pytest.mark.parametrize("shift", [0, 20, 60, 100, 150, 200, 300, 400])
def test_the_estimate_follows_the_jaccard_similarity(shift: int) -> None:
    one, other = _body(0, 400), _body(shift, 400 + shift)
    # Three standard deviations of an estimate from 128 permutations, at most.
    assert abs(_sketch(one).similarity(_sketch(other)) - _jaccard(one, other)) <= 0.14


def test_near_duplicates_are_near_and_other_stories_are_not() -> None:
    story = _body(0, 300)
    rewritten = _body(0, 30) + " a new opening line " + _body(40, 300) + " follow us"
    other = _body(1000, 1300)

    assert _jaccard(story, rewritten) > 0.7 and _sketch(story).near(_sketch(rewritten))
    assert not _sketch(story).near(_sketch(other))
    assert _sketch(story).similarity(_sketch(other)) < JACCARD_THRESHOLD


def test_case_and_punctuation_do_not_matter() -> None:
    plain = "the council cleared the drones " * 10
    printed = "The Council cleared -- the DRONES! " * 10

    assert _sketch(plain).encode() == _sketch(printed).encode()


def test_short_bodies_get_no_sketch() -> None:
    assert sketch_of(_body(0, 39)) is None
    assert sketch_of(_body(0, 40)) is not None


def test_every_process_makes_the_same_signature() -> None:
    code = (
        "from storage.clusters_minhash import sketch_of;"
        f"print(sketch_of({_body(0, 300)!r}).encode().hex())"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert bytes.fromhex(out.stdout.strip()) == _sketch(_body(0, 300)).encode()


def test_signatures_under_this_method_name_never_change() -> None:
    # Stored signatures are compared with new ones made under the same name: a change to
    # how they are made must come with a new name, which has them all remade.
    digest = hashlib.blake2b(_sketch(_body(0, 300)).encode(), digest_size=8).hexdigest()

    assert method() == "minhash/affine32/crc32/p128b32r4/s1/w5"
    assert digest == "3746f7e7afd7e9a3"


def test_each_distinct_run_of_words_gets_its_own_hash() -> None:
    words = WORDS[:1000]
    twice = words[:500] + words[:500]  # runs met twice count once
    runs_twice = {tuple(twice[i : i + SHINGLE_WORDS]) for i in range(len(twice) - 4)}

    assert len(shingle_hashes(words)) == len(words) - SHINGLE_WORDS + 1  # no collision
    assert len(shingle_hashes(twice)) == len(runs_twice) < len(twice) - 4
    assert not set(shingle_hashes(words[:5])) & set(shingle_hashes(words[:5][::-1]))
    assert len(shingle_hashes(words[:3])) == 1 and len(shingle_hashes([])) == 0


def test_a_sketch_reads_back_from_its_stored_form() -> None:
    sketch = _sketch(_body(0, 300))
    again = Sketch.decode(sketch.encode())

    assert again.keys == sketch.keys and len(sketch.keys) == lsh_shape()[0]
    assert np.array_equal(again.signature, sketch.signature)
    with pytest.raises(ValueError, match="signature"):
        Sketch.of(sketch.signature[:-1])


def test_banding_makes_candidates_of_similar_pairs_and_few_of_others() -> None:
    bands, rows = lsh_shape()

    def candidate(similarity: float) -> float:
        return 1 - (1 - similarity**rows) ** bands

    assert bands * rows <= NUM_PERM
    # Tuned for recall (`Sketch.near` confirms each candidate): most pairs at the threshold,
    # nearly all a little above it, few unrelated stories.
    assert candidate(JACCARD_THRESHOLD) > 0.85 and candidate(0.63) > 0.99
    assert candidate(0.1) < 0.005


def test_handed_over_sketches_keep_the_latest_within_their_limit() -> None:
    signed = SignedVersions(limit=2)
    sketches = [_sketch(_body(n, n + 100)) for n in range(3)]
    for article_id, sketch in enumerate(sketches, start=1):
        signed.add(article_id, 1, sketch)

    assert len(signed) == 2 and (1, 1) not in signed
    assert signed.get(2, 1) is sketches[1] and signed.get(3, 1) is sketches[2]
    assert (3, 2) not in signed  # another version of the article was not handed over
