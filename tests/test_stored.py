"""A document's stored fields read for a page of hits are those Whoosh's reader gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from whoosh import index as whoosh_index
from writer_child import NameExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.indexing.store import read_manifest
from searchlib.querying.stored import StoredFields

DATA = Path(__file__).parent / "data"


def test_every_documents_stored_fields_are_whooshs(tmp_path: Path) -> None:
    """Over several segments, with documents deleted and written again by an update."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(DATA / "corpus", corpus)
    build_index(corpus, index_dir=index, extractor=NameExtractor(), segment_docs=2)
    changed = sorted(corpus.rglob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    folder = index / read_manifest(index).generation
    # Whoosh's answer from a reader of its own: the searcher's segments keep the stored-fields
    # column its StoredFields opened, which Whoosh's own ``stored_fields`` would then reuse.
    with Searcher(index) as searcher, whoosh_index.open_dir(str(folder)).reader() as whooshs:
        reader = searcher._searcher.reader()
        assert reader.has_deletions() and len(list(reader.leaf_readers())) > 2
        stored = StoredFields(reader)
        for docnum in range(reader.doc_count_all()):
            assert stored(docnum) == whooshs.stored_fields(docnum)
            assert list(stored(docnum)) == list(whooshs.stored_fields(docnum))
