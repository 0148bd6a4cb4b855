"""Near-duplicates: the same wire story published by several outlets.

Two articles are near-duplicates when the sets of their word 5-grams ("shingles") overlap a
lot (Jaccard similarity). Comparing every pair is quadratic, so each article gets a MinHash
signature (the smallest of each of ``NUM_HASHES`` salted hashes over its shingles: two
signatures agree in a position with probability equal to the Jaccard similarity) cut into
``BANDS`` bands; articles that share a band are candidates, and a candidate is a duplicate when
its estimated similarity reaches ``THRESHOLD``. About 40 lines with hashlib and numpy; no
library needed.

Each article gets a cluster id, the id of the first article of its story, when it is indexed
(``DuplicateFinder.assign``). The ids and signatures are kept beside the index, like the file
table, in ``searchlib-clusters.json`` (``ClusterTable``), written after Whoosh's commit and
naming the Whoosh generation it describes; an update seeds the finder with it, so a new copy of
an old story joins the old story's cluster. A stale or missing table is rebuilt from the
articles' stored text. No Whoosh here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from searchlib.atomic import write_json_atomically

SHINGLE_WORDS = 5
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS
THRESHOLD = 0.5
"""Estimated Jaccard similarity of shingles from which two articles count as the same story.

Copies with another headline, credit line or last paragraph score 0.6-1.0; separate reports of
one event score below 0.35 on the dev corpus (see README).
"""
MIN_SHINGLES = 8
"""Texts shorter than this (in shingles) are never called duplicates: too little evidence."""
CLUSTER_FILE = "searchlib-clusters.json"
CLUSTER_IDS_FILE = "searchlib-cluster-ids.json"
"""The part of the table a search needs, small enough to read at every ``search`` command:
the cluster of each article that is not alone in a cluster named after itself."""
_FORMAT = 1

_PRIME = (1 << 31) - 1
_WORD = re.compile(r"\w+", re.UNICODE)
Signature = tuple[int, ...]


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """The hashed word ``size``-grams of ``text``, case and punctuation ignored (32-bit hashes)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return frozenset([_hash32(" ".join(words))]) if words else frozenset()
    return frozenset(_hash32(" ".join(words[i : i + size])) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Exact similarity of two shingle sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def same_story(a: frozenset[int], b: frozenset[int], threshold: float = THRESHOLD) -> bool:
    """Exact check of two shingle sets, for a handful of comparisons (no signatures needed)."""
    return min(len(a), len(b)) >= MIN_SHINGLES and jaccard(a, b) >= threshold


def signature(shingle_set: Iterable[int]) -> Signature:
    """The MinHash signature of a shingle set: one minimum per salted hash ``(a*x + b) mod p``."""
    values = np.fromiter(shingle_set, dtype=np.uint64)
    if not values.size:
        return ()
    hashed = (_A[:, None] * values[None, :] + _B[:, None]) % _PRIME
    return tuple(int(v) for v in hashed.min(axis=1))


def similarity(a: Signature, b: Signature) -> float:
    """The share of positions where two signatures agree: an estimate of Jaccard similarity."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def band_keys(sig: Signature) -> list[str]:
    """One key per band of the signature; articles sharing a key are candidates."""
    return [f"{band}:{sig[band * ROWS : (band + 1) * ROWS]}" for band in range(BANDS)] if sig else []


@dataclass(frozen=True)
class Clustered:
    """An article's cluster id and signature (empty for a text too short to compare)."""

    cluster: str
    signature: Signature = ()


class ClusterTable:
    """id -> ``Clustered`` for every article of one generation of the index."""

    def __init__(self, entries: Mapping[str, Clustered] | None = None) -> None:
        self.entries: dict[str, Clustered] = dict(entries or {})

    def members(self) -> dict[str, list[str]]:
        """cluster id -> the ids of its articles, for clusters of two or more."""
        groups: dict[str, list[str]] = {}
        for doc_id, item in self.entries.items():
            groups.setdefault(item.cluster, []).append(doc_id)
        return {cluster: sorted(ids) for cluster, ids in groups.items() if len(ids) > 1}

    def cluster_ids(self) -> dict[str, str]:
        """id -> cluster id for every article in a cluster of two or more, or in one named after
        another article (its first was deleted); any other article is its own cluster."""
        groups = self.members()
        return {
            doc_id: item.cluster
            for doc_id, item in self.entries.items()
            if item.cluster != doc_id or item.cluster in groups
        }

    @classmethod
    def load(cls, folder: Path, *, generation: int) -> ClusterTable | None:
        """The table of ``folder`` if it describes Whoosh generation ``generation``, else None."""
        try:
            data = json.loads((Path(folder) / CLUSTER_FILE).read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT or data.get("generation") != generation:
                return None
            entries = {
                doc_id: Clustered(str(cluster), _unpack(packed))
                for doc_id, (cluster, packed) in data["articles"].items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return cls(entries)

    def save(self, folder: Path, *, generation: int) -> None:
        """Write the table atomically, naming the Whoosh generation it describes."""
        data = {
            "format": _FORMAT,
            "generation": generation,
            "articles": {k: [v.cluster, _pack(v.signature)] for k, v in sorted(self.entries.items())},
        }
        clusters = dict(sorted(self.cluster_ids().items()))
        ids = {"format": _FORMAT, "generation": generation, "clusters": clusters}
        for name, value in ((CLUSTER_FILE, data), (CLUSTER_IDS_FILE, ids)):
            write_json_atomically(Path(folder) / name, value, prefix=".clusters-", separators=(",", ":"))


def load_cluster_ids(folder: Path, *, generation: int) -> dict[str, str] | None:
    """``ClusterTable.cluster_ids`` for Whoosh generation ``generation``; None without a table.

    A search reads the small ids file instead of the whole table: at 100,000 articles the table
    (with every signature) takes seconds to read, the ids a few milliseconds. An index from
    before the ids file has its table read without unpacking the signatures.
    """
    ids = _read_section(Path(folder) / CLUSTER_IDS_FILE, generation, "clusters")
    if ids is not None:
        return {str(doc_id): str(cluster) for doc_id, cluster in ids.items()}
    articles = _read_section(Path(folder) / CLUSTER_FILE, generation, "articles")
    if articles is None:
        return None
    return ClusterTable({doc_id: Clustered(str(item[0])) for doc_id, item in articles.items()}).cluster_ids()


def _read_section(path: Path, generation: int, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT or data.get("generation") != generation:
            return None
        return dict(data[key])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def finder_for(
    folder: Path, *, generation: int, documents: Callable[[], Iterable[tuple[str, str]]]
) -> DuplicateFinder:
    """A finder seeded with the articles of an index generation: from its cluster table, or,
    when the table is missing or stale (a writer killed after its commit, an index built before
    clusters existed), from ``documents()``, the (id, body) of every article, in index order."""
    table = ClusterTable.load(folder, generation=generation)
    if table is not None:
        return DuplicateFinder(table)
    finder = DuplicateFinder()
    for doc_id, body in documents():
        finder.assign(doc_id, body)
    return finder


class DuplicateFinder:
    """Assigns each article a cluster id: the id of the first article of its story.

    Seeded with a ``ClusterTable`` of the articles already indexed, so an incremental update
    puts a new copy of an old story in the old story's cluster. Memory: one band-table entry
    per article and band.
    """

    def __init__(self, table: ClusterTable | None = None, *, threshold: float = THRESHOLD) -> None:
        self.table = table or ClusterTable()
        self.threshold = threshold
        self._bands: dict[str, list[str]] = {}
        for doc_id, item in self.table.entries.items():
            self._index(doc_id, item.signature)

    def assign(self, article_id: str, text: str) -> str:
        """Record a new (or changed) article and return its cluster id."""
        self.forget(article_id)
        shingle_set = shingles(text)
        sig = signature(shingle_set) if len(shingle_set) >= MIN_SHINGLES else ()
        cluster = self._best_match(sig) or article_id
        self.table.entries[article_id] = Clustered(cluster, sig)
        self._index(article_id, sig)
        return cluster

    def forget(self, article_id: str) -> None:
        """Drop an article that left the index (its band entries are skipped from now on)."""
        self.table.entries.pop(article_id, None)

    def _best_match(self, sig: Signature) -> str | None:
        best, best_score = None, self.threshold
        seen: set[str] = set()
        for key in band_keys(sig):
            for other in self._bands.get(key, ()):
                item = self.table.entries.get(other)
                if other in seen or item is None:
                    continue
                seen.add(other)
                score = similarity(sig, item.signature)
                if score >= best_score:
                    best, best_score = item.cluster, score
        return best

    def _index(self, doc_id: str, sig: Signature) -> None:
        for key in band_keys(sig):
            self._bands.setdefault(key, []).append(doc_id)


def _hash32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "big")


def _pack(sig: Signature) -> str:
    return np.array(sig, dtype=">u4").tobytes().hex()


def _unpack(packed: str) -> Signature:
    return tuple(int(v) for v in np.frombuffer(bytes.fromhex(packed), dtype=">u4"))


def _salts(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed salts derived from their position: the same on every machine and every run."""
    a, b = [], []
    for i in range(count):
        digest = hashlib.blake2b(f"searchlib-minhash-{i}".encode(), digest_size=8).digest()
        a.append(int.from_bytes(digest[:4], "big") % (_PRIME - 1) + 1)
        b.append(int.from_bytes(digest[4:], "big") % _PRIME)
    return np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)


_A, _B = _salts(NUM_HASHES)
