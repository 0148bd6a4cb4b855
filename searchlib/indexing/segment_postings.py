"""A segment's postings gathered in arrays and written once, in Whoosh 2.7.4's own W3 format.

Whoosh's ``SegmentWriter`` puts every posting through a general external sort (a tuple per
posting, sized, pooled, sorted, merged) and then through ``W3PostingsWriter``, one Python call
per posting: about 9 µs for each of the ~350 postings of a news article, most of a build. For a
new segment written from scratch none of that generality is needed: ``FieldPostings`` keeps
one field's postings as flat arrays in the order documents arrive (so each term's documents
are already in order), and ``write_postings`` sorts them once by term with numpy and writes
each term's posting blocks, block statistics and term-index entry exactly as
``W3PostingsWriter``/``W3FieldWriter`` lay them out, so unmodified Whoosh reads, merges and
updates the segment.

One deliberate difference, within the format: a block whose pickled data is smaller than
``compress_min`` bytes is stored uncompressed (its header says so, as the format provides;
Whoosh 2.7.4 meant to skip compressing tiny blocks but a bug makes it compress every one, and
on news-dev zlib made every block under 80 bytes longer, not shorter: more than half the
blocks).
``tests/test_segment_postings.py`` compares everything Whoosh reads back (terms, statistics,
postings, block statistics, lengths, stored fields, columns, scores) with Whoosh's own writer.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from hashlib import md5
from itertools import accumulate, chain, islice, pairwise, repeat
from pickle import dumps
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter, md5_hash
from whoosh.filedb.filetables import _lengths as _LENGTHS
from whoosh.formats import Positions
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

from searchlib.indexing.posting_tables import TableWriter, decode_positions

BLOCK_LIMIT = 128
"""Postings per block: W3Codec's default (``blocklimit``), which this writer requires."""
COMPRESSION = 3
"""zlib level of W3Codec's default (``compression``), which this writer requires."""
COMPRESS_MIN = 80
"""Pickled blocks shorter than this are stored uncompressed (zlib makes them longer, not shorter)."""
POSTING_BYTES = 40
"""Bytes per posting besides its value bytes, at the peak, while a segment is written: 24 in the
arrays (term id 4, document 4, weight 8, value end 8) and 16 for sorting them."""
TERM_BYTES = 250
"""Rough bytes per distinct term: the term, its dict entries, its encoded and sorted copies."""
CHUNK_POSTINGS = 1 << 16
"""Sorted postings turned into Python lists at a time while a segment is written."""
_FLUSH_BYTES = 1 << 20
"""Posting bytes buffered before they are written to the postings file."""


def supports(codec: Any, schema: Any) -> bool:
    """Whether ``write_postings`` can write this codec's segments for this schema.

    It writes W3Codec's default layout only, and no spelling words (no searchlib field has
    them); anything else is left to Whoosh's own writer.
    """
    return (
        type(codec) is W3Codec
        and codec._blocklimit == BLOCK_LIMIT
        and codec._compression == COMPRESSION
        and codec._inlinelimit == 1
        and not any(field.separate_spelling() for _name, field in schema.items())
    )


class FieldPostings:
    """One field's postings of one segment, as flat arrays in the order they were added.

    Terms may be given as text or as UTF-8 bytes (Whoosh's term bytes); each distinct term is
    encoded once, when the segment is written. While every posting comes with its positions as
    numbers (``add_columns``), they are kept too, so the posting table takes them as they are
    instead of unpickling every value again (some 7% of a writer's time in a profile).
    """

    __slots__ = (
        "docs",
        "position_counts",
        "positions",
        "term_ids",
        "terms",
        "value_ends",
        "values",
        "weights",
    )

    def __init__(self) -> None:
        self.terms: dict[str | bytes, int] = {}
        self.term_ids = array("I")
        self.docs = array("I")
        self.weights = array("d")
        self.value_ends = array("Q")
        self.values = bytearray()
        self.position_counts: array[int] | None = array("I")
        """Each posting's number of positions, while every posting came with them (else None)."""
        self.positions: array[int] | None = array("I")
        """Those positions, posting after posting (None with ``position_counts``)."""

    def add_document(
        self, docnum: int, items: Sequence[tuple[str | bytes, int, float, bytes | None]], boost: float
    ) -> int:
        """Add one document's ``(term, frequency, weight, value)`` items; the sum of frequencies."""
        terms, freqs, weights, values = zip(*items, strict=True)
        return self.add_columns(docnum, terms, freqs, weights, values, boost)  # no positions known

    def add_columns(
        self,
        docnum: int,
        terms: Sequence[str | bytes],
        freqs: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes | None],
        boost: float,
        positions: Sequence[Sequence[int]] | None = None,
    ) -> int:
        """``add_document`` with the items given as four sequences of the same length, and
        ``positions``, each posting's positions, where the caller has them as numbers."""
        if positions is None or self.positions is None or self.position_counts is None:
            self.positions = self.position_counts = None
        else:
            self.position_counts.extend(map(len, positions))
            self.positions.extend(chain.from_iterable(positions))
        known = self.terms.setdefault
        self.term_ids.extend([known(term, len(self.terms)) for term in terms])
        self.docs.extend(repeat(docnum, len(terms)))
        self.weights.extend(weights if boost == 1.0 else [w * boost for w in weights])
        if None in values:
            values = tuple(value or b"" for value in values)
        self.value_ends.extend(islice(accumulate(map(len, values), initial=len(self.values)), 1, None))
        self.values += b"".join(values)
        return sum(freqs)

    def __len__(self) -> int:
        return len(self.docs)

    def nbytes(self) -> int:
        """The memory these postings will need at the peak, when they are sorted and written
        (measured on news-dev, roughly): what a writer's ``limitmb`` bounds."""
        kept = 4 * (len(self.positions) + len(self.docs)) if self.positions is not None else 0
        return POSTING_BYTES * len(self.docs) + len(self.values) + TERM_BYTES * len(self.terms) + kept

    def sorted_by_term(self) -> tuple[list[bytes], list[int], np.ndarray]:
        """The term bytes in order, each one's number of postings, and the order that sorts the postings.

        Postings of one term keep the order they were added in (a stable sort): document order.
        """
        encoded = [term.encode("utf-8") if isinstance(term, str) else term for term in self.terms]
        terms = sorted(set(encoded))
        place = {term: i for i, term in enumerate(terms)}
        rank = np.fromiter((place[term] for term in encoded), dtype=np.int64, count=len(encoded))
        keys = rank[np.frombuffer(self.term_ids, dtype=np.uint32)]
        order = np.argsort(keys, kind="stable")
        counts = np.bincount(keys, minlength=len(terms)).tolist()
        return terms, counts, order


def write_postings(
    fieldwriter: W3FieldWriter,
    schema: Any,
    postings: Mapping[str, FieldPostings],
    lengths: Callable[[str], np.ndarray | None],
    *,
    compress_min: int = COMPRESS_MIN,
) -> None:
    """Write every field's postings and term index entries through ``fieldwriter``'s files.

    Fields in name order and terms in byte order, as Whoosh's pool would hand them over.
    ``lengths(fieldname)`` gives each document's field length as Whoosh's length column
    reads it back (0 where none), which the block statistics record. The same postings go to
    the segment's posting table (``posting_tables``) when the segment is in a folder.
    """
    out = _PostingsFile(fieldwriter._postfile)
    tindex = _TermIndex(fieldwriter._tindex)
    fieldmap = fieldwriter._fieldmap
    folder = getattr(fieldwriter._storage, "folder", None)
    table = TableWriter(folder, fieldwriter._segment.segment_id()) if folder else None
    try:
        for fieldname in sorted(name for name, field in postings.items() if len(field)):
            fieldid = fieldmap.setdefault(fieldname, len(fieldmap))
            prefix = pack_ushort(fieldid)
            field_lengths = lengths(fieldname)
            for term, info in _field_terms(
                postings[fieldname],
                schema[fieldname].format,
                field_lengths,
                out,
                compress_min,
                table,
                fieldname,
            ):
                tindex.add(prefix + term, info)
        out.flush()
        tindex.flush()
    except BaseException:
        if table is not None:
            table.cancel()
        raise
    if table is not None:
        table.finish()


def _field_terms(
    field: FieldPostings,
    fmt: Any,
    lengths: np.ndarray | None,
    out: _PostingsFile,
    compress_min: int,
    table: TableWriter | None = None,
    fieldname: str = "",
) -> Iterable[tuple[bytes, bytes]]:
    """Each term of the field with its term info bytes, its posting blocks written to ``out``.

    Only the sort order is a new array; ``CHUNK_POSTINGS`` postings at a time are gathered in
    that order into Python lists, so writing a segment needs little more memory than holding it.
    """
    terms, counts, order = field.sorted_by_term()
    docs = np.frombuffer(field.docs, dtype=np.uint32)
    weights = np.frombuffer(field.weights, dtype=np.float64)
    fixedsize = fmt.fixed_value_size()
    ends = np.frombuffer(field.value_ends, dtype=np.uint64) if fixedsize != 0 else None
    data = memoryview(field.values)
    positional = fmt.supports("positions") and type(fmt).decode_positions is Positions.decode_positions
    kept = _KeptPositions.of(field) if positional and table is not None else None
    try:
        for first, last, low, high in _chunks(counts, CHUNK_POSTINGS):
            rows = order[low:high]
            chunk_docs = docs[rows]
            chunk_weights = weights[rows]
            lists = (
                chunk_docs.tolist(),
                chunk_weights.tolist(),
                _values(data, ends, rows),
                lengths[chunk_docs].tolist() if lengths is not None else [0] * len(rows),
            )
            if table is not None:
                if kept is not None:
                    places = kept.at(rows)
                else:
                    places = decode_positions(lists[2]) if positional and lists[2] is not None else None
                table.add_terms(
                    fieldname, terms[first:last], counts[first:last], chunk_docs, chunk_weights, places
                )
            start = 0
            for term, count in zip(terms[first:last], counts[first:last], strict=True):
                stop = start + count
                postings = [None if items is None else items[start:stop] for items in lists]
                yield term, _write_term(*postings, fixedsize, out, compress_min)  # type: ignore[arg-type]
                start = stop
    finally:
        data.release()


class _KeptPositions:
    """The positions a field's postings came with (``FieldPostings.positions``), gathered for
    any order of the postings as ``decode_positions`` gives them from the values."""

    def __init__(self, counts: np.ndarray, positions: np.ndarray) -> None:
        self.counts = counts
        self.positions = positions
        self.starts = np.zeros(len(counts), dtype=np.int64)
        np.cumsum(counts[:-1], out=self.starts[1:])

    @classmethod
    def of(cls, field: FieldPostings) -> _KeptPositions | None:
        if field.positions is None or field.position_counts is None:
            return None
        counts = np.frombuffer(field.position_counts, dtype=np.uint32)
        return cls(counts, np.frombuffer(field.positions, dtype=np.uint32))

    def at(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each posting's number of positions and all their positions, for the postings ``rows``."""
        lengths = self.counts[rows]
        wanted = lengths.astype(np.int64)
        before = np.cumsum(wanted) - wanted  # where each posting's positions go in the result
        index = np.repeat(self.starts[rows] - before, wanted) + np.arange(int(wanted.sum()), dtype=np.int64)
        return lengths, self.positions[index]


def _values(data: memoryview, ends: np.ndarray | None, rows: np.ndarray) -> list[bytes] | None:
    """The value bytes of the postings at ``rows`` (None for a format without values)."""
    if ends is None:
        return None
    stops = ends[rows].astype(np.int64)
    starts = np.where(rows > 0, ends[np.maximum(rows - 1, 0)].astype(np.int64), 0)
    return [bytes(data[s:e]) for s, e in zip(starts.tolist(), stops.tolist(), strict=True)]


def _chunks(counts: list[int], size: int) -> Iterable[tuple[int, int, int, int]]:
    """Runs of whole terms of about ``size`` postings: (first term, end term, first posting, end posting)."""
    first = low = high = 0
    for i, count in enumerate(counts):
        high += count
        if high - low >= size:
            yield first, i + 1, low, high
            first, low = i + 1, high
    if first < len(counts):
        yield first, len(counts), low, high


def _write_term(
    docs: list[int],
    weights: list[float],
    values: list[bytes] | None,
    lengths: list[int],
    fixedsize: int | None,
    out: _PostingsFile,
    compress_min: int,
) -> bytes:
    """Write one term's blocks (``W3PostingsWriter``'s layout); its ``W3TermInfo`` bytes."""
    offset = out.tell()
    if len(docs) <= BLOCK_LIMIT:  # most terms: one block, whose statistics are the term's
        block = _Block(docs, weights, lengths)
        data = block.to_bytes(values, fixedsize, last=True, compress_min=compress_min)
        out.write(WHOOSH3_HEADER_MAGIC + data)
        info = W3TermInfo._struct.pack(
            0,
            sum(block.weights32),
            len(docs),
            0 if block.min_length is None else length_to_byte(block.min_length),
            length_to_byte(block.max_length),
            block.max_weight,
            docs[0],
            docs[-1],
        )
        return info + pack_long(offset) + pack_int(len(data) + len(WHOOSH3_HEADER_MAGIC))
    out.write(WHOOSH3_HEADER_MAGIC)
    total_weight: float = 0
    max_weight: float = 0
    min_length: int | None = None
    max_length = 0
    for begin in range(0, len(docs), BLOCK_LIMIT):
        end = begin + BLOCK_LIMIT
        block = _Block(docs[begin:end], weights[begin:end], lengths[begin:end])
        block_values = values[begin:end] if values is not None else None
        out.write(block.to_bytes(block_values, fixedsize, last=end >= len(docs), compress_min=compress_min))
        total_weight += sum(block.weights32)
        if min_length is None:
            min_length = block.min_length
        elif block.min_length is not None:
            min_length = min(min_length, block.min_length)
        max_length = max(max_length, block.max_length)
        max_weight = max(max_weight, block.max_weight)
    info = W3TermInfo._struct.pack(
        0,
        total_weight,
        len(docs),
        0 if min_length is None else length_to_byte(min_length),
        length_to_byte(max_length),
        max_weight,
        docs[0],
        docs[-1],
    )
    return info + pack_long(offset) + pack_int(out.tell() - offset)


class _Block:
    """Up to ``BLOCK_LIMIT`` postings of one term and the statistics ``W3PostingsWriter`` keeps."""

    def __init__(self, docs: list[int], weights: list[float], lengths: list[int]) -> None:
        self.docs = docs
        self.weights = weights
        self.weights32 = array("f", weights)  # Whoosh keeps a block's weights as 32-bit floats
        top = max(weights)
        self.max_weight: float = top if top > 0 else 0
        present = [length for length in lengths if length]
        self.min_length = min(present) if present else None
        self.max_length = max(present) if present else 0

    def to_bytes(
        self, values: list[bytes] | None, fixedsize: int | None, *, last: bool, compress_min: int
    ) -> bytes:
        docs = self.docs
        ids = (docs[0], *[b - a for a, b in pairwise(docs)])
        data = dumps((ids, self._mini_weights(), _mini_values(values, fixedsize)), 2)
        comp = COMPRESSION if len(data) >= compress_min else 0
        if comp:
            data = zlib.compress(data, comp)
        info = dumps(
            (
                len(docs),
                docs[-1],
                self.max_weight,
                comp,
                length_to_byte(self.min_length),
                length_to_byte(self.max_length),
            ),
            2,
        )
        size = len(info) + len(data)
        return pack_int(-size if last else size) + info + data

    def _mini_weights(self) -> float | tuple[float, ...] | None:
        weights = self.weights32
        first = weights[0]
        if first == 1.0 and weights.count(first) == len(weights):
            return None
        if weights.count(first) == len(weights):
            return first
        return tuple(weights)


def _mini_values(values: list[bytes] | None, fixedsize: int | None) -> Any:
    """The block's values as ``W3PostingsWriter._mini_values`` stores them (empty ones left out)."""
    if fixedsize == 0 or values is None:
        return None
    kept = [value for value in values if value]
    if fixedsize is None or fixedsize < 0:
        return tuple(kept)
    return b"".join(kept)


class _TermIndex:
    """Adds entries, in key order, to a segment's term index (Whoosh's ``OrderedHashWriter``)
    in batches: the same bytes, positions and hash buckets as its ``add``, without three file
    writes and a hex round trip of an MD5 digest per term."""

    def __init__(self, tindex: OrderedHashWriter) -> None:
        if tindex.hashfn is not md5_hash:
            raise ValueError("the term index is expected to hash keys with MD5, as Whoosh 2.7.4's does")
        self._tindex = tindex
        self._pending: list[tuple[bytes, bytes]] = []

    def add(self, key: bytes, value: bytes) -> None:
        self._pending.append((key, value))
        if len(self._pending) >= 4096:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        tindex = self._tindex
        position = tindex.dbfile.tell()
        buckets = tindex.buckets
        positions = []
        chunks = []
        for key, value in self._pending:
            hashed = int.from_bytes(md5(key).digest()[-4:], "big")  # == md5_hash(key)
            buckets[hashed & 255].append((hashed, position))
            positions.append(position)
            chunk = _LENGTHS.pack(len(key), len(value)) + key + value
            chunks.append(chunk)
            position += len(chunk)
        tindex.index.extend(positions)
        tindex.dbfile.write(b"".join(chunks))
        tindex.lastkey = self._pending[-1][0]
        self._pending = []


class _PostingsFile:
    """The segment's postings file, written in large pieces, with its own position."""

    def __init__(self, postfile: Any) -> None:
        self._file = postfile
        self._position = postfile.tell()
        self._pending: list[bytes] = []
        self._pending_bytes = 0

    def tell(self) -> int:
        return self._position

    def write(self, data: bytes) -> None:
        self._pending.append(data)
        self._position += len(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= _FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        self._file.write(b"".join(self._pending))
        self._pending, self._pending_bytes = [], 0
