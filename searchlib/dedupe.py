"""Near-duplicates: the same wire story published by several outlets.

Two articles are near-duplicates when the sets of their word 5-grams ("shingles") overlap a
lot (Jaccard similarity). Comparing every pair is quadratic, so each article gets a MinHash
signature (the smallest of each of ``NUM_HASHES`` salted hashes over its shingles: two
signatures agree in a position with probability equal to the Jaccard similarity) and the
signature is cut into ``BANDS`` bands; articles that share a band are candidates, and a
candidate is a duplicate when its estimated similarity reaches ``THRESHOLD``.

No Whoosh here: the indexer asks ``DuplicateFinder`` for a cluster id per article and stores it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SHINGLE_WORDS = 5
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS
THRESHOLD = 0.5
"""Estimated Jaccard similarity of shingles from which two articles count as the same story.

Syndicated copies with a changed headline, credit line or last paragraph score 0.6-0.95;
separate reports of the same event score below 0.2 (measured on the dev corpus, see README).
"""
MIN_SHINGLES = 8
"""Texts shorter than this (in shingles) are never called duplicates: too little evidence."""

_MERSENNE = (1 << 61) - 1
_WORD = re.compile(r"\w+", re.UNICODE)
Signature = tuple[int, ...]


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """The hashed word ``size``-grams of ``text``, case and punctuation ignored."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return frozenset([_hash64(" ".join(words))]) if words else frozenset()
    return frozenset(_hash64(" ".join(words[i : i + size])) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Exact similarity of two shingle sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def signature(shingle_set: Iterable[int]) -> Signature:
    """The MinHash signature of a shingle set: one minimum per salted hash function."""
    values = list(shingle_set)
    if not values:
        return ()
    return tuple(min((a * x + b) % _MERSENNE for x in values) for a, b in _PERMUTATIONS)


def similarity(a: Signature, b: Signature) -> float:
    """The share of positions where two signatures agree: an estimate of Jaccard similarity."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def band_keys(sig: Signature) -> list[str]:
    """One short key per band of the signature; articles sharing a key are candidates."""
    if not sig:
        return []
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=6).hexdigest()
        keys.append(f"{band:02d}{digest}")
    return keys


def same_story(a: frozenset[int], b: frozenset[int], threshold: float = THRESHOLD) -> bool:
    """Exact check of two shingle sets, for a handful of comparisons (no signatures needed)."""
    return min(len(a), len(b)) >= MIN_SHINGLES and jaccard(a, b) >= threshold


@dataclass
class DuplicateFinder:
    """Assigns each article a cluster id: the id of the first article of its story.

    Seeded with the articles already indexed (``add_known``), so an incremental update puts a
    new copy of an old story in the old story's cluster. Memory: one band table entry per
    article and band.
    """

    threshold: float = THRESHOLD
    _bands: dict[str, list[int]] = field(default_factory=dict)
    _signatures: list[Signature] = field(default_factory=list)
    _clusters: list[str] = field(default_factory=list)

    def add_known(self, cluster: str, sig: Sequence[int]) -> None:
        """Remember an article that is already in the index with its cluster id."""
        self._remember(tuple(sig), cluster)

    def assign(self, article_id: str, text: str) -> tuple[str, Signature]:
        """The cluster id for a new article and its signature (to store beside it)."""
        shingle_set = shingles(text)
        if len(shingle_set) < MIN_SHINGLES:
            return article_id, ()
        sig = signature(shingle_set)
        cluster = self._best_match(sig) or article_id
        self._remember(sig, cluster)
        return cluster, sig

    def _best_match(self, sig: Signature) -> str | None:
        best, best_score = None, self.threshold
        seen: set[int] = set()
        for key in band_keys(sig):
            for position in self._bands.get(key, ()):
                if position in seen:
                    continue
                seen.add(position)
                score = similarity(sig, self._signatures[position])
                if score >= best_score:
                    best, best_score = self._clusters[position], score
        return best

    def _remember(self, sig: Signature, cluster: str) -> None:
        if not sig:
            return
        position = len(self._signatures)
        self._signatures.append(sig)
        self._clusters.append(cluster)
        for key in band_keys(sig):
            self._bands.setdefault(key, []).append(position)


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _permutations(count: int) -> tuple[tuple[int, int], ...]:
    """Fixed salts, derived from their position: the same on every machine and every run."""
    pairs = []
    for i in range(count):
        digest = hashlib.blake2b(f"searchlib-minhash-{i}".encode(), digest_size=16).digest()
        a = int.from_bytes(digest[:8], "big") % (_MERSENNE - 1) + 1
        b = int.from_bytes(digest[8:], "big") % _MERSENNE
        pairs.append((a, b))
    return tuple(pairs)


_PERMUTATIONS = _permutations(NUM_HASHES)
