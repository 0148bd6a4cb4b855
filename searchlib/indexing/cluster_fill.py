"""Before a build or update on a Dask cluster: find the entities of every article that needs
them on the cluster, into the entity cache; the index is then written here as always.

A build hands the extractor 64 articles at a time and writes them before reading more, which
suits two local processes but would leave a cluster of many workers waiting on each batch. So
the corpus is first read once to keep every worker busy (``cluster.fill_cache``) and the
ordinary build that follows finds every article's spans in the cache, writing at the speed of
a build from cached entities. Reading the files twice costs little beside NER; the texts are
cut and keyed exactly as the build cuts them (``build.LoadRun``, ``MAX_ENTITY_CHARS``), so the
build asks the cluster again only for a file that changed in between.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from searchlib.articles.fields import FieldMap
from searchlib.errors import UsageError
from searchlib.indexing.build import MAX_ENTITY_CHARS, Extractor, LoadRun
from searchlib.indexing.filetable import FileTable, count_articles, iter_scan

if TYPE_CHECKING:
    from searchlib.entities.cluster import ClusterProgress, FillReport


def fill_on_cluster(
    corpus_dir: Path,
    *,
    extractor: Extractor,
    max_bytes: int,
    fields: FieldMap | None = None,
    indexed: FileTable | None = None,
    progress: ClusterProgress | None = None,
    follow_links: bool = False,
) -> FillReport:
    """Put the NER spans of every article of ``corpus_dir`` into ``extractor``'s cache, found on
    its cluster; files that ``indexed`` records with the same size and mtime are left out (an
    update will not look at them)."""
    from searchlib.entities.cluster import ClusterMentionFinder, fill_cache
    from searchlib.entities.extract import EntityExtractor

    finder = extractor.finder if isinstance(extractor, EntityExtractor) else None
    cache = extractor.cache if isinstance(extractor, EntityExtractor) else None
    if not isinstance(finder, ClusterMentionFinder) or cache is None:
        raise UsageError(
            "a cluster finds entities with searchlib's own extractor: give a cluster or an extractor"
        )
    corpus_dir = Path(corpus_dir)
    return fill_cache(
        _entity_texts(
            corpus_dir,
            run=LoadRun(max_bytes=max_bytes, fields=fields, follow_links=follow_links),
            indexed=indexed,
        ),
        finder=finder,
        cache=cache,
        total=count_articles(corpus_dir),
        progress=progress,
    )


def _entity_texts(corpus_dir: Path, *, run: LoadRun, indexed: FileTable | None) -> Iterator[str | None]:
    """The text NER will see for each article (every record of a JSON Lines, CSV or WARC
    file), or None for a file that needs none (unchanged since ``indexed``, or not an article)."""
    for stat in iter_scan(corpus_dir, follow_links=run.follow_links):
        entry = indexed.entries.get(stat.id) if indexed is not None else None
        if entry is not None and entry.matches(stat):
            yield None
            continue
        loaded = False
        for item in run.load_all(stat):
            loaded = True
            yield item.article.text[:MAX_ENTITY_CHARS]
        if not loaded:
            yield None
