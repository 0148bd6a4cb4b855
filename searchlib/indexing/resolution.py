"""The archive-level entity resolution: counting every article's own entities, deciding the
archive's entities (``entities.resolve``) and writing each article under them, once.

A build gathers every article's own entities (what NER and the per-article rules found, the
``ENTITY_LOCAL`` column) while it reads the corpus, decides the resolution, and only then writes
the articles (``build``, with ``pending``), so each is written once with its resolved entities.
An update counts the articles it keeps from the index's column and the ones it adds as it reads
them, decides, and in ONE commit writes the new articles and writes again the kept articles
whose resolved entities differ (from their stored fields: no file is read and no NER runs).
Because the resolution depends only on the articles the index holds, an update that adds,
changes or removes articles ends with the entities a full rebuild of the same corpus gives, and
a search never sees new articles beside old ones resolved without them.

The resolution is saved beside the index (``resolution_table``) for the searcher: a query or a
``--person`` filter naming one name of an entity also finds its other names, and ``searchlib
entities`` shows each entity's names and type votes.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.writing import IndexWriter

from searchlib.entities.aliases import AliasTable, fold_name
from searchlib.entities.canonical import AMBIGUOUS_EVIDENCE, AmbiguousEntity
from searchlib.entities.context import CONTEXT_EVIDENCE, ContextEntity
from searchlib.entities.gazetteer import load_gazetteer
from searchlib.entities.lookup import Resolution
from searchlib.entities.resolve import LocalEntity, NameCounts, apply, resolve_names
from searchlib.indexing import schema as f
from searchlib.indexing.column_readers import column_reader
from searchlib.indexing.name_counts_table import save_counts
from searchlib.indexing.resolution_table import load_whole, save_table, saved_generation
from searchlib.models import ArticleEntity

Rewrite = Callable[[dict[str, Any], Sequence[ArticleEntity], Sequence[LocalEntity]], dict[str, Any]]
"""Makes the document of an indexed article written again: ``(stored fields, entities, own entities)``."""


@dataclass(frozen=True)
class ResolutionReport:
    """What one resolution pass did."""

    documents: int
    rewritten: int
    entities: int
    """Entities of the archive that merged names or had their type decided by vote."""


def decide(counts: NameCounts, aliases: AliasTable) -> Resolution:
    """The archive's entities from the evidence of all its articles."""
    return resolve_names(counts, aliases=aliases, gazetteer=load_gazetteer())


def resolve_index(
    ix: Index,
    folder: Path,
    *,
    aliases: AliasTable,
    open_writer: Callable[[Index], IndexWriter],
    rewrite: Rewrite,
) -> ResolutionReport:
    """Resolve the entities of the committed index ``ix`` again and rewrite the articles whose
    entities change (one commit, if any does); save the resolution in ``folder``. For an index
    whose resolution rules changed: a build or an update resolves as it writes."""
    with ix.reader() as reader:
        counts = count_names(reader)
        resolution = decide(counts, aliases)
        changes = list(changed_documents(reader, resolution, aliases))
        if changes:
            writer = open_writer(ix)
            try:
                write_again(reader, writer, changes, rewrite=rewrite)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        documents = reader.doc_count()
    save_resolution(folder, resolution, generation=ix.latest_generation())
    save_counts(folder, counts, generation=ix.latest_generation())
    return ResolutionReport(documents=documents, rewritten=len(changes), entities=len(resolution.entities))


Change = tuple[int, tuple[LocalEntity, ...], tuple[ArticleEntity, ...]]
"""A document whose stored entities differ from its resolved ones: (docnum, own, resolved)."""


def changed_documents(
    reader: IndexReader,
    resolution: Resolution,
    aliases: AliasTable,
    *,
    skip: Container[int] = frozenset(),
    retargeted: Container[str] | None = None,
    among: Iterable[int] | None = None,
) -> Iterator[Change]:
    """The live documents, but those in ``skip``, whose stored entities differ under ``resolution``.

    ``retargeted``: when the documents were written under an earlier resolution, the folded
    names whose target it changed (``retargeted_names``). A document's resolved entities
    depend only on the targets of its own names (``entities.resolve.apply``), so only a
    document naming one of them is resolved again: an update that adds 100 articles to
    100,000 compares a few documents, not every one. ``among``: the only documents that can
    name one (``naming_documents``), read instead of every document's own entities."""
    if reader.doc_count() == 0:
        return
    names = column_reader(reader, f.ENTITIES)
    forms = column_reader(reader, f.ENTITY_VARIANTS)
    for docnum, local in local_entities(reader, among):
        if docnum in skip:
            continue
        if retargeted is not None and not any(fold_name(entity[1]) in retargeted for entity in local):
            continue
        resolved = apply(resolution, local, aliases)
        pairs = [(e.type, e.name) for e in resolved]
        variants = [(e.type, e.name, v) for e in resolved for v in e.variants]
        if pairs != list(names[docnum] or ()) or variants != list(forms[docnum] or ()):
            yield docnum, local, resolved


def retargeted_names(before: Resolution, after: Resolution) -> frozenset[str]:
    """The folded names whose canonical name or type differs between two resolutions (a name
    neither resolution holds stands for itself under both)."""
    keys = before.targets.keys() | after.targets.keys()
    return frozenset(key for key in keys if before.targets.get(key) != after.targets.get(key))


def write_again(
    reader: IndexReader, writer: IndexWriter, changes: Iterable[Change], *, rewrite: Rewrite
) -> int:
    """Replace, through ``writer``, each changed document by ``rewrite`` of its stored fields; how many."""
    written = 0
    for docnum, local, entities in changes:
        writer.delete_document(docnum)
        writer.add_document(**rewrite(reader.stored_fields(docnum), entities, local))
        written += 1
    return written


def count_names(
    reader: IndexReader, *, skip: Container[int] = frozenset(), into: NameCounts | None = None
) -> NameCounts:
    """The evidence about names of every live article the reader holds but those in ``skip``
    (added to ``into``, the counts of other articles, if given)."""
    counts = NameCounts() if into is None else into
    for docnum, local in local_entities(reader):
        if docnum not in skip:
            counts.add(local)
    return counts


def local_entities(
    reader: IndexReader, among: Iterable[int] | None = None
) -> Iterator[tuple[int, tuple[LocalEntity, ...]]]:
    """Each live document's own entities (before resolution), of the documents ``among`` only
    if given (in the order given)."""
    if reader.doc_count() == 0:  # an empty index has no columns to read
        return
    column = column_reader(reader, f.ENTITY_LOCAL)
    docnums = reader.all_doc_ids() if among is None else (n for n in among if not reader.is_deleted(n))
    for docnum in docnums:
        yield docnum, tuple(column[docnum] or ())


MAX_LOOKED_UP = 1_000
"""Spellings at most that ``naming_documents`` looks up; past that, every document is read."""


def naming_documents(reader: IndexReader, counts: NameCounts, keys: Iterable[str]) -> list[int] | None:
    """The documents (in order; deleted ones may be among them) whose entity names hold every
    word of a spelling ``counts`` knows for one of the folded names ``keys``: a superset of the
    documents whose own entities use one of them, since an article is indexed under each name
    it used (``ENTITY_TEXT``: every entity's name and variants). None (read every document)
    when a spelling gives no word to look up or there are more than ``MAX_LOOKED_UP``.

    The spellings themselves are looked up, not the folded keys: a key loses what the
    analyser splits words on ("U.S." is "us", "O'Neill" "oneill")."""
    spellings = {spelling for key in keys if key in counts.names for spelling in counts.names[key].spellings}
    if len(spellings) > MAX_LOOKED_UP:
        return None
    index_terms = getattr(reader.schema[f.ENTITY_TEXT].analyzer, "term_positions", None)
    if index_terms is None:
        return None
    found: set[int] = set()
    for spelling in sorted(spellings):
        words = set(index_terms(f.join_values([spelling])))  # as the documents were indexed
        if not words:
            return None
        docs: set[int] | None = None
        for word in sorted(words):
            if (f.ENTITY_TEXT, word) not in reader:
                docs = set()
                break
            ids = set(reader.postings(f.ENTITY_TEXT, word).all_ids())
            docs = ids if docs is None else docs & ids
            if not docs:
                break
        found |= docs or set()
    return sorted(found)


def local_of(entities: Sequence[Any]) -> tuple[LocalEntity, ...]:
    """The ``ENTITY_LOCAL`` value of an article's entities as found in it alone: ``(type, name,
    variants)``, and after them ``CONTEXT_EVIDENCE`` when the words around it gave the type,
    ``AMBIGUOUS_EVIDENCE`` when it is a short form of several of the article's people."""
    return tuple(
        (e.type, e.name, tuple(e.variants) if isinstance(e, ArticleEntity) else ())
        + ((CONTEXT_EVIDENCE,) if isinstance(e, ContextEntity) else ())
        + ((AMBIGUOUS_EVIDENCE,) if isinstance(e, AmbiguousEntity) else ())
        for e in entities
    )


def save_resolution(folder: Path, resolution: Resolution, *, generation: int) -> None:
    """Save the resolution of the index's commit ``generation`` (written last, so a pass cut
    short leaves the table of an older commit, and ``resolution_is_current`` says so)."""
    save_table(folder, resolution, generation=generation)


def load_resolution(folder: Path) -> Resolution:
    """The resolution saved in a generation folder, whole (an empty one if there is none)."""
    return load_whole(folder)


def resolution_is_current(folder: Path, ix: Index) -> bool:
    """Whether the saved resolution was made for the index's latest commit."""
    return saved_generation(folder) == ix.latest_generation()
