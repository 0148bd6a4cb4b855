"""The archive's page furniture (``articles.furniture``) as a sidecar kept beside the index.

A build reads the two ends of every article file once more (a few kilobytes each, before any
entity is extracted, in parallel: ``reading_pool``) and counts their edge keys per source; the
counts and each file's keys are saved as ``searchlib-furniture.pkl`` in the index generation.
An update re-reads only the files whose size or modification time changed, takes back the keys
of changed and deleted files, and adds those of new ones, so its counts, and the furniture they
give, are those a full rebuild would find. When the furniture changes, the articles whose lines
gained or lost that standing are named (``FurnitureUpdate.refresh``) so the update finds their
entities again (from the NER cache). A missing or unreadable table is rebuilt from the corpus.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from searchlib.articles.furniture import (
    HEAD_BYTES,
    TAIL_BYTES,
    FurnitureCounts,
    Key,
    edge_keys_of_bytes,
)
from searchlib.articles.kinds import is_container_name
from searchlib.indexing.atomic import write_atomically
from searchlib.indexing.filetable import FileStat
from searchlib.indexing.reading_pool import ReadingPool

FURNITURE_FILE = "searchlib-furniture.pkl"
_FORMAT = 4
"""2: a headline's suffixes are keys too (``title_suffix_keys``); a table of format 1 is read
again. 4: each file's keys packed (``FileEdges.packed``); a table of format 3 is converted."""
_UNPACKED_FORMAT = 3


class FileEdges(NamedTuple):
    """What a file gave the counts: when it was read (size, mtime), its source and edge keys.

    A named tuple, its keys packed as little-endian 64-bit integers: a table holds one per
    article file and every update loads and saves it whole. With the keys as a tuple of
    Python integers, pickling the table took 0.4 s and unpickling it 0.3 s at 100,000
    articles; packed, 0.16 s and 0.07 s. An update unpacks only the keys of the files it
    adds, changes or loses (and every file's when the furniture changed)."""

    size: int
    mtime_ns: int
    source: str
    packed: bytes

    @classmethod
    def of(cls, size: int, mtime_ns: int, source: str, keys: tuple[Key, ...]) -> FileEdges:
        return cls(size, mtime_ns, source, struct.pack(f"<{len(keys)}Q", *keys))

    @property
    def keys(self) -> tuple[Key, ...]:
        return struct.unpack(f"<{len(self.packed) // 8}Q", self.packed)


@dataclass
class FurnitureTable:
    """The counts of an archive's edge keys and the keys of each of its files (by relative path)."""

    counts: FurnitureCounts = field(default_factory=FurnitureCounts)
    files: dict[str, FileEdges] = field(default_factory=dict)

    @classmethod
    def scan(cls, files: Iterable[FileStat], *, pool: ReadingPool | None = None) -> FurnitureTable:
        """Count the edge keys of every file (a build), read by ``pool``'s workers if given."""
        table = cls()
        for stat, edges in (pool or ReadingPool(0)).map(_with_edges, files):
            table._count(stat, edges)
        return table

    def update(self, files: Iterable[FileStat]) -> FurnitureUpdate:
        """Bring the table in line with the corpus as ``files`` now are; with it, the files whose
        furniture changed.

        In place: an update owns the table it loaded, and a copy of the counts (a counter per
        source, some twenty keys an article) was most of the work. A corpus whose files all
        have the size and mtime the table recorded is not walked again."""
        files = files if isinstance(files, Sequence) else list(files)
        if len(files) == len(self.files) and all(self._recorded(stat) for stat in files):
            return FurnitureUpdate(self, self.counts.furniture(), frozenset(), dirty=False)
        before = self.counts.furniture()
        seen: set[str] = set()
        for stat in files:
            seen.add(stat.rel)
            if self._recorded(stat):
                continue
            old = self.files.pop(stat.rel, None)
            if old is not None:
                self.counts.add(old.source, old.keys, sign=-1)
            self._add(stat)
        for rel in [rel for rel in self.files if rel not in seen]:
            old = self.files.pop(rel)
            self.counts.add(old.source, old.keys, sign=-1)
        after = self.counts.furniture()
        changed = before ^ after
        refresh = (
            frozenset(rel for rel, edges in self.files.items() if changed.intersection(edges.keys))
            if changed
            else frozenset()
        )
        return FurnitureUpdate(self, after, refresh, dirty=True)

    def furniture(self) -> frozenset[Key]:
        return self.counts.furniture()

    def _recorded(self, stat: FileStat) -> bool:
        old = self.files.get(stat.rel)
        return old is not None and old.size == stat.size and old.mtime_ns == stat.mtime_ns

    def save(self, folder: Path) -> None:
        """Write the table into an index generation folder, atomically."""
        data = pickle.dumps({"format": _FORMAT, "counts": self.counts, "files": self.files}, protocol=5)
        write_atomically(Path(folder) / FURNITURE_FILE, data, prefix=".furniture-")

    @classmethod
    def load(cls, folder: Path) -> FurnitureTable | None:
        """The table saved in ``folder``; None if there is none or it cannot be read."""
        try:
            data = pickle.loads((Path(folder) / FURNITURE_FILE).read_bytes())
            if data.get("format") == _UNPACKED_FORMAT:
                files = {rel: FileEdges.of(*edges) for rel, edges in data["files"].items()}
                return cls(data["counts"], files)
            if data.get("format") != _FORMAT:
                return None
            return cls(data["counts"], data["files"])
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            KeyError,
            TypeError,
            ValueError,
            struct.error,
        ):
            return None

    def _add(self, stat: FileStat) -> None:
        """Count one file; one that cannot be read now is left out, to be read by the next update."""
        self._count(stat, read_edges(stat))

    def _count(self, stat: FileStat, edges: tuple[str, tuple[Key, ...]] | None) -> None:
        if edges is not None:
            self.files[stat.rel] = FileEdges.of(stat.size, stat.mtime_ns, *edges)
            self.counts.add(*edges)


@dataclass(frozen=True)
class FurnitureUpdate:
    """An update's furniture: the new table, its furniture, and which files (relative paths)
    hold lines whose standing changed, so their entities must be found again."""

    table: FurnitureTable
    furniture: frozenset[Key]
    refresh: frozenset[str]
    dirty: bool = True
    """Whether the table differs from the saved one (files read, added or gone)."""


def use_furniture(extractor: Any, furniture: frozenset[Key]) -> None:
    """Tell an extractor that ignores furniture (``EntityExtractor`` does) the archive's."""
    if hasattr(extractor, "furniture"):
        extractor.furniture = furniture


def updated_furniture(folder: Path, files: Iterable[FileStat]) -> FurnitureUpdate:
    """The furniture of the corpus as ``files`` now are, from the table saved in ``folder`` (an
    index generation), or counted afresh when there is none."""
    saved = FurnitureTable.load(folder)
    found = (saved or FurnitureTable()).update(files)
    return found if saved is not None else FurnitureUpdate(found.table, found.furniture, found.refresh, True)


def _with_edges(stat: FileStat) -> tuple[FileStat, tuple[str, tuple[Key, ...]] | None]:
    return stat, read_edges(stat)


def read_edges(stat: FileStat) -> tuple[str, tuple[Key, ...]] | None:
    """``(source, edge keys)`` of one file, reading only its two ends; None for a file that
    cannot be read (the indexer reports it, not this). A file of many records (JSON Lines, CSV,
    WARC) has no edges of its own: it counts, with no keys."""
    if stat.error:
        return None
    if is_container_name(stat.rel):
        return "", ()
    try:
        with open(stat.location, "rb") as handle:
            head = handle.read(HEAD_BYTES + TAIL_BYTES)
            if len(head) < HEAD_BYTES + TAIL_BYTES:
                return edge_keys_of_bytes(head)
            handle.seek(-TAIL_BYTES, 2)
            return edge_keys_of_bytes(head[:HEAD_BYTES], handle.read())
    except OSError:
        return None
