"""Facet counts: how many matching articles have each source, year, person, organisation, place.

Counted over every match of a query, not only the page shown, in one unscored pass over the
matching document numbers: from a ``FacetTable`` of value codes when the searcher has one (a
few array operations, whatever the number of matches), else from the per-document columns.
Following datasette, a facet lists its top values and says whether more exist (``truncated``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader

from searchlib.errors import UsageError
from searchlib.indexing import schema as f
from searchlib.indexing.column_readers import column_reader
from searchlib.indexing.facet_tables import FacetTable, top_values
from searchlib.models import ENTITY_TYPES, Facet, FacetValue


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its public name, its label, the column it counts, and how it sorts."""

    name: str
    label: str
    column: str
    chronological: bool = False


FACETS: dict[str, FacetSpec] = {
    spec.name: spec
    for spec in (
        FacetSpec("source", "Sources", f.SOURCE),
        FacetSpec("year", "Years", f.YEAR, chronological=True),
        FacetSpec("month", "Months", f.MONTH, chronological=True),
        FacetSpec("person", "People", f.ENTITIES),
        FacetSpec("org", "Organisations", f.ENTITIES),
        FacetSpec("place", "Places", f.ENTITIES),
        FacetSpec("misc", "Other names", f.ENTITIES),
    )
}
DEFAULT_FACETS: tuple[str, ...] = ("source", "year", "person", "org", "place")


def check_facet_names(names: Iterable[str]) -> tuple[str, ...]:
    """The names, validated; ``UsageError`` names the ones that do not exist."""
    names = tuple(names)
    unknown = [n for n in names if n not in FACETS]
    if unknown:
        raise UsageError(f"unknown facet {unknown[0]!r}: choose from {', '.join(FACETS)}")
    return names


def count_facets(
    reader: IndexReader,
    docnums: Collection[int],
    names: Sequence[str],
    *,
    limit: int = 10,
    selected: Mapping[str, Collection[str]] | None = None,
    table: FacetTable | None = None,
) -> tuple[Facet, ...]:
    """Count each named facet over ``docnums``, keeping the top ``limit`` values of each."""
    selected = selected or {}
    names = check_facet_names(names)
    if table is not None:
        ranked = _rank_table(table, docnums, names, limit)
    else:
        counters = _count(reader, docnums, names)
        ranked = {name: _rank(counters[name], FACETS[name].chronological, limit) for name in names}
    facets = []
    for name in names:
        ordered, truncated = ranked[name]
        chosen = set(selected.get(name, ()))
        values = tuple(FacetValue(value, count, value in chosen) for value, count in ordered)
        facets.append(Facet(name, FACETS[name].label, values, truncated=truncated))
    return tuple(facets)


def _rank(counter: Counter[str], chronological: bool, limit: int) -> tuple[list[tuple[str, int]], bool]:
    if chronological:
        ordered = sorted(counter.items())
    else:
        ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))
    return ordered[:limit], len(ordered) > limit


def _rank_table(
    table: FacetTable, docnums: Collection[int], names: Sequence[str], limit: int
) -> dict[str, tuple[list[tuple[str, int]], bool]]:
    if isinstance(docnums, np.ndarray):
        matches = docnums.astype(np.int64, copy=False)
    else:
        matches = np.fromiter(docnums, dtype=np.int64, count=len(docnums))
    ranked = {}
    for name in names:
        spec = FACETS[name]
        if spec.column != f.ENTITIES:
            vocab, counts = table.single_counts(spec.column, matches)
            ranked[name] = top_values(vocab, counts, limit, chronological=spec.chronological)
    wanted = [n for n in names if n in ENTITY_TYPES]
    if wanted:
        counts = table.entity_counts(matches, kinds=wanted)
        for name in wanted:
            of_kind = np.where(table.kind_mask(name), counts, 0)
            ranked[name] = top_values(table.entities, of_kind, limit, chronological=False, label=_entity_name)
    return ranked


def _entity_name(pair: tuple[str, str]) -> str:
    return pair[1]


def _count(reader: IndexReader, docnums: Collection[int], names: Sequence[str]) -> dict[str, Counter[str]]:
    counters: dict[str, Counter[str]] = {name: Counter() for name in names}
    single = [FACETS[n] for n in names if FACETS[n].column != f.ENTITIES]
    for spec in single:
        column = column_reader(reader, spec.column)
        counter = counters[spec.name]
        counter.update(column[d] for d in docnums)
        counter.pop("", None)
        counter.pop(None, None)  # type: ignore[call-overload]
    wanted = {n for n in names if n in ENTITY_TYPES}
    if wanted:
        column = column_reader(reader, f.ENTITIES)
        for docnum in docnums:
            for kind, name in column[docnum] or ():
                if kind in wanted:
                    counters[kind][name] += 1
    return counters
