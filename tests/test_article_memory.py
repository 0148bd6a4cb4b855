"""The memory one large article costs is bounded by its size, not a large multiple of it.

Measured in a child process (peak resident memory, ``ru_maxrss``) so the figure is the work's
own. A 20 MB article took 3.7 GB to index: nearly all of it the near-duplicate signature, which
hashed every shingle with every MinHash function at once (1 KB a shingle).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE_CORPUS

ARTICLE_MB = 5
ALLOWED_MB_PER_MB = 18
"""Growth of peak memory allowed per MB of article text: the signature took about 180, then 24
while every word of the text was listed at once, and takes about 14 a chunk of words at a time."""

CHILD = """
import json, resource, sys
from searchlib.indexing.dedupe import DuplicateFinder
text = open(sys.argv[1], encoding="utf-8").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
DuplicateFinder().assign("big", text)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_mb": (after - before) / 1024}))
"""


def test_the_signature_of_a_large_article_needs_little_memory(tmp_path: Path) -> None:
    # Words drawn at random (fixed seed) from a news vocabulary: almost every 5-word shingle is
    # distinct, as in an archive's largest real files (a month of wire copy in one file).
    vocabulary = sorted(
        {w for p in FIXTURE_CORPUS.glob("*.txt") for w in p.read_text(encoding="utf-8").split()}
    )
    rng = random.Random(14)
    text = " ".join(rng.choices(vocabulary, k=ARTICLE_MB * 1_000_000 // 7))
    big = tmp_path / "big.txt"
    big.write_text(text, encoding="utf-8")
    child = [sys.executable, "-c", CHILD, str(big)]
    grew = json.loads(subprocess.run(child, capture_output=True, text=True, check=True).stdout)["grew_mb"]
    assert grew < ARTICLE_MB * ALLOWED_MB_PER_MB, f"{grew:.0f} MB for a {ARTICLE_MB} MB article"
