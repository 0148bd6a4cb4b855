"""Whoosh's variable-length columns, read with the same bytes but opened in microseconds.

Opening a ``VarBytesColumn`` reader derives every document's offset from the stored lengths
with a Python loop (Whoosh writes the offsets themselves only for segments of more than
32,768 documents): 24,000 appends per segment and column. A search that shows a page of hits
reads the stored fields and the entities of documents spread over many segments, and so
opens those two columns in each: 0.4 s of a 0.9 s cold ``search`` at a million articles in
42 segments. The readers here compute the offsets with one numpy ``cumsum`` instead; the
bytes on disk, the values read and the schema pickled in the index are Whoosh's own, so an
index written before reads the same, and a Whoosh reader of the same column agrees.
"""

from __future__ import annotations

import struct
from array import array
from typing import Any

import numpy as np
from whoosh import columns
from whoosh.codec.whoosh3 import STORED_COLUMN

STORED_FIELDS = "_stored"  # the column name under which Whoosh 3 keeps a segment's stored fields


def _starts(lengths: array) -> array:
    """Each value's offset from the lengths of those before it, as Whoosh's loop gives them."""
    sizes = np.frombuffer(lengths, dtype=np.dtype(lengths.typecode)).astype(np.int64)
    starts = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    offsets = array("q")
    offsets.frombytes(starts.tobytes())
    return offsets


class _CumulativeOffsets:
    """The reader's offsets from a cumulative sum where Whoosh stored only the lengths."""

    _dbfile: Any
    _basepos: int
    _length: int
    _doccount: int

    def _read_offsets_and_lengths(self) -> None:
        last = self._basepos + self._length - 1
        code = chr(self._dbfile.get_byte(last))
        if code == "X":  # the segment stored its offsets: Whoosh reads them as they are
            super()._read_offsets_and_lengths()  # type: ignore[misc]
            return
        start = last - struct.calcsize(code) * self._doccount
        self._lengths = self._dbfile.get_array(start, code, self._doccount)
        self._offsets = _starts(self._lengths)
        self.had_stored_offsets = False


class QuickVarBytesColumn(columns.VarBytesColumn):
    """``VarBytesColumn`` whose reader opens without a loop over the segment's documents."""

    class Reader(_CumulativeOffsets, columns.VarBytesColumn.Reader):
        pass


class QuickCompressedBytesColumn(columns.CompressedBytesColumn):
    """``CompressedBytesColumn`` (stored fields) whose reader opens the same way."""

    class Reader(_CumulativeOffsets, columns.CompressedBytesColumn.Reader):
        pass


def quick(column: Any) -> Any:
    """The column to read ``column``'s bytes with: a quick one for Whoosh's variable-length
    kinds, wrapped as they are wrapped; any other kind as it is."""
    if type(column) is columns.PickleColumn:
        child = quick(column._child)
        return column if child is column._child else columns.PickleColumn(child)
    if type(column) is columns.VarBytesColumn:
        return QuickVarBytesColumn()
    if type(column) is columns.CompressedBytesColumn:
        return QuickCompressedBytesColumn(column._level, column._module)
    return column


QUICK_STORED_COLUMN = quick(STORED_COLUMN)


def column_reader(reader: Any, fieldname: str, **options: Any) -> Any:
    """``reader.column_reader(fieldname)`` read with ``quick`` of the field's column type."""
    return reader.column_reader(fieldname, column=quick(reader.schema[fieldname].column_type), **options)


def stored_fields_reader(perdoc: Any) -> Any:
    """A segment's stored fields column (Whoosh's ``_stored``), opened quickly and kept where
    Whoosh keeps its own, so both ways of reading a document's stored fields share it."""
    return perdoc._cached_reader(STORED_FIELDS, QUICK_STORED_COLUMN)
