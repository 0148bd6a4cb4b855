"""A document's stored fields as Whoosh's ``reader.stored_fields`` gives them, with less work per call.

A page of hits reads the stored fields of each hit and of each copy folded under it: twenty
or more documents a query. Whoosh's reader finds the document's segment, checks that it is
open, asks the segment for the document's stored values, and keeps those of fields the
schema still has, asking the schema about each field name of each document (a ``try`` and
a lookup, every time): about 60 of the 90 µs each document took at 100,000 articles, more
than reading and unpickling the values. ``StoredFields`` reads the same values from the
segment's stored-fields column, opened with ``indexing.column_readers`` (Whoosh's own opening
of it loops over every document of the segment), and keeps the schema's answer for each
field name for the next document.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from whoosh.reading import ReaderClosed

from searchlib.indexing.column_readers import stored_fields_reader


class StoredFields:
    """``reader.stored_fields(docnum)`` for one open reader (make a new one after a refresh)."""

    def __init__(self, reader: Any) -> None:
        leaves = list(reader.leaf_readers())
        self._reader = reader
        self._leaves = [leaf for leaf, _offset in leaves]
        self._offsets = [offset for _leaf, offset in leaves]
        self._schema = reader.schema
        self._in_schema: dict[str, bool] = {}

    def __call__(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a document of the whole index (as Whoosh numbers them)."""
        if not self._leaves:  # an empty index's reader: Whoosh's own answer (an error)
            return dict(self._reader.stored_fields(docnum))
        segment = max(0, bisect_right(self._offsets, docnum) - 1)
        leaf = self._leaves[segment]
        if leaf.is_closed:
            raise ReaderClosed
        values = stored_fields_reader(leaf._perdoc)[docnum - self._offsets[segment]] or {}
        return {name: value for name, value in values.items() if self._kept(name)}

    def _kept(self, name: str) -> bool:
        """Whether the schema has the field (Whoosh drops the values of a removed field)."""
        kept = self._in_schema.get(name)
        if kept is None:
            kept = self._in_schema[name] = name in self._schema
        return kept
