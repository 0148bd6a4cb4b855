"""What a command loads before it answers: a search of a built index needs neither the build
path nor spaCy, and the names imported on first use are the real ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import searchlib

NOT_FOR_A_SEARCH = (
    "spacy",
    "searchlib.indexing.build",
    "searchlib.indexing.update",
    "searchlib.entities.resolve",
    "warcio",
)


def test_a_search_of_a_built_index_loads_neither_the_build_path_nor_the_resolution_pass_nor_spacy(
    index_dir: Path,
) -> None:
    script = (
        "import sys; from searchlib.cli import search_main; "
        f"sys.argv = ['search', 'Kataeb', '--index', {str(index_dir)!r}, '--color', 'never']\n"
        "try:\n    search_main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
        f"print(sorted(m for m in {NOT_FOR_A_SEARCH!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "Kataeb" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_names_imported_on_first_use_are_the_builders() -> None:
    from searchlib import build_index, update_index
    from searchlib.indexing import build, update

    assert build_index is build.build_index
    assert update_index is update.update_index
    assert searchlib.build_index is build.build_index
    assert {"build_index", "update_index", "Searcher"} <= set(dir(searchlib))


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'build_indx'"):
        searchlib.build_indx  # noqa: B018
    with pytest.raises(ImportError):
        from searchlib import build_indx  # type: ignore[attr-defined]  # noqa: F401


@pytest.mark.parametrize(
    ("entry", "args", "status"),
    [
        ("search_main", ["Kataeb", "--index", "{index}", "--color", "never"], 0),
        ("search_main", ["Kataeb", "--index", "{missing}"], 3),
        ("main", ["stats", "--index", "{index}"], 0),
    ],
)
def test_a_command_leaves_what_it_loaded_out_of_the_collections_at_exit(
    index_dir: Path, tmp_path: Path, entry: str, args: list[str], status: int
) -> None:
    """The commands freeze the garbage collector's objects as they end (``exit_without_collecting``):
    Python's collections while it shuts down skip them, the exit status and the output stay."""
    argv = [a.format(index=index_dir, missing=tmp_path / "none") for a in args]
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"  # runs last
        f"from searchlib.cli import {entry}\n"
        f"sys.argv = ['searchlib', *{argv!r}]\n"
        f"print('before', gc.get_freeze_count() > 0)\n"
        f"{entry}()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == status, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "before False"
    assert lines[-1] == "frozen True"
    assert len(lines) > 2 or status != 0
