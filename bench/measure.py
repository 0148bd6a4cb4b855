"""Timing, peak memory and sizes, each measured in a fresh child process so runs cannot skew each other."""

from __future__ import annotations

import importlib
import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Timed:
    """What a child process returned, how long it took and its peak RSS (its own plus its children's)."""

    value: Any
    seconds: float
    peak_rss_mb: float


def in_child(func: Callable[..., Any], *args: Any) -> Timed:
    """Run ``func(*args)`` in a freshly spawned interpreter and measure it there."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_timed, func, *args).result()


def _timed(func: Callable[..., Any], *args: Any) -> Timed:
    started = time.perf_counter()
    value = func(*args)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Timed(value, seconds, (own + children) / 1024)


def folder_mb(path: Path) -> float:
    """Bytes on disk under ``path``, in MB."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


@dataclass(frozen=True)
class Latency:
    """Query latencies in milliseconds."""

    p50: float
    p95: float
    max: float
    p99: float = 0.0

    @classmethod
    def of(cls, samples_ms: list[float]) -> Latency:
        ordered = sorted(samples_ms)

        def share(q: float) -> float:
            return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

        return cls(statistics.median(ordered), share(0.95), ordered[-1], share(0.99))


def time_queries(
    run: Callable[[Any], Any], queries: list[Any], *, passes: int
) -> tuple[Latency, list[float]]:
    """One untimed pass to warm caches, then ``passes`` timed passes; all samples in ms."""
    for query in queries:
        run(query)
    samples = []
    for _ in range(passes):
        for query in queries:
            started = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - started) * 1000)
    return Latency.of(samples), samples


def query_series(module_name: str, out: Path, queries: list[Any], passes: int) -> tuple[Latency, str]:
    """In a child: one open engine answers every query; the latencies and the three slowest."""
    engine = importlib.import_module(module_name).Engine(out)
    try:
        latency, samples = time_queries(engine.query, queries, passes=passes)
    finally:
        engine.close()
    worst = sorted(zip(samples, [q.raw for q in queries] * passes, strict=True), reverse=True)[:3]
    return latency, ", ".join(f"{raw!r} {ms:.0f} ms" for ms, raw in worst)
