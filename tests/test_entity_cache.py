"""The NER cache: a real SQLite file, keys by text hash and NER version."""

from __future__ import annotations

from pathlib import Path

from searchlib.entities.cache import EntityCache, text_key


def test_spans_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with EntityCache(path, version="v1") as cache:
        cache.put_many({text_key("a"): [(0, 4, "ORG")], text_key("b"): []})
    with EntityCache(path, version="v1") as cache:
        assert cache.get_many([text_key("a"), text_key("b"), text_key("c")]) == {
            text_key("a"): [(0, 4, "ORG")],
            text_key("b"): [],
        }
        assert len(cache) == 2


def test_another_ner_version_sees_nothing_and_drops_old_entries(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with EntityCache(path, version="v1") as cache:
        cache.put_many({text_key("a"): [(0, 1, "GPE")]})
    with EntityCache(path, version="v2") as cache:
        assert cache.get_many([text_key("a")]) == {}
        assert len(cache) == 0
    with EntityCache(path, version="v1") as cache:
        assert len(cache) == 0


def test_a_damaged_cache_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not an sqlite database" * 100)
    with EntityCache(path, version="v1") as cache:
        assert cache.get_many([text_key("a")]) == {}
        cache.put_many({text_key("a"): []})
    assert path.with_suffix(".damaged").is_file()


def test_many_keys_at_once(tmp_path: Path) -> None:
    keys = [text_key(str(i)) for i in range(1200)]
    with EntityCache(tmp_path / "c.sqlite", version="v1") as cache:
        cache.put_many({k: [(0, 1, "ORG")] for k in keys})
        assert len(cache.get_many(keys)) == 1200


def test_text_key_differs_with_any_change() -> None:
    assert text_key("Kataeb Hezbollah") != text_key("Kataeb Hezbollah ")
    assert len(text_key("x")) == 32
