"""The archive-level entity resolution pass of a build or an update.

After the articles are committed, every article's own entities (the ``ENTITY_LOCAL`` column,
what NER and the per-article rules found) are counted across the index, ``entities.resolve``
decides which names are one entity and of what type, and each article whose resolved entities
differ from what the index holds is written again from its stored fields: no file is read and
no NER runs, so the pass costs a column scan plus the rewritten articles, small next to NER.
Because the resolution depends only on the articles the index holds, an update that adds,
changes or removes articles ends with the entities a full rebuild of the same corpus gives.

The resolution is saved beside the index (``RESOLUTION_FILE``) for the searcher: a query or a
``--person`` filter naming one name of an entity also finds its other names, and ``searchlib
entities`` shows each entity's names and type votes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.writing import IndexWriter

from searchlib.entities.aliases import AliasTable
from searchlib.entities.context import CONTEXT_EVIDENCE, ContextEntity
from searchlib.entities.gazetteer import load_gazetteer
from searchlib.entities.resolve import LocalEntity, NameCounts, Resolution, apply, resolve_names
from searchlib.indexing import schema as f
from searchlib.indexing.atomic import write_atomically
from searchlib.models import ArticleEntity

RESOLUTION_FILE = "entity-resolution.json"


@dataclass(frozen=True)
class ResolutionReport:
    """What one resolution pass did."""

    documents: int
    rewritten: int
    entities: int
    """Entities of the archive that merged names or had their type decided by vote."""


def resolve_index(
    ix: Index,
    folder: Path,
    *,
    aliases: AliasTable,
    open_writer: Callable[[Index], IndexWriter],
    rewrite: Callable[[dict[str, Any], Sequence[ArticleEntity], Sequence[LocalEntity]], dict[str, Any]],
) -> ResolutionReport:
    """Resolve the entities of the committed index ``ix`` across the archive and rewrite the
    articles whose entities change (one commit, if any does); save the resolution in ``folder``.

    ``rewrite(stored_fields, entities, local)`` makes the document to write again for an article.
    """
    with ix.reader() as reader:
        resolution = resolve_names(count_names(reader), aliases=aliases, gazetteer=load_gazetteer())
        changed = list(_changed(reader, resolution, aliases))
        if changed:
            writer = open_writer(ix)
            try:
                for docnum, local, entities in changed:
                    writer.delete_document(docnum)
                    writer.add_document(**rewrite(reader.stored_fields(docnum), entities, local))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        documents = reader.doc_count()
    save_resolution(folder, resolution, generation=ix.latest_generation())
    return ResolutionReport(documents=documents, rewritten=len(changed), entities=len(resolution.entities))


def count_names(reader: IndexReader) -> NameCounts:
    """The evidence about names of every article the reader holds."""
    counts = NameCounts()
    for _docnum, local in local_entities(reader):
        counts.add(local)
    return counts


def local_entities(reader: IndexReader) -> Iterator[tuple[int, tuple[LocalEntity, ...]]]:
    """Each live document's own entities (before resolution)."""
    if reader.doc_count() == 0:  # an empty index has no columns to read
        return
    column = reader.column_reader(f.ENTITY_LOCAL)
    for docnum in reader.all_doc_ids():
        yield docnum, tuple(column[docnum] or ())


def local_of(entities: Sequence[Any]) -> tuple[LocalEntity, ...]:
    """The ``ENTITY_LOCAL`` value of an article's entities as found in it alone: ``(type, name,
    variants)``, and ``CONTEXT_EVIDENCE`` after them when the words around it gave the type."""
    return tuple(
        (e.type, e.name, tuple(e.variants) if isinstance(e, ArticleEntity) else ())
        + ((CONTEXT_EVIDENCE,) if isinstance(e, ContextEntity) else ())
        for e in entities
    )


def save_resolution(folder: Path, resolution: Resolution, *, generation: int) -> None:
    """Save the resolution of the index's commit ``generation`` (written last, so a pass cut
    short leaves the file of an older commit, and ``resolution_is_current`` says so)."""
    data = resolution.to_json(generation=generation).encode("utf-8")
    write_atomically(folder / RESOLUTION_FILE, data, prefix=".resolution-")


def load_resolution(folder: Path) -> Resolution:
    """The resolution saved in a generation folder; an empty one if there is none (names are
    then searched as written)."""
    try:
        return Resolution.from_json((folder / RESOLUTION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return Resolution()


def resolution_is_current(folder: Path, ix: Index) -> bool:
    """Whether the saved resolution was made for the index's latest commit."""
    return load_resolution(folder).generation == ix.latest_generation()


def _changed(
    reader: IndexReader, resolution: Resolution, aliases: AliasTable
) -> Iterator[tuple[int, tuple[LocalEntity, ...], tuple[ArticleEntity, ...]]]:
    """(docnum, own entities, resolved entities) of the documents whose stored entities differ."""
    if reader.doc_count() == 0:
        return
    names = reader.column_reader(f.ENTITIES)
    forms = reader.column_reader(f.ENTITY_VARIANTS)
    for docnum, local in local_entities(reader):
        resolved = apply(resolution, local, aliases)
        pairs = [(e.type, e.name) for e in resolved]
        variants = [(e.type, e.name, v) for e in resolved for v in e.variants]
        if pairs != list(names[docnum] or ()) or variants != list(forms[docnum] or ()):
            yield docnum, local, resolved
