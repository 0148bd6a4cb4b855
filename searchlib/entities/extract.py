"""Named entities (people, organisations, places, other names) of articles, as indexing uses them.

``EntityExtractor`` is the one object the indexer, ``searchlib update`` and
``bench/ner_eval.py`` share. For each text it takes the raw spaCy spans from the cache when the
text was seen before (``entity_cache``), else from NER (``ner``, batched, across processes);
cleans them into typed mentions (``mentions``); and reduces those to one entity per real thing
with canonical names and aliases (``canonical``). spaCy is imported only when a text actually
needs NER, never to answer a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from searchlib.articles.furniture import furniture_regions
from searchlib.entities.aliases import AliasTable, load_aliases
from searchlib.entities.cache import EntityCache, text_key
from searchlib.entities.canonical import canonicalise
from searchlib.entities.mentions import SpanLabel, tidy_mentions
from searchlib.entities.ner import DEFAULT_MODEL, NER_VERSION, ParallelMentionFinder
from searchlib.models import ArticleEntity, Mention


class SpanFinder(Protocol):
    """Runs NER on many texts: ``ParallelMentionFinder`` here, ``ClusterMentionFinder`` on Dask."""

    def find(self, texts: Sequence[str]) -> list[list[SpanLabel]]: ...

    def close(self) -> None: ...


class EntityExtractor:
    """Finds the entities of many texts at once.

    ``aliases`` defaults to the shipped starter file; ``cache_path`` (an SQLite file, usually
    ``index/entity-cache.sqlite``) keeps NER output across builds; ``processes`` NER workers
    share the texts that are not cached, unless another ``finder`` (a cluster's) is given.
    ``ner_texts`` counts the texts that went through the NER model and ``cached_texts`` those
    answered from the cache, so a caller can see what a build cost. Use it as a context manager,
    or call ``close``, to stop the workers.
    """

    def __init__(
        self,
        *,
        aliases: AliasTable | None = None,
        cache_path: Path | str | None = None,
        model: str = DEFAULT_MODEL,
        processes: int = 2,
        batch_size: int = 32,
        finder: SpanFinder | None = None,
    ) -> None:
        self.aliases = aliases if aliases is not None else load_aliases()
        self.cache_path = Path(cache_path) if cache_path is not None else None
        self.model = model
        self.ner_texts = 0
        self.cached_texts = 0
        self._finder = finder or ParallelMentionFinder(
            processes=processes, model=model, batch_size=batch_size
        )
        self._cache: EntityCache | None = None
        self.furniture: frozenset[int] = frozenset()
        """Keys of the archive's page-furniture lines (``articles.furniture``), set by the
        indexer from the whole archive: the lines of a text they name give no entities."""

    def __enter__(self) -> EntityExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop NER worker processes and close the cache, if either was opened."""
        self._finder.close()
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    @property
    def fingerprint(self) -> str:
        """Names what decides this extractor's output: the model, the NER version, the rules and
        the aliases. The index records it; ``searchlib update`` finds every article's entities
        again when it changes, from the cache, so a changed aliases file costs no NER."""
        return f"{self.model}/{NER_VERSION}/aliases-{self.aliases.fingerprint}"

    def extract(self, texts: Sequence[str]) -> list[tuple[ArticleEntity, ...]]:
        """The entities of each text, in order, each once, under canonical names."""
        return [self.canonical(mentions) for mentions in self.mentions(texts)]

    def canonical(self, mentions: Sequence[Mention]) -> tuple[ArticleEntity, ...]:
        """One text's mentions as entities, with this extractor's aliases applied."""
        from searchlib.entities.gazetteer import load_gazetteer

        return canonicalise(mentions, self.aliases, gazetteer=load_gazetteer())

    def mentions(self, texts: Sequence[str]) -> list[tuple[Mention, ...]]:
        """Every mention of each text, in order, cleaned and typed (before canonical names)."""
        from searchlib.entities.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
        return [
            tidy_mentions(
                text,
                spans,
                gazetteer=gazetteer,
                aliases=self.aliases,
                ignore=furniture_regions(text, self.furniture),
            )
            for text, spans in zip(texts, self.raw_spans(texts), strict=True)
        ]

    def raw_spans(self, texts: Sequence[str]) -> list[list[SpanLabel]]:
        """What the NER model finds in each text: from the cache if it was seen before."""
        cache = self._open_cache()
        keys = [text_key(text) for text in texts]
        known = cache.get_many(keys) if cache is not None else {}
        todo = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
        if todo:
            found = dict(zip(todo, self._finder.find(list(todo.values())), strict=True))
            self.ner_texts += len(found)
            if cache is not None:
                cache.put_many(found)
            known.update(found)
        self.cached_texts += len(texts) - len(todo)
        return [known[key] for key in keys]

    @property
    def finder(self) -> SpanFinder:
        """What runs NER on the texts the cache does not know."""
        return self._finder

    @property
    def cache(self) -> EntityCache | None:
        """The NER cache (opened on first use), or None without a ``cache_path``."""
        return self._open_cache()

    def _open_cache(self) -> EntityCache | None:
        if self._cache is None and self.cache_path is not None:
            self._cache = EntityCache(self.cache_path, version=f"{self.model}/{NER_VERSION}")
        return self._cache
