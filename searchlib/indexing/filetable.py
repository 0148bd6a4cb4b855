"""What the corpus looks like on disk, and which files the index holds.

An update must not read every article to find the few that changed. Each generation of the
index therefore keeps a small sidecar, ``searchlib-files.json``: for every indexed article its
id, its path relative to the corpus, the size and modification time it had when it was read
and the hash of its bytes. A file whose size and mtime still match is unchanged without being
opened; any other file is read and hashed, and only a different hash makes it "changed" (so
touching a file costs one read, never a re-index).

The sidecar is written after Whoosh's commit and records the Whoosh generation it describes. A
writer killed between the two leaves a sidecar that names an older generation; it is then
ignored and rebuilt from the index's stored fields (``FileTable.from_documents``), which is
slower but always right. The corpus signature (a hash of every article file's path, size and
mtime) goes into the manifest so that ``search`` can tell with a walk of ``stat`` calls, and
without reading any article, whether the corpus changed since the index was last written.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from searchlib.articles.textfile import iter_article_files
from searchlib.indexing.atomic import replacing

TABLE_FILE = "searchlib-files.json"
_TABLE_FORMAT = 1


@dataclass(frozen=True, slots=True)
class FileStat:
    """One article file as found on disk: where it is and what ``stat`` said about it.

    The location is kept as a string, and ``path`` and ``id`` are made when asked: a scan
    holds one ``FileStat`` per article, and a ``Path`` for each added about 300 bytes and
    12 µs per article (1.2 s of CPU at 100,000 articles, a third of an unchanged update).
    """

    location: str
    rel: str
    size: int = -1
    mtime_ns: int = -1
    error: str | None = None
    """Why ``stat`` failed (a symlink loop, a dangling link), or why the file is not readable."""

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def id(self) -> str:
        """The file's name without its extension (``Path.stem``), as the article's id."""
        name = self.location.rpartition(os.sep)[2]
        dot = name.rfind(".")
        return name[:dot] if 0 < dot < len(name) - 1 else name

    @property
    def is_unlisted_folder(self) -> bool:
        """A folder that could not be listed (its ``rel`` ends with ``/``): its files are unknown."""
        return self.rel.endswith("/")


class FileEntry(NamedTuple):
    """An indexed article's file as it was when it was read.

    A named tuple: every update loads one per article (a frozen dataclass took 0.35 s of it
    at 100,000 articles, three times as long as the named tuples do)."""

    rel: str | None
    size: int
    mtime_ns: int
    content_hash: str

    def matches(self, stat: FileStat) -> bool:
        """True when ``stat`` says the file is the one recorded (same place, size and mtime)."""
        return self.rel == stat.rel and self.size == stat.size and self.mtime_ns == stat.mtime_ns


def scan_corpus(corpus_dir: Path, *, follow_links: bool = False) -> list[FileStat]:
    """``stat`` every article file under ``corpus_dir`` (in ``iter_article_paths`` order).

    Only regular files can be articles: a named pipe would block a reader for ever, so it is
    reported like a file that cannot be read. A link to a file outside ``corpus_dir`` is
    reported too, unless ``follow_links`` (see ``link_outside``).
    """
    return list(iter_scan(corpus_dir, follow_links=follow_links))


def iter_scan(corpus_dir: Path, *, follow_links: bool = False) -> Iterator[FileStat]:
    """``scan_corpus`` one file at a time, for a build that must not hold the list."""
    for found in _walk(corpus_dir, follow_links=follow_links):
        yield FileStat(found.path, found.rel, found.size, found.mtime_ns, found.error)


def count_articles(corpus_dir: Path) -> int:
    """How many article files ``corpus_dir`` holds, by their names only (no ``stat``)."""
    return sum(1 for _found in iter_article_files(corpus_dir))


def current_signature(corpus_dir: Path, *, follow_links: bool = False) -> str:
    """The signature ``corpus_signature`` gives the corpus as it is now, computed quickly."""
    return corpus_signature(_walk(corpus_dir, follow_links=follow_links))


def quick_scan(corpus_dir: Path, *, follow_links: bool = False) -> list[_Found]:
    """``scan_corpus`` with plain strings (``rel``, ``size``, ``mtime_ns``, ``error``): faster."""
    return list(_walk(corpus_dir, follow_links=follow_links))


def link_outside(path: str, inside: str) -> str | None:
    """Why the link at ``path`` is no article: it leads out of the folder ``inside``, else None.

    A corpus is untrusted input: ``ln -s /etc/passwd corpus/passwd.txt`` must not put the
    password file into the index (and on the web page). ``inside`` ends with a separator (see
    ``corpus_prefix``). Callers pass ``follow_links`` to skip this check for a corpus whose
    owner links articles in from elsewhere on purpose.
    """
    target = os.path.realpath(path)
    return None if target.startswith(inside) else f"a link to {target}, outside the article folder"


def corpus_prefix(corpus_dir: Path) -> str:
    """The real path of the corpus folder with a trailing separator, for ``link_outside``."""
    return os.path.join(os.path.realpath(corpus_dir), "")


def corpus_signature(files: Iterable[FileStat | _Found]) -> str:
    """A hash of every article file's path, size and mtime: changes when any file does."""
    digest = SignatureDigest()
    for item in files:
        digest.add(item)
    return digest.hexdigest()


class SignatureDigest:
    """``corpus_signature`` fed one file at a time, in scan order."""

    def __init__(self) -> None:
        self._digest = hashlib.blake2b(digest_size=16)

    def add(self, item: FileStat | _Found) -> None:
        self._digest.update(f"{item.rel}\0{item.size}\0{item.mtime_ns}\0{item.error or ''}\n".encode())

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class _Found(NamedTuple):
    path: str
    rel: str
    size: int
    mtime_ns: int
    error: str | None


def _walk(corpus_dir: Path, *, follow_links: bool) -> Iterator[_Found]:
    """Stat each article file, with plain strings: a search does this for every query."""
    base = len(str(corpus_dir.parent if corpus_dir.is_file() else corpus_dir)) + 1
    unlisted: list[tuple[str, str]] = []
    yield from _walk_files(corpus_dir, base, unlisted, follow_links=follow_links)
    for folder, reason in unlisted:
        yield _Found(folder, folder[base:].replace(os.sep, "/") + "/", -1, -1, reason)


def _walk_files(
    corpus_dir: Path, base: int, unlisted: list[tuple[str, str]], *, follow_links: bool
) -> Iterator[_Found]:
    inside = corpus_prefix(corpus_dir)
    for root, name in iter_article_files(corpus_dir, unlisted=unlisted):
        folder = root[base:].replace(os.sep, "/")
        rel = f"{folder}/{name}" if folder else name
        path = f"{root}{os.sep}{name}"
        if not _is_unicode(path):  # a name in another encoding: it could be neither stored nor shown
            shown = _shown(path)
            yield _Found(shown, _shown(rel), -1, -1, "file name is not UTF-8: rename the file to index it")
            continue
        try:
            st = os.lstat(path)  # one system call for a plain file; a link is followed below
            if stat.S_ISLNK(st.st_mode):
                outside = None if follow_links else link_outside(path, inside)
                if outside:
                    yield _Found(path, rel, -1, -1, outside)
                    continue
                st = os.stat(path)
        except OSError as exc:
            yield _Found(path, rel, -1, -1, f"cannot read: {exc.strerror or exc}")
            continue
        if not stat.S_ISREG(st.st_mode):
            yield _Found(path, rel, -1, -1, "cannot read: not a regular file")
            continue
        yield _Found(path, rel, st.st_size, st.st_mtime_ns, None)


def _is_unicode(text: str) -> bool:
    """False for a name whose undecodable bytes Python kept as lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """The name with its undecodable bytes as U+FFFD, to report it."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class FileTable:
    """id -> ``FileEntry`` for every article in one generation of the index.

    The articles of a file of many (JSON Lines, CSV, WARC) share its ``rel``, each with the
    hash of its own record; ``containers`` keeps the hash of each such file as a whole, which
    is what a freshness check compares.
    """

    def __init__(
        self,
        entries: Mapping[str, FileEntry] | None = None,
        *,
        generation: int = -1,
        containers: Mapping[str, str] | None = None,
    ) -> None:
        self.entries: dict[str, FileEntry] = dict(entries or {})
        self.generation = generation
        self.containers: dict[str, str] = dict(containers or {})

    @classmethod
    def load(cls, folder: Path, *, generation: int) -> FileTable | None:
        """The sidecar of ``folder`` if it describes Whoosh generation ``generation``, else None."""
        try:
            data = json.loads((Path(folder) / TABLE_FILE).read_text(encoding="utf-8"))
            if data.get("format") != _TABLE_FORMAT or data.get("generation") != generation:
                return None
            entries = {
                doc_id: FileEntry(rel, int(size), int(mtime), str(digest))
                for doc_id, (rel, size, mtime, digest) in data["files"].items()
            }
            containers = {str(rel): str(digest) for rel, digest in data.get("containers", {}).items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return cls(entries, generation=generation, containers=containers)

    @classmethod
    def from_documents(
        cls, documents: Iterable[tuple[str, str, str]], *, corpus_dir: Path, generation: int
    ) -> FileTable:
        """Rebuild the table from the index's (id, stored path, content hash) triples.

        Sizes and mtimes are unknown, so every file is hashed once by the next update.
        """
        entries = {
            doc_id: FileEntry(_relative(stored_path, corpus_dir), -1, -1, digest)
            for doc_id, stored_path, digest in documents
        }
        return cls(entries, generation=generation)

    def save(self, folder: Path, *, generation: int) -> None:
        """Write the table for Whoosh generation ``generation``, atomically."""
        self.generation = generation
        with table_stream(folder) as stream:
            for doc_id, entry in self.entries.items():
                stream.add(doc_id, entry)
            stream.containers.update(self.containers)
            stream.finish(generation)

    def hashes_by_rel(self) -> dict[str, str]:
        """rel -> the content hash of the whole file, for every indexed file."""
        hashes = {entry.rel: entry.content_hash for entry in self.entries.values() if entry.rel}
        hashes.update(self.containers)
        return hashes

    def ids_by_rel(self) -> dict[str, list[str]]:
        """rel -> the ids of the articles read from it (many for a file of many)."""
        found: dict[str, list[str]] = {}
        for doc_id, entry in self.entries.items():
            if entry.rel:
                found.setdefault(entry.rel, []).append(doc_id)
        return found

    def ids_by_hash(self) -> dict[str, str]:
        """content hash -> an id holding it: finds a renamed file's old document."""
        return {entry.content_hash: doc_id for doc_id, entry in self.entries.items()}

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


@contextmanager
def table_stream(folder: Path) -> Iterator[TableStream]:
    """A file table written entry by entry, so that a build never holds it (400 bytes an
    article, and as much again to serialise it at the end). ``folder``'s table is replaced
    when the block ends, if ``TableStream.finish`` was called; left as it was otherwise."""
    with replacing(Path(folder) / TABLE_FILE, prefix=".files-") as handle:
        stream = TableStream(handle)
        yield stream
        if not stream.finished:
            raise RuntimeError("a file table stream was left unfinished")


STREAM_ROWS = 4096
"""Entries a table stream gathers before it writes them with one ``json.dumps``: two calls an
entry took 0.8 s of every update at 100,000 articles."""


class TableStream:
    """Writes the table's JSON a few thousand entries at a time; the generation goes last, known
    after the commit."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._rows: dict[str, list[str | int | None]] = {}
        self._written = False
        self.count = 0
        self.finished = False
        self.containers: dict[str, str] = {}
        """rel -> whole-file hash of each file of many, written last (see ``FileTable``)."""
        handle.write(b'{"format":%d,"files":{' % _TABLE_FORMAT)

    def add(self, doc_id: str, entry: FileEntry) -> None:
        if doc_id in self._rows:  # JSON keeps the last of a repeated key: so must the rows
            self._flush()
        self._rows[doc_id] = [entry.rel, entry.size, entry.mtime_ns, entry.content_hash]
        self.count += 1
        if len(self._rows) >= STREAM_ROWS:
            self._flush()

    def finish(self, generation: int) -> None:
        self._flush()
        containers = json.dumps(self.containers, separators=(",", ":")).encode()
        self._handle.write(b'\n},"containers":%s,"generation":%d}' % (containers, generation))
        self.finished = True

    def _flush(self) -> None:
        """Write the gathered entries: one JSON object's members, without its braces."""
        if not self._rows:
            return
        members = json.dumps(self._rows, separators=(",", ":"))[1:-1]
        self._handle.write(f"{',' if self._written else ''}\n{members}".encode())
        self._written = True
        self._rows = {}


def _relative(stored_path: str, corpus_dir: Path) -> str | None:
    """The path relative to the corpus, or None when the index stored it some other way."""
    try:
        return Path(stored_path).relative_to(corpus_dir).as_posix()
    except ValueError:
        return None
