"""Building the index from a folder of articles.

A build reads every article file, extracts entities in batches, writes a new generation of the
index and switches to it atomically (see ``store``), so searches keep working on the old index
until the new one is complete. Files that are not articles are reported with a reason and
skipped; they never stop a build.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from searchlib import schema as f
from searchlib.articles import DEFAULT_MAX_BYTES, article_from_bytes, iter_article_paths, read_article_bytes
from searchlib.errors import ArticleError
from searchlib.models import ENTITY_TYPES, Article, BuildReport, Entity, SkippedFile
from searchlib.store import new_generation, switch_to

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(files_done, files_total)`` while a build runs."""

BATCH_SIZE = 64


class Extractor(Protocol):
    """Anything that finds the entities of many texts at once (``EntityExtractor``)."""

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]: ...


@dataclass(frozen=True)
class LoadedArticle:
    """An article read from disk with the hash of its bytes."""

    article: Article
    content_hash: str


def build_index(
    corpus_dir: Path,
    *,
    index_dir: Path,
    extractor: Extractor | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limitmb: int = 256,
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Index every article under ``corpus_dir`` into a new generation of ``index_dir``.

    ``extractor`` defaults to spaCy's English NER; pass another (or a stub in tests of other
    behaviour) to change how entities are found.
    """
    started = time.perf_counter()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    paths = list(iter_article_paths(corpus_dir))
    if extractor is None:
        from searchlib.entities import EntityExtractor

        extractor = EntityExtractor()
    ix, generation = new_generation(index_dir)
    writer = ix.writer(limitmb=limitmb)
    skipped: list[SkippedFile] = []
    warnings: list[SkippedFile] = []
    seen_ids: set[str] = set()
    added = 0
    done = 0
    try:
        for batch in _chunks(paths, BATCH_SIZE):
            loaded = []
            for path in batch:
                item = _load(path, max_bytes=max_bytes, skipped=skipped, warnings=warnings)
                if item is None:
                    continue
                if item.article.id in seen_ids:
                    skipped.append(SkippedFile(str(path), f"duplicate id {item.article.id!r}"))
                    continue
                seen_ids.add(item.article.id)
                loaded.append(item)
            found = extractor.extract([item.article.text for item in loaded]) if loaded else []
            for item, entities in zip(loaded, found, strict=True):
                writer.add_document(**article_document(item.article, entities, item.content_hash))
                added += 1
            done += len(batch)
            if progress:
                progress(done, len(paths))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    switch_to(index_dir, generation, corpus_dir=corpus_dir.resolve())
    return BuildReport(
        index_dir=str(index_dir),
        corpus_dir=str(corpus_dir),
        added=added,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
        rebuilt=True,
    )


def article_document(article: Article, entities: Iterable[Entity], content_hash: str) -> dict[str, Any]:
    """The Whoosh document for one article and its entities."""
    by_type: dict[str, list[str]] = {kind: [] for kind in ENTITY_TYPES}
    entity_list = list(entities)
    for entity in entity_list:
        by_type[entity.type].append(entity.name)
    doc: dict[str, Any] = {
        f.ID: article.id,
        f.PATH: str(article.path),
        f.CONTENT_HASH: content_hash,
        f.BODY: article.body,
        f.ENTITIES: [(e.type, e.name) for e in entity_list],
        f.ENTITY_TEXT: f.join_values([e.name for e in entity_list]),
        f.INDEXED_AT: datetime.now(UTC).replace(tzinfo=None),
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
    for kind, names in by_type.items():
        if names:
            doc[f.FACET_FIELD[kind]] = f.keyword_value(names)
            doc[f.NAME_TEXT_FIELD[kind]] = f.join_values(names)
    return doc


def content_hash(data: bytes) -> str:
    """A short, collision-resistant fingerprint of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _load(
    path: Path, *, max_bytes: int, skipped: list[SkippedFile], warnings: list[SkippedFile]
) -> LoadedArticle | None:
    """Read one file, recording why it was skipped or what was odd about it."""
    try:
        data = read_article_bytes(path, max_bytes=max_bytes)
        article = article_from_bytes(data, path=path)
    except ArticleError as exc:
        skipped.append(SkippedFile(str(path), str(exc)))
        return None
    warnings.extend(SkippedFile(str(path), note) for note in article.warnings)
    return LoadedArticle(article, content_hash(data))


def _chunks(items: Sequence[Path], size: int) -> Iterator[Sequence[Path]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
