"""Full garbage collections are put off while an index is written, and come back after."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from writer_child import NameExtractor

from searchlib import build_index, update_index
from searchlib.indexing.collection import FULL_COLLECTION_EVERY, fewer_full_collections

DATA = Path(__file__).parent / "data"


def test_the_process_s_thresholds_return_after_the_block_even_on_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(KeyError), fewer_full_collections():
        assert gc.get_threshold() == (before[0], before[1], max(before[2], FULL_COLLECTION_EVERY))
        raise KeyError("the update failed")
    assert gc.get_threshold() == before


def test_an_update_runs_without_full_collections(tmp_path: Path) -> None:
    shutil.copytree(DATA / "corpus", tmp_path / "corpus")
    build_index(tmp_path / "corpus", index_dir=tmp_path / "index", extractor=NameExtractor())
    seen: list[tuple[int, int, int]] = []
    before = gc.get_threshold()
    update_index(
        tmp_path / "corpus",
        index_dir=tmp_path / "index",
        extractor=NameExtractor(),
        progress=lambda done, total: seen.append(gc.get_threshold()),
    )
    assert seen and all(threshold[2] >= FULL_COLLECTION_EVERY for threshold in seen)
    assert gc.get_threshold() == before
