"""Build rate from JSON Lines beside the one from ``.txt`` files: the same articles both ways.

The ``.txt`` corpus is converted once (not timed) into one JSON Lines file of news-please's
keys, and both are built in fresh processes one after the other, with the same extractor, so
the two rates are measured side by side under the same load (``python -m bench``).

``python -m bench.formats_build --stream-mb 1024`` reads a generated CSV and JSON Lines file of
that size into articles, without indexing them, and prints the records read per second and the
peak memory: a file of any size must be read in memory bounded by one record.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from bench import engine_searchlib
from bench.measure import in_child
from searchlib.articles.fields import FieldMap
from searchlib.articles.formats import open_container
from searchlib.articles.textfile import DEFAULT_MAX_BYTES, iter_article_paths, read_article
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


def stream(path: Path) -> str:
    """Read every record of a file of many into an article; records/s and peak RSS."""
    started = time.perf_counter()
    count = 0
    for record in open_container(path, fields=FieldMap(), max_bytes=DEFAULT_MAX_BYTES):
        if not record.error and record.read().body:
            count += 1
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = path.stat().st_size / 1e6
    return (
        f"{path.name}: {size_mb:,.0f} MB, {count:,} records in {seconds:.1f} s "
        f"({count / seconds:,.0f} records/s, {size_mb / seconds:.1f} MB/s), peak RSS {peak_mb:,.0f} MB"
    )


def write_large(folder: Path, megabytes: int) -> list[Path]:
    """A CSV (multi-line quoted bodies) and a JSON Lines file of about ``megabytes`` each."""
    body = "\n\n".join(["Officials in Basra said on Tuesday that the port had reopened, " * 12] * 4)
    rows = megabytes * 1_000_000 // (len(body) + 120)
    csv_path, jsonl_path = folder / "large.csv", folder / "large.jsonl"
    with (
        csv_path.open("w", encoding="utf-8", newline="") as out_csv,
        jsonl_path.open("w", encoding="utf-8") as out,
    ):
        writer = csv.writer(out_csv)
        writer.writerow(["id", "title", "date", "publication", "url", "content"])
        for n in range(rows):
            url = f"https://archive.example/{n}"
            writer.writerow([n, f"Port story {n}", "2017-01-01", "Basra Times", url, body])
            record = {"title": f"Port story {n}", "maintext": body, "date_publish": "2017-01-01", "url": url}
            out.write(json.dumps(record) + "\n")
    return [csv_path, jsonl_path]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.formats_build", description=__doc__)
    parser.add_argument("--stream-mb", type=int, default=1024, help="size of each generated file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="searchlib-stream-"))
    try:
        for path in write_large(folder, args.stream_mb):
            print(in_child(stream, path).value)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
