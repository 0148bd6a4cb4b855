"""Keeping an index current: index new and changed files, drop the documents of deleted ones.

An update works on the current generation in place and commits once, so a search sees the
index before the update or after it, never half of it: the new articles, and the kept ones whose
entities the archive-level resolution now decides otherwise, are written in that one commit
(``resolution``: it is decided over the kept articles and those read before anything is
written, the articles read waiting on disk, ``pending``). A writer killed mid-way leaves the last
committed state, and the next update (which compares the corpus with the index afresh) does the
whole job again. Change is decided by content hash; size and mtime (``filetable``) only let an
unchanged file be recognised without reading it. A renamed or moved file is written under its
new id with the entities already found for the same bytes, so it costs no entity extraction.

A file that exists but cannot be read right now (permissions, I/O error) keeps its indexed
version: an update never drops an article because of a transient error. A file whose content is
no longer an article (emptied, binary, over the size limit) is removed like a deleted one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.fields import STORED
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.writing import IndexWriter

from searchlib.articles.fields import FieldMap, parse_fields
from searchlib.articles.kinds import is_container_name
from searchlib.articles.records import Record
from searchlib.articles.textfile import DEFAULT_MAX_BYTES
from searchlib.entities.aliases import load_aliases
from searchlib.entities.lookup import Resolution
from searchlib.entities.resolve import LocalEntity, NameCounts
from searchlib.entities.resolve import apply as apply_resolution
from searchlib.errors import ArticleError, IndexNotFound, UsageError
from searchlib.indexing import schema as f
from searchlib.indexing.build import (
    BATCH_SIZE,
    Extractor,
    LoadedArticle,
    LoadRun,
    ProgressCallback,
    abandon,
    aliases_file_of,
    aliases_of,
    build_locked,
    content_hash,
    extractor_for,
    find_entities,
    fingerprint_of,
    open_writer,
    save_search_tables,
    stored_document,
    write_pending,
    writing,
)
from searchlib.indexing.collection import fewer_full_collections
from searchlib.indexing.column_readers import column_reader
from searchlib.indexing.dedupe import finder_for
from searchlib.indexing.filetable import (
    FileEntry,
    FileStat,
    FileTable,
    corpus_signature,
    scan_corpus,
)
from searchlib.indexing.freshness import folder_mtimes, probe_is_current, save_probe
from searchlib.indexing.furniture_table import updated_furniture, use_furniture
from searchlib.indexing.leftovers import removed_if_failed
from searchlib.indexing.locking import DEFAULT_LOCK_TIMEOUT, write_lock
from searchlib.indexing.name_counts_table import load_counts, save_counts
from searchlib.indexing.pending import PendingArticle, PendingArticles
from searchlib.indexing.resolution import (
    changed_documents,
    count_names,
    decide,
    load_resolution,
    local_of,
    naming_documents,
    resolution_is_current,
    retargeted_names,
    save_resolution,
    write_again,
)
from searchlib.indexing.store import (
    Manifest,
    index_exists,
    open_current,
    read_manifest,
    remove_debris,
    touch_manifest,
)
from searchlib.indexing.warnings_table import load_warnings, merged, save_warnings
from searchlib.models import ArticleEntity, BuildReport, Entity, SkippedFile

if TYPE_CHECKING:
    from searchlib.entities.cluster import ClusterProgress, FillReport


def update_index(
    corpus_dir: Path | str | None = None,
    *,
    index_dir: Path | str,
    extractor: Extractor | None = None,
    aliases: Path | str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limitmb: int = 256,
    progress: ProgressCallback | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    fields: FieldMap | None = None,
    cluster: str | None = None,
    cluster_progress: ClusterProgress | None = None,
    follow_links: bool | None = None,
) -> BuildReport:
    """Bring the index in ``index_dir`` in line with its corpus and report what changed.

    ``corpus_dir`` defaults to the folder the index was built from; naming another folder is
    refused (that is a rebuild). With no index yet, this is a full build. ``aliases`` (the
    user's aliases file) defaults to the one the index was built with; when the aliases changed,
    every article's entities are found again (from the NER cache: no NER runs for them). The
    update holds the write lock, waiting up to ``lock_timeout`` seconds for another writer
    (then ``IndexLocked``). ``fields`` (the keys of JSON Lines and CSV records) defaults to
    the one the index was built with.
    (then ``IndexLocked``). ``cluster``, the address of a Dask scheduler, finds the entities of
    new and changed articles on its workers first (reported to ``cluster_progress``).
    ``follow_links`` (index links to files outside the corpus folder) defaults to the index's
    choice (off for a new index).
    """
    index_dir = Path(index_dir)
    table = load_aliases(aliases if aliases is not None else recorded_aliases_file(index_dir))
    with (
        fewer_full_collections(),
        removed_if_failed(index_dir),
        writing(index_dir),
        extractor_for(extractor, index_dir, table, cluster=cluster) as chosen,
        write_lock(index_dir, timeout=lock_timeout),
    ):
        fill = _cluster_fill(chosen, max_bytes=max_bytes, progress=cluster_progress) if cluster else None
        if not index_exists(index_dir):
            if corpus_dir is None:
                raise IndexNotFound(
                    f"no index at {index_dir}: run `searchlib index CORPUS --index {index_dir}`"
                )
            follow = bool(follow_links)
            filled = fill(Path(corpus_dir), None, fields, follow) if fill is not None else None
            settings = {
                "extractor": chosen,
                "max_bytes": max_bytes,
                "limitmb": limitmb,
                "fields": fields,
                "follow_links": follow,
            }
            report = build_locked(corpus_dir, index_dir=index_dir, progress=progress, **settings)  # type: ignore[arg-type]
            return report if filled is None else filled.added_to(report)
        # File handles: a memory-mapped reader copies every segment into memory when it opens
        # (``store.open_current``), and an update reads few documents.
        ix, manifest = open_current(index_dir, memory_map=False)
        corpus = corpus_of(index_dir, manifest, corpus_dir)
        remove_debris(index_dir)
        keys = fields or parse_fields(manifest.fields)
        follow = bool(manifest.follow_links) if follow_links is None else follow_links
        run = _Update(
            ix,
            index_dir / manifest.generation,
            corpus,
            extractor=chosen,
            max_bytes=max_bytes,
            fields=keys,
            follow_links=follow,
        )
        recorded, current = manifest.extractor_fingerprint, fingerprint_of(chosen)
        run.reextract = recorded is not None and current is not None and recorded != current
        filled = fill(corpus, None if run.reextract else run.old, keys, follow) if fill is not None else None
        report = run.apply(index_dir=index_dir, limitmb=limitmb, progress=progress)
        return report if filled is None else filled.added_to(report)


def _cluster_fill(
    extractor: Extractor, *, max_bytes: int, progress: ClusterProgress | None
) -> Callable[[Path, FileTable | None, FieldMap | None, bool], FillReport]:
    """``fill_on_cluster`` with this update's settings, for the corpus, the files indexed, the
    keys of its records and whether links out of it are followed."""
    from searchlib.indexing.cluster_fill import fill_on_cluster

    return lambda corpus, indexed, fields, follow_links: fill_on_cluster(
        corpus,
        extractor=extractor,
        max_bytes=max_bytes,
        fields=fields,
        indexed=indexed,
        progress=progress,
        follow_links=follow_links,
    )


def recorded_aliases_file(index_dir: Path) -> Path | None:
    """The user aliases file the index was built with, if it still exists."""
    if not index_exists(index_dir):
        return None
    try:
        recorded = read_manifest(index_dir).aliases_file
    except IndexNotFound:
        return None
    return Path(recorded) if recorded and Path(recorded).is_file() else None


def corpus_of(index_dir: Path, manifest: Manifest, corpus_dir: Path | str | None) -> Path:
    """The corpus to update from: the recorded one, or the one named if it is the same folder."""
    recorded = Path(manifest.corpus_dir) if manifest.corpus_dir else None
    if corpus_dir is None:
        if recorded is None:
            raise UsageError(f"the index at {index_dir} does not record its corpus: name the corpus folder")
        return recorded
    given = Path(corpus_dir).resolve()
    if recorded is not None and given != recorded:
        raise UsageError(
            f"the index at {index_dir} holds the articles of {recorded}, not {given}: to index "
            f"{corpus_dir} instead run `searchlib index {corpus_dir} --rebuild --index {index_dir}`"
        )
    return given


@dataclass
class _Pending:
    item: LoadedArticle
    changed: bool


@dataclass
class _Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept: list[SkippedFile] = field(default_factory=list)


class _Update:
    """One update of one generation: compare, write the difference, commit once."""

    reextract = False
    """Extract every article's entities again (the extractor's settings changed)."""
    refresh: frozenset[str] = frozenset()
    """Files (relative paths) whose entities are found again: their page furniture changed."""

    def __init__(
        self,
        ix: Index,
        folder: Path,
        corpus: Path,
        *,
        extractor: Extractor,
        max_bytes: int,
        fields: FieldMap,
        follow_links: bool = False,
    ) -> None:
        self.ix = ix
        self.folder = folder
        self.corpus = corpus
        self.extractor = extractor
        self.run = LoadRun(max_bytes=max_bytes, fields=fields, follow_links=follow_links)
        self.counts = _Counts()
        self.searcher: WhooshSearcher = ix.searcher()
        """The index as the update found it. Under the write lock nobody else commits, so its
        document numbers are the writer's too: old versions are found here to delete them."""
        self.old = self._old_table()
        self.dupes = finder_for(folder, generation=ix.latest_generation(), documents=self._bodies)
        self.new = FileTable()
        self.ids_by_hash = self.old.ids_by_hash()
        self.writer: IndexWriter | None = None
        self.resolution: Resolution | None = None
        """The archive's entities, once decided (None while the saved ones hold)."""
        self.pending: list[_Pending] = []
        self.ids_by_rel = self.old.ids_by_rel()
        self.aliases = aliases_of(extractor)
        self.names = NameCounts()
        """The evidence about names of the articles read: the kept ones are counted at the end."""
        self.read = PendingArticles(folder)
        """The articles read, to write once the archive's entities are decided."""
        self.replaced: list[str] = []
        """Ids of the articles read: the documents they replace, if any, are deleted."""

    def apply(self, *, index_dir: Path, limitmb: int, progress: ProgressCallback | None) -> BuildReport:
        started = time.perf_counter()
        self.limitmb = limitmb
        mtimes = folder_mtimes(self.corpus)  # before the scan: see freshness
        files = scan_corpus(self.corpus, follow_links=self.run.follow_links)
        furniture = updated_furniture(self.folder, files)
        use_furniture(self.extractor, furniture.furniture)
        self.refresh = furniture.refresh
        try:
            for done, stat in enumerate(files, 1):
                self._consider(stat)
                if len(self.pending) >= BATCH_SIZE:
                    self._flush()
                if progress and (done % BATCH_SIZE == 0 or done == len(files)):
                    progress(done, len(files))
            self._flush()
            self._keep_unlisted(files)
            removed = [doc_id for doc_id in self.old if doc_id not in self.run.claimed]
            for doc_id in removed:
                self.dupes.forget(doc_id)
            changed = self._commit(removed)
            if furniture.dirty:
                furniture.table.save(self.folder)
        except BaseException:
            if self.writer is not None:
                abandon(self.writer)
            raise
        finally:
            self.searcher.close()
            self.read.close()
        table = merged(
            load_warnings(self.folder), kept=self.new.entries, read_again=self.run.parsed, new=self.run.warned
        )
        save_warnings(self.folder, table)
        signature = corpus_signature(files)
        if changed or not probe_is_current(index_dir, signature=signature, mtimes=mtimes):
            save_probe(index_dir, signature=signature, mtimes=mtimes, files=files, table=self.new)
        touch_manifest(
            index_dir,
            corpus_dir=self.corpus,
            corpus_signature=signature,
            extractor_fingerprint=fingerprint_of(self.extractor),
            aliases_file=aliases_file_of(self.extractor),
            fields=self.run.fields.spec or None,
            follow_links=self.run.follow_links,
            commit=self.ix.latest_generation(),
        )
        return BuildReport(
            index_dir=str(index_dir),
            corpus_dir=str(self.corpus),
            added=self.counts.added,
            changed=self.counts.changed,
            removed=len(removed),
            unchanged=self.counts.unchanged,
            skipped=(*self.counts.kept, *self.run.skipped),
            warnings=tuple(self.run.warnings),
            seconds=time.perf_counter() - started,
        )

    def _old_table(self) -> FileTable:
        """The sidecar of the committed state, or the same facts read from the index itself."""
        generation = self.ix.latest_generation()
        table = FileTable.load(self.folder, generation=generation)
        if table is not None:
            return table
        documents = (
            (stored[f.ID], stored.get(f.PATH, ""), stored.get(f.CONTENT_HASH, ""))
            for _docnum, stored in self.searcher.reader().iter_docs()
        )
        return FileTable.from_documents(documents, corpus_dir=self.corpus, generation=generation)

    def _bodies(self) -> Iterator[tuple[str, str]]:
        """(id, body) of every indexed article, to rebuild a missing cluster table."""
        for _docnum, stored in self.searcher.reader().iter_docs():
            yield stored[f.ID], stored.get(f.BODY, "")

    def _consider(self, stat: FileStat) -> None:
        """Decide one file: unchanged, kept as indexed, skipped, or to be written."""
        if is_container_name(stat.rel):
            self._consider_container(stat)
            return
        doc_id = stat.id
        entry = self.old.entries.get(doc_id)
        free = doc_id not in self.run.claimed
        again = self.reextract or stat.rel in self.refresh
        if entry is not None and free and entry.matches(stat) and not again:
            self._unchanged(doc_id, entry)
            return
        try:
            data = self.run.read(stat)
        except ArticleError as exc:
            if entry is not None and free and stat.error is None and isinstance(exc.__cause__, OSError):
                self._unchanged(doc_id, entry)
                self.counts.kept.append(SkippedFile(str(stat.path), f"{exc}; the indexed version is kept"))
            else:
                self.run.skip(stat, str(exc))
            return
        digest = content_hash(data)
        same = entry is not None and free and entry.content_hash == digest and entry.rel in (stat.rel, None)
        if same and not again:
            self._unchanged(doc_id, FileEntry(stat.rel, stat.size, stat.mtime_ns, digest))
            return
        try:
            item = self.run.parse(stat, data, digest)
        except ArticleError as exc:
            self.run.skip(stat, str(exc))
            return
        if item is not None:
            self.pending.append(_Pending(item, changed=entry is not None))

    def _consider_container(self, stat: FileStat) -> None:
        """Decide a file of many: unchanged whole (same size and mtime), or record by record,
        writing only the new and changed records (the others are dropped at the end)."""
        old = [
            (i, self.old.entries[i]) for i in self.ids_by_rel.get(stat.rel, ()) if i not in self.run.claimed
        ]
        if old and not self.reextract and all(entry.matches(stat) for _i, entry in old):
            for doc_id, entry in old:
                self._unchanged(doc_id, entry)
            if stat.rel in self.old.containers:
                self.new.containers[stat.rel] = self.old.containers[stat.rel]
            return
        container = self.run.open(stat)
        if container is None:
            return
        try:
            for record in self.run.records(stat, container):
                self._consider_record(stat, record)
                if len(self.pending) >= BATCH_SIZE:
                    self._flush()
        except ArticleError as exc:
            kept = [(i, entry) for i, entry in old if i not in self.run.claimed]
            if kept and isinstance(exc.__cause__, OSError):  # not readable now: keep what it held
                for doc_id, entry in kept:
                    self._unchanged(doc_id, entry)
                self.counts.kept.append(SkippedFile(str(stat.path), f"{exc}; its indexed articles are kept"))
            else:
                self.run.skip(stat, str(exc))
            return
        self.new.containers[stat.rel] = container.digest

    def _consider_record(self, stat: FileStat, record: Record) -> None:
        """One record of a file of many: unchanged when its bytes hash as recorded."""
        entry = self.old.entries.get(record.id)
        free = record.id not in self.run.claimed
        same = entry is not None and free and entry.content_hash == record.content_hash
        if same and entry.rel == stat.rel and not self.reextract:  # type: ignore[union-attr]
            self._unchanged(record.id, FileEntry(stat.rel, stat.size, stat.mtime_ns, record.content_hash))
            return
        item = self.run.load_record(stat, record)
        if item is not None:
            self.pending.append(_Pending(item, changed=entry is not None))

    def _keep_unlisted(self, files: Sequence[FileStat]) -> None:
        """Keep the articles of folders that could not be listed: they may all still be there."""
        prefixes = tuple(stat.rel for stat in files if stat.is_unlisted_folder)
        if not prefixes:
            return
        for doc_id, entry in self.old.entries.items():
            if doc_id not in self.run.claimed and entry.rel and entry.rel.startswith(prefixes):
                self.run.claimed.add(doc_id)
                self.new.entries[doc_id] = entry
                self.counts.unchanged += 1

    def _unchanged(self, doc_id: str, entry: FileEntry) -> None:
        self.run.claimed.add(doc_id)
        self.new.entries[doc_id] = entry
        self.counts.unchanged += 1

    def _flush(self) -> None:
        """Find the entities of the articles read (only for bytes never seen before), count
        them, and keep the articles to write once every article is counted."""
        if not self.pending:
            return
        items = [p.item for p in self.pending]
        known = None if self.reextract else self._known
        batch = []
        for pending, entities in zip(self.pending, find_entities(items, self.extractor, known), strict=True):
            item = pending.item
            local = local_of(entities)
            self.names.add(local)
            batch.append(PendingArticle(item.article, item.content_hash, local))
            self.replaced.append(item.article.id)
            self.new.entries[item.article.id] = item.entry()
            self.dupes.assign(item.article.id, item.article.body)
            if pending.changed:
                self.counts.changed += 1
            else:
                self.counts.added += 1
        self.read.add(batch)
        self.pending = []

    def _known(self, item: LoadedArticle) -> tuple[Entity, ...] | None:
        """The entities found before in the same bytes (a renamed or moved file), as the article
        alone gave them: resolution applies afresh."""
        if item.stat is not None and item.stat.rel in self.refresh:
            return None
        doc_id = self.ids_by_hash.get(item.content_hash)
        docnum = self.searcher.document_number(**{f.ID: doc_id}) if doc_id else None
        if docnum is None:
            return None
        local = column_reader(self.searcher.reader(), f.ENTITY_LOCAL)[docnum] or ()
        return tuple(ArticleEntity(name, kind, tuple(variants)) for kind, name, variants, *_evidence in local)

    def _write(self, removed: Sequence[str]) -> bool:
        """In one writer: delete the documents of the articles read again and of those
        ``removed``, decide the archive's entities over the articles kept and read, add the
        articles read under them and write again the kept ones whose entities change. Whether
        anything was written (the caller commits or cancels ``self.writer``).

        Deleted documents are found through the update's one searcher: Whoosh's
        ``update_document`` and ``delete_by_term`` open a new reader on every call, 0.24 s each
        at 100,000 articles (most of an update that adds 100 articles took 24 s so).
        """
        searcher = self.searcher
        doomed = {
            n for doc_id in (*self.replaced, *removed) for n in searcher.document_numbers(**{f.ID: doc_id})
        }
        current = resolution_is_current(self.folder, self.ix)
        if not doomed and not len(self.read) and current:
            return False
        reader = searcher.reader()
        before = load_resolution(self.folder) if current else None
        self.names = self._evidence(reader, doomed)
        self.resolution = decide(self.names, self.aliases)
        retargeted = retargeted_names(before, self.resolution) if before is not None else None
        among = naming_documents(reader, self.names, retargeted) if retargeted is not None else None
        writer = self._writer()
        for docnum in sorted(doomed):
            writer.delete_document(docnum)
        write_pending(writer, self.read, self.resolution, self.aliases)
        changes = changed_documents(
            reader, self.resolution, self.aliases, skip=doomed, retargeted=retargeted, among=among
        )
        rewritten = write_again(reader, writer, changes, rewrite=stored_document)
        return bool(doomed or len(self.read) or rewritten)

    def _evidence(self, reader: IndexReader, doomed: set[int]) -> NameCounts:
        """The evidence about names of the articles kept and read: the counts saved for the
        committed index less those of the documents deleted, or, without them, the kept
        documents counted from the index's column."""
        saved = load_counts(self.folder, generation=self.ix.latest_generation())
        if saved is None:
            return count_names(reader, skip=doomed, into=self.names)
        local = column_reader(reader, f.ENTITY_LOCAL)
        for docnum in doomed:
            saved.remove(local[docnum] or ())
        saved.merge(self.names)
        return saved

    def _writer(self) -> IndexWriter:
        """The update's one writer. Its documents are written by the array writer, as a
        build's are (``update_writer``), unless the index is from before the provenance
        fields: Whoosh's writer then adds them to the schema (see schema)."""
        if self.writer is None:
            if all(name in self.ix.schema for name in f.PROVENANCE_FIELDS):
                self.writer = open_writer(self.ix, limitmb=self.limitmb, rewrite=self._rewrite)
            else:
                self.writer = open_writer(self.ix, limitmb=self.limitmb)
                for name in f.PROVENANCE_FIELDS:
                    if name not in self.writer.schema:
                        self.writer.add_field(name, STORED())
        return self.writer

    def _rewrite(self, stored: Mapping[str, Any], local: Sequence[LocalEntity]) -> dict[str, Any]:
        """A kept article's document written again, with its entities as the archive now
        resolves them (a merge of its segment)."""
        assert self.resolution is not None
        return stored_document(stored, apply_resolution(self.resolution, local, self.aliases), local)

    def _commit(self, removed: Sequence[str]) -> bool:
        """Write and commit (if anything changed), then save the resolution and the file table
        that describe the commit. Whether the index or its file table changed."""
        wrote = self._write(removed)
        if self.writer is not None:
            if wrote:
                self.writer.commit()
            else:
                self.writer.cancel()
            self.writer = None
        if self.resolution is not None:
            save_resolution(self.folder, self.resolution, generation=self.ix.latest_generation())
            save_counts(self.folder, self.names, generation=self.ix.latest_generation())
        if wrote or self.dupes.changed:
            self.dupes.table.save(self.folder, generation=self.ix.latest_generation())
        save_search_tables(self.ix, self.dupes.table.members())  # also after a writer killed after its commit
        if not wrote and self.new.entries == self.old.entries:
            return False
        self.new.save(self.folder, generation=self.ix.latest_generation())
        return True
