"""searchlib reading Whoosh's posting blocks, as before posting tables: the "before" of the same run.

It does not build: it links the files of the searchlib index built just before it in the same
run, leaving out the posting tables (``searchlib.indexing.posting_tables``), so both answer
from the same segments and only the way postings are read differs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bench.engine_searchlib import Engine as Engine
from searchlib.indexing.build import Extractor
from searchlib.indexing.posting_tables import TABLE_PREFIX

NAME = "searchlib without posting tables"
BUILDS = False
"""Its build figures are a copy's, not a build's: the table shows none."""


def build(corpus_dir: Path, out_dir: Path, extractor: Extractor | None) -> int:
    """Link the searchlib index beside ``out_dir`` (``<size>-searchlib``) without its tables."""
    source = out_dir.with_name(out_dir.name.rsplit("-", 2)[0] + "-searchlib")
    if not source.exists():
        raise SystemExit(f"bench: {NAME} needs the searchlib index of the same corpus first ({source})")
    shutil.copytree(source, out_dir, copy_function=os.link, ignore=shutil.ignore_patterns(f"{TABLE_PREFIX}*"))
    from searchlib import Searcher

    with Searcher(out_dir) as searcher:
        return searcher.stats().documents
