"""Where an index lives on disk and which generation of it is current.

An index folder holds a small manifest, ``searchlib.json``, and one or more generations, each a
complete Whoosh index in its own folder (``gen-000001``). A rebuild writes a new generation
beside the current one and then replaces the manifest atomically (``os.replace``), so a reader
always opens either the old or the new index, never a half-written one. The manifest records
the schema version and the searchlib version that wrote the index, and a signature of the corpus
as last indexed (see ``filetable``) so a search can tell cheaply that the corpus has changed.

Only one process writes at a time (``locking``); readers never wait. Whatever a writer killed
mid-way leaves behind (a generation that was never switched to, Whoosh's temporary files, a
temporary manifest) is invisible to readers and removed by the next writer (``remove_debris``).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from searchlib import __version__
from searchlib.errors import IndexNotFound, SchemaMismatch
from searchlib.indexing.atomic import write_json_atomically
from searchlib.indexing.schema import SCHEMA_VERSION, build_schema

MANIFEST = "searchlib.json"
GENERATION_PREFIX = "gen-"
_OPEN_ATTEMPTS = 3


@dataclass(frozen=True)
class Manifest:
    """What ``searchlib.json`` records about an index."""

    generation: str
    schema_version: int
    searchlib_version: str
    corpus_dir: str | None
    built_at: str
    updated_at: str
    corpus_signature: str | None = None
    extractor_fingerprint: str | None = None
    """What the entity extractor said about its settings (model, aliases) when it last ran."""
    aliases_file: str | None = None
    """The user's aliases file the index was written with (an update reads it again)."""
    fields: str | None = None
    """The keys of JSON Lines and CSV records the user named (``--fields``), for updates."""
    follow_links: bool | None = None
    """Links to files outside the corpus folder are indexed (``--follow-links``), for updates."""
    commit: int | None = None
    """The Whoosh commit (generation number) whose tables the build or update that wrote this
    manifest had finished writing. An update writes the facet, posting and story tables of a
    commit after Whoosh's own commit; a searcher that stays up takes a newer commit only once
    the manifest names it (``Searcher.refresh``). None in manifests of older versions."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def read_manifest(index_dir: Path) -> Manifest:
    """The manifest of the index in ``index_dir``; ``IndexNotFound`` when there is none."""
    path = Path(index_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**{k: data.get(k) for k in Manifest.__dataclass_fields__})
    except FileNotFoundError:
        raise IndexNotFound(
            f"no index at {index_dir}: run `searchlib index CORPUS --index {index_dir}`"
        ) from None
    except (ValueError, TypeError, OSError) as exc:
        raise IndexNotFound(
            f"the index at {index_dir} is unreadable ({exc}): run `searchlib index --rebuild`"
        ) from None


def index_exists(index_dir: Path) -> bool:
    """True when ``index_dir`` holds a searchlib index (of any schema version)."""
    return (Path(index_dir) / MANIFEST).is_file()


def open_current(index_dir: Path, *, memory_map: bool = True) -> tuple[Index, Manifest]:
    """Open the current generation for reading, checking its schema version first.

    A rebuild that finishes just after the manifest was read may delete the generation it
    named; reading the manifest again then finds the newer one, so that race is retried, and so
    is an update's commit deleting the table of contents Whoosh had just listed.

    ``memory_map=False`` reads the segment files through file handles. Whoosh 2.7.4 copies
    each memory-mapped part of a segment (postings, terms) into a private buffer when a reader
    opens it: at 100,000 articles 0.3 s of CPU and about 1 GB of memory per open index, which
    a process that answers one query never earns back. With file handles a query costs about a
    fifth more CPU (a system call per block read), opening costs nothing and memory stays at
    what the queries read.
    """
    for _attempt in range(_OPEN_ATTEMPTS):
        manifest = read_manifest(index_dir)
        check_schema(index_dir, manifest)
        folder = Path(index_dir) / manifest.generation
        try:
            return FileStorage(str(folder), supports_mmap=memory_map).open_index(), manifest
        except Exception as exc:  # a damaged TOC fails in any way unpickling random bytes can
            error = exc
            if isinstance(exc, FileNotFoundError):
                continue  # an update's commit replaced the table of contents as it was read
            if read_manifest(index_dir).generation == manifest.generation:
                break
    raise damaged(index_dir, error)


def damaged(index_dir: Path, error: BaseException) -> IndexNotFound:
    """The one-line error for an index whose files cannot be read, saying how to start over."""
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    return IndexNotFound(
        f"the index at {index_dir} is damaged ({reason}): run `searchlib index --rebuild --index {index_dir}`"
    )


def open_searcher(index: Index, index_dir: Path) -> Any:
    """A Whoosh searcher of ``index``; ``IndexNotFound`` (damaged) if its segments cannot be read.

    Opening reads each segment's header and term index: a truncated or overwritten segment
    fails here with whatever the bytes made Whoosh raise (``EOFError``, ``struct.error``...).
    """
    try:
        return index.searcher()
    except Exception as exc:
        raise damaged(index_dir, exc) from exc


def check_schema(index_dir: Path, manifest: Manifest) -> None:
    """Raise ``SchemaMismatch``, saying what to do, unless this searchlib reads the index."""
    if manifest.schema_version == SCHEMA_VERSION:
        return
    found = (
        f"the index at {index_dir} has schema version {manifest.schema_version} "
        f"(written by searchlib {manifest.searchlib_version}); this searchlib "
        f"({__version__}) reads version {SCHEMA_VERSION}"
    )
    rebuild = f"`searchlib index --rebuild --index {index_dir}`"
    if isinstance(manifest.schema_version, int) and manifest.schema_version > SCHEMA_VERSION:
        raise SchemaMismatch(f"{found}: upgrade searchlib (pip install -U searchlib), or run {rebuild}")
    raise SchemaMismatch(f"{found}: run {rebuild} to build it again in the current format")


def new_generation(index_dir: Path) -> tuple[Index, str]:
    """Create an empty Whoosh index in a fresh generation folder beside the current one."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    numbers = [_generation_number(p.name) for p in index_dir.glob(f"{GENERATION_PREFIX}*")]
    name = f"{GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"
    folder = index_dir / name
    folder.mkdir()
    try:
        return whoosh_index.create_in(str(folder), build_schema()), name
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # e.g. a full disk: keep none of it
        raise


def switch_to(
    index_dir: Path,
    generation: str,
    *,
    corpus_dir: Path | None,
    corpus_signature: str | None = None,
    extractor_fingerprint: str | None = None,
    aliases_file: str | None = None,
    fields: str | None = None,
    follow_links: bool = False,
    commit: int | None = None,
) -> Manifest:
    """Make ``generation`` current by replacing the manifest atomically, then tidy up.

    Generations older than the one just replaced are deleted; the one replaced is kept so a
    search that opened it a moment ago can finish. A damaged manifest does not stop a rebuild:
    replacing it is the cure.
    """
    now = _now()
    try:
        previous = read_manifest(index_dir).generation if index_exists(index_dir) else None
    except IndexNotFound:
        previous = None
    manifest = Manifest(
        generation=generation,
        schema_version=SCHEMA_VERSION,
        searchlib_version=__version__,
        corpus_dir=str(corpus_dir) if corpus_dir else None,
        built_at=now,
        updated_at=now,
        corpus_signature=corpus_signature,
        extractor_fingerprint=extractor_fingerprint,
        aliases_file=aliases_file,
        fields=fields,
        follow_links=follow_links or None,
        commit=commit,
    )
    write_manifest(index_dir, manifest)
    keep = {generation, previous}
    for folder in Path(index_dir).glob(f"{GENERATION_PREFIX}*"):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    return manifest


def touch_manifest(
    index_dir: Path,
    *,
    corpus_dir: Path | None,
    corpus_signature: str | None = None,
    extractor_fingerprint: str | None = None,
    aliases_file: str | None = None,
    fields: str | None = None,
    follow_links: bool = False,
    commit: int | None = None,
) -> Manifest:
    """Record an update of the current generation, whose tables describe Whoosh's ``commit``."""
    manifest = replace(
        read_manifest(index_dir),
        updated_at=_now(),
        corpus_dir=str(corpus_dir) if corpus_dir else None,
        searchlib_version=__version__,
        corpus_signature=corpus_signature,
        extractor_fingerprint=extractor_fingerprint,
        aliases_file=aliases_file,
        fields=fields,
        follow_links=follow_links or None,
        commit=commit,
    )
    write_manifest(index_dir, manifest)
    return manifest


def remove_debris(index_dir: Path) -> list[str]:
    """Delete what a writer killed mid-way left behind; call only while holding the write lock.

    That is: generations newer than the current one (a build that never switched), temporary
    manifests, and inside the current generation Whoosh's temporary TOC files and pool folders
    (Whoosh removes unused segment files itself at its next commit). Returns what was removed.
    """
    index_dir = Path(index_dir)
    current = read_manifest(index_dir).generation if index_exists(index_dir) else None
    current_number = _generation_number(current) if current else 0
    removed: list[Path] = [p for p in index_dir.glob(".manifest-*") if p.is_file()]
    for folder in index_dir.glob(f"{GENERATION_PREFIX}*"):
        if _generation_number(folder.name) > current_number:
            removed.append(folder)
    if current:
        folder = index_dir / current
        removed += [p for p in folder.glob("_*_*.toc.*") if p.is_file()]
        removed += [p for p in folder.glob(".files-*") if p.is_file()]
        removed += [p for p in folder.glob(".facets-*") if p.is_file()]
        removed += [p for p in folder.glob(".terms-*") if p.is_file()]
        removed += [p for p in folder.glob(".clusters-*") if p.is_file()]
        removed += [p for p in folder.glob(".warnings-*") if p.is_file()]
        removed += [p for p in folder.glob(".resolution-*") if p.is_file()]
        removed += [p for p in folder.glob("*.tmp") if p.is_dir()]
    for path in removed:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if current:
        removed += _remove_unused_segments(index_dir / current)
    return [str(p) for p in removed]


def _remove_unused_segments(folder: Path) -> list[Path]:
    """Delete segment files no table of contents refers to (a commit that never finished).

    Whoosh does this itself at its next commit; doing it here too means an update with nothing
    to commit still frees the space. Files of the current TOC are never touched.
    """
    before = set(folder.iterdir())
    try:
        ix = whoosh_index.open_dir(str(folder))
        toc = ix._read_toc()  # Whoosh's own record of the committed segments
        whoosh_index.clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
    except Exception:  # a damaged TOC: nothing can be known to be unused; a rebuild replaces it all
        return []
    return sorted(before - set(folder.iterdir()))


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Write the manifest to a temporary file and rename it over the old one."""
    write_json_atomically(Path(index_dir) / MANIFEST, manifest.to_dict(), prefix=".manifest-", indent=2)


def _generation_number(name: str) -> int:
    try:
        return int(name[len(GENERATION_PREFIX) :])
    except ValueError:
        return 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
