"""``python -m bench.variant_precision --index DIR``: how precise are name spelling variants?

Every single-word person, organisation or place name in at least ``--min-articles`` articles is
searched as a capitalised word with and without variants. Each variant spelling found is judged
with ``variant_labels.txt`` (``[true]``: two spellings of one name; ``[false]``: different names;
a pair in neither counts as false and is printed to be judged). Printed:
precision by pair, precision of the articles that variants add, and how much they add, for all
names and for the Arabic and Persian ones (``[arabic]``).
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from searchlib import Searcher

LABELS = Path(__file__).with_name("variant_labels.txt")


@dataclass
class Tally:
    """Counts for one group of names."""

    pairs: int = 0
    true_pairs: int = 0
    hits_without: int = 0
    hits_with: int = 0
    added_true: int = 0
    added_false: int = 0
    increases: list[float] = field(default_factory=list)
    false_increases: list[float] = field(default_factory=list)

    def lines(self, label: str) -> list[str]:
        added = self.added_true + self.added_false
        return [
            f"{label}: {self.pairs} variant pairs, precision {self.true_pairs / max(1, self.pairs):.3f}",
            f"  hits {self.hits_without:,} -> {self.hits_with:,}; added articles {added:,}, "
            f"precision {self.added_true / max(1, added):.3f}; all hits precision "
            f"{(self.hits_with - self.added_false) / max(1, self.hits_with):.3f}",
            f"  increase per query: median {statistics.median(self.increases or [0]):.2f}, "
            f"max {max(self.increases or [0]):.1f}; by variants judged false: "
            f"max {max(self.false_increases or [0]):.2f}",
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--min-articles", type=int, default=3)
    args = parser.parse_args()
    true, known, arabic = read_labels(LABELS)
    tallies = {"all names": Tally(), "Arabic and Persian names": Tally()}
    unlabelled: list[str] = []
    with Searcher(args.index) as searcher:
        for word in name_words(searcher, args.min_articles):
            variants = searcher.name_variants(word.capitalize())
            if not variants:
                continue
            judged = {v: f"{word}>{v}" in true for v in variants}
            unlabelled += [f"{word}>{v}" for v in variants if f"{word}>{v}" not in known]
            groups = [tallies["all names"]] + (
                [tallies["Arabic and Persian names"]] if word in arabic else []
            )
            measure(searcher, word, judged, groups)
    for label, tally in tallies.items():
        print("\n".join(tally.lines(label)))
    print(f"unlabelled pairs (counted false): {len(unlabelled)} {' '.join(unlabelled)}")


def measure(searcher: Searcher, word: str, judged: dict[str, bool], groups: list[Tally]) -> None:
    """Add one query's figures to each group."""
    query = word.capitalize()
    plain = ids(searcher, query, variants=False)
    expanded = ids(searcher, query, variants=True)
    extra = expanded - plain
    true_docs: set[str] = set()
    for variant, is_true in judged.items():
        if is_true:
            true_docs |= ids(searcher, variant, variants=False)
    for tally in groups:
        tally.pairs += len(judged)
        tally.true_pairs += sum(judged.values())
        tally.hits_without += len(plain)
        tally.hits_with += len(expanded)
        tally.added_true += len(extra & true_docs)
        tally.added_false += len(extra - true_docs)
        tally.increases.append(len(extra) / max(1, len(plain)))
        tally.false_increases.append(len(extra - true_docs) / max(1, len(plain)))


def ids(searcher: Searcher, query: str, *, variants: bool) -> set[str]:
    return {hit.id for hit in searcher.iter_hits(query, snippets=0, variants=variants)}


def name_words(searcher: Searcher, min_articles: int) -> list[str]:
    """Single words of person, organisation and place names, with how many articles name them."""
    results = searcher.search("", page_size=1, facets=("person", "org", "place"), facet_limit=1_000_000)
    counts: dict[str, int] = {}
    for facet in results.facets:
        for value in facet.values:
            for word in value.value.lower().replace("-", " ").split():
                if word.isalpha():
                    counts[word] = counts.get(word, 0) + value.count
    return sorted(word for word, count in counts.items() if count >= min_articles)


def read_labels(path: Path) -> tuple[set[str], set[str], set[str]]:
    """The true pairs, every judged pair, and the Arabic and Persian names."""
    sections: dict[str, set[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = line.strip("[] ")
            continue
        sections.setdefault(current, set()).update(line.split())
    true = sections.get("true", set())
    return true, true | sections.get("false", set()), sections.get("arabic", set())


if __name__ == "__main__":
    main()
