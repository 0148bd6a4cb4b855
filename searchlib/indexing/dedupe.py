"""Near-duplicates: the same wire story published by several outlets.

Two articles are near-duplicates when the sets of their word 5-grams ("shingles") overlap a
lot (Jaccard similarity). Comparing every pair is quadratic, so each article gets a MinHash
signature (the smallest of each of ``NUM_HASHES`` salted hashes over its shingles: two
signatures agree in a position with probability equal to the Jaccard similarity) cut into
``BANDS`` bands; articles that share a band are candidates, and a candidate is a duplicate when
its estimated similarity reaches ``THRESHOLD``. About 40 lines with hashlib and numpy; no
library needed.

Each article gets a cluster id, the id of the first article of its story, when it is indexed
(``DuplicateFinder.assign``). The clusters and signatures are kept beside the index, like the
file table (``ClusterTable``, in ``searchlib-clusters.pkl``; the clusters a search needs also
in the small ``searchlib-cluster-ids.json``), written after Whoosh's commit and naming the
Whoosh generation they describe; an update seeds the finder with them, so a new copy of an old
story joins the old story's cluster. A stale or missing table is rebuilt from the articles'
stored text. No Whoosh here.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np

from searchlib.indexing.atomic import replacing, write_json_atomically

SHINGLE_WORDS = 5
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS
THRESHOLD = 0.5
"""Estimated Jaccard similarity of shingles from which two articles count as the same story.

Copies with another headline, credit line or last paragraph score 0.6-1.0; separate reports of
one event score below 0.35 on the dev corpus (see docs/query-syntax.md).
"""
MIN_SHINGLES = 8
"""Texts shorter than this (in shingles) are never called duplicates: too little evidence."""
SIGNATURE_BLOCK = 4096
"""Shingles hashed at once for a signature: bounds its memory (8 bytes x hashes x block)."""
SHINGLE_CHUNK_WORDS = 100_000
"""Words of an article read at a time to find its shingles (``_shingle_array``)."""
CLUSTER_FILE = "searchlib-clusters.pkl"
"""The whole table: every article's id, cluster and signature (what an update needs)."""
CLUSTER_IDS_FILE = "searchlib-cluster-ids.json"
"""The part of the table a search needs, small enough to read at every ``search`` command:
the cluster of each article that is not alone in a cluster named after itself."""
LEGACY_CLUSTER_FILE = "searchlib-clusters.json"
"""The whole table as JSON, as indexes before ``CLUSTER_FILE`` have it (read, never written)."""
FREEZE_KEYS = 1 << 18
"""Band keys kept in the band index's dict before they are merged into its sorted arrays."""
_FORMAT = 3
"""3: shingles hashed by ``_shingle_array`` (2 hashed each shingle's text with BLAKE2b): a table
of another format is stale, and rebuilt from the stored text like a missing one."""
_IDS_FORMAT = 1
_LEGACY_FORMAT = 1

_PRIME = (1 << 31) - 1
_WORD = re.compile(r"\w+", re.UNICODE)
Signature = tuple[int, ...]


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """The hashed word ``size``-grams of ``text``, case and punctuation ignored (32-bit hashes)."""
    return frozenset(_shingle_array(text, size).tolist())


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
    values = _signature_array(shingle_set)
    return () if values is None else tuple(values.tolist())


def similarity(a: Signature, b: Signature) -> float:
    """The share of positions where two signatures agree: an estimate of Jaccard similarity."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def band_keys(sig: Signature) -> list[int]:
    """One key per band of the signature; articles sharing a key are candidates."""
    return _band_keys(np.array(sig, dtype=np.uint32)).tolist() if sig else []


@dataclass(frozen=True)
class Clustered:
    """An article's cluster id and signature (empty for a text too short to compare)."""

    cluster: str
    signature: Signature = ()


class ClusterTable:
    """id -> cluster id (and MinHash signature) of every article of one generation of the index.

    Compact, because a build keeps it for the whole corpus: a row of 64 32-bit integers per
    signature, and a cluster id only for articles that joined another's story; about 400 bytes
    per article.
    """

    def __init__(self, entries: Mapping[str, Clustered] | None = None) -> None:
        self._row: dict[str, int] = {}
        self._ids: list[str] = []
        self._moved: dict[str, str] = {}
        self._sigs = np.zeros((0, NUM_HASHES), dtype=np.uint32)
        self._has_sig = np.zeros(0, dtype=bool)
        for doc_id, item in (entries or {}).items():
            sig = np.array(item.signature, dtype=np.uint32) if item.signature else None
            self.add(doc_id, item.cluster, sig)

    @property
    def entries(self) -> Mapping[str, Clustered]:
        """Every article's ``Clustered`` record (a view: made on each lookup)."""
        return _Entries(self)

    def __len__(self) -> int:
        return len(self._row)

    def cluster_of(self, doc_id: str) -> str | None:
        """The article's cluster id, or None for an article the table does not hold."""
        return self._moved.get(doc_id, doc_id) if doc_id in self._row else None

    def signature_of(self, doc_id: str) -> Signature:
        row = self._row.get(doc_id)
        if row is None or not self._has_sig[row]:
            return ()
        return tuple(self._sigs[row].tolist())

    def members(self) -> dict[str, list[str]]:
        """cluster id -> the ids of its articles, for clusters of two or more."""
        groups: dict[str, list[str]] = {}
        for doc_id, cluster in self._moved.items():
            groups.setdefault(cluster, []).append(doc_id)
        for cluster, ids in groups.items():
            if cluster in self._row and cluster not in self._moved:
                ids.append(cluster)
        return {cluster: sorted(ids) for cluster, ids in groups.items() if len(ids) > 1}

    def cluster_ids(self) -> dict[str, str]:
        """id -> cluster id for every article in a cluster of two or more, or in one named after
        another article (its first was deleted); any other article is its own cluster."""
        found = dict(self._moved)
        for cluster in self.members():
            if cluster in self._row and cluster not in self._moved:
                found[cluster] = cluster
        return found

    def add(self, doc_id: str, cluster: str, sig: np.ndarray | None) -> int:
        """Record an article (replacing any earlier record of it); its row number."""
        self.remove(doc_id)
        row = len(self._ids)
        if row == len(self._sigs):
            grown = max(1024, 2 * row)
            sigs, has_sig = np.zeros((grown, NUM_HASHES), dtype=np.uint32), np.zeros(grown, dtype=bool)
            sigs[:row], has_sig[:row] = self._sigs[:row], self._has_sig[:row]
            self._sigs, self._has_sig = sigs, has_sig
        self._ids.append(doc_id)
        self._row[doc_id] = row
        if cluster != doc_id:
            self._moved[doc_id] = cluster
        self._has_sig[row] = sig is not None
        if sig is not None:
            self._sigs[row] = sig
        return row

    def remove(self, doc_id: str) -> None:
        """Forget an article (its row stays, unused)."""
        if self._row.pop(doc_id, None) is not None:
            self._moved.pop(doc_id, None)

    @classmethod
    def load(cls, folder: Path, *, generation: int) -> ClusterTable | None:
        """The table of ``folder`` if it describes Whoosh generation ``generation``, else None."""
        try:
            if (Path(folder) / CLUSTER_FILE).exists():
                return cls._load(Path(folder) / CLUSTER_FILE, generation)
            data = json.loads((Path(folder) / LEGACY_CLUSTER_FILE).read_text(encoding="utf-8"))
            if data.get("format") != _LEGACY_FORMAT or data.get("generation") != generation:
                return None
            return cls(
                {
                    doc_id: Clustered(str(cluster), _unpack(packed))
                    for doc_id, (cluster, packed) in data["articles"].items()
                }
            )
        except (OSError, ValueError, TypeError, KeyError, AttributeError, pickle.UnpicklingError, EOFError):
            return None

    @classmethod
    def _load(cls, path: Path, generation: int) -> ClusterTable | None:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
        if data["format"] != _FORMAT or data["generation"] != generation:
            return None
        table = cls()
        table._ids = list(data["ids"])
        table._row = {doc_id: row for row, doc_id in enumerate(table._ids)}
        table._moved = dict(data["moved"])
        table._sigs = np.asarray(data["signatures"], dtype=np.uint32).reshape(-1, NUM_HASHES)
        table._has_sig = np.asarray(data["has_signature"], dtype=bool)
        if not len(table._ids) == len(table._sigs) == len(table._has_sig):
            return None
        return table

    def save(self, folder: Path, *, generation: int) -> None:
        """Write the table and its cluster ids atomically, naming the Whoosh generation they describe.

        Rows are saved in the order they were added (the order a seeded finder meets its
        candidates in), streamed to the file: a table without removed rows (a build's) is
        written as it is, with no copy of its signatures (256 bytes an article).
        """
        count = len(self._ids)
        if len(self._row) == count:
            ids, sigs, has_sig = self._ids, self._sigs[:count], self._has_sig[:count]
        else:
            rows = np.array(sorted(self._row.values()), dtype=np.int64)
            ids = [self._ids[row] for row in rows.tolist()]
            sigs, has_sig = self._sigs[rows], self._has_sig[rows]
        table = {
            "format": _FORMAT,
            "generation": generation,
            "ids": ids,
            "moved": self._moved,
            "signatures": sigs,
            "has_signature": has_sig,
        }
        with replacing(Path(folder) / CLUSTER_FILE, prefix=".clusters-") as handle:
            pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
        clusters = {
            "format": _IDS_FORMAT,
            "generation": generation,
            "clusters": dict(sorted(self.cluster_ids().items())),
        }
        write_json_atomically(
            Path(folder) / CLUSTER_IDS_FILE, clusters, prefix=".clusters-", separators=(",", ":")
        )
        (Path(folder) / LEGACY_CLUSTER_FILE).unlink(missing_ok=True)


def has_cluster_table(folder: Path) -> bool:
    """Whether ``folder`` holds a cluster table, in any of its forms (without reading it)."""
    return any(
        (Path(folder) / name).exists() for name in (CLUSTER_IDS_FILE, CLUSTER_FILE, LEGACY_CLUSTER_FILE)
    )


def load_cluster_ids(folder: Path, *, generation: int) -> dict[str, str] | None:
    """``ClusterTable.cluster_ids`` for Whoosh generation ``generation``; None without a table.

    A search reads the small ids file instead of the whole table: at 100,000 articles the table
    (with every signature) takes far longer to read. An index without the ids file has its
    whole table read.
    """
    try:
        data = json.loads((Path(folder) / CLUSTER_IDS_FILE).read_text(encoding="utf-8"))
        if data.get("format") == _IDS_FORMAT and data.get("generation") == generation:
            return {str(doc_id): str(cluster) for doc_id, cluster in dict(data["clusters"]).items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    table = ClusterTable.load(folder, generation=generation)
    return None if table is None else table.cluster_ids()


class _Entries(Mapping[str, Clustered]):
    """``ClusterTable.entries``: a read-only view, so the table itself stays compact."""

    def __init__(self, table: ClusterTable) -> None:
        self._table = table

    def __getitem__(self, doc_id: str) -> Clustered:
        cluster = self._table.cluster_of(doc_id)
        if cluster is None:
            raise KeyError(doc_id)
        return Clustered(cluster, self._table.signature_of(doc_id))

    def __iter__(self) -> Iterator[str]:
        table = self._table
        return iter(list(table._row))

    def __len__(self) -> int:
        return len(self._table)


def finder_for(
    folder: Path, *, generation: int, documents: Callable[[], Iterable[tuple[str, str]]]
) -> DuplicateFinder:
    """A finder seeded with the articles of an index generation: from its cluster table, or,
    when the table is missing or stale (a writer killed after its commit, an index built before
    clusters existed, signatures of an earlier format), from ``documents()``, the (id, body) of
    every article, in index order."""
    # A table in the first (JSON) format still gives a search its clusters, but its signatures
    # hash shingles another way: only the current file can seed a finder.
    current = (Path(folder) / CLUSTER_FILE).exists()
    table = ClusterTable.load(folder, generation=generation) if current else None
    if table is not None:
        return DuplicateFinder(table)
    finder = DuplicateFinder()
    for doc_id, body in documents():
        finder.assign(doc_id, body)
    return finder


class DuplicateFinder:
    """Assigns each article a cluster id: the id of the first article of its story.

    Seeded with a ``ClusterTable`` of the articles already indexed, so an incremental update
    puts a new copy of an old story in the old story's cluster. Memory: the table, and 12 bytes
    per article and band for the band index.
    """

    def __init__(self, table: ClusterTable | None = None, *, threshold: float = THRESHOLD) -> None:
        self.table = table or ClusterTable()
        self.threshold = threshold
        self.changed = False
        """Whether an article was assigned or forgotten since the table was made or loaded."""
        self._band_index: _BandIndex | None = None

    @property
    def _bands(self) -> _BandIndex:
        """The band index of the table's signatures, made on the first ``assign``: an update
        that finds nothing new never needs it (3 s at 100,000 articles when made row by row)."""
        if self._band_index is None:
            table = self.table
            rows = np.array(sorted(table._row.values()), dtype=np.int64)
            rows = rows[table._has_sig[rows]] if rows.size else rows
            self._band_index = _BandIndex.of(_band_keys(table._sigs[rows]), rows)
        return self._band_index

    def assign(self, article_id: str, text: str, fingerprint: Fingerprint | None = None) -> str:
        """Record a new (or changed) article and return its cluster id; ``fingerprint`` is
        its text's, if already taken (``text_fingerprint``, in another process)."""
        self.forget(article_id)
        sig = (fingerprint or text_fingerprint(text)).signature
        keys = _band_keys(sig) if sig is not None else None
        bands = self._bands
        cluster = (self._best_match(sig, keys) if sig is not None else None) or article_id
        row = self.table.add(article_id, cluster, sig)
        if keys is not None:
            bands.add(keys, row)
        self.changed = True
        return cluster

    def forget(self, article_id: str) -> None:
        """Drop an article that left the index (its band entries are skipped from now on)."""
        if self.table.cluster_of(article_id) is not None:
            self.table.remove(article_id)
            self.changed = True

    def _best_match(self, sig: np.ndarray, keys: np.ndarray) -> str | None:
        """The cluster of the most similar live candidate at or above the threshold (the last
        one seen, bands in order, when several score the same)."""
        table = self.table
        rows = [
            row
            for row in dict.fromkeys(self._bands.candidates(keys))
            if table._row.get(table._ids[row]) == row
        ]
        if not rows:
            return None
        scores = (table._sigs[rows] == sig).sum(axis=1) / NUM_HASHES
        best, best_score = None, self.threshold
        for row, score in zip(rows, scores.tolist(), strict=True):
            if score >= best_score:
                best, best_score = row, score
        if best is None:
            return None
        doc_id = table._ids[best]
        return table._moved.get(doc_id, doc_id)


@dataclass(frozen=True)
class Fingerprint:
    """What ``DuplicateFinder.assign`` needs of an article's text, taken apart from it: a
    build takes it in the processes that read the files (``reading_pool``)."""

    signature: np.ndarray | None
    """The MinHash signature of its shingles; None for a text too short to compare."""


def text_fingerprint(text: str) -> Fingerprint:
    """The fingerprint of ``text``: most of the cost of clustering an article."""
    shingle_set = _shingle_array(text)
    return Fingerprint(_signature_array(shingle_set) if len(shingle_set) >= MIN_SHINGLES else None)


class _BandIndex:
    """Band key -> the rows that have it, in the order added: a sorted array and a small dict.

    New keys go to the dict; every ``FREEZE_KEYS`` keys they are merged into the sorted arrays
    (12 bytes a key), which a lookup searches with ``searchsorted``.
    """

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.uint64)
        self._rows = np.zeros(0, dtype=np.int32)
        self._recent: dict[int, list[int]] = {}
        self._pending = 0

    @classmethod
    def of(cls, keys: np.ndarray, rows: np.ndarray) -> _BandIndex:
        """The index of ``keys`` (one row of band keys per signature) for ``rows`` (ascending):
        what adding them one by one would give, made in one sort."""
        index = cls()
        flat_keys = keys.reshape(-1)
        flat_rows = np.repeat(rows.astype(np.int32), BANDS)
        order = np.lexsort((flat_rows, flat_keys))
        index._keys, index._rows = flat_keys[order], flat_rows[order]
        return index

    def add(self, keys: np.ndarray, row: int) -> None:
        for key in keys.tolist():
            self._recent.setdefault(key, []).append(row)
        self._pending += len(keys)
        if self._pending >= FREEZE_KEYS:
            self._freeze()

    def candidates(self, keys: np.ndarray) -> list[int]:
        """The rows sharing each key, key by key, older rows first."""
        low = np.searchsorted(self._keys, keys, side="left").tolist()
        high = np.searchsorted(self._keys, keys, side="right").tolist()
        found: list[int] = []
        for key, start, stop in zip(keys.tolist(), low, high, strict=True):
            if stop > start:
                found.extend(self._rows[start:stop].tolist())
            found.extend(self._recent.get(key, ()))
        return found

    def _freeze(self) -> None:
        pairs = [(key, row) for key, rows in self._recent.items() for row in rows]
        new_keys = np.array([key for key, _row in pairs], dtype=np.uint64)
        new_rows = np.array([row for _key, row in pairs], dtype=np.int32)
        order = np.lexsort((new_rows, new_keys))
        new_keys, new_rows = new_keys[order], new_rows[order]
        # Every new row is newer than every frozen one: equal keys go after the frozen ones.
        at = np.searchsorted(self._keys, new_keys, side="right")
        self._keys = np.insert(self._keys, at, new_keys)
        self._rows = np.insert(self._rows, at, new_rows)
        self._recent, self._pending = {}, 0


def _shingle_array(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """``shingles`` as a sorted array: each word hashed once (CRC-32 of its UTF-8), each run of
    ``size`` word hashes mixed into one with 64-bit arithmetic in numpy, the top 32 bits kept.

    Ten times faster than hashing each shingle's text (it was most of a build's main process).
    A text of fewer than ``size`` words is one shingle. The words are read ``SHINGLE_CHUNK_WORDS``
    at a time (each chunk with the last ``size - 1`` words of the one before, so every run is
    hashed once): a list of every word of a 20 MB article and a table of its distinct words
    took 300 MB; the shingles themselves are 8 bytes each.
    """
    found = _WORD.finditer(text.casefold())
    first = [match.group() for match in islice(found, SHINGLE_CHUNK_WORDS)]
    if not first:
        return np.zeros(0, dtype=np.uint64)
    width = min(size, len(first))
    parts = [_mixed(first, width)]
    carried = first[len(first) - width + 1 :] if width > 1 else []
    while chunk := [match.group() for match in islice(found, SHINGLE_CHUNK_WORDS)]:
        words = carried + chunk
        parts.append(_mixed(words, width))
        carried = words[len(words) - width + 1 :] if width > 1 else []
    return np.unique(np.concatenate(parts)) if len(parts) > 1 else parts[0]


def _mixed(words: list[str], width: int) -> np.ndarray:
    """The distinct shingle hashes of every run of ``width`` words in ``words``."""
    codes = {word: zlib.crc32(word.encode("utf-8")) for word in dict.fromkeys(words)}
    hashes = np.fromiter(map(codes.__getitem__, words), dtype=np.uint64, count=len(words))
    count = len(words) - width + 1
    mixed = hashes[:count] * _MIX[0]
    for offset in range(1, width):
        mixed = (mixed ^ hashes[offset : offset + count]) * _MIX[0]
    mixed ^= mixed >> np.uint64(31)
    mixed *= _MIX[1]
    mixed ^= mixed >> np.uint64(29)
    return np.unique(mixed >> np.uint64(32))


def _signature_array(shingle_set: Iterable[int] | np.ndarray) -> np.ndarray | None:
    if isinstance(shingle_set, np.ndarray):
        values = shingle_set.astype(np.uint64, copy=False)
    else:
        values = np.fromiter(shingle_set, dtype=np.uint64)
    if not values.size:
        return None
    # A block of shingles at a time: the matrix of every hash of every shingle took 1 KB per
    # shingle (2 GB for a 12 MB article); the minimum of the blocks' minima is the same.
    lowest = np.full(len(_A), np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, values.size, SIGNATURE_BLOCK):
        block = values[start : start + SIGNATURE_BLOCK]
        hashed = (_A[:, None] * block[None, :] + _B[:, None]) % _PRIME
        np.minimum(lowest, hashed.min(axis=1), out=lowest)
    return lowest.astype(np.uint32)


def _band_keys(sig: np.ndarray) -> np.ndarray:
    """A 64-bit key per band: its ``ROWS`` values and its number, mixed (a rare collision only
    adds a candidate, which must still reach the threshold). For a matrix of signatures, a
    matrix of keys (one row per signature)."""
    rows = sig.astype(np.uint64).reshape(-1, BANDS, ROWS)
    keys = np.broadcast_to(np.arange(1, BANDS + 1, dtype=np.uint64) * _MIX[0], rows.shape[:2])
    for i in range(ROWS):
        keys = (keys ^ rows[:, :, i]) * _MIX[1]
        keys ^= keys >> np.uint64(29)
    return keys.reshape(BANDS) if sig.ndim == 1 else keys


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
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9))
