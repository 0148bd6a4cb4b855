"""Each segment's words of the listed fields, sorted, in one file that a prefix lookup bisects.

Did-you-mean compares a misspelt word with the index words that start with its first letter,
and the name variants group the entity-name words by their first letters. Whoosh lists such
words by walking its term index in Python, merging the segments' lists: about 10 µs a word,
so 10-20 ms the first time a query meets a letter at 100,000 articles (the slowest queries of
a workload of new words). A term list holds the same words, written once per segment beside
it in the generation folder as ``terms-<segment id>-v1.words``: a JSON header line (where each
field's part is), then each listed field's words in byte order, each ended by a newline, then
for each field the number of documents of the segment that have each word (uint32, in the
words' order: Whoosh's own count, deleted documents included). The words starting with a
prefix are found by bisecting the memory-mapped file and decoded in one call; their counts are
a slice. (A searcher's did-you-mean counts a misspelt word's candidates from the posting
tables instead, one binary search a candidate: merging every segment's counts of a letter
took 5-10 ms a letter at 100,000 articles.)

Like the posting tables, the list is derived data: written as a segment's posting table is
(``posting_tables.TableWriter``) and, for a segment without one (an index from an older
searchlib), by the next build or update (``add_missing_lists``); a segment without a list is
read through Whoosh as before. Segments never change once written (a deletion leaves the
segment's words in place, as Whoosh's own term index does), so a list is valid for as long as
its segment exists.
"""

from __future__ import annotations

import json
import mmap
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from searchlib.indexing import schema as f
from searchlib.indexing.atomic import replacing

LISTED_FIELDS = (f.BODY, f.ENTITY_TEXT)
"""The fields whose words are listed by prefix: did-you-mean's (body words, entity-name words)
and the name variants' (entity-name words)."""
LIST_PREFIX = "terms-"
_FORMAT = 1
_SUFFIX = ".words"
_AFTER_EVERY_BYTE = b"\xff"
"""Greater than any byte of UTF-8 text: ``prefix + this`` sorts after every word with the prefix."""


def list_name(segment_id: str) -> str:
    """The file name of a segment's term list (not one of the segment's own names, so that
    Whoosh never packs or deletes it)."""
    return f"{LIST_PREFIX}{segment_id}-v{_FORMAT}{_SUFFIX}"


class FieldWords:
    """One field's words for a term list, added in byte order as a segment's writer and its
    term index give them, held as one string of bytes (a word and a newline each) and a
    count array: about 13 bytes a word, where a segment of one huge article may have 1.7
    million. Words out of order, repeated or holding a newline leave the field out of the
    list (it is then listed through Whoosh)."""

    def __init__(self) -> None:
        self.blob = bytearray()
        self.counts = array("I")
        self.listable = True
        self._last: bytes | None = None

    def add(self, words: Sequence[bytes], counts: Sequence[int]) -> None:
        """Add consecutive words and how many of the segment's documents have each."""
        if not self.listable or not len(words):
            return
        joined = b"\n".join(words)
        in_order = all(a < b for a, b in pairwise(words))
        after_last = self._last is None or words[0] > self._last
        if not (in_order and after_last) or joined.count(b"\n") != len(words) - 1:
            self.listable = False
            self.blob, self.counts = bytearray(), array("I")
            return
        self.blob += joined
        self.blob += b"\n"
        self.counts.extend(int(count) for count in counts)
        self._last = words[-1]


def write_list(folder: Path | str, segment_id: str, fields: Mapping[str, FieldWords]) -> None:
    """Write a segment's term list of the ``fields`` that can be listed."""
    places: dict[str, list[int]] = {}
    kept = sorted(name for name, words in fields.items() if words.listable)
    size = 0
    for name in kept:
        places[name] = [size, size + len(fields[name].blob), len(fields[name].counts)]
        size += len(fields[name].blob)
    for name in kept:
        places[name].append(size)
        size += 4 * len(fields[name].counts)
    header = json.dumps({"format": _FORMAT, "segment": segment_id, "fields": places}).encode("utf-8")
    path = Path(folder) / list_name(segment_id)
    with replacing(path, prefix=f".{LIST_PREFIX}") as handle:
        handle.write(header + b"\n")
        for name in kept:
            handle.write(fields[name].blob)
        for name in kept:
            handle.write(np.frombuffer(fields[name].counts, dtype=np.uint32).astype("<u4").tobytes())


def has_list(folder: Path | str, segment_id: str) -> bool:
    return (Path(folder) / list_name(segment_id)).exists()


def add_missing_lists(folder: Path | str, reader: Any) -> list[str]:
    """Write the term list of each segment of ``reader`` (in ``folder``) that has none, from
    the segment's own term index; the ids of the segments given one."""
    written = []
    for leaf, _offset in reader.leaf_readers():
        segment = leaf.segment()  # None for an empty index's reader
        if segment is None or has_list(folder, segment.segment_id()):
            continue
        fields: dict[str, FieldWords] = {}
        for name in LISTED_FIELDS:
            if name in leaf.schema:
                terms = list(leaf.iter_field(name))
                fields[name] = FieldWords()
                fields[name].add(
                    [word for word, _info in terms], [info.doc_frequency() for _word, info in terms]
                )
        write_list(folder, segment.segment_id(), fields)
        written.append(segment.segment_id())
    return written


def drop_stale_lists(folder: Path | str, segment_ids: Iterable[str]) -> None:
    """Delete the term lists of segments that are gone (merged away or replaced)."""
    wanted = {list_name(segment_id) for segment_id in segment_ids}
    for old in Path(folder).glob(f"{LIST_PREFIX}*{_SUFFIX}"):
        if old.name not in wanted:
            old.unlink(missing_ok=True)


class TermList:
    """One segment's term list, memory-mapped."""

    def __init__(self, path: Path, segment_id: str) -> None:
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        end = self._map.find(b"\n")
        header = json.loads(self._map[:end]) if end > 0 else {}
        if header.get("format") != _FORMAT or header.get("segment") != segment_id:
            self._map.close()
            raise ValueError(f"{path.name} is not the term list of segment {segment_id}")
        body = end + 1
        self._fields: dict[str, tuple[int, int, int, int]] = {
            name: (body + start, body + stop, words, body + counts)
            for name, (start, stop, words, counts) in header["fields"].items()
        }
        if any(counts + 4 * words > len(self._map) for _start, _stop, words, counts in self._fields.values()):
            self._map.close()
            raise ValueError(f"{path.name} is cut short")

    @classmethod
    def open(cls, folder: Path | str, segment_id: str) -> TermList | None:
        """The segment's list, or None if it has none (or an unreadable one)."""
        path = Path(folder) / list_name(segment_id)
        if not path.exists():
            return None
        try:
            return cls(path, segment_id)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def starting_with(self, fieldname: str, prefix: bytes) -> list[str] | None:
        """The field's words that start with ``prefix``, in byte order; None if the list does
        not hold the field."""
        found = self._range(fieldname, prefix)
        if found is None:
            return None
        start, end = found
        if start == end:
            return []
        return self._map[start : end - 1].decode("utf-8").split("\n")

    def counts_starting_with(self, fieldname: str, prefix: bytes) -> np.ndarray | None:
        """How many of the segment's documents have each word ``starting_with`` gives."""
        found = self._range(fieldname, prefix)
        if found is None:
            return None
        first, _stop, _words, counts = self._fields[fieldname]
        before = self._map[first : found[0]].count(b"\n")
        number = self._map[found[0] : found[1]].count(b"\n")
        return np.frombuffer(self._map, dtype="<u4", count=number, offset=counts + 4 * before).astype(
            np.int64
        )

    def _range(self, fieldname: str, prefix: bytes) -> tuple[int, int] | None:
        """The bytes of the field's words that start with ``prefix``."""
        place = self._fields.get(fieldname)
        if place is None:
            return None
        start = self._first_at_least(place[:2], prefix)
        return start, self._first_at_least((start, place[1]), prefix + _AFTER_EVERY_BYTE)

    def close(self) -> None:
        self._map.close()

    def _first_at_least(self, span: tuple[int, int], wanted: bytes) -> int:
        """The offset of the first word of ``span`` (word boundaries) not less than ``wanted``."""
        data = self._map
        low, high = span
        while low < high:
            start = data.rfind(b"\n", low, (low + high) // 2) + 1 or low
            end = data.find(b"\n", start)
            if data[start:end] < wanted:
                low = end + 1
            else:
                high = start
        return low


class IndexWords:
    """The words of a field that start with a prefix over every segment of a reader: from each
    segment's term list where it has one, else from Whoosh's term index; merged as Whoosh's
    ``expand_prefix`` merges them (each word once, in byte order)."""

    def __init__(self, reader: Any, folder: Path | str | None) -> None:
        self._leaves: list[tuple[Any, TermList | None]] = []
        for leaf, _offset in reader.leaf_readers():
            segment = leaf.segment()  # None for an empty index's reader
            found = TermList.open(folder, segment.segment_id()) if folder and segment else None
            self._leaves.append((leaf, found))

    def starting_with(self, fieldname: str, prefix: str) -> list[str]:
        """Every word of ``fieldname`` that starts with ``prefix``, in byte order."""
        wanted = prefix.encode("utf-8")
        lists = [self._leaf_words(leaf, found, fieldname, wanted) for leaf, found in self._leaves]
        lists = [words for words in lists if words]
        if len(lists) == 1:
            return lists[0]
        # Code point order is UTF-8 byte order: the order Whoosh's merge gives.
        return sorted(set().union(*lists))

    def close(self) -> None:
        for _leaf, found in self._leaves:
            if found is not None:
                found.close()

    @staticmethod
    def _leaf_words(leaf: Any, found: TermList | None, fieldname: str, prefix: bytes) -> list[str]:
        words = found.starting_with(fieldname, prefix) if found is not None else None
        if words is None:
            words = list(_decoded(leaf.expand_prefix(fieldname, prefix)))
        return words


def _decoded(terms: Iterable[bytes]) -> Iterator[str]:
    return (term.decode("utf-8") for term in terms)
