"""Articles per second of searchlib's entity extraction on a folder of articles: cold, then cached.

    python bench/ner_speed.py ../shared/corpus/news-dev [--processes 2] [--limit N]

Reads the articles as indexing does, then runs ``EntityExtractor.extract`` (exactly what a build
runs) over them in the indexer's batches with a fresh cache in a temporary folder: first every
text goes through NER (cold), then the same texts again come from the cache. Model loading is
timed apart. Besides wall-clock rates it prints the CPU time spent (this process and the NER
workers), so a run on a busy shared machine still says what one core does. Run by hand; both
cores are used with ``--processes 2``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from searchlib.articles.textfile import article_from_bytes, iter_article_paths
from searchlib.entities.cache import CACHE_FILE
from searchlib.entities.extract import EntityExtractor
from searchlib.indexing.build import BATCH_SIZE, MAX_ENTITY_CHARS


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
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / CACHE_FILE
        extractor = EntityExtractor(cache_path=cache, processes=args.processes)
        started = time.perf_counter()
        extractor.extract(texts[:1])  # loads the model here (one text starts no workers)
        load = time.perf_counter() - started
        cpu_before = _cpu()
        cold = _timed(extractor, texts[1:])
        extractor.close()  # the workers exit, so their CPU time counts as our children's
        cold_cpu = _cpu() - cpu_before
        extractor = EntityExtractor(cache_path=cache, processes=args.processes)
        cached = _timed(extractor, texts[1:])
        extractor.close()
        assert extractor.ner_texts == 0, "the second pass should come from the cache"
    n = len(texts) - 1
    print(f"articles: {len(texts):,}  processes: {args.processes}  model load: {load:.1f} s")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print(f"cold (NER):   {n:,} articles in {cold:7.1f} s = {n / cold:8.1f} articles/s")
    print(f"              {cold_cpu:.1f} CPU-s (with worker model loads) = {n / cold_cpu:.1f} articles/CPU-s")
    print(f"cached:       {n:,} articles in {cached:7.1f} s = {n / cached:8.1f} articles/s")
    return 0


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the NER workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(extractor: EntityExtractor, texts: list[str]) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), BATCH_SIZE):
        extractor.extract(texts[start : start + BATCH_SIZE])
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
