"""The corpus-changed check: cheap at any size, no false alarm for a copied corpus, no missed change."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import build_index, corpus_changed, update_index
from searchlib.cli import search_command
from searchlib.entities.extract import EntityExtractor
from searchlib.indexing import freshness as fr
from searchlib.indexing.filetable import FileEntry, FileStat, FileTable, corpus_signature, scan_corpus
from searchlib.indexing.store import read_manifest

NEW_ARTICLE = (
    " date 2022-03-01 - Source: Zeppelin Times\n\nZeppelin returns\n\nA zeppelin flew over Berlin.\n"
)
ARTICLE = "103_a1b2c3d4e5f60003.txt"


def copy_back(corpus: Path) -> None:
    """Replace the corpus with a copy of itself: same bytes, new modification times."""
    saved = corpus.with_name("saved")
    corpus.rename(saved)
    shutil.copytree(saved, corpus, copy_function=shutil.copyfile)
    shutil.rmtree(saved)


def rewrite_in_place(path: Path, old: str, new: str) -> None:
    """Change a file's bytes (same size) without touching its folder, as an editor saving in place."""
    text = path.read_text()
    assert len(old) == len(new) and old in text
    folder = path.parent.stat()
    with open(path, "r+", encoding="utf-8") as handle:
        handle.write(text.replace(old, new))
    os.utime(path.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))


def test_a_build_records_a_probe_of_the_corpus(fresh_index: Path, fresh_corpus: Path) -> None:
    probe = fr.load_probe(fresh_index)
    assert probe is not None and probe.signature == read_manifest(fresh_index).corpus_signature
    assert probe.folders[""].articles == 8
    assert sorted(s.rel for s in probe.sample) == sorted(p.name for p in fresh_corpus.glob("*.txt"))
    assert corpus_changed(fresh_index) is False


@pytest.mark.parametrize("probe", ["kept", "deleted"])
def test_a_corpus_copied_back_with_new_mtimes_has_not_changed(
    fresh_index: Path, fresh_corpus: Path, probe: str
) -> None:
    if probe == "deleted":  # an index from before probes: the exact check
        (fresh_index / fr.PROBE_FILE).unlink()
    copy_back(fresh_corpus)
    assert corpus_changed(fresh_index) is False


@pytest.mark.parametrize("probe", ["kept", "deleted"])
def test_a_copied_corpus_with_one_edited_file_has_changed(
    fresh_index: Path, fresh_corpus: Path, probe: str
) -> None:
    if probe == "deleted":
        (fresh_index / fr.PROBE_FILE).unlink()
    copy_back(fresh_corpus)
    rewrite_in_place(fresh_corpus / ARTICLE, "OPEC", "opec")
    assert corpus_changed(fresh_index) is True


def test_an_article_rewritten_in_place_is_noticed(fresh_index: Path, fresh_corpus: Path) -> None:
    rewrite_in_place(fresh_corpus / ARTICLE, "OPEC", "OPEX")
    assert corpus_changed(fresh_index) is True


def test_an_article_replaced_by_rename_with_the_same_size_is_noticed(
    fresh_index: Path, fresh_corpus: Path
) -> None:
    path = fresh_corpus / ARTICLE
    replacement = fresh_corpus / ".tmp-save"
    replacement.write_text(path.read_text().replace("OPEC", "OPEX"))
    replacement.replace(path)
    assert corpus_changed(fresh_index) is True


@pytest.mark.parametrize(
    ("files", "changed"),
    [({}, False), ({"notes.md": "not an article"}, False), ({"a.txt": NEW_ARTICLE}, True)],
)
def test_a_new_subfolder_counts_when_it_holds_articles(
    fresh_index: Path, fresh_corpus: Path, files: dict[str, str], changed: bool
) -> None:
    folder = fresh_corpus / "2022" / "march"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    assert corpus_changed(fresh_index) is changed


def test_a_removed_subfolder_of_articles_has_changed(
    fresh_corpus: Path, tmp_path: Path, spacy_extractor: EntityExtractor
) -> None:
    (fresh_corpus / "2022").mkdir()
    (fresh_corpus / "2022" / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    build_index(fresh_corpus, index_dir=tmp_path / "ix", extractor=spacy_extractor)
    assert corpus_changed(tmp_path / "ix") is False
    shutil.rmtree(fresh_corpus / "2022")
    assert corpus_changed(tmp_path / "ix") is True


def test_an_update_records_the_corpus_it_read(
    fresh_index: Path, fresh_corpus: Path, spacy_extractor: EntityExtractor
) -> None:
    (fresh_corpus / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    assert corpus_changed(fresh_index) is True
    update_index(index_dir=fresh_index, extractor=spacy_extractor)
    assert corpus_changed(fresh_index) is False
    probe = fr.load_probe(fresh_index)
    assert probe is not None and probe.signature == read_manifest(fresh_index).corpus_signature
    assert probe.folders[""].articles == 9


def test_an_update_that_changes_nothing_keeps_the_probe_and_one_after_a_touched_folder_renews_it(
    fresh_index: Path, fresh_corpus: Path, spacy_extractor: EntityExtractor
) -> None:
    probe_file = fresh_index / fr.PROBE_FILE
    written = probe_file.stat().st_ino
    update_index(index_dir=fresh_index, extractor=spacy_extractor)
    assert probe_file.stat().st_ino == written  # not written again
    assert corpus_changed(fresh_index) is False

    # A folder whose mtime moved with its files as they were: the same articles, a new probe,
    # or every check would list the folder again.
    moved = fresh_corpus.stat().st_mtime_ns + 10**9
    os.utime(fresh_corpus, ns=(moved, moved))
    update_index(index_dir=fresh_index, extractor=spacy_extractor)
    probe = fr.load_probe(fresh_index)
    assert probe is not None and probe.folders[""].mtime_ns == moved
    assert probe.signature == read_manifest(fresh_index).corpus_signature
    assert corpus_changed(fresh_index) is False


def test_a_large_corpus_checks_folders_and_a_bounded_sample(
    fresh_corpus: Path, tmp_path: Path, spacy_extractor: EntityExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fr, "SAMPLE_FILES", 4)
    build_index(fresh_corpus, index_dir=tmp_path / "ix", extractor=spacy_extractor)
    probe = fr.load_probe(tmp_path / "ix")
    assert probe is not None and len(probe.sample) == 4
    (fresh_corpus / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    assert corpus_changed(tmp_path / "ix") is True


def test_a_probe_that_does_not_match_the_manifest_is_not_trusted(
    fresh_index: Path, fresh_corpus: Path
) -> None:
    (fresh_corpus / "102_a1b2c3d4e5f60002.txt").unlink()
    # A probe of the corpus as it is now, as a writer stopped before its manifest would leave.
    files = scan_corpus(fresh_corpus)
    fr.save_probe(
        fresh_index, signature="0" * 32, mtimes=fr.folder_mtimes(fresh_corpus), files=files, table=FileTable()
    )
    assert corpus_changed(fresh_index) is True


def test_search_gives_no_stale_note_for_a_copied_corpus(fresh_index: Path, fresh_corpus: Path) -> None:
    def search(*args: str) -> str:
        runner = CliRunner()
        return runner.invoke(
            search_command, [*args, "--index", str(fresh_index)], catch_exceptions=False
        ).stderr

    copy_back(fresh_corpus)
    assert "note:" not in search("OPEC")
    (fresh_corpus / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    assert "changed since the index was last updated" in search("OPEC")


def test_a_build_records_the_probe_its_scan_gives(fresh_index: Path, fresh_corpus: Path) -> None:
    """The build makes its probe as files pass; it equals the one made from the whole list."""
    probe = fr.load_probe(fresh_index)
    files = scan_corpus(fresh_corpus)
    assert probe is not None and probe.signature == corpus_signature(files)
    assert probe.folders == {"": fr.Folder(fresh_corpus.stat().st_mtime_ns, len(files), *fr._digests(files))}
    assert {item.rel for item in probe.sample} == {item.rel for item in files}


def test_the_sample_of_a_large_corpus_is_the_newest_and_a_spread_of_the_rest() -> None:
    count = 5 * fr.SAMPLE_FILES + 37
    files = [
        FileStat(f"/c/{i // 1000}/{i:05d}.txt", f"{i // 1000}/{i:05d}.txt", 100, (i * 7919) % count)
        for i in range(count)
    ]
    table = FileTable(
        {item.id: FileEntry(item.rel, 100, item.mtime_ns, f"{i:032x}") for i, item in enumerate(files)}
    )
    probe = fr.make_probe(signature="s", mtimes={}, files=files, table=table)
    sampled = [int(item.rel[-9:-4]) for item in probe.sample]
    newest = sorted(range(count), key=lambda i: -files[i].mtime_ns)[: fr.SAMPLE_FILES // 2]
    assert len(sampled) == len(set(sampled)) <= fr.SAMPLE_FILES
    assert set(newest) <= set(sampled)
    spread = sorted(set(sampled) - set(newest))
    assert len(sampled) == fr.SAMPLE_FILES and spread[0] < 20 and spread[-1] > count - 20
    assert max(b - a for a, b in itertools.pairwise(spread)) <= 4 * count // fr.SAMPLE_FILES
    assert probe == fr.make_probe(signature="s", mtimes={}, files=files, table=table)
    assert all(item.content_hash == table.entries[item.rel[-9:-4]].content_hash for item in probe.sample)
