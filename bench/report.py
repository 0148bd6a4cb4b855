"""The benchmark's one table, in Markdown so it can go straight into docs/benchmark.md."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bench.distinct import Series
from bench.measure import Latency


@dataclass(frozen=True)
class Row:
    """One engine on one corpus: its build, the distinct-query workload, and the repeated queries."""

    corpus: str
    engine: str
    articles: int
    build_per_s: float
    peak_rss_mb: float
    index_mb: float
    latency: Latency | None
    """The fixed queries, repeated: a warm-up pass, then timed passes (warm caches)."""
    distinct: Series | None = None
    """The distinct-query workload: each query once, after a warm-up on other queries."""


def table(rows: list[Row], reference: str = "searchlib") -> str:
    """Rows grouped by corpus; each peer row says how many times faster searchlib is (x > 1: faster)."""
    lines = [
        "| corpus | engine | build articles/s | peak RSS MB | index MB "
        "| distinct p50 ms | p95 ms | p99 ms | max ms | p95 CPU ms "
        "| repeated p95 ms | searchlib build speed-up | searchlib distinct p95 speed-up |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ours = {row.corpus: row for row in rows if row.engine == reference}
    for row in rows:
        base = ours.get(row.corpus)
        build_ratio = p95_ratio = ""
        if base and row is not base:
            build_ratio = f"{base.build_per_s / row.build_per_s:.2f}x" if row.build_per_s > 0 else ""
            if base.distinct and row.distinct:
                p95_ratio = f"{row.distinct.wall.p95 / base.distinct.wall.p95:.2f}x"
        lines.append(
            f"| {row.corpus} ({row.articles:,}) | {row.engine} | {_built(row.build_per_s)} "
            f"| {_built(row.peak_rss_mb)} | {row.index_mb:,.0f} | {_distinct(row.distinct)} "
            f"| {f'{row.latency.p95:.1f}' if row.latency else '-'} | {build_ratio} | {p95_ratio} |"
        )
    return "\n".join(lines)


def _distinct(series: Series | None) -> str:
    if series is None:
        return "- | - | - | - | -"
    wall = series.wall
    return f"{wall.p50:.1f} | {wall.p95:.1f} | {wall.p99:.1f} | {wall.max:.1f} | {series.cpu.p95:.1f}"


def _built(value: float) -> str:
    """A build figure; ``-`` for an engine that did not build (NaN)."""
    return "-" if math.isnan(value) else f"{value:,.0f}"
