"""The archive-level entity resolution at 100k and 1M articles, without NER.

``python -m bench.resolution_scale INDEX... [--sizes 100k,1m] [--tree LABEL=PATH ...]``

An index's build and every update count the entities of every article (``NameCounts``), decide
the archive's entities (``resolve_names``), map each article's entities (``apply``) and save
the resolution for the searcher, which opens it to expand a query. Running NER over a million
articles to measure that would take days, so the articles' own entities are taken from built
indexes (their ``ENTITY_LOCAL`` column: what NER and the per-article rules found) and the
archive is made larger by copies whose names are perturbed deterministically, so that distinct
names grow the way they do in a real archive:

- the share of distinct names new to a corpus falls as it grows (Heaps' law, names ~ articles
  ** beta); ``beta`` is measured on the given indexes' articles, shuffled with a fixed seed;
- copy ``c`` of the articles (``c`` = 0: the articles as they are) renames each capitalised
  word of a name with the probability that makes its share of new names ``c ** beta - (c - 1)
  ** beta``; a word is renamed the same way everywhere in one copy (a new person, with the same
  surname in every article of the copy that names her, and in the short forms linked to it),
  to a made-up word of about its length, in the same case.

For each size and each source tree (``--tree before=/tmp/main-src``: a folder holding the
``searchlib`` package to measure; by default the installed one), a fresh process counts, decides,
applies and saves, and another fresh process opens the saved resolution and expands names as a
query does; it reports the seconds of each step (the making of the synthetic articles is not
counted), the distinct names, the saved file's size, the memory the name counts take (RSS grown
while counting) and the peak (RSS). The trees' decided resolutions are compared: they must be
equal.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import pickle
import random
import re
import resource
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.trees import run_in_tree, sources_of

SIZES = {"10k": 10_000, "30k": 30_000, "100k": 100_000, "300k": 300_000, "1m": 1_000_000}
LOOKUPS = 200
"""Names a query-side child looks up (each: its entity and its other names)."""
_WORD = re.compile(r"[^\W\d_]+")
_CONSONANTS = "bdfghklmnprstvz"
_VOWELS = "aeiou"
_KEEP = frozenset(
    {"al", "el", "ad", "as", "ash", "at", "ar", "an", "of", "the", "and", "for", "de", "bin", "ibn"}
)
"""Capitalised words never renamed: the parts of names the rules treat as words of their own."""

Local = tuple[Any, ...]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "indexes", nargs="*", type=Path, help="built indexes whose articles' entities are copied"
    )
    parser.add_argument(
        "--sizes", default="100k", help=f"comma-separated, of {', '.join(SIZES)} (default 100k)"
    )
    parser.add_argument("--tree", action="append", default=[], help="LABEL=PATH of a searchlib source tree")
    parser.add_argument(
        "--work", type=Path, help="folder for the articles and saved resolutions (default: temporary)"
    )
    parser.add_argument("--child", choices=("resolve", "open"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.work, args.size)))
        return
    if not args.indexes:
        parser.error("give at least one built index (its articles' entities are copied)")
    work = (args.work or Path(tempfile.mkdtemp(prefix="resolution-scale-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    trees = [tuple(t.split("=", 1)) for t in args.tree] or [("this", "")]
    originals = read_originals(args.indexes)
    beta = heaps_beta(originals)
    (work / "originals.pkl").write_bytes(pickle.dumps((originals, beta)))
    names = sorted({name for local in originals for _t, name, *_rest in local})
    asked = random.Random(7).sample(names, min(LOOKUPS, len(names)))
    (work / "lookups.json").write_text(json.dumps(asked), encoding="utf-8")
    sources = ", ".join(map(str, args.indexes))
    print(f"# {len(originals)} articles from {sources}; names ~ articles ** {beta:.3f}")
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}")
    header = (
        "size | tree | names | count s | decide s | apply s | save s | file MB | counts MB | peak MB"
        " | open+lookups ms | open MB"
    )
    print(header)
    print("|".join("---" for _ in header.split("|")))
    for size_name in args.sizes.split(","):
        size = SIZES[size_name]
        digests = set()
        for label, path in trees:
            folder = work / f"{label}-{size_name}"
            folder.mkdir(exist_ok=True)
            made = _run(path, "resolve", folder, size)
            opened = _run(path, "open", folder, size)
            digests.add(made["digest"])
            print(
                f"{size_name} | {label} | {made['names']:,} | {made['count']:.1f} | {made['decide']:.1f} | "
                f"{made['apply']:.1f} | {made['save']:.2f} | {made['file_mb']:.1f} | "
                f"{made['counts_mb']:.0f} | {made['peak_mb']:.0f} | "
                f"{opened['ms']:.0f} | {opened['mb']:.0f}",
                flush=True,
            )
        if len(digests) > 1:
            print(f"{size_name}: THE TREES DECIDED DIFFERENT RESOLUTIONS", flush=True)


def read_originals(indexes: Sequence[Path]) -> list[tuple[Local, ...]]:
    """Every live article's own entities in the indexes, in index order."""
    from searchlib.indexing.resolution import local_entities
    from searchlib.indexing.store import open_current

    found: list[tuple[Local, ...]] = []
    for index_dir in indexes:
        ix, _manifest = open_current(index_dir, memory_map=False)
        with ix.reader() as reader:
            found += [local for _docnum, local in local_entities(reader)]
    return found


def heaps_beta(originals: Sequence[tuple[Local, ...]]) -> float:
    """The exponent of distinct names against articles, between a quarter of the articles and all."""
    from searchlib.entities.aliases import fold_name

    shuffled = list(originals)
    random.Random(13).shuffle(shuffled)
    names: set[str] = set()
    quarter = 0
    for number, local in enumerate(shuffled, 1):
        names.update(fold_name(n) for _t, name, variants, *_e in local for n in (name, *variants))
        if number == len(shuffled) // 4:
            quarter = len(names)
    return math.log(len(names) / quarter) / math.log(len(shuffled) / (len(shuffled) // 4))


def synthetic(originals: Sequence[tuple[Local, ...]], size: int, beta: float) -> Iterator[tuple[Local, ...]]:
    """``size`` articles' own entities: copies of ``originals``, the later ones with new names."""
    for start in range(0, size, len(originals)):
        copy = start // len(originals)
        rename = _Renamer(copy, _rename_share(copy, beta))
        for local in originals[: size - start]:
            yield tuple(
                (t, rename.name(name), tuple(map(rename.name, variants)), *e)
                for t, name, variants, *e in local
            )


def _rename_share(copy: int, beta: float) -> float:
    """The probability of renaming a word that makes ``copy ** beta - (copy - 1) ** beta`` of the
    copy's names new (a name has about two capitalised words)."""
    if copy == 0:
        return 0.0
    new = copy**beta - (copy - 1) ** beta
    return 1 - math.sqrt(max(0.0, 1 - new))


class _Renamer:
    """The words of one copy: each capitalised word renamed or kept, the same way every time."""

    def __init__(self, copy: int, share: float) -> None:
        self.copy = copy
        self.share = share
        self.words: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def name(self, name: str) -> str:
        if not self.share:
            return name
        found = self.names.get(name)
        if found is None:
            found = self.names[name] = _WORD.sub(lambda m: self.word(m.group()), name)
        return found

    def word(self, word: str) -> str:
        found = self.words.get(word)
        if found is None:
            found = self.words[word] = self._made_up(word)
        return found

    def _made_up(self, word: str) -> str:
        if not word[:1].isupper() or word.casefold() in _KEEP:
            return word
        digest = hashlib.blake2b(f"{self.copy}:{word}".encode(), digest_size=16).digest()
        if digest[0] >= self.share * 256:
            return word
        syllables = max(1, min(len(digest) - 1, (len(word) + 1) // 2))
        made = "".join(_CONSONANTS[b % 15] + _VOWELS[(b // 15) % 5] for b in digest[1 : 1 + syllables])
        made = made[: max(2, len(word))]
        return made.upper() if word.isupper() else made.capitalize()


def _run(tree: str, step: str, folder: Path, size: int) -> dict[str, Any]:
    """One step in a fresh interpreter whose ``searchlib`` comes from ``tree`` (if given)."""
    arguments = ["--child", step, "--work", str(folder), "--size", str(size)]
    return run_in_tree(tree, "bench.resolution_scale", arguments)


def _child(step: str, folder: Path, size: int) -> dict[str, Any]:
    import searchlib

    return {**_step(step, folder, size), "sources": sources_of([searchlib])}


def _step(step: str, folder: Path, size: int) -> dict[str, Any]:
    if step == "open":
        return _open(json.loads((folder.parent / "lookups.json").read_text(encoding="utf-8")), folder)
    originals, beta = pickle.loads((folder.parent / "originals.pkl").read_bytes())
    return _resolve(originals, beta, folder, size)


def _resolve(originals: Sequence[tuple[Local, ...]], beta: float, folder: Path, size: int) -> dict[str, Any]:
    from searchlib.entities.aliases import load_aliases
    from searchlib.entities.resolve import NameCounts, apply
    from searchlib.indexing import resolution as saved

    aliases = load_aliases()
    saved.decide(NameCounts(), aliases)  # the gazetteer and place lists loaded before timing
    before = _rss_mb()
    counts = NameCounts()
    counting = 0.0
    for local in synthetic(originals, size, beta):
        started = time.perf_counter()
        counts.add(local)
        counting += time.perf_counter() - started
    counted = _rss_mb() - before
    started = time.perf_counter()
    resolution = saved.decide(counts, aliases)
    deciding = time.perf_counter() - started
    peak = _peak_mb()
    names = len(counts.names)
    del counts
    applying = 0.0
    for local in synthetic(originals, size, beta):
        started = time.perf_counter()
        apply(resolution, local, aliases)
        applying += time.perf_counter() - started
    started = time.perf_counter()
    saved.save_resolution(folder, resolution, generation=1)
    saving = time.perf_counter() - started
    files = [p for p in folder.iterdir() if p.name.startswith("entity-resolution")]
    return {
        "names": names,
        "count": counting,
        "decide": deciding,
        "apply": applying,
        "save": saving,
        "file_mb": sum(p.stat().st_size for p in files) / 1e6,
        "peak_mb": peak,
        "counts_mb": counted,
        "digest": hashlib.sha256(resolution.to_json().encode()).hexdigest(),
    }


def _open(asked: Sequence[str], folder: Path) -> dict[str, Any]:
    """Open the saved resolution as a searcher does and expand names of the articles."""
    from searchlib.indexing import resolution as saved

    before = _rss_mb()
    started = time.perf_counter()
    opener = getattr(saved, "open_resolution", saved.load_resolution)
    resolution = opener(folder)
    for name in asked:
        resolution.target(name)
        resolution.other_names(name)
    seconds = time.perf_counter() - started
    return {"ms": seconds * 1000, "mb": _rss_mb() - before}


def _rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / (1024 * 1024)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
