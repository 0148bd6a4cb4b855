"""Entity quality in one table: the gold of news-dev and news-more, and CoNLL-2003 dev.

    python -m bench.entity_quality [--work DIR] [--seed-cache DIR] [--shared ../shared]

For each set it builds (or reuses, in ``--work``) an index of the corpus with searchlib's own
build, so the archive-level resolution runs as a user's ``searchlib index`` runs it, then scores
the index's entities per article with the shared scorer (``tools/entity_score.py`` on
``data/entity-gold/dev.jsonl``), one set at a time so person precision is per set. The CoNLL
line is ``bench/ner_eval.py`` on ``data/conll2003/dev.txt`` (the span rules alone); the last
line times the resolution pass on each built index (NER's cost is the build's). NER is
the slow part: ``--seed-cache DIR`` copies ``DIR/<set>/entity-cache.sqlite`` (an index of the
same corpus built before) into each new index first, so only what is new runs through spaCy.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path
from types import SimpleNamespace

SETS = ("news-dev", "news-more")
COLUMNS = ("P", "R", "F1", "index", "gold", "junk", "wrong-type", "split")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared data folder")
    parser.add_argument("--work", type=Path, default=Path("bench-work/entity-quality"), help="index folder")
    parser.add_argument("--seed-cache", type=Path, help="a folder of <set>/entity-cache.sqlite to start from")
    parser.add_argument("--rebuild", action="store_true", help="build the indexes even if they exist")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print the scorer's first N errors")
    args = parser.parse_args(argv)
    indexes = {name: index_for(name, args) for name in SETS}
    rows = [score_set(name, index_dir, args) for name, index_dir in indexes.items()]
    seconds = {name: resolution_seconds(index_dir) for name, index_dir in indexes.items()}
    conll = conll_line(args.shared / "data" / "conll2003" / "dev.txt")
    header = ("P", 6), ("R", 6), ("F1", 6), ("person P", 8), ("junk", 9), ("wrong type", 10), ("split", 9)
    print(f"{'set':10} " + " ".join(f"{label:>{width}}" for label, width in header))
    for name, row, person in rows:
        print(
            f"{name:10} {row['P']:6.3f} {row['R']:6.3f} {row['F1']:6.3f} {person:8.3f} "
            f"{_share(row, 'junk'):>9} {_share(row, 'wrong-type'):>10} {_share(row, 'split'):>9}"
        )
    print(f"CoNLL-2003 dev (span rules): {conll}")
    print("resolution pass: " + ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items()))
    return 0


def index_for(name: str, args: argparse.Namespace) -> Path:
    """The index of one set's corpus, built with searchlib's own build unless it exists."""
    from searchlib import build_index

    index_dir = args.work / name
    if index_dir.exists() and not args.rebuild:
        return index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    seed = args.seed_cache / name / "entity-cache.sqlite" if args.seed_cache else None
    if seed is not None and seed.is_file() and not (index_dir / seed.name).exists():
        shutil.copy2(seed, index_dir / seed.name)
    build_index(args.shared / "corpus" / name, index_dir=index_dir)
    return index_dir


def score_set(name: str, index_dir: Path, args: argparse.Namespace) -> tuple[str, dict[str, float], float]:
    """The scorer's row for one set and the person precision of its articles."""
    scorer = args.shared / "tools" / "entity_score.py"
    gold = args.shared / "data" / "entity-gold" / "dev.jsonl"
    command = [sys.executable, str(scorer), str(index_dir), str(gold), "--show", str(args.show)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if args.show:
        print(output.split("set/type")[0], end="")
    table = {line.split()[0]: line.split()[1:] for line in output.splitlines() if line[:1].isalpha()}
    row = dict(zip(COLUMNS, map(float, table[name]), strict=True))
    return name, row, float(table["person"][0])


def resolution_seconds(index_dir: Path) -> float:
    """Seconds the archive-level resolution pass takes on a built index (which it leaves as it
    is: its entities are already resolved), gazetteer and name tables loaded afresh."""
    from searchlib.entities.aliases import load_aliases
    from searchlib.entities.gazetteer import country_names, load_gazetteer, town_keys
    from searchlib.entities.place_lists import shipped_place_lists
    from searchlib.indexing.build import resolve_entities
    from searchlib.indexing.store import open_current

    for table in (load_gazetteer, country_names, town_keys, shipped_place_lists):
        table.cache_clear()
    started = time.perf_counter()
    ix, manifest = open_current(index_dir, memory_map=False)
    extractor = SimpleNamespace(aliases=load_aliases())
    resolve_entities(ix, index_dir / manifest.generation, extractor, limitmb=256)  # type: ignore[arg-type]
    return time.perf_counter() - started


def conll_line(conll_file: Path) -> str:
    """The last line of ``bench/ner_eval.py`` on a CoNLL file: ``ALL P=... R=... F1=...``."""
    from bench import ner_eval

    captured = io.StringIO()
    with redirect_stdout(captured):
        ner_eval.main([str(conll_file)])
    return captured.getvalue().strip().splitlines()[-1]


def _share(row: dict[str, float], column: str) -> str:
    """A count with its share of the index's entities."""
    count, found = int(row[column]), row["index"] or 1
    return f"{count} ({count / found:.0%})"


if __name__ == "__main__":
    sys.exit(main())
