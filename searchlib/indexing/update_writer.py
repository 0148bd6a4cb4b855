"""An update's writer: Whoosh's for deleting and committing, the array writer for documents.

Whoosh's ``SegmentWriter`` writes a segment's postings through its posting pool, in Python, a
posting at a time: about 12 ms an article at 100,000 articles, when a build's array writer
(``bulk.ArraySegmentWriter``) takes about 4.5 ms, and writes the segment's posting table and
term list as it goes. The same holds for the merges Whoosh makes at a commit: every few
updates its policy merges the small segments updates left behind, writing each of their
articles' postings again (merging 5,000 articles took 62 s at 100,000 articles, and an update
adding 100 articles, otherwise 10 s, took 86 s when its commit merged 5,400).

``ArrayUpdateWriter`` is a ``SegmentWriter`` (it holds the index's write lock, deletes
documents in the segments it found, and writes the table of contents at its commit) whose
documents go to an array writer's segment instead of its own. Whoosh's merge policy still
chooses which segments to merge; a merged segment's live articles are written again, from their
stored fields, into the same new segment (``rewrite`` makes each one's document again, with the
fields that are not stored: the entities as the archive now resolves them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from whoosh.index import Index
from whoosh.writing import SegmentWriter

from searchlib.indexing import schema as f
from searchlib.indexing.bulk import SEGMENT_DOCS, LeanSegmentWriter, segment_writer
from searchlib.indexing.column_readers import column_reader

MergedDocument = Callable[[Mapping[str, Any], Sequence[Any]], dict[str, Any]]
"""(stored fields, the article's own entities) -> the whole document of an article a merge writes
again (``resolution.Rewrite`` is the resolution pass's, which is handed the entities too)."""


class ArrayUpdateWriter(SegmentWriter):
    """A ``SegmentWriter`` whose added (and merged) documents go to array-written segments."""

    def __init__(self, ix: Index, *, limitmb: int, rewrite: MergedDocument) -> None:
        super().__init__(ix, limitmb=limitmb)
        self._index = ix
        self._limitmb = limitmb
        self.rewrite = rewrite
        """How a merged segment's articles are written again."""
        self._writing: LeanSegmentWriter | None = None
        self._written: list[Any] = []

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        if self._writing is None:
            self._writing = segment_writer(self._index, limitmb=self._limitmb)
        self._writing.add_document(**fields)
        if self._writing.is_full(SEGMENT_DOCS):
            self._finish_writing()

    def add_reader(self, reader: Any) -> None:
        """Merge a segment (Whoosh's merge policy calls this): its live articles written again."""
        local = column_reader(reader, f.ENTITY_LOCAL)
        for docnum in reader.all_doc_ids():
            self.add_document(**self.rewrite(reader.stored_fields(docnum), local[docnum] or ()))

    def commit(self, mergetype: Any = None, optimize: Any = None, merge: Any = None) -> None:
        self._check_state()
        kept = self._merge_segments(mergetype, optimize, merge)
        self._finish_writing()
        self._close_segment()  # this writer's own segment, always empty
        self._commit_toc([*kept, *self._written])
        self._finish()

    def cancel(self) -> None:
        if self._writing is not None:
            self._writing.cancel()
            self._writing = None
        super().cancel()

    def _finish_writing(self) -> None:
        if self._writing is not None:
            segment = self._writing.finish()
            self._writing = None
            if segment is not None:
                self._written.append(segment)
