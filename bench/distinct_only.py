"""``python -m bench.distinct_only``: the distinct-query workload alone, on indexes already built.

For comparing two versions of searchlib (or an engine and a peer) side by side on the same
index: ``python -m bench --keep --work DIR`` builds the indexes once, then this runs the
workload of ``python -m bench`` on them, each series in a fresh process, in the order given
(interleave the versions: the machine's load changes during a run). Run it with another
checkout first on ``PYTHONPATH`` to measure that checkout's searchlib on the same index.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import corpus as synthetic
from bench import workload as distinct_workload
from bench.__main__ import ENGINES, NEWS_DEV
from bench.distinct import distinct_series
from bench.measure import in_child
from bench.standin import GazetteerExtractor


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.distinct_only", description=__doc__)
    parser.add_argument("runs", nargs="+", help="ENGINE=INDEX_DIR, e.g. searchlib=DIR/100k-searchlib")
    parser.add_argument("--entities-from", type=Path, required=True, help="the index `python -m bench` used")
    parser.add_argument("--news-dev", type=Path, default=NEWS_DEV, help="the real articles to start from")
    parser.add_argument(
        "--distinct", type=int, default=distinct_workload.TIMED, help="queries timed once each"
    )
    args = parser.parse_args()
    names = GazetteerExtractor.from_index(args.entities_from).names
    workload = distinct_workload.make_workload(
        synthetic.load_seeds(args.news_dev), names, timed=args.distinct
    )
    for run in args.runs:
        key, _, index_dir = run.partition("=")
        module = f"bench.{ENGINES[key]}"
        series = in_child(
            distinct_series, module, Path(index_dir), list(workload.warm_up), list(workload.timed)
        )
        wall, cpu = series.value.wall, series.value.cpu
        print(
            f"{run}: wall p50 {wall.p50:.1f} p95 {wall.p95:.1f} p99 {wall.p99:.1f} max {wall.max:.1f} ms; "
            f"CPU p50 {cpu.p50:.1f} p95 {cpu.p95:.1f} p99 {cpu.p99:.1f} max {cpu.max:.1f} ms; "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
