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
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3TermsReader
from whoosh.filedb.structfile import BufferFile
from whoosh.formats import Positions

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
    deleted documents included, as the array writer would have written it.

    The segment's term index and postings are read whole into memory and walked in term order:
    looking each term up and reading its postings through the (compound) segment file cost a
    hundred times more per term. A segment of another codec gets no table.
    """
    terms = _terms_in_memory(leaf)
    if terms is None:
        return
    table = TableWriter(folder, leaf.segment().segment_id())
    try:
        chunk: _Chunk | None = None
        for (fieldname, btext), terminfo in terms.items():
            if chunk is None or chunk.fieldname != fieldname:
                if chunk is not None:
                    chunk.write(table)
                fmt = leaf.schema[fieldname].format if fieldname in leaf.schema else None
                chunk = _Chunk(fieldname, fmt)
            if chunk.format is not None:
                chunk.add(btext, terms.postings(terminfo, chunk.format))
                if chunk.postings >= CHUNK_POSTINGS:
                    chunk.write(table)
        if chunk is not None:
            chunk.write(table)
    except BaseException:
        table.cancel()
        raise
    table.finish()


class _Terms:
    """A W3 segment's term index and postings file, read into memory."""

    def __init__(self, codec: W3Codec, index: bytes, postings: bytes) -> None:
        self._codec = codec
        self._reader = W3TermsReader(codec, BufferFile(index), len(index), BufferFile(postings))

    def items(self) -> Iterator[tuple[tuple[str, bytes], Any]]:
        """Every (fieldname, term bytes) and its term info, in the index's order."""
        return self._reader.items()  # type: ignore[no-any-return]

    def postings(self, terminfo: Any, fmt: Any) -> Any:
        """A matcher over the term's postings (inlined in its term info, or in the file)."""
        return self._codec.postings_reader(self._reader._postfile, terminfo, fmt)


def _terms_in_memory(leaf: Any) -> _Terms | None:
    codec, segment, storage = leaf.codec(), leaf.segment(), leaf.storage()
    if type(codec) is not W3Codec:
        return None

    def read(extension: str) -> bytes:
        name = segment.make_filename(extension)
        handle = storage.open_file(name)
        try:
            return bytes(handle.read(storage.file_length(name)))
        finally:
            handle.close()

    return _Terms(codec, read(W3Codec.TERMS_EXT), read(W3Codec.POSTS_EXT))


class _Chunk:
    """Consecutive terms of one field and their postings, on their way to the table."""

    def __init__(self, fieldname: str, fmt: Any) -> None:
        self.fieldname = fieldname
        self.format = fmt
        self.positional = fmt is not None and _positional(fmt)
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
