"""What a command loads before it answers: a search of a built index needs neither the build
path nor spaCy, and the names imported on first use are the real ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import searchlib

NOT_FOR_A_SEARCH = ("spacy", "searchlib.indexing.build", "searchlib.indexing.update", "warcio")


def test_a_search_of_a_built_index_loads_neither_the_build_path_nor_spacy(index_dir: Path) -> None:
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
