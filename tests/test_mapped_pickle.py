"""Pickles whose arrays are read in place: the same value back, mapped, and damage reported."""

from __future__ import annotations

import mmap
import pickle
from pathlib import Path

import numpy as np
import pytest

from searchlib.indexing import mapped_pickle


def _saved(path: Path, value: object) -> Path:
    with open(path, "wb") as handle:
        mapped_pickle.dump(value, handle)
    return path


def _mapped(array: np.ndarray) -> bool:
    """Whether ``array``'s memory is a view of a memory map (not a copy)."""
    base = array
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    return isinstance(base, memoryview) and isinstance(base.obj, mmap.mmap)


def test_arrays_come_back_equal_aligned_read_only_and_mapped(tmp_path: Path) -> None:
    value = {
        "codes": np.arange(100_001, dtype=np.int32) * 3,
        "offsets": np.array([0, 5, 9], dtype=np.int64),
        "odd": np.frombuffer(b"abcde", dtype=np.uint8),
        "names": [("person", "Ann Lee"), ("place", "Hama")],
    }
    loaded = mapped_pickle.load(_saved(tmp_path / "t", value))
    assert loaded["names"] == value["names"]
    for key in ("codes", "offsets", "odd"):
        assert loaded[key].dtype == value[key].dtype
        assert loaded[key].tolist() == value[key].tolist()
        assert not loaded[key].flags.writeable
        assert loaded[key].ctypes.data % mapped_pickle.ALIGNMENT == 0
    assert _mapped(loaded["codes"])


def test_a_value_without_arrays_and_an_ordinary_pickle_load(tmp_path: Path) -> None:
    assert mapped_pickle.load(_saved(tmp_path / "plain", [1, "two"])) == [1, "two"]
    ordinary = tmp_path / "ordinary"
    ordinary.write_bytes(pickle.dumps({"codes": np.arange(3)}, protocol=2))
    assert mapped_pickle.load(ordinary)["codes"].tolist() == [0, 1, 2]


@pytest.mark.parametrize("keep", [len(mapped_pickle.MAGIC), len(mapped_pickle.MAGIC) + 3, 60, -10])
def test_a_file_cut_short_is_a_value_error(tmp_path: Path, keep: int) -> None:
    path = _saved(tmp_path / "t", {"codes": np.arange(1_000, dtype=np.int64)})
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises((ValueError, pickle.UnpicklingError)):
        mapped_pickle.load(path)
