"""Build and update speed of searchlib source trees, side by side on one corpus.

``python -m bench.versions CORPUS --entities-from NER-INDEX --tree before=/tmp/before
--tree after=/tmp/after [--builds 1] [--updates 5] [--added 3] [--work DIR]``

A tree is a folder holding a ``searchlib`` package (``git archive COMMIT searchlib | tar -x -C
/tmp/before``). The corpus is linked file by file into the work folder (the updates add
articles to it), and each tree builds its own index of it (``--builds`` times, each into an
empty folder), then updates that index: ``--updates``
times with nothing changed, then ``--added`` times after 100 new generated articles were
written, every tree updating after each batch. Every build and update runs in a fresh
interpreter whose ``searchlib`` is the tree's; the trees take turns, in the other order every
round, so that a change in the machine's load falls on both. Entities come from the bench's
stand-in (``standin.py``: the names an NER-built index holds, looked up by dictionary), made
once here and handed to every tree, so that every version reads the same entities.

Each step reports its wall time and the CPU time of its process and of the processes it
started and waited for (the writers, the reading pool): on two cores, the CPU a build spends is
what bounds it. The table gives the median and the range of each step per tree.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.standin import GazetteerExtractor
from bench.trees import run_in_tree, sources_of

UPDATE_ARTICLES = 100
"""Articles each update with new articles adds."""
FIRST_ADDED = 900_000
"""Number of the first generated article added (``corpus.generate``'s ``start``): far past a
bench corpus's own."""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, help="a folder of articles (a bench corpus)")
    parser.add_argument(
        "--entities-from", type=Path, help="a searchlib index whose entities feed the stand-in"
    )
    parser.add_argument("--tree", action="append", default=[], help="LABEL=PATH of a searchlib source tree")
    parser.add_argument("--builds", type=int, default=1, help="builds per tree")
    parser.add_argument("--updates", type=int, default=5, help="updates with nothing changed, per tree")
    parser.add_argument(
        "--added", type=int, default=3, help=f"updates adding {UPDATE_ARTICLES} articles, per tree"
    )
    parser.add_argument("--news-dev", type=Path, default=Path("../shared/corpus/news-dev"))
    parser.add_argument(
        "--work", type=Path, help="folder for the corpus copy and the indexes (default: temporary)"
    )
    parser.add_argument("--child", choices=("build", "update"), help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.work, args.index)))
        return
    if args.corpus is None or args.entities_from is None or len(args.tree) < 1:
        parser.error("give a corpus, --entities-from and at least one --tree")
    trees = [tuple(t.split("=", 1)) for t in args.tree]
    work = (args.work or Path(tempfile.mkdtemp(prefix="versions-"))).resolve()
    corpus = work / "corpus"
    if not corpus.exists():
        shutil.copytree(args.corpus, corpus, copy_function=_link_or_copy)
    names = GazetteerExtractor.from_index(args.entities_from).names
    (work / "names.pkl").write_bytes(pickle.dumps(names))
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}")
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def each_tree(step: str, label: str, round_number: int) -> None:
        order = trees if round_number % 2 == 0 else trees[::-1]
        for name, path in order:
            index = work / f"index-{name}"
            if step == "build":
                shutil.rmtree(index, ignore_errors=True)
            found = _run(path, step, work, index)
            results.setdefault((name, label), []).append(found)

    for n in range(args.builds):
        each_tree("build", "build", n)
    for n in range(args.updates):
        each_tree("update", "update, nothing changed", n + 1)
    # Here only: the synthetic corpus reads articles with this checkout's searchlib, which an
    # older tree's children (which import this module) do not have.
    from bench import corpus as synthetic

    seeds = synthetic.load_seeds(args.news_dev)
    for n in range(args.added):
        synthetic.generate(seeds, UPDATE_ARTICLES, corpus, start=FIRST_ADDED + n * UPDATE_ARTICLES)
        each_tree("update", f"update adding {UPDATE_ARTICLES}", n)
    print(f"# done {time.strftime('%H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}")
    print(report(results, articles=results[(trees[0][0], "build")][0]["articles"]))


def report(results: dict[tuple[str, str], list[dict[str, Any]]], *, articles: int) -> str:
    """The Markdown table: per step and tree, the median and range of the wall time, and the
    median CPU seconds of the step's own process and of the processes it waited for."""
    lines = [
        "| step | tree | runs | median s | min s | max s | articles/s | CPU s | CPU s (its workers) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (tree, label), runs in results.items():  # grouped by step: every tree takes each in turn
        walls = [r["seconds"] for r in runs]
        median = statistics.median(walls)
        rate = f"{articles / median:,.0f}" if label == "build" else ""
        lines.append(
            f"| {label} | {tree} | {len(runs)} | {median:.2f} | {min(walls):.2f} | {max(walls):.2f} "
            f"| {rate} "
            f"| {statistics.median(r['cpu'] for r in runs):.1f} "
            f"| {statistics.median(r['children_cpu'] for r in runs):.1f} |"
        )
    return "\n".join(lines)


def _link_or_copy(source: str, target: str) -> None:
    """A file of the corpus copy: a hard link (no bytes copied), or a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _run(tree: str, step: str, work: Path, index: Path) -> dict[str, Any]:
    """One build or update in a fresh interpreter whose ``searchlib`` comes from ``tree``."""
    return run_in_tree(tree, "bench.versions", ["--child", step, "--work", str(work), "--index", str(index)])


def _child(step: str, work: Path, index: Path) -> dict[str, Any]:
    """Build or update ``index`` from the work folder's corpus with the stand-in's entities."""
    import searchlib
    from searchlib import build_index, update_index

    extractor = GazetteerExtractor(pickle.loads((work / "names.pkl").read_bytes()))
    corpus = work / "corpus"
    started = time.perf_counter()
    if step == "build":
        report = build_index(corpus, index_dir=index, extractor=extractor)
    else:
        report = update_index(corpus, index_dir=index, extractor=extractor)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (searchlib, sys.modules[build_index.__module__], sys.modules[update_index.__module__])
    return {
        "seconds": seconds,
        "cpu": own.ru_utime + own.ru_stime,
        "children_cpu": children.ru_utime + children.ru_stime,
        "articles": report.added + report.changed + report.unchanged,
        "sources": sources_of(used),
    }


if __name__ == "__main__":
    main()
