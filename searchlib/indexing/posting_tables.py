"""Each segment's postings as flat arrays on disk, which a query reads without unpickling.

Whoosh 2.7.4 stores a term's postings in blocks of 128, each zlib-compressed and pickled: the
first time a query meets a word, every block of it is decompressed and unpickled in Python
(about 60 ms of a 100,000-article query that meets new words, nearly all of its time). A
posting table holds the same postings as plain arrays, written once, when the segment is
written (``segment_postings``), beside it in the generation folder as five files named
``postings-<segment id>-v1.<part>``:

- ``docs.u4``: each posting's document number in the segment (uint32), term by term;
- ``weights.f4``: its weight, as the block stores it (float32);
- ``counts.u4``: how many positions it has (0 in a field without positions);
- ``positions.u4``: those positions, absolute, posting by posting;
- ``keys.npy``: four rows (int64), a column per term, sorted by a 64-bit hash of (field,
  term): the hash, the term's first posting, its number of postings and its first position
  (-1: none kept). Each row is contiguous, so a binary search of the hashes reads a few pages.

A query memory-maps the files and finds a term by binary search of the hashes: no file is
read whole and nothing is unpickled. The table is derived data, like the facet tables: Whoosh
still reads, merges and updates its own segment files, a segment without a table (written by
Whoosh's writer, by an update or a merge, or by an older searchlib) is read through Whoosh
as before, and a table that does not agree with its segment (the posting count Whoosh
records for the term) is not used.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
from array import array
from collections.abc import Iterable, Sequence
from hashlib import blake2b
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from searchlib.indexing.term_lists import LISTED_FIELDS, FieldWords, write_list

TABLE_PREFIX = "postings-"
_FORMAT = 1
_FILES = {"docs": np.uint32, "weights": np.float32, "counts": np.uint32, "positions": np.uint32}


def table_name(segment_id: str) -> str:
    """The start of the names of segment ``segment_id``'s table files (not that of the
    segment's own files, so that Whoosh never packs them into a compound segment file)."""
    return f"{TABLE_PREFIX}{segment_id}-v{_FORMAT}"


def _part(name: str, kind: Any) -> str:
    dtype = np.dtype(kind)
    return f"{name}.{dtype.kind}{dtype.itemsize}"


def term_hash(fieldname: str, btext: bytes) -> int:
    """The 64-bit key of a term of a field."""
    return int.from_bytes(_digest(_field_prefix(fieldname), btext), "little", signed=True)


def term_hashes(fieldname: str, btexts: Iterable[bytes]) -> np.ndarray:
    """``term_hash`` of many terms of a field at once, as an int64 array."""
    prefix = _field_prefix(fieldname)
    return np.frombuffer(b"".join(_digest(prefix, btext) for btext in btexts), dtype="<i8").astype(np.int64)


def _field_prefix(fieldname: str) -> bytes:
    return fieldname.encode("utf-8") + b"\0"


def _digest(prefix: bytes, btext: bytes) -> bytes:
    """The 8 bytes a term's key is read from (little-endian, signed)."""
    return blake2b(prefix + btext, digest_size=8).digest()


class TableWriter:
    """Writes one segment's table as the segment's postings are written, term by term.

    The arrays go to disk as they come, so writing a table needs little memory; the keys are
    written last, under a temporary name renamed when complete: a table without them is
    not read.
    """

    def __init__(self, folder: Path | str, segment_id: str) -> None:
        self.folder = Path(folder)
        self.segment_id = segment_id
        self.name = table_name(segment_id)
        self._words = {name: FieldWords() for name in LISTED_FIELDS}
        """The words of the listed fields and their postings (one a document), for the
        segment's term list (``term_lists``)."""
        self._files: dict[str, BinaryIO] = {
            name: open(self.folder / f"{self.name}.{_part(name, kind)}", "wb")  # noqa: SIM115
            for name, kind in _FILES.items()
        }
        self._keys = array("q")
        """Each term's key, first posting, postings and first position, flat: a tuple of four
        ints per term took about 150 bytes (260 MB for an article of 1.7 million distinct words)."""
        self._postings = 0
        self._positions = 0

    def add_terms(
        self,
        fieldname: str,
        terms: Sequence[bytes],
        counts: Sequence[int],
        docs: np.ndarray,
        weights: np.ndarray,
        places: tuple[np.ndarray, np.ndarray] | None,
    ) -> None:
        """Add consecutive terms of a field: their postings, in term order, and with
        ``places`` each posting's number of positions and all of them, in the same order."""
        first = self._postings
        position = self._positions
        if fieldname in self._words:
            self._words[fieldname].add(terms, counts)
        position_counts = places[0] if places is not None else np.zeros(len(docs), dtype=np.uint32)
        term_positions = np.add.reduceat(position_counts, np.cumsum([0, *counts[:-1]])) if len(docs) else []
        for term, count, held in zip(terms, counts, np.asarray(term_positions).tolist(), strict=True):
            self._keys.extend((term_hash(fieldname, term), first, count, position if places else -1))
            first += count
            position += held
        self._write("docs", docs)
        self._write("weights", weights)
        self._write("counts", position_counts)
        if places is not None:
            self._write("positions", places[1])
        self._postings = first
        self._positions = position

    def finish(self) -> None:
        """Close the files and put the table in place, and the segment's term list beside it."""
        for handle in self._files.values():
            handle.close()
        write_list(self.folder, self.segment_id, self._words)
        keys = np.frombuffer(self._keys, dtype=np.int64).reshape(-1, 4).T
        temporary = self.folder / f".{self.name}.keys.npy"
        np.save(temporary, np.ascontiguousarray(keys[:, np.argsort(keys[0], kind="stable")]))
        os.replace(temporary, self.folder / f"{self.name}.keys.npy")

    def cancel(self) -> None:
        for handle in self._files.values():
            handle.close()
        for part in self.folder.glob(f"{self.name}.*"):
            part.unlink(missing_ok=True)

    def _write(self, name: str, values: np.ndarray) -> None:
        self._files[name].write(np.ascontiguousarray(values, dtype=_FILES[name]).tobytes())


class PostingTable:
    """One segment's table, memory-mapped."""

    def __init__(self, folder: Path, name: str) -> None:
        keys = np.load(folder / f"{name}.keys.npy", mmap_mode="r").view(np.ndarray)
        if keys.ndim != 2 or keys.shape[0] != 4:
            raise ValueError(f"{name}.keys.npy is not a posting table's keys")
        self._hashes, self._firsts, self._counts, self._places = keys
        self._arrays = {
            part: _mapped(folder / f"{name}.{_part(part, kind)}", kind) for part, kind in _FILES.items()
        }

    @classmethod
    def open(cls, folder: Path | str, segment_id: str) -> PostingTable | None:
        """The segment's table, or None if it has none (or an unreadable one)."""
        name = table_name(segment_id)
        if not (Path(folder) / f"{name}.keys.npy").exists():
            return None
        try:
            return cls(Path(folder), name)
        except (OSError, ValueError):
            return None

    def find(self, fieldname: str, btext: bytes, count: int) -> int | None:
        """The row of a term whose segment holds ``count`` postings of it; None if absent or
        if the table disagrees (then the caller reads Whoosh's postings)."""
        row = self._row(term_hash(fieldname, btext))
        if row is None or int(self._counts[row]) != count:
            return None
        return row

    def posting_count(self, key: int) -> int:
        """How many postings the term of ``term_hash`` key ``key`` has (0 if the segment lacks
        it): Whoosh's document frequency in the segment, deleted documents included."""
        row = self._row(key)
        return 0 if row is None else int(self._counts[row])

    def _row(self, key: int) -> int | None:
        """The row of the term of ``term_hash`` key ``key``, by binary search; None if absent."""
        row = int(np.searchsorted(self._hashes, key))
        if row >= len(self._hashes) or int(self._hashes[row]) != key:
            return None
        return row

    def sole_documents(self, hashes: np.ndarray) -> np.ndarray:
        """For each term of ``hashes`` (``term_hash`` keys, int64), the document (in the
        segment) of its one posting: -1 for a term the segment lacks or has in several
        documents. One binary search for all of them: an id's document at 50,000 ids."""
        found = np.full(len(hashes), -1, dtype=np.int64)
        if not len(self._hashes) or not len(hashes):
            return found
        rows = np.minimum(np.searchsorted(self._hashes, hashes), len(self._hashes) - 1)
        sole = (self._hashes[rows] == hashes) & (self._counts[rows] == 1)
        found[sole] = self._arrays["docs"][self._firsts[rows[sole]]]
        return found

    def postings(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (int64, in the segment) and weights (float32) of a term's postings."""
        first, count = int(self._firsts[row]), int(self._counts[row])
        docs = self._arrays["docs"][first : first + count].astype(np.int64)
        return docs, np.asarray(self._arrays["weights"][first : first + count])

    def positions(self, row: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """For each position of the term: its document (from ``docs``, the term's postings) and
        the position; None if the table holds no positions for it."""
        start = int(self._places[row])
        if start < 0:
            return None
        first, count = int(self._firsts[row]), int(self._counts[row])
        counts = self._arrays["counts"][first : first + count].astype(np.int64)
        places = self._arrays["positions"][start : start + int(counts.sum())].astype(np.int64)
        return np.repeat(docs, counts), places


def _mapped(file: Path, kind: Any) -> np.ndarray:
    """The file's items as a read-only array over a memory map (a plain array slices faster
    than ``np.memmap``, and opens in a third of its time: a cold search opens 210 of these
    at a million articles)."""
    with open(file, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:  # mmap refuses an empty file
            return np.zeros(0, dtype=kind)
        return np.frombuffer(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), dtype=kind)


def drop_stale(folder: Path | str, segment_ids: Sequence[str]) -> None:
    """Delete the table files of segments that are gone (merged away or replaced)."""
    wanted = {table_name(segment_id) for segment_id in segment_ids}
    for pattern in (f"{TABLE_PREFIX}*", f".{TABLE_PREFIX}*"):
        for old in Path(folder).glob(pattern):
            if old.name.lstrip(".").split(".")[0] not in wanted:
                old.unlink(missing_ok=True)


def decode_positions(values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """Whoosh ``Positions`` values -> each one's number of positions and all the positions.

    None if a value is not in the expected encoding (the caller then does without)."""
    lists = block_deltas(values)
    if lists is None:
        return None
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(lengths.sum()))
    return lengths.astype(np.uint32), absolute(flat, lengths)


def absolute(deltas: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Position deltas, posting after posting (``lengths`` each), made absolute per posting."""
    if not len(deltas):
        return deltas
    running = np.cumsum(deltas)
    starts = np.cumsum(lengths) - lengths
    present = lengths > 0
    bases = np.zeros(len(lengths), dtype=np.int64)
    bases[present] = running[starts[present]] - deltas[starts[present]]
    return running - np.repeat(bases, lengths)


def block_deltas(values: Sequence[bytes]) -> list[list[int]] | None:
    """The position deltas of many postings in one ``pickle.loads`` instead of one each.

    Whoosh's ``Positions`` value is a 4-byte count and a protocol-2 pickle of the deltas
    (``\\x80\\x02`` ... ``.``); the pickles' bodies, put in one list, are one pickle of all of
    them. Anything unexpected gives None, and the caller decodes the values one by one.
    """
    if not values:
        return []
    try:
        lists = pickle.loads(b"\x80\x02(" + b"".join(v[6:-1] for v in values) + b"l.")
    except Exception:  # not the encoding this expects
        return None
    counts = struct.unpack(f">{len(values)}I", b"".join(v[:4] for v in values))
    if len(lists) != len(values) or list(map(len, lists)) != list(counts):
        return None
    return lists
