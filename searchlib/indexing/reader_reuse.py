"""Picking up an index's new commit without opening its unchanged segments again.

A process that stays up (``searchlib serve``, the Python API) refreshes its searcher after each
update. Whoosh 2.7.4 means to reuse the readers of the segments a commit kept, but it looks
them up by the reader's generation number instead of the segment's id, so it never finds one:
every refresh opens every segment again, and with memory maps Whoosh copies each segment file
it opens into memory (a query during an update waited 4.8 s at 100,000 articles:
``docs/benchmark.md``).

``reopened`` keeps the reader of each segment the new commit still lists. A segment's files
never change once written; what a commit changes in a kept segment is only which of its
documents are deleted, which Whoosh keeps in the segment's record in the table of contents.
So a kept segment whose record is new gets a copy of its reader pointing at the new record,
sharing the open files. Segments the commit no longer lists (merged away) are closed, as
Whoosh would.
"""

from __future__ import annotations

import copy
from typing import Any

from whoosh.index import FileIndex
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader


def reopened(index: FileIndex, old: IndexReader) -> IndexReader:
    """A reader of ``index``'s latest commit that reuses ``old``'s open segment readers.

    ``old`` must not be used afterwards: the readers of segments the commit dropped are closed.
    """
    toc = index._read_toc()
    kept: dict[str, SegmentReader] = {}
    for leaf, _offset in old.leaf_readers():
        if isinstance(leaf, SegmentReader) and not leaf.is_closed:
            kept[leaf.segment().segment_id()] = leaf
    readers: list[SegmentReader] = []
    opened: list[SegmentReader] = []
    try:
        for segment in toc.segments:
            reader = kept.pop(segment.segment_id(), None)
            if reader is None:
                reader = SegmentReader(index.storage, toc.schema, segment, generation=toc.generation)
                opened.append(reader)
            else:
                reader = _pointed_at(reader, segment, toc.generation)
            readers.append(reader)
    except BaseException:  # a commit that deleted what it listed: ``old`` stays whole, to retry
        for reader in opened:
            reader.close()
        raise
    for reader in kept.values():
        reader.close()
    if not readers:
        return EmptyReader(toc.schema)
    if len(readers) == 1:
        return readers[0]
    return MultiReader(readers, generation=toc.generation)


def _pointed_at(reader: SegmentReader, segment: Any, generation: int) -> SegmentReader:
    """``reader`` for the same segment's newer record (its deletions), sharing its open files."""
    fresh = copy.copy(reader)
    fresh._segment = segment
    fresh._gen = generation
    perdoc = copy.copy(reader._perdoc)
    perdoc._segment = segment
    fresh._perdoc = perdoc
    return fresh
