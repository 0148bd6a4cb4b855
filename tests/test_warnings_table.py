"""Per-file warnings are kept with the index: listed by --warnings, counted by `searchlib stats`."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURE_CORPUS

from searchlib import Searcher, build_index, update_index
from searchlib.cli import ExitStatus, cli

ODD = {
    "bad.txt": b" date 2020-13-45 - Source: Odd Wire\n\nOdd title\n\nBody \x00 with \xff bytes.\n",
    "nohead.txt": b"no header at all\n\nbody words here\n",
}
NOTES = {
    ("bad.txt", "1 undecodable byte sequence(s) replaced"),
    ("bad.txt", "NUL bytes removed"),
    ("bad.txt", "impossible date '2020-13-45' ignored"),
    ("nohead.txt", "no header line; date and source unknown"),
}


def odd_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "articles"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    for name, data in ODD.items():
        (corpus / name).write_bytes(data)
    return corpus


def kept_warnings(index: Path) -> set[tuple[str, str]]:
    with Searcher(index) as searcher:
        return {(Path(w.path).name, w.reason) for w in searcher.stats().warnings}


def test_the_build_keeps_its_warnings_and_updates_follow_the_files(tmp_path: Path) -> None:
    corpus, index = odd_corpus(tmp_path), tmp_path / "index"
    build_index(corpus, index_dir=index)
    assert kept_warnings(index) == NOTES
    assert update_index(corpus, index_dir=index).unchanged == 10
    assert kept_warnings(index) == NOTES  # an unchanged file keeps the warnings of its reading
    (corpus / "bad.txt").write_text(" date 2020-01-01 - Source: Odd Wire\n\nOdd title\n\nClean now.\n")
    update_index(corpus, index_dir=index)
    assert kept_warnings(index) == {("nohead.txt", "no header line; date and source unknown")}
    (corpus / "nohead.txt").unlink()
    update_index(corpus, index_dir=index)
    assert kept_warnings(index) == set()


def test_the_commands_list_and_count_the_warnings(tmp_path: Path) -> None:
    corpus, index = odd_corpus(tmp_path), tmp_path / "index"
    built = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(index), "--warnings"])
    assert built.exit_code == ExitStatus.SUCCESS, built.output
    for name, note in NOTES:
        assert f"{corpus / name}: {note}" in built.output
    counted = CliRunner().invoke(cli, ["stats", "--index", str(index)])
    assert "4 warnings in 2 indexed files (--warnings lists them)" in counted.output
    listed = CliRunner().invoke(cli, ["stats", "--index", str(index), "--warnings"])
    assert f"{corpus / 'nohead.txt'}: no header line" in listed.output
    as_json = CliRunner().invoke(cli, ["stats", "--index", str(index), "--json"])
    assert '"reason": "NUL bytes removed"' in as_json.output
    updated = CliRunner().invoke(cli, ["update", "--index", str(index), "--warnings"])
    assert updated.exit_code == ExitStatus.SUCCESS, updated.output
