"""NER throughput on a Dask cluster against the local process pool, and the cluster's overhead per task.

    python -m bench.cluster_speed ../shared/corpus/news-dev [--limit 500] [--rounds 2]

Reads the first ``--limit`` articles as a build does and finds their entities, with a fresh
entity cache each time, side by side: the build's own path (``EntityExtractor`` with its two NER
processes, in the build's batches of 64), and ``fill_cache`` (what ``--cluster`` runs) on a
``distributed.LocalCluster`` of one and of two worker processes of one thread, the last also
with the workers' statistical profiler (on by default in Dask) turned off. Every way is warmed
first on 16 other articles, so starting the workers and loading the model (timed apart) is not
counted as throughput. Besides wall-clock rates it prints CPU-seconds (this process, which
holds a local cluster's scheduler, and all its child processes), so a run on a busy shared
machine still says what each way costs, and the part of them spent outside the processes that
ran NER. ``--rounds 2`` measures again in the reverse order. Then, on two warm workers: the
round trip of one task that finds nothing, alone, and the cost of such tasks when many are
queued: what each task costs beside its NER. Needs ``pip install -e ".[cluster]"``; run by
hand, it uses both cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import dask
import psutil
from distributed import Client, LocalCluster

from searchlib.articles.textfile import article_from_bytes, iter_article_paths
from searchlib.entities.cache import CACHE_FILE, EntityCache
from searchlib.entities.cluster import ClusterMentionFinder, fill_cache, find_on_worker
from searchlib.entities.extract import EntityExtractor
from searchlib.entities.ner import DEFAULT_MODEL, NER_VERSION
from searchlib.indexing.build import BATCH_SIZE, MAX_ENTITY_CHARS

WARM = 16


@dataclass(frozen=True)
class Timing:
    start_up: float
    """Seconds to start the workers and load the model in each (the warm-up)."""
    seconds: float
    cpu: float
    """CPU-seconds of this process and all its children while the timed articles ran."""
    outside: float
    """The part of ``cpu`` outside the processes that ran NER: this process (the client, a local
    cluster's scheduler) and Dask's nannies."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=500, help="articles timed (default 500)")
    parser.add_argument("--rounds", type=int, default=2, choices=(1, 2))
    args = parser.parse_args(argv)
    paths = sorted(iter_article_paths(args.corpus))
    texts = [article_from_bytes(p.read_bytes(), path=p).text[:MAX_ENTITY_CHARS] for p in paths]
    timed, warm = texts[: args.limit], texts[-WARM:]
    mean = sum(map(len, timed)) / len(timed)
    print(f"{len(timed):,} articles of {args.corpus} ({mean:,.0f} characters each)")
    ways: list[tuple[str, Callable[[list[str], list[str]], Timing]]] = [
        ("process pool, 2 processes", _process_pool),
        ("Dask LocalCluster, 1 worker", lambda t, w: _on_cluster(t, w, workers=1)),
        ("Dask LocalCluster, 2 workers", lambda t, w: _on_cluster(t, w, workers=2)),
        (
            "Dask LocalCluster, 2 workers, no profiler",
            lambda t, w: _on_cluster(t, w, workers=2, profile=False),
        ),
    ]
    order = ways + ways[::-1] if args.rounds == 2 else ways
    print("| way | articles/s | s | CPU-s | articles/CPU-s | CPU-s outside NER | start-up s | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, run in order:
        load = os.getloadavg()[0]
        t = run(timed, warm)
        n = len(timed)
        print(
            f"| {name} | {n / t.seconds:.1f} | {t.seconds:.1f} | {t.cpu:.1f} | {n / t.cpu:.1f} "
            f"| {t.outside:.1f} | {t.start_up:.1f} | {load:.1f} |",
            flush=True,
        )
    _overhead()
    return 0


def _process_pool(timed: list[str], warm: list[str]) -> Timing:
    """The build's path: ``EntityExtractor.raw_spans`` in batches of ``BATCH_SIZE``."""
    with tempfile.TemporaryDirectory() as tmp, EntityExtractor(cache_path=Path(tmp) / CACHE_FILE) as ex:
        started = time.perf_counter()
        ex.raw_spans(warm)  # 16 texts start both worker processes
        start_up = time.perf_counter() - started
        started, before = time.perf_counter(), _cpu()
        for at in range(0, len(timed), BATCH_SIZE):
            ex.raw_spans(timed[at : at + BATCH_SIZE])
        return _timing(start_up, time.perf_counter() - started, before, set(before) - {os.getpid()})


def _on_cluster(timed: list[str], warm: list[str], *, workers: int, profile: bool = True) -> Timing:
    """What ``--cluster`` runs: ``fill_cache`` over the texts, on a new local cluster."""
    started = time.perf_counter()
    with (
        dask.config.set({"distributed.worker.profile.enabled": profile}),
        _local_cluster(workers) as local,
        Client(local, set_as_default=False) as client,
        ClusterMentionFinder(local.scheduler_address) as finder,
        tempfile.TemporaryDirectory() as tmp,
        EntityCache(Path(tmp) / CACHE_FILE, version=f"{DEFAULT_MODEL}/{NER_VERSION}") as cache,
    ):
        fill_cache(warm * workers, finder=finder, cache=cache)  # each worker loads the model
        start_up = time.perf_counter() - started
        before = _cpu()
        report = fill_cache(timed, finder=finder, cache=cache)
        assert report.found == len(set(timed)), report
        ner = set(client.run(os.getpid).values())
        return _timing(start_up, report.seconds, before, ner)


def _overhead(tasks: int = 200) -> None:
    """Task round trip and queued task cost on two warm workers, with tasks that find nothing."""
    with (
        _local_cluster(2) as local,
        ClusterMentionFinder(local.scheduler_address, texts_per_task=1) as finder,
        Client(local, set_as_default=False) as client,
    ):
        finder.find(["Angela Merkel met Emmanuel Macron in Paris."] * 2)  # both workers load the model
        started = time.perf_counter()
        for _ in range(50):
            client.submit(find_on_worker, [], DEFAULT_MODEL, pure=False).result()
        round_trip = (time.perf_counter() - started) / 50
        started = time.perf_counter()
        futures = [client.submit(find_on_worker, [], DEFAULT_MODEL, pure=False) for _ in range(tasks)]
        client.gather(futures)
        queued = (time.perf_counter() - started) / tasks
    print(f"one empty task, submitted and waited for alone: {round_trip * 1000:.1f} ms")
    print(f"{tasks} empty tasks queued on 2 workers: {queued * 1000:.2f} ms each ({1 / queued:,.0f} tasks/s)")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")


def _local_cluster(workers: int) -> LocalCluster:
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)


def _cpu() -> dict[int, float]:
    """CPU-seconds so far of this process and each live descendant, by process id."""
    me = psutil.Process()
    found = {}
    for process in [me, *me.children(recursive=True)]:
        with suppress(psutil.Error):
            times = process.cpu_times()
            found[process.pid] = times.user + times.system
    return found


def _timing(start_up: float, seconds: float, before: dict[int, float], ner: set[int]) -> Timing:
    """The CPU spent since ``before``, in all and outside the ``ner`` processes."""
    spent = {pid: cpu - before.get(pid, 0.0) for pid, cpu in _cpu().items()}
    outside = sum(cpu for pid, cpu in spent.items() if pid not in ner)
    return Timing(start_up, seconds, sum(spent.values()), outside)


if __name__ == "__main__":
    sys.exit(main())
