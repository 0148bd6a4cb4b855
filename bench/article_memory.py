"""Peak memory of indexing one large article: ``python bench/article_memory.py ARTICLE.txt``.

Copies the file alone into a temporary folder, runs ``searchlib index`` on it in a child process
and prints the peak resident memory of the largest process of the build (``ru_maxrss`` of the
children) and the time it took.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(article: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "articles"
        corpus.mkdir()
        shutil.copy(article, corpus / article.name)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "searchlib",
                "index",
                str(corpus),
                "--index",
                str(Path(scratch) / "index"),
            ],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size_mb = article.stat().st_size / 1e6
    print(f"{article.name}: {size_mb:.1f} MB, peak RSS {peak_mb:,.0f} MB, {seconds:.1f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
