"""The most frequent entities of an index, with the other forms articles used for each.

What ``searchlib entities`` shows, so a user can see which names to merge in the aliases file:
each canonical name with the number of articles naming it, and its variants ("US", "U.S." under
"United States"; "Kadhemi" under "Mustafa al-Kadhemi") with their own counts. One pass over the
per-document columns ``ENTITIES`` and ``ENTITY_VARIANTS``; no stored fields are read. The type
votes come from the archive-level resolution (``resolution``), so a user sees why an entity has
its type.
"""

from __future__ import annotations

from collections import Counter

from whoosh.reading import IndexReader

from searchlib.entities.lookup import EntityLookup
from searchlib.errors import UsageError
from searchlib.indexing import schema as f
from searchlib.indexing.column_readers import column_reader
from searchlib.models import ENTITY_TYPES, EntityList, EntitySummary, NameCount, TypeVote


def count_entities(
    reader: IndexReader, *, kind: str | None = None, limit: int = 20, resolution: EntityLookup | None = None
) -> EntityList:
    """The ``limit`` entities named by most articles, most first (ties by name), with the type
    votes ``resolution`` counted for each (all for its type when it recorded none)."""
    if kind is not None and kind not in ENTITY_TYPES:
        raise UsageError(f"unknown entity type {kind!r}: choose from {', '.join(ENTITY_TYPES)}")
    if limit < 1:
        raise UsageError(f"limit must be a whole number from 1 up, not {limit!r}")
    entities: Counter[tuple[str, str]] = Counter()
    variants: Counter[tuple[str, str, str]] = Counter()
    # An empty index's reader has no columns at all (and no documents to read them for).
    names = column_reader(reader, f.ENTITIES) if reader.doc_count_all() else {}
    forms = column_reader(reader, f.ENTITY_VARIANTS) if reader.doc_count_all() else {}
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
            votes=_votes(resolution, t, n, count),
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


def _votes(resolution: EntityLookup | None, kind: str, name: str, articles: int) -> tuple[TypeVote, ...]:
    found = resolution.entity(kind, name) if resolution is not None else None
    if found is None:
        return (TypeVote(kind, articles),)
    return tuple(TypeVote(t, n) for t, n in found.votes)
