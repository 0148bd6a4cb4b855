"""Posting tables for the segments Whoosh's own writer wrote: an update's, a merge's, an old index's.

A full build writes every segment with the array writer, which writes the segment's posting
table as it goes (``segment_postings``). An update adds its articles through Whoosh's
``SegmentWriter``, and Whoosh merges small segments into a new one as it commits: neither has
a table, and a query would again decode the words of those segments from Whoosh's pickled
blocks on their first use. So after each commit, every segment without a table gets one, read
back from the segment itself: its postings are decoded once, a block at a time, at write time
instead of at the first query. A segment of an update is small (the update's articles and the
articles it wrote again), so this costs little beside the update; a merge reads what it merged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.matching import FilterMatcher

from searchlib.indexing.posting_tables import TableWriter, decode_positions, table_name

CHUNK_POSTINGS = 1 << 16
"""Postings of consecutive terms gathered before they are added to the table."""


def add_missing_tables(folder: Path | str, reader: Any) -> list[str]:
    """Write the posting table of each segment of ``reader`` (in ``folder``) that has none;
    the ids of the segments given one."""
    written = []
    for leaf, _offset in reader.leaf_readers():
        segment = leaf.segment()  # None for an empty index's reader
        if segment is None or has_table(folder, segment.segment_id()):
            continue
        write_table(folder, leaf)
        written.append(segment.segment_id())
    return written


def has_table(folder: Path | str, segment_id: str) -> bool:
    """Whether the segment's table is complete (its keys are written last)."""
    return (Path(folder) / f"{table_name(segment_id)}.keys.npy").exists()


def write_table(folder: Path | str, leaf: Any) -> None:
    """Write the table of one segment (``leaf``, a Whoosh ``SegmentReader``) from its postings,
    deleted documents included, as the array writer would have written it."""
    table = TableWriter(folder, leaf.segment().segment_id())
    try:
        for fieldname in sorted(leaf.indexed_field_names()):
            fmt = leaf.schema[fieldname].format if fieldname in leaf.schema else None
            if fmt is None:
                continue
            chunk = _Chunk(fieldname, _positional(fmt))
            for btext in leaf.lexicon(fieldname):
                chunk.add(btext, _raw(leaf.postings(fieldname, btext)))
                if chunk.postings >= CHUNK_POSTINGS:
                    chunk.write(table)
            chunk.write(table)
    except BaseException:
        table.cancel()
        raise
    table.finish()


class _Chunk:
    """Consecutive terms of one field and their postings, on their way to the table."""

    def __init__(self, fieldname: str, positional: bool) -> None:
        self.fieldname = fieldname
        self.positional = positional
        self._clear()

    def _clear(self) -> None:
        self.terms: list[bytes] = []
        self.counts: list[int] = []
        self.docs: list[Any] = []
        self.weights: list[Any] = []
        self.values: list[bytes] = []
        self.postings = 0

    def add(self, btext: bytes, matcher: Any) -> None:
        count = 0
        for docs, weights, values in _blocks(matcher, self.positional):
            self.docs.extend(docs)
            self.weights.extend(weights)
            self.values.extend(values)
            count += len(docs)
        self.terms.append(btext)
        self.counts.append(count)
        self.postings += count

    def write(self, table: TableWriter) -> None:
        if not self.terms:
            return
        places = decode_positions(self.values) if self.positional else None
        docs = np.asarray(self.docs, dtype=np.uint32)
        weights = np.asarray(self.weights, dtype=np.float32)
        table.add_terms(self.fieldname, self.terms, self.counts, docs, weights, places)
        self._clear()


def _blocks(matcher: Any, values: bool) -> Iterator[tuple[Any, Any, list[bytes]]]:
    """A term's postings a block at a time: documents, weights and (if ``values``) value bytes."""
    while matcher.is_active():
        if type(matcher) is W3LeafMatcher:
            matcher._read_ids()
            matcher._read_weights()
            if values:
                matcher._read_values()
            yield matcher._ids, matcher._weights, list(matcher._values) if values else []
            matcher._next_block()
        else:  # inlined postings (a term in one document) and other readers
            yield [matcher.id()], [matcher.weight()], [matcher.value()] if values else []
            matcher.next()


def _positional(fmt: Any) -> bool:
    """Whether the format's values are Whoosh's ``Positions``, which the table holds decoded."""
    return bool(fmt.supports("positions")) and type(fmt).decode_positions is Positions.decode_positions


def _raw(matcher: Any) -> Any:
    """The segment's own posting reader: deleted documents stay (the table lists them too)."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return matcher
