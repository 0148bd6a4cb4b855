"""Has the corpus changed since the index was last written? Answered in milliseconds at any size.

``search`` asks after every query, so the answer must not cost a ``stat`` per article (1.2 s at
100,000 articles). A build or update therefore records a small probe beside the manifest,
``searchlib-corpus.json``: the modification time of every corpus folder (taken before its files
were listed), two digests of each folder's article files (names and sizes; names, sizes and
mtimes) and a bounded sample of files with their size, mtime and content hash (the most recently
modified, then a spread of the rest; every file of a small corpus).

A check then ``stat``s the folders and the sample only. Adding, deleting, renaming or moving an
article changes its folder's mtime, and so does an editor or sync tool that saves by rename; a
folder whose mtime moved is listed again and compared with its digests. A file rewritten in
place leaves its folder alone and is noticed when it is in the sample (always in a corpus of up
to ``SAMPLE_FILES`` articles); ``searchlib update`` finds every change whatever its kind.

New modification times alone are not a change: a corpus copied or restored from a backup keeps
its bytes. A file whose name and size are as recorded but whose mtime is not has its bytes
compared with the hash the index recorded (up to ``VERIFY_FILES`` of them, spread over the
corpus), and the corpus counts as changed only when some bytes differ.

An index without a probe, or with one that does not match the manifest (written by an older
searchlib, or a writer stopped between the two), is checked the slow, exact way: every file is
``stat``ed and compared with the manifest's corpus signature, and then with the file table.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchlib.articles.textfile import is_article_name, iter_article_files
from searchlib.errors import CorpusNotFound, IndexNotFound
from searchlib.indexing.atomic import write_json_atomically
from searchlib.indexing.filetable import (
    TABLE_FILE,
    FileStat,
    FileTable,
    corpus_prefix,
    corpus_signature,
    link_outside,
    quick_scan,
)
from searchlib.indexing.store import Manifest, open_current, read_manifest

PROBE_FILE = "searchlib-corpus.json"
SAMPLE_FILES = 1000
"""Files whose size and mtime each check compares (about 2 ms of ``stat`` calls)."""
VERIFY_FILES = 200
"""Files with a new mtime whose bytes a check reads and hashes at most, to rule out a copy."""
_FORMAT = 1
_TEMP_PREFIX = ".manifest-corpus-"  # the next writer removes ``.manifest-*`` debris


@dataclass(frozen=True)
class Folder:
    """What a build or update saw of one corpus folder."""

    mtime_ns: int
    """The folder's mtime before its files were listed (-1: unknown, always listed again)."""
    articles: int
    listing: str
    """Digest of its article files' names, sizes and read errors."""
    stamps: str
    """Digest of the same with each file's mtime."""


@dataclass(frozen=True)
class Sampled:
    """An article file the check looks at every time."""

    rel: str
    size: int
    mtime_ns: int
    content_hash: str


@dataclass(frozen=True)
class Probe:
    """The corpus as the index last saw it, in a form a check reads in a millisecond."""

    signature: str
    folders: dict[str, Folder]
    sample: tuple[Sampled, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "signature": self.signature,
            "folders": {
                rel: [f.mtime_ns, f.articles, f.listing, f.stamps] for rel, f in self.folders.items()
            },
            "sample": [[s.rel, s.size, s.mtime_ns, s.content_hash] for s in self.sample],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Probe:
        if data.get("format") != _FORMAT:
            raise ValueError(f"probe format {data.get('format')!r}")
        folders = {
            rel: Folder(int(m), int(n), str(a), str(b)) for rel, (m, n, a, b) in data["folders"].items()
        }
        sample = tuple(Sampled(str(r), int(s), int(m), str(h)) for r, s, m, h in data["sample"])
        return cls(str(data["signature"]), folders, sample)


def folder_mtimes(corpus_dir: Path) -> dict[str, int]:
    """rel folder -> mtime of every folder a scan walks; call it before ``scan_corpus``.

    Taken before the files are listed, so an article added while a build reads the corpus
    leaves its folder newer than recorded, and the next check looks.
    """
    corpus_dir = Path(corpus_dir)
    found: dict[str, int] = {}
    for root, dirs, _files in os.walk(corpus_dir, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        try:
            found[_rel_folder(corpus_dir, root)] = os.stat(root).st_mtime_ns
        except OSError:
            continue
    return found


def save_probe(
    index_dir: Path,
    *,
    signature: str,
    mtimes: Mapping[str, int],
    files: Sequence[FileStat],
    table: FileTable,
) -> None:
    """Record the corpus for later checks; call before the manifest that names ``signature``."""
    write_probe(index_dir, make_probe(signature=signature, mtimes=mtimes, files=files, table=table))


def probe_is_current(index_dir: Path, *, signature: str, mtimes: Mapping[str, int]) -> bool:
    """Whether the recorded probe already describes a scan of this ``signature`` whose folders
    had these ``mtimes``: an update that changed nothing then leaves it as it is (making it
    again is a quarter of a second at 100,000 articles, for the same bytes)."""
    probe = load_probe(index_dir)
    if probe is None or probe.signature != signature:
        return False
    recorded = {rel: folder.mtime_ns for rel, folder in probe.folders.items()}
    return recorded == {**dict.fromkeys(recorded, -1), **mtimes}


def write_probe(index_dir: Path, probe: Probe) -> None:
    """``save_probe`` of a probe already made (by a ``ProbeRecorder``)."""
    write_json_atomically(
        Path(index_dir) / PROBE_FILE, probe.to_dict(), prefix=_TEMP_PREFIX, separators=(",", ":")
    )


def make_probe(
    *, signature: str, mtimes: Mapping[str, int], files: Sequence[FileStat], table: FileTable
) -> Probe:
    """The probe of a scan (``files``), the folder mtimes taken before it and the file table."""
    hashes = table.hashes_by_rel()
    recorder = ProbeRecorder(mtimes)
    for item in files:
        recorder.scanned(item)
        digest = hashes.get(item.rel) if item.error is None else None
        if digest is not None:
            recorder.indexed(item, digest)
    return recorder.probe(signature)


class ProbeRecorder:
    """Makes the probe as a build meets the files, without holding them: per-folder digests as
    each folder's files pass, and a bounded sample: the newest ``SAMPLE_FILES // 2``, then an
    even spread of the rest, picked from every ``stride``-th file (the stride doubling whenever
    those outgrow twice ``SAMPLE_FILES``). A corpus of up to ``SAMPLE_FILES`` files is sampled
    whole."""

    def __init__(self, mtimes: Mapping[str, int]) -> None:
        self.mtimes = mtimes
        self._folders: dict[str, tuple[Any, Any, int]] = {}
        self._newest: list[Sampled] = []
        self._spread: list[Sampled] = []
        self._stride = 1
        self._indexed = 0

    def scanned(self, item: FileStat) -> None:
        """Every file of the scan, in scan order."""
        if item.is_unlisted_folder:
            return
        rel = item.rel.rpartition("/")[0]
        listing, stamps, count = self._folders.get(rel) or (_digest(), _digest(), 0)
        line = f"{item.rel}\0{item.size}\0{item.error or ''}\0"
        listing.update(line.encode())
        stamps.update(f"{line}{item.mtime_ns}\n".encode())
        self._folders[rel] = (listing, stamps, count + 1)

    def indexed(self, item: FileStat, content_hash: str) -> None:
        """A file the index holds with these bytes, in scan order: a candidate for the sample."""
        sampled = Sampled(item.rel, item.size, item.mtime_ns, content_hash)
        self._newest.append(sampled)
        if len(self._newest) >= SAMPLE_FILES:
            self._keep_newest()
        if self._indexed % self._stride == 0:
            self._spread.append(sampled)
            if len(self._spread) > 2 * SAMPLE_FILES:
                self._spread, self._stride = self._spread[::2], self._stride * 2
        self._indexed += 1

    def probe(self, signature: str) -> Probe:
        empty = (_digest().hexdigest(), _digest().hexdigest())
        folders = {rel: Folder(mtime, 0, *empty) for rel, mtime in self.mtimes.items()}
        for rel, (listing, stamps, count) in self._folders.items():
            folders[rel] = Folder(self.mtimes.get(rel, -1), count, listing.hexdigest(), stamps.hexdigest())
        self._keep_newest()
        chosen = {item.rel for item in self._newest}
        rest = [item for item in self._spread if item.rel not in chosen]
        wanted = min(len(rest), SAMPLE_FILES - len(self._newest))
        spread = [rest[i * len(rest) // wanted] for i in range(wanted)]
        return Probe(signature, folders, (*self._newest, *spread))

    def _keep_newest(self) -> None:
        self._newest = sorted(self._newest, key=lambda item: (-item.mtime_ns, item.rel))[: SAMPLE_FILES // 2]


def corpus_changed(index_dir: Path | str) -> bool:
    """True when the corpus the index was built from has changed since the last build or update.

    False when the index records no corpus (built by an older searchlib) or the corpus folder
    is gone.
    """
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if not manifest.corpus_dir or not manifest.corpus_signature:
        return False
    corpus = Path(manifest.corpus_dir)
    if not corpus.exists():
        return False
    probe = load_probe(index_dir)
    try:
        if probe is None or probe.signature != manifest.corpus_signature or corpus.is_file():
            return _changed_exactly(index_dir, manifest, corpus)
        return _Check(index_dir, corpus, follow_links=bool(manifest.follow_links)).changed(probe)
    except CorpusNotFound:
        return False


def load_probe(index_dir: Path) -> Probe | None:
    """The recorded probe, or None when there is none or it cannot be read."""
    try:
        return Probe.from_dict(json.loads((Path(index_dir) / PROBE_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


class _Check:
    """One check against a probe: folders first, then the sample, then the bytes of touched files."""

    def __init__(self, index_dir: Path, corpus: Path, *, follow_links: bool) -> None:
        self.index_dir = index_dir
        self.corpus = corpus
        self.inside = None if follow_links else corpus_prefix(corpus)
        """Where links must lead to be articles (None: anywhere), as the scan had it."""
        self.touched: dict[str, str | None] = {}
        """rel -> recorded content hash (None: look it up) of files whose mtime alone moved."""

    def changed(self, probe: Probe) -> bool:
        return (
            any(self._folder_changed(rel, folder, probe) for rel, folder in probe.folders.items())
            or any(self._sampled_changed(item) for item in probe.sample)
            or self._bytes_changed()
        )

    def _folder_changed(self, rel: str, folder: Folder, probe: Probe) -> bool:
        path = self.corpus / rel if rel else self.corpus
        try:
            if os.stat(path).st_mtime_ns == folder.mtime_ns:
                return False
            articles, subfolders = _list_folder(path, rel, inside=self.inside)
        except OSError:
            return _articles_under(probe, rel) > 0
        listing, stamps = _digests(articles)
        if listing != folder.listing:
            return True
        new = [name for name in subfolders if _join(rel, name) not in probe.folders]
        if any(_has_articles(path / name) for name in new):
            return True
        if stamps != folder.stamps:
            self.touched.update((item.rel, None) for item in articles)
        return False

    def _sampled_changed(self, item: Sampled) -> bool:
        try:
            st = os.stat(self.corpus / item.rel)
        except OSError:
            return True
        if st.st_size != item.size:
            return True
        if st.st_mtime_ns != item.mtime_ns:
            self.touched[item.rel] = item.content_hash
        return False

    def _bytes_changed(self) -> bool:
        if not self.touched:
            return False
        known = self.touched
        if any(digest is None for digest in known.values()):
            table = _file_table(self.index_dir)
            if table is None:
                return True
            hashes = table.hashes_by_rel()
            known = {rel: digest or hashes.get(rel) for rel, digest in known.items()}
        return _any_bytes_differ(self.corpus, known)


def _changed_exactly(index_dir: Path, manifest: Manifest, corpus: Path) -> bool:
    """The slow check for an index without a usable probe: every file's ``stat``, then the table."""
    files = quick_scan(corpus, follow_links=bool(manifest.follow_links))
    if corpus_signature(files) == manifest.corpus_signature:
        return False
    table = _file_table(index_dir)
    if table is None:
        return True
    recorded = {entry.rel: entry for entry in table.entries.values() if entry.rel}
    if len(files) != len(recorded):
        return True
    hashes = table.hashes_by_rel()
    touched: dict[str, str | None] = {}
    for item in files:
        entry = recorded.get(item.rel)
        if entry is None or item.error or entry.size != item.size:
            return True
        if entry.mtime_ns != item.mtime_ns:
            touched[item.rel] = hashes.get(item.rel)
    return _any_bytes_differ(corpus, touched)


def _any_bytes_differ(corpus: Path, recorded: Mapping[str, str | None]) -> bool:
    """Whether any of (a spread of ``VERIFY_FILES`` of) these files no longer has its recorded bytes."""
    rels = sorted(recorded)
    step = max(1, -(-len(rels) // VERIFY_FILES))
    for rel in rels[::step]:
        digest = recorded[rel]
        if digest is None:
            return True
        try:
            if _file_digest(corpus / rel) != digest:
                return True
        except OSError:
            return True
    return False


def _file_digest(path: Path) -> str:
    """The content hash of a file, read a megabyte at a time (a CSV may be a gigabyte)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _file_table(index_dir: Path) -> FileTable | None:
    """The current generation's file table (rel, size, mtime and content hash of each article)."""
    try:
        ix, manifest = open_current(index_dir)
    except IndexNotFound:
        return None
    folder = Path(index_dir) / manifest.generation
    if not (folder / TABLE_FILE).is_file():
        return None
    return FileTable.load(folder, generation=ix.latest_generation())


def _list_folder(path: Path, rel: str, *, inside: str | None) -> tuple[list[FileStat], list[str]]:
    """The article files of one folder (not below), as a scan sees them, and its subfolders.

    Links that lead out of ``inside`` are reported as the scan reports them (None: followed).
    """
    articles: list[FileStat] = []
    subfolders: list[str] = []
    with os.scandir(path) as entries:
        listed = sorted(entries, key=lambda entry: entry.name)
    for entry in listed:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            subfolders.append(entry.name)
        elif is_article_name(entry.name) and not entry.is_dir():
            outside = inside and entry.is_symlink() and link_outside(entry.path, inside)
            item = _stat(Path(entry.path), _join(rel, entry.name))
            articles.append(FileStat(item.location, item.rel, error=outside) if outside else item)
    return articles, subfolders


def _stat(path: Path, rel: str) -> FileStat:
    try:
        st = os.stat(path)
    except OSError as exc:
        return FileStat(str(path), rel, error=f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(st.st_mode):
        return FileStat(str(path), rel, error="cannot read: not a regular file")
    return FileStat(str(path), rel, st.st_size, st.st_mtime_ns)


def _digests(items: Iterable[FileStat]) -> tuple[str, str]:
    """(names, sizes and errors; the same with mtimes) of a folder's files, in name order."""
    listing = _digest()
    stamps = _digest()
    for item in items:
        line = f"{item.rel}\0{item.size}\0{item.error or ''}\0"
        listing.update(line.encode())
        stamps.update(f"{line}{item.mtime_ns}\n".encode())
    return listing.hexdigest(), stamps.hexdigest()


def _digest() -> Any:
    return hashlib.blake2b(digest_size=8)


def _articles_under(probe: Probe, rel: str) -> int:
    """How many articles the probe recorded in folder ``rel`` and below."""
    prefix = f"{rel}/" if rel else ""
    return sum(f.articles for name, f in probe.folders.items() if name == rel or name.startswith(prefix))


def _has_articles(folder: Path) -> bool:
    return next(_article_files(folder), None) is not None


def _article_files(folder: Path) -> Iterator[tuple[str, str]]:
    try:
        yield from iter_article_files(folder)
    except CorpusNotFound:
        return


def _rel_folder(corpus_dir: Path, root: str) -> str:
    rel = os.path.relpath(root, corpus_dir)
    return "" if rel == "." else rel.replace(os.sep, "/")


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name
