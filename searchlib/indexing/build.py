"""Building the index from a folder of articles.

A build reads every article file and extracts entities in batches, holding the articles on
disk (``pending``) until the archive's entities are decided from all of them (``resolution``);
then it writes each article once, with its resolved entities, into a new generation of the
index and switches to it atomically (see ``store``), so searches keep working on the old index
until the new one is complete. Files that are not articles are reported with a reason and
skipped; they never stop a build. Only one build or update writes an index at a time
(``locking``). ``update`` reuses the pieces here to change the current generation in place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index, LockError
from whoosh.writing import MERGE_SMALL, IndexWriter

from searchlib.articles.fields import FieldMap
from searchlib.articles.formats import article_from_file_bytes, open_container
from searchlib.articles.kinds import is_container_name
from searchlib.articles.records import Container, Record
from searchlib.articles.textfile import DEFAULT_MAX_BYTES, read_article_bytes
from searchlib.entities.aliases import AliasTable, load_aliases
from searchlib.entities.lookup import Resolution
from searchlib.entities.resolve import LocalEntity, NameCounts
from searchlib.entities.resolve import apply as apply_resolution
from searchlib.errors import ArticleError, IndexLocked, IndexNotFound
from searchlib.indexing import schema as f
from searchlib.indexing.bulk import SEGMENT_DOCS, BulkWriter
from searchlib.indexing.dedupe import DuplicateFinder, Fingerprint, text_fingerprint
from searchlib.indexing.facet_tables import write_tables
from searchlib.indexing.filetable import (
    FileEntry,
    FileStat,
    SignatureDigest,
    TableStream,
    count_articles,
    iter_scan,
    table_stream,
)
from searchlib.indexing.freshness import Probe, ProbeRecorder, folder_mtimes, write_probe
from searchlib.indexing.furniture_table import FurnitureTable, use_furniture
from searchlib.indexing.leftovers import removed_if_failed
from searchlib.indexing.locking import DEFAULT_LOCK_TIMEOUT, write_lock
from searchlib.indexing.name_counts_table import save_counts
from searchlib.indexing.pending import PendingArticle, PendingArticles
from searchlib.indexing.posting_tables import drop_stale
from searchlib.indexing.reading_pool import ReadingPool, reading_pool
from searchlib.indexing.resolution import decide, local_of, resolve_index, save_resolution
from searchlib.indexing.segment_tables import add_missing_tables
from searchlib.indexing.store import index_exists, new_generation, read_manifest, remove_debris, switch_to
from searchlib.indexing.story_codes import save_story_codes
from searchlib.indexing.term_lists import add_missing_lists, drop_stale_lists
from searchlib.indexing.update_writer import ArrayUpdateWriter, MergedDocument
from searchlib.indexing.warnings_table import Warned, save_warnings
from searchlib.indexing.write_errors import write_error
from searchlib.models import ENTITY_TYPES, Article, ArticleEntity, BuildReport, Entity, SkippedFile

if TYPE_CHECKING:
    from searchlib.entities.cluster import ClusterProgress
    from searchlib.entities.extract import EntityExtractor

T = TypeVar("T")

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a build runs: articles read, and the articles
expected (each file one article, a file of many counted as it is read, from the bytes left)."""

MAX_PROCS = 4
BATCH_SIZE = 64
MAX_ENTITY_CHARS = 100_000
"""Entities are looked for in an article's first 100,000 characters (all of any real article):
spaCy needs about a gigabyte of memory per 100,000 characters and refuses texts over a million."""


class Extractor(Protocol):
    """Anything that finds the entities of many texts at once (``EntityExtractor``).

    An extractor may also have a ``fingerprint`` attribute (a string naming its model and
    settings, such as the aliases it applies); when it differs from the one recorded at the
    last build or update, an update extracts the entities of every article again.
    """

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]: ...


@dataclass(frozen=True)
class ParsedFile:
    """One article file read, parsed and fingerprinted, before the build claims its id: what
    a reading pool's worker sends back (``parse_file``)."""

    content_hash: str = ""
    article: Article | None = None
    fingerprint: Fingerprint | None = None
    error: str | None = None
    """Why the file holds no article (``ArticleError``); the other fields are then empty."""


def parse_file(stat: FileStat, *, max_bytes: int) -> tuple[FileStat, ParsedFile | None]:
    """Read, parse and fingerprint one article file: the part of loading it that depends on the
    file alone, so a ``ReadingPool`` can run it. None for a file of many (JSON Lines, CSV,
    WARC), which the build reads record by record."""
    if is_container_name(stat.rel):
        return stat, None
    try:
        data = read_file(stat, max_bytes=max_bytes)
        article = article_from_file_bytes(data, path=stat.path)
    except ArticleError as exc:
        return stat, ParsedFile(error=str(exc))
    return stat, ParsedFile(content_hash(data), article, text_fingerprint(article.body))


def read_file(stat: FileStat, *, max_bytes: int) -> bytes:
    """The file's bytes, or ``ArticleError`` (with the ``OSError`` as its cause if any)."""
    if stat.error:
        raise ArticleError(stat.error)
    return read_article_bytes(stat.path, max_bytes=max_bytes)


@dataclass(frozen=True)
class LoadedArticle:
    """An article read from disk with the hash of its bytes and the ``stat`` taken before."""

    article: Article
    content_hash: str
    stat: FileStat | None = None
    in_container: bool = False
    """One of the records of a file of many (``content_hash`` is then the record's)."""
    fingerprint: Fingerprint | None = None
    """Its text's near-duplicate fingerprint, if taken as it was read (``parse_file``)."""

    def entry(self) -> FileEntry:
        """The file-table record of this article's file."""
        stat = self.stat or FileStat(str(self.article.path), self.article.path.name)
        return FileEntry(stat.rel, stat.size, stat.mtime_ns, self.content_hash)


def build_index(
    corpus_dir: Path,
    *,
    index_dir: Path,
    extractor: Extractor | None = None,
    aliases: Path | str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limitmb: int = 512,
    progress: ProgressCallback | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    procs: int | None = None,
    segment_docs: int = SEGMENT_DOCS,
    fields: FieldMap | None = None,
    cluster: str | None = None,
    cluster_progress: ClusterProgress | None = None,
    follow_links: bool = False,
) -> BuildReport:
    """Index every article under ``corpus_dir`` into a new generation of ``index_dir``.

    ``extractor`` defaults to searchlib's ``EntityExtractor`` (spaCy NER with the entity cache in
    ``index_dir``, and the starter aliases plus the user's ``aliases`` file); pass another to
    change how entities are found. The build holds the index's write lock, waiting up to
    ``lock_timeout`` seconds for another writer (then ``IndexLocked``).
    ``procs`` writer processes (default: one per core, at most ``MAX_PROCS``) write the index
    in parallel, and as many worker processes read and parse the files before (``reading_pool``,
    for a corpus of ``MIN_FILES`` files or more); each writer starts a new segment
    when its current one has ``segment_docs`` documents or ``limitmb`` MB of postings (counted
    at their peak, while they are sorted and written), so these two settings bound the
    writers' memory (see ``bulk``). The default ``limitmb`` keeps segments of news articles
    near 20,000 articles: fewer, larger segments answer queries faster.
    ``fields`` names the keys of JSON Lines and CSV records (``articles.fields``); an update
    reuses it.
    ``cluster``, the address of a Dask scheduler, finds the entities on its workers first
    (``cluster_fill``; reported to ``cluster_progress``).
    A link to a file outside ``corpus_dir`` is skipped with its reason unless ``follow_links``
    (the corpus is untrusted input); an update reuses the choice.
    """
    table = load_aliases(aliases)
    with (
        removed_if_failed(Path(index_dir)),
        writing(Path(index_dir)),
        extractor_for(extractor, Path(index_dir), table, cluster=cluster) as chosen,
        write_lock(Path(index_dir), timeout=lock_timeout),
    ):
        filled = None
        if cluster is not None:
            from searchlib.indexing.cluster_fill import fill_on_cluster

            filled = fill_on_cluster(
                corpus_dir,
                extractor=chosen,
                max_bytes=max_bytes,
                fields=fields,
                progress=cluster_progress,
                follow_links=follow_links,
            )
        settings = {
            "extractor": chosen,
            "max_bytes": max_bytes,
            "limitmb": limitmb,
            "procs": procs,
            "segment_docs": segment_docs,
            "fields": fields or FieldMap(),
            "follow_links": follow_links,
        }
        report = build_locked(corpus_dir, index_dir=index_dir, progress=progress, **settings)  # type: ignore[arg-type]
        return report if filled is None else filled.added_to(report)


def build_locked(
    corpus_dir: Path,
    *,
    index_dir: Path,
    extractor: Extractor,
    max_bytes: int,
    limitmb: int,
    progress: ProgressCallback | None,
    procs: int | None = None,
    segment_docs: int = SEGMENT_DOCS,
    fields: FieldMap | None = None,
    follow_links: bool = False,
) -> BuildReport:
    """``build_index`` for a caller that already holds the write lock."""
    started = time.perf_counter()
    corpus_dir, index_dir = Path(corpus_dir).resolve(), Path(index_dir)
    if index_exists(index_dir):
        with suppress(IndexNotFound):  # a damaged manifest is what a rebuild replaces
            remove_debris(index_dir)
    ix, generation = new_generation(index_dir)
    workers = default_procs() if procs is None else procs
    dupes = DuplicateFinder()
    run = LoadRun(max_bytes=max_bytes, fields=fields or FieldMap(), follow_links=follow_links)
    try:
        # The writer processes start before the corpus is scanned: each is a fork of this
        # process and would otherwise copy what the scan gathered.
        writer = open_writer(ix, limitmb=limitmb, procs=workers, segment_docs=segment_docs)
        folder = index_dir / generation
        with (
            reading_pool(workers, files := count_articles(corpus_dir)) as pool,
            table_stream(folder) as table,
            PendingArticles(folder) as pending,
        ):
            furniture = FurnitureTable.scan(iter_scan(corpus_dir, follow_links=follow_links), pool=pool)
            use_furniture(extractor, furniture.furniture())
            aliases = aliases_of(extractor)
            try:
                probe, counts = _read_corpus(
                    corpus_dir, pending, table, dupes, run, extractor, progress, files=files, pool=pool
                )
                pool.close()  # its workers are done: free their memory for the writers
                resolution = decide(counts, aliases)
                write_pending(writer, pending, resolution, aliases)
                writer.commit()
            except BaseException:
                abandon(writer)
                raise
            save_resolution(folder, resolution, generation=ix.latest_generation())
            save_counts(folder, counts, generation=ix.latest_generation())
            table.finish(ix.latest_generation())
        dupes.table.save(index_dir / generation, generation=ix.latest_generation())
        save_warnings(index_dir / generation, run.warned)
        furniture.save(index_dir / generation)
        save_search_tables(ix, dupes.table.members())
        write_probe(index_dir, probe)
        switch_to(
            index_dir,
            generation,
            corpus_dir=corpus_dir,
            corpus_signature=probe.signature,
            extractor_fingerprint=fingerprint_of(extractor),
            aliases_file=aliases_file_of(extractor),
            fields=run.fields.spec or None,
            follow_links=follow_links,
            commit=ix.latest_generation(),
        )
    except BaseException:
        discard_unswitched(index_dir, generation)
        raise
    return BuildReport(
        index_dir=str(index_dir),
        corpus_dir=str(corpus_dir),
        added=table.count,
        skipped=tuple(run.skipped),
        warnings=tuple(run.warnings),
        seconds=time.perf_counter() - started,
        rebuilt=True,
    )


def _read_corpus(
    corpus_dir: Path,
    pending: PendingArticles,
    table: TableStream,
    dupes: DuplicateFinder,
    run: LoadRun,
    extractor: Extractor,
    progress: ProgressCallback | None,
    *,
    files: int,
    pool: ReadingPool,
) -> tuple[Probe, NameCounts]:
    """Read every article and find its entities, a batch at a time, into ``pending``, the file
    table and the near-duplicate finder; the probe of the corpus (see ``freshness``) and the
    evidence about names of every article, for the resolution they are written under.

    The files pass as they are scanned and the table and the articles go straight to disk: the
    build holds neither (together about 1 KB an article before), only the counts of names.
    ``pool`` reads and parses the article files (``parse_file``), in order; ``files`` is how
    many there are, for the progress bar.
    """
    mtimes = folder_mtimes(corpus_dir)  # before the scan: see freshness
    probe = ProbeRecorder(mtimes)
    signature = SignatureDigest()
    counts = NameCounts()
    started = 0
    done = 0
    if progress:
        progress(0, files)  # the bar shows how many there are from the start

    def container_read(stat: FileStat, digest: str) -> None:
        probe.indexed(stat, digest)
        table.containers[stat.rel] = digest

    def articles() -> Iterator[LoadedArticle]:
        nonlocal started
        parse = partial(parse_file, max_bytes=run.max_bytes)
        for stat, parsed in pool.map(parse, iter_scan(corpus_dir, follow_links=run.follow_links)):
            started += 1
            signature.add(stat)
            probe.scanned(stat)
            if parsed is None:
                yield from run.load_all(stat, read=container_read)
            elif (item := run.claim(stat, parsed)) is not None:
                yield item

    for loaded in _chunks(articles(), BATCH_SIZE):
        batch = []
        for item, entities in zip(loaded, find_entities(loaded, extractor), strict=True):
            local = local_of(entities)
            counts.add(local)
            batch.append(PendingArticle(item.article, item.content_hash, local))
            table.add(item.article.id, item.entry())
            if item.stat is not None and not item.in_container:
                probe.indexed(item.stat, item.content_hash)
            dupes.assign(item.article.id, item.article.body, item.fingerprint)
        pending.add(batch)
        done += len(loaded)
        if progress:
            progress(done, done + max(0, files - started) + run.records_left())
    return probe.probe(signature.hexdigest()), counts


def write_pending(
    writer: IndexWriter, pending: Iterable[PendingArticle], resolution: Resolution, aliases: AliasTable
) -> None:
    """Hand each article read to the writer, with its entities as the archive resolves them."""
    for item in pending:
        entities = apply_resolution(resolution, item.local, aliases)
        writer.add_document(**article_document(item.article, entities, item.content_hash, local=item.local))


class LoadRun:
    """Reads files for one build or update, remembering which ids are taken and what went wrong.

    The first readable file with a given id wins; later ones are skipped as duplicates.
    """

    def __init__(self, *, max_bytes: int, fields: FieldMap | None = None, follow_links: bool = False) -> None:
        self.max_bytes = max_bytes
        self.fields = fields or FieldMap()
        self.follow_links = follow_links
        """Links to files outside the corpus are read as articles (see ``filetable.link_outside``)."""
        self.skipped: list[SkippedFile] = []
        self.warnings: list[SkippedFile] = []
        self.warned: Warned = {}
        """Article id -> (path, warnings), for the warnings table (``warnings_table``)."""
        self.parsed: set[str] = set()
        """The ids of the articles read in this run."""
        self.claimed: set[str] = set()
        self.reading: tuple[FileStat, Container, int] | None = None
        """The file of many being read, and how many of its records were read so far."""

    def load_all(
        self, stat: FileStat, *, read: Callable[[FileStat, str], None] | None = None
    ) -> Iterator[LoadedArticle]:
        """The articles of one file: one, none, or every record of a JSON Lines, CSV or WARC
        file. ``read(stat, hash)`` hears of a file of many read to its end, with its hash."""
        if not is_container_name(stat.rel):
            item = self.load(stat)
            if item is not None:
                yield item
            return
        container = self.open(stat)
        if container is None:
            return
        try:
            for record in self.records(stat, container):
                item = self.load_record(stat, record)
                if item is not None:
                    yield item
        except ArticleError as exc:
            self.skip(stat, str(exc))
            return
        if read is not None:
            read(stat, container.digest)

    def open(self, stat: FileStat) -> Container | None:
        """A file of many, to read record by record; None (and the reason) when it cannot be."""
        if stat.error:
            self.skip(stat, stat.error)
            return None
        return open_container(stat.path, fields=self.fields, max_bytes=self.max_bytes)

    def records(self, stat: FileStat, container: Container) -> Iterator[Record]:
        """The container's records, counted for ``records_left``; those holding no article are
        reported here. Raises ``ArticleError`` when the file cannot be read on."""
        self.reading = (stat, container, 0)
        try:
            for record in container:
                self.reading = (stat, container, self.reading[2] + 1)
                if record.error:
                    self.skip(stat, f"{record.place}: {record.error}")
                    continue
                yield record
        finally:
            self.reading = None

    def load_record(self, stat: FileStat, record: Record) -> LoadedArticle | None:
        """Parse one record and claim its id; None (and the reason) if it holds no article."""
        try:
            article = record.read()
        except ArticleError as exc:
            self.skip(stat, f"{record.place}: {exc}")
            return None
        if article.id in self.claimed:
            self.skip(stat, f"{record.place}: duplicate id {article.id!r} (the same key twice)")
            return None
        self.claimed.add(article.id)
        where = f"{stat.path} {record.place}"
        self.warnings.extend(SkippedFile(where, note) for note in article.warnings)
        return LoadedArticle(article, record.content_hash, stat, in_container=True)

    def records_left(self) -> int:
        """An estimate of the records still to come in the file of many being read, from its
        records so far and the bytes left: the progress bar counts records, not files."""
        if self.reading is None:
            return 0
        stat, container, count = self.reading
        position = container.position
        if not count or not position or stat.size <= position:
            return 0
        return int(count * (stat.size - position) / position)

    def load(self, stat: FileStat) -> LoadedArticle | None:
        """Read and parse one file; None (and a reason in ``skipped``) if it is no article."""
        _stat, parsed = parse_file(stat, max_bytes=self.max_bytes)
        return self.claim(stat, parsed) if parsed is not None else None

    def read(self, stat: FileStat) -> bytes:
        """The file's bytes, or ``ArticleError`` (with the ``OSError`` as its cause if any)."""
        return read_file(stat, max_bytes=self.max_bytes)

    def claim(self, stat: FileStat, parsed: ParsedFile) -> LoadedArticle | None:
        """The article of a file ``parse_file`` read, its id claimed; None (and the reason in
        ``skipped``) if the file holds no article or a file read before had its id."""
        if parsed.article is None:
            self.skip(stat, parsed.error or "no article")
            return None
        return self._claimed(stat, parsed.article, parsed.content_hash, parsed.fingerprint)

    def parse(self, stat: FileStat, data: bytes, digest: str) -> LoadedArticle | None:
        """Parse bytes already read and claim the article's id; ``ArticleError`` if no article."""
        return self._claimed(stat, article_from_file_bytes(data, path=stat.path), digest)

    def _claimed(
        self, stat: FileStat, article: Article, digest: str, fingerprint: Fingerprint | None = None
    ) -> LoadedArticle | None:
        if article.id in self.claimed:
            self.skip(stat, f"duplicate id {article.id!r}")
            return None
        self.claimed.add(article.id)
        self.parsed.add(article.id)
        self.warnings.extend(SkippedFile(str(stat.path), note) for note in article.warnings)
        if article.warnings:
            self.warned[article.id] = (str(stat.path), tuple(article.warnings))
        return LoadedArticle(article, digest, stat, fingerprint=fingerprint)

    def skip(self, stat: FileStat, reason: str) -> None:
        self.skipped.append(SkippedFile(str(stat.path), reason))


def find_entities(
    items: Sequence[LoadedArticle],
    extractor: Extractor,
    known: Callable[[LoadedArticle], tuple[Entity, ...] | None] | None = None,
) -> list[tuple[Entity, ...]]:
    """The entities of each article, in order; ``known`` supplies those found before, if any."""
    found: list[tuple[Entity, ...] | None] = [known(item) if known else None for item in items]
    todo = [i for i, entities in enumerate(found) if entities is None]
    if todo:
        texts = [items[i].article.text[:MAX_ENTITY_CHARS] for i in todo]
        for i, entities in zip(todo, extractor.extract(texts), strict=True):
            found[i] = entities
    return [entities or () for entities in found]


def fingerprint_of(extractor: Extractor) -> str | None:
    """The extractor's ``fingerprint`` (see ``Extractor``), or None if it has none."""
    value = getattr(extractor, "fingerprint", None)
    return str(value) if value is not None else None


def aliases_of(extractor: Extractor) -> AliasTable:
    """The aliases the extractor applies (``EntityExtractor`` has them; others apply none)."""
    table = getattr(extractor, "aliases", None)
    return table if isinstance(table, AliasTable) else AliasTable()


def aliases_file_of(extractor: Extractor) -> str | None:
    """The user aliases file the extractor applies, if it says (``EntityExtractor`` does)."""
    table = getattr(extractor, "aliases", None)
    return table.user_file if isinstance(table, AliasTable) else None


@contextmanager
def extractor_for(
    extractor: Extractor | None, index_dir: Path, aliases: AliasTable, *, cluster: str | None = None
) -> Iterator[Extractor]:
    """``extractor``, or the default one for ``index_dir`` (stopped when done: it may have
    started NER worker processes or connected to a ``cluster``)."""
    if extractor is not None:
        yield extractor
        return
    made = default_extractor(index_dir, aliases, cluster=cluster)
    try:
        yield made
    finally:
        made.close()


def default_extractor(
    index_dir: Path, aliases: AliasTable | None = None, *, cluster: str | None = None
) -> EntityExtractor:
    """spaCy's English NER (loaded on first use) with the entity cache of ``index_dir``; run
    on the workers of the Dask scheduler at ``cluster`` if one is given."""
    from searchlib.entities.cache import CACHE_FILE
    from searchlib.entities.extract import EntityExtractor

    finder = None
    if cluster is not None:
        from searchlib.entities.cluster import ClusterMentionFinder

        finder = ClusterMentionFinder(cluster)
    return EntityExtractor(aliases=aliases, cache_path=Path(index_dir) / CACHE_FILE, finder=finder)


@contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """Report an ``OSError`` met while writing the index as ``IndexWriteError``, saying what to do."""
    existed = index_exists(index_dir)
    try:
        yield
    except OSError as exc:
        left = "it still answers with its last committed state" if existed else "no index was made"
        raise write_error(index_dir, exc, what="the index", left=left, retry="searchlib update") from exc


def abandon(writer: IndexWriter) -> None:
    """Cancel a Whoosh writer even on a full disk (cancelling writes too, and may fail)."""
    try:
        writer.cancel()
    except OSError:
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            with suppress(Exception):
                lock.release()


def discard_unswitched(index_dir: Path, generation: str) -> None:
    """Delete a generation a failed build wrote, unless the manifest already names it.

    A build that failed for want of space must not keep the space it took.
    """
    with suppress(IndexNotFound):
        if index_exists(index_dir) and read_manifest(index_dir).generation == generation:
            return
    shutil.rmtree(Path(index_dir) / generation, ignore_errors=True)


def save_search_tables(ix: Index, members: Mapping[str, Sequence[str]]) -> None:
    """Save what a fresh search reads instead of the postings: the facet table of each new
    segment (``facet_tables``), the posting table of each segment Whoosh's writer wrote
    (``segment_tables``), the term list of each segment without one (``term_lists``: an
    older searchlib's segments; the others get theirs with their posting tables) and every
    document's story code (``story_codes``, from ``members``, cluster id -> its articles' ids).

    Reads through file handles: a memory-mapped reader copies every segment's postings into
    memory (``store.open_current``), which made this step the build's peak (+440 MB at 30k).
    """
    folder = Path(ix.storage.folder)
    with FileStorage(str(folder), supports_mmap=False).open_index(ix.indexname).searcher() as searcher:
        write_tables(searcher.reader(), folder)
        add_missing_tables(folder, searcher.reader())
        add_missing_lists(folder, searcher.reader())
        segments = [leaf.segment() for leaf, _ in searcher.reader().leaf_readers()]
        segment_ids = [segment.segment_id() for segment in segments if segment is not None]
        drop_stale(folder, segment_ids)
        drop_stale_lists(folder, segment_ids)
        save_story_codes(folder, searcher, members, generation=ix.latest_generation())


def default_procs() -> int:
    """Writer processes for a full build: one per core, at most ``MAX_PROCS``."""
    return max(1, min(MAX_PROCS, os.cpu_count() or 1))


def open_writer(
    ix: Index,
    *,
    limitmb: int,
    procs: int | None = None,
    segment_docs: int = SEGMENT_DOCS,
    rewrite: MergedDocument | None = None,
) -> IndexWriter:
    """A Whoosh writer; its own lock is never contended while we hold ours, but say so if it is.

    With ``procs``, a ``BulkWriter`` (for full builds): that many writer processes, each
    starting a new segment every ``segment_docs`` documents. With ``rewrite`` (how a merged
    segment's articles are written again), an ``ArrayUpdateWriter`` in this process (for
    updates). Else Whoosh's own ``SegmentWriter``.
    """
    try:
        if procs is not None:
            return BulkWriter(ix, procs=procs, limitmb=limitmb, segment_docs=segment_docs)
        if rewrite is not None:
            writer = ArrayUpdateWriter(ix, limitmb=limitmb, rewrite=rewrite)
        else:
            writer = ix.writer(limitmb=limitmb)
    except LockError:
        raise IndexLocked(
            "another process is writing this index generation: try again when it is done"
        ) from None
    writer.mergetype = merge_small_dropping_emptied
    return writer


def merge_small_dropping_emptied(writer: IndexWriter, segments: list[Any]) -> list[Any]:
    """Whoosh's own merge policy, after dropping the segments none of whose documents is left.

    Whoosh keeps a segment whose every document was deleted (an update that changed every
    article, when the aliases changed, left all the old segments behind, every query still
    walking their postings) until at least five segments exist."""
    return MERGE_SMALL(writer, [segment for segment in segments if segment.doc_count() > 0])


def article_document(
    article: Article,
    entities: Iterable[Entity],
    content_hash: str,
    *,
    local: Sequence[LocalEntity] | None = None,
) -> dict[str, Any]:
    """The Whoosh document for one article and its entities.

    Facets count canonical names only; the name fields also hold each entity's variants and
    aliases (``ArticleEntity.search_names``) so a search by any of them finds the article.
    ``local`` are the entities found in the article alone (``ENTITY_LOCAL``), for the
    archive-level resolution (``resolution``); by default ``entities`` are.
    """
    entities = list(entities)
    doc: dict[str, Any] = {
        f.ID: article.id,
        f.PATH: str(article.path),
        f.CONTENT_HASH: content_hash,
        f.BODY: article.body,
        f.INDEXED_AT: datetime.now(UTC).replace(tzinfo=None),
        **entity_fields(entities),
        f.ENTITY_LOCAL: local_of(entities) if local is None else tuple(local),
    }
    if article.title:
        doc[f.TITLE] = article.title
    if article.credit:
        doc[f.CREDIT] = article.credit
    if article.date:
        date = article.date.replace(tzinfo=None)
        doc[f.DATE] = date
        doc[f.YEAR] = f"{date.year:04d}"
        doc[f.MONTH] = f"{date.year:04d}-{date.month:02d}"
    if article.source:
        doc[f.SOURCE] = article.source
        doc[f.SOURCE_TEXT] = article.source
    if article.url:
        doc[f.URL] = article.url
    if article.origin:
        doc[f.ORIGIN] = article.origin
    return doc


def stored_document(
    stored: Mapping[str, Any], entities: Sequence[Entity], local: Sequence[LocalEntity]
) -> dict[str, Any]:
    """The document of an indexed article written again with other entities, from its stored
    fields (every field but the entity ones and the source's words is stored): what the
    resolution pass rewrites."""
    doc: dict[str, Any] = {name: value for name, value in stored.items() if value is not None}
    if stored.get(f.SOURCE):
        doc[f.SOURCE_TEXT] = stored[f.SOURCE]
    return {**doc, **entity_fields(entities), f.ENTITY_LOCAL: tuple(local)}


def resolve_entities(ix: Index, folder: Path, extractor: Extractor, *, limitmb: int) -> None:
    """Resolve the committed ``ix`` again (``resolution.resolve_index``), rewriting what changes:
    for an index whose resolution was not made for its last commit."""
    resolve_index(
        ix,
        folder,
        aliases=aliases_of(extractor),
        open_writer=lambda index: open_writer(index, limitmb=limitmb),
        rewrite=stored_document,
    )


def entity_fields(entities: Iterable[Entity]) -> dict[str, Any]:
    """The entity fields of a document: facet names, searchable names, the columns."""
    # Each entity with its searchable names, in a list: a build makes dozens per article, and
    # keying a dict by them hashed every field of each three times.
    named = [(e, e.search_names if isinstance(e, ArticleEntity) else (e.name,)) for e in entities]
    doc: dict[str, Any] = {
        f.ENTITIES: [(e.type, e.name) for e, _names in named],
        f.ENTITY_VARIANTS: [
            (e.type, e.name, v) for e, _names in named if isinstance(e, ArticleEntity) for v in e.variants
        ],
        f.ENTITY_TEXT: f.join_values([n for _e, names in named for n in names]),
    }
    for kind in ENTITY_TYPES:
        of_kind = [(e, names) for e, names in named if e.type == kind]
        if of_kind:
            doc[f.FACET_FIELD[kind]] = f.keyword_value([e.name for e, _names in of_kind])
            doc[f.NAME_TEXT_FIELD[kind]] = f.join_values([n for _e, names in of_kind for n in names])
    return doc


def content_hash(data: bytes) -> str:
    """A short, collision-resistant fingerprint of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last shorter), taken as they come."""
    found = iter(items)
    while batch := list(islice(found, size)):
        yield batch
