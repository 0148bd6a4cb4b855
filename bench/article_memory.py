"""Memory of indexing one large article: ``python bench/article_memory.py ARTICLE.txt``.

Copies the file alone into a temporary folder and runs ``searchlib index`` on it in a child
process. While it runs, the whole process tree (the command, its writer processes, its entity
recogniser workers, Python's resource tracker) is sampled every ``--every`` seconds: the peak of
the tree's total PSS (proportional set size: pages shared between forked processes counted once,
split between them) and of its total RSS (shared pages counted in each process: an upper bound),
and the peak RSS of each kind of process. The question is whether a machine with 2 GB survives
the largest article the default ``--max-bytes`` admits; the largest process alone understates
that, since the processes hold memory at the same time.

``--make N --from-corpus DIR`` first writes ARTICLE.txt: N bytes of real news text, the bodies
of DIR's articles one after another under one header line (``--make default`` is the default
``--max-bytes``, the largest article a build admits). ``--make N --tables`` writes N bytes of
wire-service price tables instead (``TICKER123456 1234.56 7890.12 vol 123456789``, random with
a fixed seed): nearly every word distinct, the worst case for the index's postings.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from searchlib.articles.textfile import DEFAULT_MAX_BYTES

MB = 1024 * 1024
HEADER = " date 2017-01-01 2017/01/01 | 00:00 - Source: Article Memory Bench\n\nA month of copy\n\n"


@dataclass
class TreePeaks:
    """The largest figures seen over the samples of one process tree."""

    pss: int = 0
    rss: int = 0
    processes: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    """Kind of process (its command line, shortened) -> its peak RSS."""
    samples: int = 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("article", type=Path)
    parser.add_argument("--make", help="write ARTICLE first: a size in bytes, or 'default' (--max-bytes)")
    parser.add_argument("--from-corpus", type=Path, help="the articles whose bodies --make strings together")
    parser.add_argument("--tables", action="store_true", help="--make price tables instead of news text")
    parser.add_argument("--every", type=float, default=0.05, help="seconds between samples (default 0.05)")
    args = parser.parse_args()
    if args.make:
        size = DEFAULT_MAX_BYTES if args.make == "default" else int(args.make)
        if args.tables:
            make_tables(args.article, size=size)
        elif args.from_corpus is None:
            parser.error("--make needs --from-corpus or --tables")
        else:
            make_article(args.article, size=size, corpus=args.from_corpus)
    measure(args.article, every=args.every)


def make_article(path: Path, *, size: int, corpus: Path) -> None:
    """``size`` bytes of the bodies of ``corpus``'s articles (in name order, again if needed)."""
    bodies = []
    for file in sorted(corpus.glob("*.txt")):
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        bodies.append("\n".join(lines[1:]).strip() + "\n\n")
    if not bodies:
        raise SystemExit(f"no .txt articles in {corpus}")
    out = bytearray(HEADER.encode())
    while len(out) < size:
        for body in bodies:
            out += body.encode()
            if len(out) >= size:
                break
    path.write_bytes(bytes(out[:size]).decode("utf-8", errors="ignore").encode())


def make_tables(path: Path, *, size: int) -> None:
    """``size`` bytes of price-table lines, nearly every word of them distinct."""
    rng = random.Random(14)
    out = bytearray(HEADER.encode())
    while len(out) < size:
        out += (
            f"TICKER{rng.randrange(10**6)} {rng.randrange(10**7) / 100:.2f} "
            f"{rng.randrange(10**7) / 100:.2f} vol {rng.randrange(10**9)}\n"
        ).encode()
    path.write_bytes(bytes(out[:size]))


def measure(article: Path, *, every: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "articles"
        corpus.mkdir()
        shutil.copy(article, corpus / article.name)
        index = Path(scratch) / "index"
        command = [sys.executable, "-m", "searchlib", "index", str(corpus), "--index", str(index)]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        peaks = TreePeaks()
        sampler = threading.Thread(target=sample_tree, args=(child, peaks, every), daemon=True)
        sampler.start()
        out, err = child.communicate()
        sampler.join()
        seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"searchlib index failed ({child.returncode}): {err.decode(errors='replace')}")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{article.name}: {article.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s; {out.decode().strip()}")
    print(
        f"process tree: peak PSS {peaks.pss / MB:,.0f} MB, peak RSS sum {peaks.rss / MB:,.0f} MB, "
        f"up to {peaks.processes} processes ({peaks.samples} samples every {every} s)"
    )
    print(f"largest process (ru_maxrss of the children): {largest:,.0f} MB")
    for kind, rss in sorted(peaks.by_kind.items(), key=lambda item: -item[1]):
        print(f"  {rss / MB:>7,.0f} MB  {kind}")


def sample_tree(child: subprocess.Popen[bytes], peaks: TreePeaks, every: float) -> None:
    """Sample the tree under ``child`` until it exits."""
    root = psutil.Process(child.pid)
    while child.poll() is None:
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        pss = rss = 0
        for process in processes:
            try:
                info = process.memory_full_info()
                kind = describe(process, root)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            pss += info.pss
            rss += info.rss
            peaks.by_kind[kind] = max(peaks.by_kind.get(kind, 0), info.rss)
        peaks.pss = max(peaks.pss, pss)
        peaks.rss = max(peaks.rss, rss)
        peaks.processes = max(peaks.processes, len(processes))
        peaks.samples += 1
        time.sleep(every)


def describe(process: psutil.Process, root: psutil.Process) -> str:
    """A process's part in the build: the command, an index writer (forked), an entity worker
    (spawned), Python's resource tracker."""
    if process.pid == root.pid:
        return "searchlib index (main)"
    command = " ".join(process.cmdline())
    if "resource_tracker" in command:
        return "resource tracker"
    if "spawn_main" in command:
        return f"entity worker (pid {process.pid})"
    return f"index writer (pid {process.pid})"


if __name__ == "__main__":
    main()
