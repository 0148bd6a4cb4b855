"""Atomic replacement of the index's small files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from searchlib.indexing.atomic import write_atomically, write_json_atomically


def test_replaces_the_file_readable_by_others_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "table.json"
    target.write_text("old")
    write_json_atomically(target, {"a": [1, 2]}, prefix=".t-", separators=(",", ":"))
    assert target.read_text() == '{"a":[1,2]}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["table.json"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "table.json"
    target.write_text('{"kept": true}')
    with pytest.raises(TypeError):
        write_json_atomically(target, {"bad": object()}, prefix=".t-")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes", prefix=".t-")  # type: ignore[arg-type]
    assert json.loads(target.read_text()) == {"kept": True}
    assert [p.name for p in tmp_path.iterdir()] == ["table.json"]
