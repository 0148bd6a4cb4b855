"""``python -m bench``: build, update and query searchlib and its peers on the same corpora; print one table.

Everything is written to a temporary folder that is deleted at the end (``--keep`` keeps it).
Each build and each series of queries runs in a fresh process, measured there.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus as synthetic
from bench import formats_build
from bench import workload as distinct_workload
from bench.distinct import distinct_series, mixed_series
from bench.measure import folder_mb, in_child, query_series
from bench.queries import BenchQuery, load_queries
from bench.report import Row, table
from bench.slow_cases import slow_cases
from bench.standin import GazetteerExtractor

NEWS_DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "news-dev"
ENGINES = {
    "searchlib": "engine_searchlib",
    "searchlib-untabled": "engine_searchlib_untabled",
    "whoosh": "engine_whoosh",
    "fts5": "engine_fts5",
    "tantivy": "engine_tantivy",
}
SIZES = {"dev": 0, "30k": 30_000, "100k": 100_000, "1m": 1_000_000}
UPDATE_SIZE = "100k"
NEW_ARTICLES = 100
MIXED_ARTICLES = 1_000


def main() -> None:
    args = _arguments()
    work = Path(args.work or tempfile.mkdtemp(prefix="searchlib-bench-"))
    queries = load_queries()
    notes: list[str] = [_machine("start")]
    rows: list[Row] = []
    try:
        extractor = _entities(args, work, notes)
        seeds = synthetic.load_seeds(args.news_dev)
        workload = _workload(seeds, extractor, args, notes)
        for size in args.sizes.split(","):
            corpus_dir = _corpus(size, args.news_dev, seeds, work, notes)
            for key in args.engines.split(","):
                if key == "whoosh" and SIZES[size] > args.whoosh_max:
                    notes.append(f"{size}: plain Whoosh skipped (over --whoosh-max {args.whoosh_max:,})")
                    continue
                rows.append(
                    _engine_row(key, size, corpus_dir, work, extractor, (queries, workload), args, notes)
                )
                print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)  # progress
            if "searchlib" in args.engines.split(","):
                index_dir = work / f"{size}-searchlib"
                _note(notes, _cold_cli(size, index_dir, queries, args.cold_runs))
                if "searchlib-untabled" in args.engines.split(","):
                    untabled = work / f"{size}-searchlib-untabled"
                    _note(notes, _cold_cli(size, untabled, queries, args.cold_runs) + " (no posting tables)")
                    pair = {"with tables": index_dir, "without": untabled}
                    _note(notes, *(f"{size} {line}" for line in slow_cases(pair)))
                if size == UPDATE_SIZE:
                    _note(notes, *_updates(index_dir, corpus_dir, seeds, extractor))
                if size in args.jsonl_sizes.split(","):
                    notes.extend(formats_build.measure(size, corpus_dir, work, extractor))
                if size == UPDATE_SIZE and args.mixed:
                    _note(notes, *_mixed(index_dir, corpus_dir, seeds, extractor, workload))
            _tidy(work, size, keep=args.keep)
    finally:
        notes.append(_machine("end"))
        print(table(rows))
        print()
        print("\n".join(f"- {note}" for note in notes))
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


def _note(notes: list[str], *lines: str) -> None:
    """Keep ``lines`` for the end, and show them now (a 100k run takes a while)."""
    notes.extend(lines)
    for line in lines:
        print(f"- {line}", file=sys.stderr, flush=True)


def _machine(when: str) -> str:
    """Cores and load: the machine is shared, and a loaded one slows every engine alike."""
    one, five, _fifteen = os.getloadavg()
    clock = time.strftime("%H:%M:%S")
    return f"{when}: {clock}, {os.cpu_count()} cores, load average {one:.1f} (5 min {five:.1f})"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes", default="dev,30k,100k", help="corpora: dev (news-dev itself), 30k, 100k, 1m"
    )
    parser.add_argument("--engines", default=",".join(ENGINES), help="searchlib,whoosh,fts5,tantivy")
    parser.add_argument("--news-dev", type=Path, default=NEWS_DEV, help="the real articles to start from")
    parser.add_argument(
        "--ner-articles",
        type=int,
        default=None,
        help="news-dev articles for the NER build (default: all of them, so that spaCy's start-up "
        "is not counted as throughput; 0: skip)",
    )
    parser.add_argument(
        "--entities-from", type=Path, help="a searchlib index whose entities feed the stand-in"
    )
    parser.add_argument(
        "--passes",
        type=int,
        default=2,
        help="timed passes over the fixed, repeated queries (after one warm-up); 0: skip them",
    )
    parser.add_argument(
        "--distinct", type=int, default=distinct_workload.TIMED, help="distinct queries timed once each"
    )
    parser.add_argument(
        "--no-mixed",
        dest="mixed",
        action="store_false",
        help=f"skip the workload run during an update adding {MIXED_ARTICLES:,} articles ({UPDATE_SIZE})",
    )
    parser.add_argument("--cold-runs", type=int, default=10, help="whole `search` processes per corpus")
    parser.add_argument("--whoosh-max", type=int, default=5_000, help="largest corpus for plain Whoosh")
    parser.add_argument(
        "--jsonl-sizes", default="dev,30k", help="corpora also built from JSON Lines, beside .txt"
    )
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary one, deleted after)")
    parser.add_argument("--keep", action="store_true", help="keep corpora and indexes")
    return parser.parse_args()


def _entities(args: argparse.Namespace, work: Path, notes: list[str]) -> GazetteerExtractor:
    """Build with real NER on news-dev (or its first N articles); the stand-in takes its names from that."""
    source = args.entities_from
    if args.ner_articles != 0:
        sample = work / "ner-corpus"
        sample.mkdir(parents=True, exist_ok=True)
        for path in sorted(args.news_dev.glob("*.txt"))[: args.ner_articles]:
            shutil.copy(path, sample / path.name)
        source = work / "ner-index"
        from bench import engine_searchlib

        timed = in_child(engine_searchlib.build, sample, source, None)
        notes.append(
            f"build with NER (spaCy, searchlib's extractor), {timed.value:,} news-dev articles: "
            f"{timed.value / timed.seconds:,.1f} articles/s, peak RSS {timed.peak_rss_mb:,.0f} MB"
        )
    if source is None:
        raise SystemExit("bench: pass --entities-from INDEX when --ner-articles is 0")
    extractor = GazetteerExtractor.from_index(source)
    notes.append(f"entities 'cached': {extractor.label} ({len(extractor.names):,} names from {source.name})")
    return extractor


def _corpus(size: str, news_dev: Path, seeds: list[synthetic.Seed], work: Path, notes: list[str]) -> Path:
    if SIZES[size] == 0:
        return news_dev
    out = work / f"corpus-{size}"
    if not out.exists():
        started = time.perf_counter()
        synthetic.generate(seeds, SIZES[size], out)
        notes.append(f"{size}: generated {SIZES[size]:,} articles in {time.perf_counter() - started:.0f} s")
    return out


def _engine_row(
    key: str,
    size: str,
    corpus_dir: Path,
    work: Path,
    extractor: GazetteerExtractor,
    queries: tuple[list[BenchQuery], distinct_workload.Workload],
    args: argparse.Namespace,
    notes: list[str],
) -> Row:
    """Build, then the distinct workload and the repeated queries, each in a fresh process."""
    module = importlib.import_module(f"bench.{ENGINES[key]}")
    out = work / f"{size}-{key}"
    shutil.rmtree(out, ignore_errors=True)
    built = in_child(module.build, corpus_dir, out, extractor)
    builds = getattr(module, "BUILDS", True)
    fixed, workload = queries
    distinct = in_child(
        distinct_series, module.__name__, out, list(workload.warm_up), list(workload.timed)
    ).value
    notes.append(f"{size} {module.NAME}: slowest distinct queries {distinct.slowest}")
    latency = None
    if args.passes:
        latency, slowest = in_child(query_series, module.__name__, out, fixed, args.passes).value
        notes.append(f"{size} {module.NAME}: slowest repeated queries {slowest}")
    return Row(
        size,
        module.NAME,
        built.value,
        built.value / built.seconds if builds else float("nan"),
        built.peak_rss_mb if builds else float("nan"),
        folder_mb(out),
        latency,
        distinct,
    )


def _cold_cli(size: str, index_dir: Path, queries: list[BenchQuery], runs: int) -> str:
    """Median wall time of whole ``search`` processes, cycling through the queries."""
    command = Path(sys.executable).with_name("search")
    times = []
    for i in range(runs):
        query = queries[(i * 7) % len(queries)].raw
        started = time.perf_counter()
        subprocess.run(
            [str(command), "--index", str(index_dir), "--color", "never", query],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    median, worst = statistics.median(times), max(times)
    return f"{size}: cold `search` CLI, median of {runs} processes: {median:.2f} s (max {worst:.2f} s)"


def _updates(
    index_dir: Path, corpus_dir: Path, seeds: list[synthetic.Seed], extractor: GazetteerExtractor
) -> list[str]:
    """An unchanged update, then one that adds new articles."""
    from bench import engine_searchlib

    unchanged = in_child(engine_searchlib.update, corpus_dir, index_dir, extractor)
    synthetic.generate(seeds, NEW_ARTICLES, corpus_dir, start=SIZES[UPDATE_SIZE])
    added = in_child(engine_searchlib.update, corpus_dir, index_dir, extractor)
    return [
        f"update of the unchanged {UPDATE_SIZE} corpus: {unchanged.seconds:.1f} s ({unchanged.value})",
        f"update adding {NEW_ARTICLES} new articles to the {UPDATE_SIZE} index: {added.seconds:.1f} s "
        f"({added.value})",
    ]


def _workload(
    seeds: list[synthetic.Seed],
    extractor: GazetteerExtractor,
    args: argparse.Namespace,
    notes: list[str],
) -> distinct_workload.Workload:
    """The distinct queries, made from news-dev and the entity names of the stand-in."""
    workload = distinct_workload.make_workload(seeds, extractor.names, timed=args.distinct)
    notes.append(
        f"distinct workload: {len(workload.timed):,} queries timed once each after "
        f"{len(workload.warm_up)} others as warm-up ({distinct_workload.summarise_kinds(workload.kinds)})"
    )
    return workload


def _mixed(
    index_dir: Path,
    corpus_dir: Path,
    seeds: list[synthetic.Seed],
    extractor: GazetteerExtractor,
    workload: distinct_workload.Workload,
) -> list[str]:
    """The distinct workload on a searcher while ``update_index`` adds ``MIXED_ARTICLES`` articles."""
    synthetic.generate(seeds, MIXED_ARTICLES, corpus_dir, start=SIZES[UPDATE_SIZE] + NEW_ARTICLES)
    mixed = in_child(
        mixed_series,
        index_dir,
        corpus_dir,
        extractor,
        list(workload.warm_up),
        list(workload.timed),
        MIXED_ARTICLES,
    ).value
    during = mixed.during
    timing = (
        f"p50 {during.wall.p50:.1f} ms, p95 {during.wall.p95:.1f} ms, p99 {during.wall.p99:.1f} ms, "
        f"max {during.wall.max:.1f} ms (CPU p95 {during.cpu.p95:.1f} ms)"
        if during
        else "no query finished during the update"
    )
    seen = (
        f"first new article found {mixed.first_seen_s:.1f} s after the update started, all "
        f"{mixed.added:,} after {mixed.all_seen_s:.1f} s"
        if mixed.first_seen_s is not None and mixed.all_seen_s is not None
        else "the new articles were not all found"
    )
    return [
        f"{UPDATE_SIZE} during an update adding {MIXED_ARTICLES:,} articles ({mixed.update_result}, "
        f"{mixed.update_seconds:.1f} s): {mixed.queries:,} distinct queries, refresh before each: "
        f"{timing}; {mixed.errors} errors; {seen}"
    ]


def _tidy(work: Path, size: str, *, keep: bool) -> None:
    """Drop a corpus's indexes and generated files once measured: disk space matters at 1M."""
    if keep:
        return
    for path in work.glob(f"{size}-*"):
        shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(work / f"corpus-{size}", ignore_errors=True)


if __name__ == "__main__":
    main()
