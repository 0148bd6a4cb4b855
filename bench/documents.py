"""Articles with their entities, for the peers: the same parsing and the same entities searchlib indexes."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from searchlib import Article, Entity, SearchlibError
from searchlib.articles.textfile import iter_article_paths, read_article
from searchlib.indexing.build import Extractor

FACET_TYPES = ("person", "org", "place")


def iter_documents(
    corpus_dir: Path, extractor: Extractor, batch: int = 256
) -> Iterator[tuple[Article, tuple[Entity, ...]]]:
    """Each readable article under ``corpus_dir`` with its entities."""
    paths = iter_article_paths(corpus_dir)
    while chunk := list(islice(paths, batch)):
        articles = []
        for path in chunk:
            try:
                articles.append(read_article(path))
            except SearchlibError:
                continue
        yield from zip(articles, extractor.extract([a.text for a in articles]), strict=True)


def names_by_type(entities: tuple[Entity, ...]) -> dict[str, list[str]]:
    """The names of each facet type (person, org, place)."""
    out: dict[str, list[str]] = {kind: [] for kind in FACET_TYPES}
    for entity in entities:
        if entity.type in out:
            out[entity.type].append(entity.name)
    return out
