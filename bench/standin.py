"""A fast stand-in for cached entities, clearly not NER.

A build "with entities cached" should cost what reading a cache costs, not what spaCy costs.
Until the index's own NER cache can be filled for a synthetic archive, the bench finds
entities with a gazetteer: the names (and their types) that real NER found in an index of
news-dev, looked up among the capitalised word runs of each text. Synthetic articles are made of
news-dev paragraphs, so they name the same people, organisations and places, about as often.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from searchlib import Entity, Searcher

_NAME_RUN = re.compile(r"[A-Z][\w'.\u2019-]*(?:\s+(?:[A-Z][\w'.\u2019-]*|al-[\w-]+|bin|of|de))*")


class GazetteerExtractor:
    """Entities by dictionary lookup: a whole capitalised run, else each of its words."""

    label = "stand-in: gazetteer from an NER-built index, not spaCy"

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    @classmethod
    def from_index(cls, index_dir: Path) -> GazetteerExtractor:
        """Every entity name in ``index_dir`` with its most frequent type."""
        votes: Counter[tuple[str, str]] = Counter()
        with Searcher(index_dir) as searcher:
            page = 1
            while True:
                results = searcher.search("", page=page, page_size=1000, facets=None, snippets=0)
                for hit in results.hits:
                    votes.update((e.name, e.type) for e in hit.entities)
                if page * 1000 >= results.total:
                    break
                page += 1
        names: dict[str, str] = {}
        for (name, kind), _count in votes.most_common():
            names.setdefault(name, kind)
        return cls(names)

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        return [self._entities(text) for text in texts]

    def _entities(self, text: str) -> tuple[Entity, ...]:
        found: dict[str, Entity] = {}
        for run in _NAME_RUN.findall(text):
            run = run.rstrip(".")
            candidates = [run] if run in self.names else run.split()
            for candidate in candidates:
                name = candidate.rstrip(".")
                kind = self.names.get(name)
                if kind and name not in found:
                    found[name] = Entity(name=name, type=kind)  # type: ignore[arg-type]
        return tuple(found.values())
