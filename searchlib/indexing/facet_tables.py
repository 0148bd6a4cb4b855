"""Every document's facet values as compact arrays, so counting 100,000 matches takes milliseconds.

Whoosh keeps each article's source, year, month and entities in per-document columns; reading
them one document at a time costs microseconds each, which at 100,000 matches is most of a
query. A ``FacetTable`` holds value codes instead: one per document for source, year and
month, and a compressed list (offsets and codes) of entity codes, each with its vocabulary.
Counting the matches is then a gather and a ``bincount``.

Tables are made per Whoosh segment (segments never change once written) and saved beside it
as ``facets-<segment id>.pkl`` by the indexer, so a fresh ``search`` process only loads them.
A searcher never writes into the index: a segment without a saved table (an index from an
older searchlib) gets one built in memory, once per searcher.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from searchlib.indexing import mapped_pickle
from searchlib.indexing import schema as f
from searchlib.indexing.atomic import replacing
from searchlib.indexing.column_readers import column_reader

SINGLE_COLUMNS = (f.SOURCE, f.YEAR, f.MONTH)
"""Fields with one facet value per document, each read from its own column."""
DENSE_SHARE = 7
"""Entities of more than one document in this many are counted with a mask (``entity_counts``)."""
SHOWN_KINDS = frozenset({"person", "org", "place"})
"""The entity types the facets show unless asked otherwise (``querying.facets.DEFAULT_FACETS``):
a joined table is saved with its codes of these made (``FacetTable.prepare``)."""
FEW_DOCUMENTS = 2_000
"""Documents at most whose entities are counted without first making the codes of the types
asked for (see ``FacetTable.entity_counts``)."""
CHUNK_DOCUMENTS = 65_536
"""Documents whose codes are counted in one step (a quarter of this when gathered one by one).
Counting a million documents' codes at once made temporary arrays of up to 100 MB, whose
first use in a process cost more than the counting: 0.8 s for 500,000 matches of a million,
against 53 ms in steps of this many (and 108 against 54 ms once the memory is in use)."""
TABLE_PREFIX = "facets-"
TABLE_SUFFIX = ".pkl"
_FORMAT = 1
_UNREADABLE = (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, ImportError)
"""What reading a saved table may raise: then it is rebuilt (one pickled by another version of
searchlib has its classes elsewhere)."""


@dataclass(frozen=True)
class FacetTable:
    """The facet values of ``doc_count`` documents (a segment, or a whole index)."""

    doc_count: int
    single: dict[str, tuple[list[str], np.ndarray]]
    """Column -> (vocabulary, one int32 code per document; -1 for no value)."""
    entities: list[tuple[str, str]]
    """The entity vocabulary: (type, name) per code."""
    entity_offsets: np.ndarray
    """Document d's entity codes are ``entity_codes[entity_offsets[d]:entity_offsets[d + 1]]``."""
    entity_codes: np.ndarray

    @property
    def entity_kinds(self) -> np.ndarray:
        """The type of each entity of the vocabulary, as an array (made once, on first use)."""
        kinds = self.__dict__.get("_kinds")
        if kinds is None:
            kinds = np.array([kind for kind, _name in self.entities], dtype=str)
            self.__dict__["_kinds"] = kinds
        return kinds

    def kind_mask(self, kind: str) -> np.ndarray:
        """Which entities of the vocabulary are of ``kind`` (made once per kind, on first use:
        comparing every entity's type costs about a millisecond a facet)."""
        masks = self.__dict__.setdefault("_masks", {})
        if kind not in masks:
            masks[kind] = self.entity_kinds == kind
        return masks[kind]

    def single_counts(self, column: str, docnums: np.ndarray) -> tuple[list[str], np.ndarray]:
        """The vocabulary of ``column`` and how many of ``docnums`` have each value."""
        vocab, codes = self.single[column]
        found = codes[docnums]
        return vocab, np.bincount(found[found >= 0], minlength=len(vocab))

    def entity_counts(self, docnums: np.ndarray, kinds: Collection[str] | None = None) -> np.ndarray:
        """How many of ``docnums`` (distinct) name each entity of the vocabulary; with
        ``kinds``, each entity of those types (the others count 0: their codes are left out
        before counting, a fifth of them when the facets shown leave out ``misc``).

        A few documents' codes are gathered one by one (their positions in the codes); more
        than ``1 / DENSE_SHARE`` of the documents are counted through a mask of every code,
        which costs the same whatever their number: gathering the positions of 30,000
        documents' codes of 100,000 (28 each) took 11-15 ms, the mask 5-6 ms. The codes of
        ``kinds`` alone are made on first need, once: at a million documents that took a cold
        ``search`` seconds, so up to ``FEW_DOCUMENTS`` documents use every code, the counts of
        other types zeroed after, until they are made (at 20,000 documents that is twice as
        slow as the codes of ``kinds``).
        """
        key = None if kinds is None else frozenset(kinds)
        if DENSE_SHARE * len(docnums) <= self.doc_count:
            if (
                key is not None
                and len(docnums) <= FEW_DOCUMENTS
                and key not in self.__dict__.get("_codes", {})
            ):
                return self._gathered(self.entity_offsets, self.entity_codes, docnums) * self._of_kinds(key)
            offsets, codes, _lengths = self._codes_of(kinds)
            return self._gathered(offsets, codes, docnums)
        offsets, codes, lengths = self._codes_of(kinds)
        chosen = np.zeros(self.doc_count, dtype=bool)
        chosen[docnums] = True
        counts = np.zeros(len(self.entities), dtype=np.int64)
        for start in range(0, self.doc_count, CHUNK_DOCUMENTS):
            end = min(start + CHUNK_DOCUMENTS, self.doc_count)
            every = np.repeat(chosen[start:end], lengths[start:end])
            counts += np.bincount(codes[offsets[start] : offsets[end]][every], minlength=len(counts))
        return counts

    def _codes_of(self, kinds: Collection[str] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Offsets, codes and each document's number of codes, of every entity or only of
        those of ``kinds`` (made once per set of kinds)."""
        made = self.__dict__.setdefault("_codes", {})
        key = None if kinds is None else frozenset(kinds)
        if key not in made:
            offsets, codes = self.entity_offsets, self.entity_codes
            if key is not None:
                of_kinds = self._of_kinds(key)
                if not of_kinds.all():
                    keep = of_kinds[codes]
                    offsets = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])[offsets]
                    codes = codes[keep]
            made[key] = (offsets, codes, np.diff(offsets))
        return made[key]

    def prepare(self, kinds: Collection[str]) -> FacetTable:
        """Make the codes of ``kinds`` now, so that a table saved after is read with them: at a
        million documents, making them took a process's first search of many matches 3.9 s."""
        self._codes_of(kinds)
        return self

    def _of_kinds(self, kinds: frozenset[str]) -> np.ndarray:
        """Which entities are of one of ``kinds`` (made once per set of kinds, as ``kind_mask``)."""
        masks = self.__dict__.setdefault("_kinds_masks", {})
        if kinds not in masks:
            of_kinds = np.zeros(len(self.entities), dtype=bool)
            for kind in kinds:
                of_kinds |= self.kind_mask(kind)
            masks[kinds] = of_kinds
        return masks[kinds]

    def _gathered(self, offsets: np.ndarray, codes: np.ndarray, docnums: np.ndarray) -> np.ndarray:
        counts = np.zeros(len(self.entities), dtype=np.int64)
        for start in range(0, len(docnums), CHUNK_DOCUMENTS // 4):
            part = docnums[start : start + CHUNK_DOCUMENTS // 4]
            starts = offsets[part]
            lengths = offsets[part + 1] - starts
            # Positions of every code of these documents, without a Python loop.
            shifts = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            positions = np.arange(int(lengths.sum()), dtype=np.int64) + shifts
            counts += np.bincount(codes[positions], minlength=len(counts))
        return counts


def load_table(reader: IndexReader, folder: Path) -> FacetTable:
    """The table of every document ``reader`` sees: the joined table saved for its segments,
    else each segment's saved table, joined here (1.3 s at a million documents)."""
    if reader.doc_count_all() == 0:
        return build_table(reader)
    joined = joined_path(folder, reader)
    if joined is not None:
        with contextlib.suppress(*_UNREADABLE):
            table = mapped_pickle.load(joined)
            if isinstance(table, FacetTable) and table.doc_count == reader.doc_count_all():
                return table
    parts = []
    for leaf, _offset in reader.leaf_readers():
        path = table_path(folder, leaf)
        try:
            table = mapped_pickle.load(path)
            if not isinstance(table, FacetTable) or table.doc_count != leaf.doc_count_all():
                raise ValueError(f"{path} does not match its segment")
        except _UNREADABLE:
            # A table pickled by another version of searchlib (its classes elsewhere) is rebuilt.
            table = build_table(leaf)
        parts.append(table)
    return parts[0] if len(parts) == 1 else join_tables(parts)


def write_tables(reader: IndexReader, folder: Path) -> None:
    """Save a table for each segment that has none and one joined for all of them, and delete
    those of segments gone.

    Called by the indexer after each commit; each file is written whole, then renamed.
    """
    wanted = set()
    for leaf, _offset in reader.leaf_readers() if reader.doc_count_all() else ():
        path = table_path(folder, leaf)
        wanted.add(path.name)
        if not path.exists():
            _save(path, build_table(leaf))
    joined = joined_path(folder, reader) if reader.doc_count_all() else None
    if joined is not None:
        wanted.add(joined.name)
        if not joined.exists():
            _save(joined, load_table(reader, folder).prepare(SHOWN_KINDS))
    for old in folder.glob(f"{TABLE_PREFIX}*{TABLE_SUFFIX}"):
        if old.name not in wanted:
            with contextlib.suppress(OSError):
                old.unlink()


def _save(path: Path, table: FacetTable) -> None:
    """Write ``table`` whole, then rename it into place, its arrays readable in place."""
    with replacing(path, prefix=".facets-") as handle:
        mapped_pickle.dump(table, handle)


def joined_path(folder: Path, reader: IndexReader) -> Path | None:
    """Where the joined table of the segments ``reader`` reads is saved (None for one segment,
    whose own table is the whole): named by a hash of their ids and sizes, so a table saved
    for other segments is never read."""
    leaves = [leaf for leaf, _offset in reader.leaf_readers()]
    if len(leaves) < 2:
        return None
    key = ";".join(f"{leaf.segment().segment_id()}:{leaf.doc_count_all()}" for leaf in leaves)
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    return Path(folder) / f"{TABLE_PREFIX}joined-{digest}-v{_FORMAT}{TABLE_SUFFIX}"


def table_path(folder: Path, leaf: IndexReader) -> Path:
    """Where the table of the segment read by ``leaf`` is saved."""
    segment = leaf.segment()
    return Path(folder) / f"{TABLE_PREFIX}{segment.segment_id()}-v{_FORMAT}{TABLE_SUFFIX}"


def build_table(leaf: IndexReader) -> FacetTable:
    """Read one segment's facet columns, document by document (the slow path, done once)."""
    doc_count = leaf.doc_count_all()
    single = {name: _encode_single(leaf, name, doc_count) for name in SINGLE_COLUMNS}
    vocab: dict[tuple[str, str], int] = {}
    offsets = np.zeros(doc_count + 1, dtype=np.int64)
    codes: list[int] = []
    if leaf.has_column(f.ENTITIES):
        column = column_reader(leaf, f.ENTITIES)
        for docnum in range(doc_count):
            for pair in column[docnum] or ():
                codes.append(vocab.setdefault((pair[0], pair[1]), len(vocab)))
            offsets[docnum + 1] = len(codes)
    return FacetTable(
        doc_count=doc_count,
        single=single,
        entities=list(vocab),
        entity_offsets=offsets,
        entity_codes=np.array(codes, dtype=np.int32),
    )


def join_tables(parts: Sequence[FacetTable]) -> FacetTable:
    """One table for several segments, in reader order, with one vocabulary per facet."""
    single = {}
    for name in SINGLE_COLUMNS:
        vocab, codes = _join_codes([part.single[name] for part in parts])
        single[name] = (vocab, codes)
    entities, entity_codes = _join_codes([(part.entities, part.entity_codes) for part in parts])
    offsets = [np.zeros(1, dtype=np.int64)]
    base = 0
    for part in parts:
        offsets.append(part.entity_offsets[1:] + base)
        base += int(part.entity_offsets[-1])
    return FacetTable(
        doc_count=sum(part.doc_count for part in parts),
        single=single,
        entities=entities,
        entity_offsets=np.concatenate(offsets),
        entity_codes=entity_codes,
    )


def top_values(
    vocab: Sequence[Any], counts: np.ndarray, limit: int, *, chronological: bool, label: Any = None
) -> tuple[list[tuple[Any, int]], bool]:
    """The ``limit`` values to show, most frequent first (or in date order), and whether more exist.

    ``label`` turns a vocabulary entry into the value shown (the name of an entity pair).
    """
    present = np.flatnonzero(counts)
    shown = label or (lambda value: value)
    if chronological:
        ordered = sorted((shown(vocab[i]), int(counts[i])) for i in present)
        return ordered[:limit], len(ordered) > limit
    if len(present) > limit:
        cut = len(present) - limit
        threshold = np.partition(counts[present], cut)[cut]
        present = present[counts[present] >= threshold]
        more = True
    else:
        more = False
    pairs = [(shown(vocab[i]), int(counts[i])) for i in present]
    pairs.sort(key=lambda item: (-item[1], item[0].casefold()))
    return pairs[:limit], more


def _encode_single(leaf: IndexReader, name: str, doc_count: int) -> tuple[list[str], np.ndarray]:
    codes = np.full(doc_count, -1, dtype=np.int32)
    vocab: dict[str, int] = {}
    if leaf.has_column(name):
        column = column_reader(leaf, name)
        for docnum in range(doc_count):
            value = column[docnum]
            if value:
                codes[docnum] = vocab.setdefault(value, len(vocab))
    return list(vocab), codes


def _join_codes(parts: Iterable[tuple[list[Any], np.ndarray]]) -> tuple[list[Any], np.ndarray]:
    """Concatenate code arrays, renumbering each part's codes into one shared vocabulary."""
    vocab: dict[Any, int] = {}
    out = []
    for part_vocab, codes in parts:
        renumbered = [vocab.setdefault(value, len(vocab)) for value in part_vocab]
        mapping = np.array([*renumbered, -1], dtype=np.int32)
        out.append(mapping[codes])  # code -1 picks the trailing -1
    return list(vocab), np.concatenate(out) if out else np.zeros(0, dtype=np.int32)
