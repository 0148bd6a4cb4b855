"""A read-only index folder: each writing command says so in one line, with the right cure.

The commands run in a child process for which file modes are enforced even as root (see
``test_hostile_corpus.drop_file_permission_override``).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hostile_corpus import drop_file_permission_override

from searchlib.cli import ExitStatus


def run_denied(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "searchlib", *args],
        capture_output=True,
        text=True,
        preexec_fn=drop_file_permission_override if os.geteuid() == 0 else None,
        timeout=120,
    )


def set_writable(folder: Path, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.fixture()
def read_only_index(index_dir: Path, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "index"
    shutil.copytree(index_dir, target)
    set_writable(target, False)
    yield target
    set_writable(target, True)


def assert_permission_message(result: subprocess.CompletedProcess[str], *, left: str) -> None:
    assert result.returncode == ExitStatus.WRITE_FAILED, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Permission denied" in result.stderr
    assert "writable for this user" in result.stderr
    assert "disk space" not in result.stderr
    assert left in result.stderr


@pytest.mark.parametrize("args", [["watch", "add", "oilwatch", "oil"], ["watch", "run"]])
def test_saved_searches_in_a_read_only_index(read_only_index: Path, args: list[str]) -> None:
    result = run_denied(*args, "--index", str(read_only_index))
    assert_permission_message(result, left="the saved searches are as they were")


def test_an_update_of_a_read_only_index(read_only_index: Path, corpus_dir: Path) -> None:
    result = run_denied("update", str(corpus_dir), "--index", str(read_only_index))
    assert_permission_message(result, left="it still answers with its last committed state")


def test_a_first_build_in_a_read_only_folder_claims_no_index(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        for command in ("index", "update"):
            result = run_denied(command, str(corpus_dir), "--index", str(folder / "index"))
            assert_permission_message(result, left="no index was made")
            assert "last committed state" not in result.stderr
            assert f"make {folder} writable" in result.stderr
    finally:
        folder.chmod(0o755)
