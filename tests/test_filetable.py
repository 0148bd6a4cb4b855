"""The file table sidecar: written entry by entry, read back whole, replaced atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchlib.indexing.filetable import (
    STREAM_ROWS,
    TABLE_FILE,
    FileEntry,
    FileStat,
    FileTable,
    count_articles,
    iter_scan,
    scan_corpus,
    table_stream,
)

ENTRIES = {
    "101_a": FileEntry("sub/101_a.txt", 120, 1_700_000_000_000_000_000, "ab" * 16),
    'Zürich "quoted"': FileEntry(None, -1, -1, "cd" * 16),
}


def test_a_saved_table_loads_with_its_generation(tmp_path: Path) -> None:
    FileTable(ENTRIES).save(tmp_path, generation=7)
    loaded = FileTable.load(tmp_path, generation=7)
    assert loaded is not None and loaded.entries == ENTRIES
    assert FileTable.load(tmp_path, generation=8) is None


def test_a_streamed_table_is_the_saved_one(tmp_path: Path) -> None:
    with table_stream(tmp_path) as stream:
        for doc_id, entry in ENTRIES.items():
            stream.add(doc_id, entry)
        stream.finish(3)
    assert stream.count == 2
    loaded = FileTable.load(tmp_path, generation=3)
    assert loaded is not None and loaded.entries == ENTRIES


def test_a_stream_of_many_entries_keeps_each_id_s_last_entry(tmp_path: Path) -> None:
    entries = {
        f"{n:06d}_x": FileEntry(f"{n:06d}_x.txt", n, n * 10, f"{n:032x}") for n in range(2 * STREAM_ROWS + 5)
    }
    again = FileEntry("moved/000003_x.txt", 3, 31, "ff" * 16)
    with table_stream(tmp_path) as stream:
        for doc_id, entry in entries.items():
            stream.add(doc_id, entry)
        stream.add("000003_x", again)  # an id met twice: JSON keeps the last
        stream.finish(4)
    assert stream.count == len(entries) + 1
    loaded = FileTable.load(tmp_path, generation=4)
    assert loaded is not None and loaded.entries == {**entries, "000003_x": again}


@pytest.mark.parametrize("fail", [True, False])
def test_a_stream_that_fails_or_is_not_finished_keeps_the_old_table(tmp_path: Path, fail: bool) -> None:
    FileTable(ENTRIES).save(tmp_path, generation=1)
    with pytest.raises((RuntimeError, KeyError)), table_stream(tmp_path) as stream:
        stream.add("other", FileEntry("other.txt", 1, 1, "ef" * 16))
        if fail:
            raise KeyError("the build failed")
    loaded = FileTable.load(tmp_path, generation=1)
    assert loaded is not None and loaded.entries == ENTRIES
    assert [p.name for p in tmp_path.iterdir()] == [TABLE_FILE]


def test_a_scan_streams_what_the_list_holds(corpus_dir: Path) -> None:
    files = scan_corpus(corpus_dir)
    assert list(iter_scan(corpus_dir)) == files
    assert count_articles(corpus_dir) == len(files) > 0
    first = files[0]
    assert first.path == Path(first.location) and first.id == first.path.stem


@pytest.mark.parametrize("name", ["a.b.txt", "noext", ".hidden", "x.", "plain.txt"])
def test_an_id_is_the_file_name_stem(name: str) -> None:
    assert FileStat(f"/corpus/sub/{name}", f"sub/{name}").id == Path(name).stem
