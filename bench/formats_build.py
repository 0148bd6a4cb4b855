"""Build rate from JSON Lines beside the one from ``.txt`` files: the same articles both ways.

The ``.txt`` corpus is converted once (not timed) into one JSON Lines file of news-please's
keys, and both are built in fresh processes one after the other, with the same extractor, so
the two rates are measured side by side under the same load.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench import engine_searchlib
from bench.measure import in_child
from searchlib.articles.textfile import iter_article_paths, read_article
from searchlib.errors import ArticleError
from searchlib.indexing.build import Extractor


def measure(size: str, corpus_dir: Path, work: Path, extractor: Extractor) -> list[str]:
    """One note comparing the two build rates for ``corpus_dir``."""
    jsonl_dir = work / f"{size}-jsonl-corpus"
    shutil.rmtree(jsonl_dir, ignore_errors=True)
    jsonl_dir.mkdir(parents=True)
    converted = to_jsonl(corpus_dir, jsonl_dir / "articles.jsonl")
    txt = in_child(engine_searchlib.build, corpus_dir, work / f"{size}-formats-txt", extractor)
    jsonl = in_child(engine_searchlib.build, jsonl_dir, work / f"{size}-formats-jsonl", extractor)
    for path in (jsonl_dir, work / f"{size}-formats-txt", work / f"{size}-formats-jsonl"):
        shutil.rmtree(path, ignore_errors=True)
    txt_rate, jsonl_rate = txt.value / txt.seconds, jsonl.value / jsonl.seconds
    return [
        f"{size}: build from .txt files {txt_rate:,.0f} articles/s ({txt.value:,} in {txt.seconds:.1f} s, "
        f"peak RSS {txt.peak_rss_mb:,.0f} MB); from one JSON Lines file of the same {converted:,} articles "
        f"{jsonl_rate:,.0f} articles/s ({jsonl.seconds:.1f} s, peak RSS {jsonl.peak_rss_mb:,.0f} MB): "
        f"JSON Lines/.txt = {jsonl_rate / txt_rate:.2f}"
    ]


def to_jsonl(corpus_dir: Path, out_file: Path) -> int:
    """Write every readable article of ``corpus_dir`` as a line of news-please's keys."""
    count = 0
    with out_file.open("w", encoding="utf-8") as handle:
        for path in iter_article_paths(corpus_dir):
            try:
                article = read_article(path)
            except ArticleError:
                continue
            record = {
                "title": article.title,
                "maintext": article.body,
                "date_publish": article.date.isoformat(sep=" ") if article.date else None,
                "source_domain": article.source,
                "url": f"https://archive.example/{article.id}",
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
