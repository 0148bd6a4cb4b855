"""Articles per second of searchlib's entity extraction on a folder of articles: cold, then cached.

    python bench/ner_speed.py ../shared/corpus/news-dev [--processes 2] [--limit N]

Reads the articles as indexing does, then runs ``EntityExtractor.extract`` (exactly what a build
runs) over them in the indexer's batches with a fresh cache in a temporary folder: first every
text goes through NER (cold), then the same texts again come from the cache. Model loading is
timed apart. Run by hand; both cores are used with ``--processes 2``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from searchlib.articles import article_from_bytes, iter_article_paths
from searchlib.entities import EntityExtractor
from searchlib.entity_cache import CACHE_FILE
from searchlib.indexer import BATCH_SIZE, MAX_ENTITY_CHARS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args(argv)
    paths = sorted(iter_article_paths(args.corpus))
    if args.limit:
        paths = paths[: args.limit]
    texts = [article_from_bytes(p.read_bytes(), path=p).text[:MAX_ENTITY_CHARS] for p in paths]
    with (
        tempfile.TemporaryDirectory() as tmp,
        EntityExtractor(cache_path=Path(tmp) / CACHE_FILE, processes=args.processes) as extractor,
    ):
        started = time.perf_counter()
        extractor.extract(texts[:1])  # loads the model (and starts no workers: one text)
        load = time.perf_counter() - started
        cold = _timed(extractor, texts[1:])
        cached = _timed(extractor, texts[1:])
        assert extractor.ner_texts == len(set(texts)), "the second pass should come from the cache"
    n = len(texts) - 1
    print(f"articles: {len(texts):,}  processes: {args.processes}  model load: {load:.1f} s")
    print(f"cold (NER):   {n:,} articles in {cold:7.1f} s = {n / cold:8.1f} articles/s")
    print(f"cached:       {n:,} articles in {cached:7.1f} s = {n / cached:8.1f} articles/s")
    return 0


def _timed(extractor: EntityExtractor, texts: list[str]) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), BATCH_SIZE):
        extractor.extract(texts[start : start + BATCH_SIZE])
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
