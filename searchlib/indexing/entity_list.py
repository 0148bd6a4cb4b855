"""The most frequent entities of an index, with the other forms articles used for each.

What ``searchlib entities`` shows, so a user can see which names to merge in the aliases file:
each canonical name with the number of articles naming it, and its variants ("US", "U.S." under
"United States"; "Kadhemi" under "Mustafa al-Kadhemi") with their own counts. One pass over the
per-document columns ``ENTITIES`` and ``ENTITY_VARIANTS``; no stored fields are read.
``indexed_entities`` reads the same columns back for one document (an update reuses them for a
renamed file).
"""

from __future__ import annotations

from collections import Counter

from whoosh.reading import IndexReader

from searchlib.entities.aliases import AliasTable
from searchlib.errors import UsageError
from searchlib.indexing import schema as f
from searchlib.models import ENTITY_TYPES, ArticleEntity, EntityList, EntitySummary, NameCount


def count_entities(reader: IndexReader, *, kind: str | None = None, limit: int = 20) -> EntityList:
    """The ``limit`` entities named by most articles, most first (ties by name)."""
    if kind is not None and kind not in ENTITY_TYPES:
        raise UsageError(f"unknown entity type {kind!r}: choose from {', '.join(ENTITY_TYPES)}")
    if limit < 1:
        raise UsageError(f"limit must be a whole number from 1 up, not {limit!r}")
    entities: Counter[tuple[str, str]] = Counter()
    variants: Counter[tuple[str, str, str]] = Counter()
    # An empty index's reader has no columns at all (and no documents to read them for).
    names = reader.column_reader(f.ENTITIES) if reader.doc_count_all() else {}
    forms = reader.column_reader(f.ENTITY_VARIANTS) if reader.doc_count_all() else {}
    for docnum in reader.all_doc_ids():
        entities.update({(t, n) for t, n in names[docnum] or () if kind in (None, t)})
        variants.update({(t, n, v) for t, n, v in forms[docnum] or () if kind in (None, t)})
    by_entity: dict[tuple[str, str], list[NameCount]] = {}
    for (t, n, v), count in variants.items():
        by_entity.setdefault((t, n), []).append(NameCount(v, count))
    ranked = sorted(entities.items(), key=lambda item: (-item[1], item[0][1].casefold(), item[0][0]))
    top = tuple(
        EntitySummary(
            name=n,
            type=t,  # type: ignore[arg-type]
            articles=count,
            variants=tuple(sorted(by_entity.get((t, n), ()), key=lambda v: (-v.articles, v.name))),
        )
        for (t, n), count in ranked[:limit]
    )
    return EntityList(
        type=kind,  # type: ignore[arg-type]
        documents=reader.doc_count(),
        total=len(entities),
        entities=top,
        truncated=len(ranked) > limit,
    )


def indexed_entities(
    reader: IndexReader, docnum: int, aliases: AliasTable | None
) -> tuple[ArticleEntity, ...]:
    """The entities the index holds for a document, with their variants, and the aliases of
    ``aliases`` (the same ones), so they can be written again under another id unchanged."""
    pairs = reader.column_reader(f.ENTITIES)[docnum] or ()
    variants: dict[tuple[str, str], list[str]] = {}
    for kind, name, variant in reader.column_reader(f.ENTITY_VARIANTS)[docnum] or ():
        variants.setdefault((kind, name), []).append(variant)
    out = []
    for kind, name in pairs:
        entry = aliases.lookup(name) if aliases is not None else None
        names = entry.aliases if entry is not None and entry.name == name else ()
        out.append(ArticleEntity(name, kind, tuple(variants.get((kind, name), ())), names))
    return tuple(out)
