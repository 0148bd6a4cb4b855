"""Arabic and Persian name spellings: skeletons, the variants found, and the expanded search."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from writer_child import NameExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.cli import search_command
from searchlib.querying.variants import (
    NameVocabulary,
    known_names,
    looks_transliterated,
    normal,
    skeleton,
    vowel_edits,
)

DRONES = "101_a1b2c3d4e5f60001"
SYNDICATED_COPY = "201_b1b2c3d4e5f60001"
FOLLOW_UP = "202_b1b2c3d4e5f60002"


@pytest.mark.parametrize(
    "spellings",
    [
        ("Kadhemi", "Kadhimi", "Kazemi"),
        ("Hashed", "Hashd"),
        ("Qasem", "Qassem", "Ghasem", "Qasim"),
        ("Muhandis", "Mohandes"),
        ("Hussein", "Hossein", "Hussain", "Husayn"),
        ("Soleimani", "Soleimany"),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({skeleton(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kazem", "Kazemi"), ("Andre", "Andrea"), ("Amman", "Oman"), ("Hussein", "Hassan"), ("Iraq", "Iraqi")],
)
def test_different_names_do_not_pass_as_variants(a: str, b: str) -> None:
    vocabulary = words([b.lower()])
    assert b.lower() not in vocabulary.variants(a)


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [("kazemi", "kazimi", 1), ("hashed", "hashd", 1), ("muhandis", "mohandes", 2), ("biden", "baden", 99)],
)
def test_only_transliteration_vowel_changes_are_cheap(a: str, b: str, edits: int) -> None:
    assert vowel_edits(normal(a), normal(b)) == edits


@pytest.mark.parametrize(
    "word", ["Kadhimi", "Kazemi", "Qasem", "Ghasem", "Muhandis", "Mohandes", "Hashd", "Hashemi", "Jaafari"]
)
def test_arabic_and_persian_names_look_transliterated(word: str) -> None:
    assert looks_transliterated(word, known_names())


@pytest.mark.parametrize("word", ["Sergi", "Stefan", "Robert", "Beshear", "Jonas", "Colombia", "Zheng"])
def test_western_names_do_not_look_transliterated(word: str) -> None:
    assert not looks_transliterated(word, known_names())


def test_western_names_get_no_variants_even_when_the_archive_has_some() -> None:
    vocabulary = words(["sergey", "stephen", "steffen", "robert", "hussein"])
    assert vocabulary.variants("Sergi") == ()
    assert vocabulary.variants("Stefan") == ()
    assert vocabulary.variants("Robart") == ()
    assert vocabulary.variants("Hossein") == ("hussein",)


def words(vocabulary: Iterable[str], *, not_names: Iterable[str] = ()) -> NameVocabulary:
    listed = sorted(vocabulary)
    excluded = set(not_names)
    return NameVocabulary(
        words_starting=lambda prefix: [w for w in listed if w.startswith(prefix)],
        frequency=lambda word: 1,
        is_name=lambda word: word not in excluded,
    )


def test_variants_come_from_the_vocabulary_and_skip_words_that_are_not_names() -> None:
    vocabulary = words(["kadhimi", "kazemi", "kadhemi", "kazem", "karimi", "hashd"])
    assert set(vocabulary.variants("Kadhemi")) == {"kadhimi", "kazemi"}
    assert words(["kazemi"], not_names=["kazemi"]).variants("Kadhemi") == ()
    assert words(["ghasem"]).variants("Qasem") == ("ghasem",)


@pytest.fixture()
def analyst_searcher(analyst_index: Path):
    with Searcher(analyst_index) as opened:
        yield opened


def test_a_capitalised_name_matches_its_other_spellings(analyst_searcher: Searcher) -> None:
    plain = {h.id for h in analyst_searcher.search("Kadhimi", variants=False).hits}
    expanded = analyst_searcher.search("Kadhimi", collapse=False)
    assert plain == {SYNDICATED_COPY}
    assert {DRONES, FOLLOW_UP, SYNDICATED_COPY} <= {h.id for h in expanded.hits}
    assert len(expanded.variants) == 1 and expanded.variants[0].word == "Kadhimi"
    assert set(expanded.variants[0].variants) == {"Kadhemi", "Kazemi"}


def test_phrases_match_variants_and_the_article_prefix(analyst_searcher: Searcher) -> None:
    results = analyst_searcher.search('"Hashed al-Shaabi"')
    assert FOLLOW_UP in {h.id for h in results.hits}  # written "Hashd al-Shaabi"
    assert FOLLOW_UP not in {h.id for h in analyst_searcher.search('"Hashed al-Shaabi"', variants=False).hits}
    mohandes = analyst_searcher.search('"Abu Mahdi el-Muhandis"')
    assert {h.id for h in mohandes.hits} >= {FOLLOW_UP, "000_21f7ebbefd25b24b"}


def test_lower_case_words_and_negated_names_are_left_alone(analyst_searcher: Searcher) -> None:
    assert analyst_searcher.search("kadhimi").variants == ()
    assert {h.id for h in analyst_searcher.search("Baghdad NOT Kadhemi").hits} == {
        h.id for h in analyst_searcher.search("Baghdad NOT Kadhemi", variants=False).hits
    }


def test_only_variants_that_matched_are_listed(analyst_searcher: Searcher) -> None:
    results = analyst_searcher.search("Kadhimi", source="Reuters")
    assert [v.variants for v in results.variants] == [("Kadhemi",)]


def test_spellings_only_the_aliases_file_has_are_not_listed(analyst_index: Path) -> None:
    # The seed article writes "Kataeb Hezbollah"; "Kataib" and "Hizbollah" are only aliases.
    with Searcher(analyst_index) as searcher:
        assert "kataib" in searcher.name_variants("Kataeb")
        results = searcher.search("Kataeb Hezbollah")
    assert results.total >= 1 and results.variants == ()
    shown = CliRunner().invoke(
        search_command, ["Kataeb Hezbollah", "--index", str(analyst_index)], catch_exceptions=False
    )
    assert "Kataeb Hezbollah" in shown.output and "Also matched spellings" not in shown.output


def test_cli_lists_the_spellings_and_can_turn_them_off(analyst_index: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(search_command, ["Kazemi", "--index", str(analyst_index)], catch_exceptions=False)
    assert "Also matched spellings: Kazemi \u2192 " in shown.output
    off = runner.invoke(search_command, ["Kazemi", "--no-variants", "--json", "--index", str(analyst_index)])
    data = json.loads(off.output)
    assert data["variants"] == [] and data["total"] == 1
    on = json.loads(runner.invoke(search_command, ["Kazemi", "--json", "--index", str(analyst_index)]).output)
    assert on["total"] > 1 and on["variants"][0]["word"] == "Kazemi"


def write(folder: Path, name: str, text: str) -> None:
    header = f" date 2020-01-0{len(name) % 9 + 1} - Source: Wire"
    (folder / f"{name}.txt").write_text(f"{header}\n\nHeadline\n\n{text}\n")


def test_names_are_searched_as_typed_unless_transliterated(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a1", "Stefan Lee met Qassem Soleimani.")
    write(corpus, "a2", "Stephen Lee met Ghasem Soleimani.")
    build_index(corpus, index_dir=tmp_path / "ix", extractor=NameExtractor())
    with Searcher(tmp_path / "ix") as searcher:
        stefan = searcher.search("Stefan")
        assert [h.id for h in stefan.hits] == ["a1"] and stefan.variants == ()
        qasem = searcher.search("Qasem")
        assert {h.id for h in qasem.hits} == {"a1", "a2"}
        assert {s for v in qasem.variants for s in v.variants} == {"Qassem", "Ghasem"}


def test_a_refreshed_searcher_finds_the_spellings_an_update_added(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a1", "Kadhemi Hashim spoke in Baghdad.")
    build_index(corpus, index_dir=tmp_path / "ix", extractor=NameExtractor())
    with Searcher(tmp_path / "ix") as searcher:
        before = searcher.search("Kadhemi")
        assert [h.id for h in before.hits] == ["a1"] and before.variants == ()
        write(corpus, "a2", "Kadhimi Hashim spoke again.")
        update_index(corpus, index_dir=tmp_path / "ix", extractor=NameExtractor())
        assert searcher.refresh()
        results = searcher.search("Kadhemi")
        assert {h.id for h in results.hits} == {"a1", "a2"}
        assert [v.variants for v in results.variants] == [("Kadhimi",)]


def test_a_spelling_the_stemmer_changes_counts_only_where_it_names_someone(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a1", "Leaders of Hashed Shaabi met in Baghdad.")
    write(corpus, "a2", "The details were hashed out in Baghdad.")  # body term "hash", no name
    build_index(corpus, index_dir=tmp_path / "ix", extractor=NameExtractor())
    with Searcher(tmp_path / "ix") as searcher:
        assert searcher.name_variants("Hashd") == ("hashed",)
        assert {h.id for h in searcher.search("hashed", variants=False).hits} == {"a1", "a2"}
        results = searcher.search("Hashd")
        alone = searcher.search("Hashd Baghdad")
    assert [h.id for h in results.hits] == ["a1"]
    assert [v.variants for v in results.variants] == [("Hashed",)]
    assert [h.id for h in alone.hits] == ["a1"] and [v.variants for v in alone.variants] == [("Hashed",)]
