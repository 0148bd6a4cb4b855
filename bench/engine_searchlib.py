"""searchlib itself, through its public API only."""

from __future__ import annotations

from pathlib import Path

from bench.queries import BenchQuery
from searchlib import Searcher, build_index, update_index
from searchlib.indexing.build import Extractor

NAME = "searchlib"
FACETS = ("source", "year", "person", "org", "place")


def build(corpus_dir: Path, out_dir: Path, extractor: Extractor | None) -> int:
    """A full build; ``extractor=None`` means real NER (spaCy)."""
    return build_index(corpus_dir, index_dir=out_dir, extractor=extractor).added


def update(corpus_dir: Path, out_dir: Path, extractor: Extractor) -> str:
    """An incremental update; what it found."""
    report = update_index(corpus_dir, index_dir=out_dir, extractor=extractor)
    return f"{report.added} added, {report.changed} changed, {report.unchanged:,} unchanged"


class Engine:
    """One long-lived ``Searcher``: top 10 with snippets and every facet, as the CLI shows them."""

    def __init__(self, out_dir: Path) -> None:
        self.searcher = Searcher(out_dir)

    def query(self, q: BenchQuery) -> int:
        return self.searcher.search(q.raw, page_size=10, facets=FACETS).total

    def close(self) -> None:
        self.searcher.close()
