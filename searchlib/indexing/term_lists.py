"""Each segment's words of the listed fields, sorted, in one file that a prefix lookup bisects.

Did-you-mean compares a misspelt word with the index words that start with its first letter,
and the name variants group the entity-name words by their first letters. Whoosh lists such
words by walking its term index in Python, merging the segments' lists: about 10 µs a word,
so 10-20 ms the first time a query meets a letter at 100,000 articles (the slowest queries of
a workload of new words). A term list holds the same words, written once per segment beside
it in the generation folder as ``terms-<segment id>-v1.words``: a JSON header line (the byte
range of each field), then each listed field's words in byte order, each ended by a newline.
The words starting with a prefix are found by bisecting the memory-mapped file and decoded
in one call.

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
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from searchlib.indexing import schema as f
from searchlib.indexing.atomic import write_atomically

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


def write_list(folder: Path | str, segment_id: str, words: Mapping[str, Iterable[bytes]]) -> None:
    """Write a segment's term list: ``words`` maps a field to its words (UTF-8, any order).

    A field with a word holding a newline (not a word of an analysed text field) is left out,
    and is then listed through Whoosh."""
    ranges: dict[str, list[int]] = {}
    parts: list[bytes] = []
    size = 0
    for fieldname in sorted(words):
        unique = sorted(set(words[fieldname]))
        if any(b"\n" in word for word in unique):
            continue
        blob = b"".join(word + b"\n" for word in unique)
        ranges[fieldname] = [size, size + len(blob)]
        parts.append(blob)
        size += len(blob)
    header = json.dumps({"format": _FORMAT, "segment": segment_id, "fields": ranges}).encode("utf-8")
    path = Path(folder) / list_name(segment_id)
    write_atomically(path, header + b"\n" + b"".join(parts), prefix=f".{LIST_PREFIX}")


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
        fields = [name for name in LISTED_FIELDS if name in leaf.schema]
        write_list(folder, segment.segment_id(), {name: leaf.lexicon(name) for name in fields})
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
        self._fields: dict[str, tuple[int, int]] = {
            name: (end + 1 + start, end + 1 + stop) for name, (start, stop) in header["fields"].items()
        }
        if any(stop > len(self._map) for _start, stop in self._fields.values()):
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
        span = self._fields.get(fieldname)
        if span is None:
            return None
        start = self._first_at_least(span, prefix)
        end = self._first_at_least((start, span[1]), prefix + _AFTER_EVERY_BYTE)
        if start == end:
            return []
        return self._map[start : end - 1].decode("utf-8").split("\n")

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
