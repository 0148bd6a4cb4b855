"""The benchmark's one table, in Markdown so it can go straight into docs/benchmark.md."""

from __future__ import annotations

from dataclasses import dataclass

from bench.measure import Latency


@dataclass(frozen=True)
class Row:
    """One engine on one corpus."""

    corpus: str
    engine: str
    articles: int
    build_per_s: float
    peak_rss_mb: float
    index_mb: float
    latency: Latency | None


def table(rows: list[Row], reference: str = "searchlib") -> str:
    """Rows grouped by corpus; each peer row says how many times faster searchlib is (x > 1: faster)."""
    lines = [
        "| corpus | engine | build articles/s | peak RSS MB | index MB | p50 ms | p95 ms | max ms "
        "| searchlib build speed-up | searchlib p95 speed-up |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ours = {row.corpus: row for row in rows if row.engine == reference}
    for row in rows:
        base = ours.get(row.corpus)
        build_ratio = p95_ratio = ""
        if base and row is not base:
            build_ratio = f"{base.build_per_s / row.build_per_s:.2f}x"
            if base.latency and row.latency:
                p95_ratio = f"{row.latency.p95 / base.latency.p95:.2f}x"
        lat = row.latency
        timing = f"{lat.p50:.1f} | {lat.p95:.1f} | {lat.max:.1f}" if lat else "- | - | -"
        lines.append(
            f"| {row.corpus} ({row.articles:,}) | {row.engine} | {row.build_per_s:,.0f} "
            f"| {row.peak_rss_mb:,.0f} | {row.index_mb:,.0f} | {timing} | {build_ratio} | {p95_ratio} |"
        )
    return "\n".join(lines)
