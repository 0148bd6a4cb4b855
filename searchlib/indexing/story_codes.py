"""Each document's story as a number, saved when the index is written, for counting stories.

A search folds near-duplicates into stories and says how many stories match, which needs the
story of every matching document number. The cluster table names articles by id, so a fresh
search process had to find the document number of every article that has copies: at 100,000
synthetic articles 48,000 of them, one pass over every id term, about 0.4 s of each cold
`search`. Build and update find them once, after their commit, and save one int32 per
document (-1 for an article with no copies) beside the cluster table, naming the Whoosh
generation it describes; a search loads it in a millisecond, or finds the numbers itself when
the file is missing or describes another generation (an index written by an older searchlib, or
a writer killed between its commit and this file).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.searching import Searcher as WhooshSearcher

from searchlib.indexing import schema as f
from searchlib.indexing.atomic import write_atomically
from searchlib.indexing.collapse import story_codes
from searchlib.indexing.posting_tables import PostingTable, term_hashes

STORY_CODES_FILE = "searchlib-story-codes.npz"
SWEEP_SHARE = 5
"""Document numbers of at least 1/5 of the articles are found by one pass over all ids."""


def codes_of(
    searcher: WhooshSearcher, members: Mapping[str, Sequence[str]], *, tables: Path | None = None
) -> np.ndarray:
    """Each document's story code, from ``members`` (cluster id -> the ids of its articles);
    ``tables``: the folder of the segments' posting tables, if they have any."""
    docnums = docnums_of(searcher, [doc_id for ids in members.values() for doc_id in ids], tables=tables)
    cluster_of = {
        docnums[doc_id]: cluster for cluster, ids in members.items() for doc_id in ids if doc_id in docnums
    }
    return story_codes(cluster_of, searcher.reader().doc_count_all())


def docnums_of(searcher: WhooshSearcher, ids: Sequence[str], *, tables: Path | None = None) -> dict[str, int]:
    """The document number of each of ``ids`` that the index holds.

    Many ids are found, in a segment with a posting table in ``tables``, by one binary search
    of the table's keys for all of them (``PostingTable.sole_documents``); in another, by one
    pass over the segment's id terms, whose term info names its one document (about 5 us a
    term, where a lookup costs 15-30 us: 0.9 s at 100,000 articles).
    """
    reader = searcher.reader()
    if len(ids) * SWEEP_SHARE < reader.doc_count_all():
        found = ((doc_id, searcher.document_number(**{f.ID: doc_id})) for doc_id in ids)
        return {doc_id: docnum for doc_id, docnum in found if docnum is not None}
    wanted = list(dict.fromkeys(ids))
    wanted_ids = set(wanted)
    hashes: np.ndarray | None = None
    docnums: dict[str, int] = {}
    for leaf, offset in reader.leaf_readers():
        segment = leaf.segment()
        table = PostingTable.open(tables, segment.segment_id()) if tables and segment else None
        if table is None:
            _sweep(leaf, offset, wanted_ids, docnums)
            continue
        if hashes is None:
            hashes = term_hashes(f.ID, [doc_id.encode("utf-8") for doc_id in wanted])  # the id field's bytes
        docs = table.sole_documents(hashes)
        deletions = leaf.has_deletions()
        for i in np.flatnonzero(docs >= 0).tolist():
            if not (deletions and leaf.is_deleted(int(docs[i]))):
                docnums[wanted[i]] = int(docs[i]) + offset
    for doc_id in wanted_ids - docnums.keys():  # an id written twice (an update): ask the index
        docnum = searcher.document_number(**{f.ID: doc_id})
        if docnum is not None:
            docnums[doc_id] = docnum
    return docnums


def _sweep(leaf: Any, offset: int, wanted: set[str], docnums: dict[str, int]) -> None:
    """Add to ``docnums`` the ids of ``wanted`` that one live document of the segment has."""
    for text, info in leaf.iter_field(f.ID):
        doc_id = text.decode("utf-8")
        if doc_id in wanted and info.doc_frequency() == 1 and not leaf.is_deleted(info.min_id()):
            docnums[doc_id] = info.min_id() + offset


def save_story_codes(
    folder: Path, searcher: WhooshSearcher, members: Mapping[str, Sequence[str]], *, generation: int
) -> None:
    """Save the story codes of Whoosh generation ``generation`` (which ``searcher`` shows),
    unless the file already describes it."""
    path = Path(folder) / STORY_CODES_FILE
    if _generation_of(path) == generation:
        return
    buffer = io.BytesIO()
    np.savez(buffer, generation=np.int64(generation), codes=codes_of(searcher, members, tables=Path(folder)))
    write_atomically(path, buffer.getvalue(), prefix=".stories-")


def load_story_codes(folder: Path, *, generation: int, doc_count: int) -> np.ndarray | None:
    """The saved codes if they describe Whoosh generation ``generation`` of ``doc_count``
    documents, else None (find them with ``codes_of``)."""
    try:
        with np.load(Path(folder) / STORY_CODES_FILE) as saved:
            if int(saved["generation"]) != generation:
                return None
            codes = saved["codes"]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    return codes if codes.dtype == np.int32 and codes.shape == (doc_count,) else None


def _generation_of(path: Path) -> int | None:
    try:
        with np.load(path) as saved:
            return int(saved["generation"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
