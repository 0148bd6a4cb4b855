"""Did you mean: corrections from the index's own vocabulary for queries with few matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import query as wq

from searchlib import Searcher, build_index
from searchlib.cli import search_command
from searchlib.indexing import schema as f
from searchlib.querying.spelling import (
    WordLists,
    _as_written,
    _same_case,
    edit_distance,
    suggest,
    terms_within,
)


@pytest.fixture()
def analyst_searcher(analyst_index: Path):
    with Searcher(analyst_index) as opened:
        yield opened


def test_an_unknown_name_is_corrected_to_one_the_archive_has(analyst_searcher: Searcher) -> None:
    results = analyst_searcher.search("Soleinani")
    assert results.total == 0
    assert results.suggestion is not None
    assert results.suggestion.query == "Soleimani"
    assert results.suggestion.total == analyst_searcher.search("Soleimani").total >= 2
    assert results.suggestion.corrections == (("Soleinani", "Soleimani"),)


def test_a_rare_spelling_is_corrected_to_a_much_commoner_one(analyst_searcher: Searcher) -> None:
    results = analyst_searcher.search("Kadhimi", variants=False)
    assert results.total == 1
    assert results.suggestion is not None and results.suggestion.query == "Kadhemi"


def test_only_the_unknown_words_change_and_the_syntax_stays(analyst_searcher: Searcher) -> None:
    suggestion = analyst_searcher.search('"Kataeb Hezbolah" NOT wheat', variants=False).suggestion
    assert suggestion is not None
    assert suggestion.query == '"Kataeb Hezbollah" NOT wheat'
    body_word = analyst_searcher.search("electon").suggestion
    assert body_word is not None and body_word.query == "election"  # shown as written, not "elect"


def test_no_suggestion_for_queries_with_enough_matches_or_no_close_word(analyst_searcher: Searcher) -> None:
    assert analyst_searcher.search("Baghdad").suggestion is None
    assert analyst_searcher.search("qwxzvy").suggestion is None
    assert analyst_searcher.search("Soleinani", suggest=False).suggestion is None


def test_the_suggestion_counts_matches_under_the_same_filters(analyst_searcher: Searcher) -> None:
    assert analyst_searcher.search("Soleinani", source="Reuters").suggestion is None
    filtered = analyst_searcher.search("Soleinani", source="Kurdistan 24").suggestion
    assert filtered is not None and filtered.total == 1


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("trupm", "trump", 1),
        ("missle", "missile", 1),
        ("kadhimi", "kadhemi", 1),
        ("abc", "abc", 0),
        ("", "ab", 2),
    ],
)
def test_distance_counts_a_swap_as_one_edit(a: str, b: str, expected: int) -> None:
    assert edit_distance(a, b) == expected


@pytest.mark.parametrize("word", ["soleinani", "kadhimi", "electon", "hezbolah", "trupm", "baghdad"])
@pytest.mark.parametrize("field", [f.ENTITY_TEXT, f.BODY])
def test_close_words_are_those_whoosh_finds(analyst_searcher: Searcher, field: str, word: str) -> None:
    reader = analyst_searcher._searcher.reader()
    expected = sorted(reader.terms_within(field, word, 2, prefix=1))  # the reference, in Python
    assert sorted(terms_within(reader, field, word, 2)) == expected


def test_close_words_include_the_intended_name(analyst_searcher: Searcher) -> None:
    reader = analyst_searcher._searcher.reader()
    assert {"kadhemi", "kadhimi"} <= set(terms_within(reader, f.ENTITY_TEXT, "kadhimi", 2))


@pytest.mark.parametrize(
    ("typed", "word", "expected"),
    [
        ("tilerson", "Tillerson", "tillerson"),
        ("Tilerson", "tillerson", "Tillerson"),
        ("OPCE", "opec", "OPEC"),
    ],
)
def test_the_correction_keeps_the_case_typed(typed: str, word: str, expected: str) -> None:
    assert _same_case(typed, word) == expected


def test_cli_shows_the_suggestion_and_json_has_it(analyst_index: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(
        search_command, ["Soleinani", "--index", str(analyst_index)], catch_exceptions=False
    )
    assert "Did you mean: Soleimani  (" in plain.output
    data = json.loads(
        runner.invoke(search_command, ["Soleinani", "--json", "--index", str(analyst_index)]).output
    )
    assert data["suggestion"]["query"] == "Soleimani"
    assert data["suggestion"]["corrections"] == [["Soleinani", "Soleimani"]]


def test_a_capitalised_word_is_corrected_towards_a_name_even_in_its_first_letter(
    analyst_searcher: Searcher,
) -> None:
    suggestion = analyst_searcher.search("Qadhemi", variants=False).suggestion
    assert suggestion is not None and suggestion.query == "Kadhemi"


def test_a_multi_word_name_is_corrected_as_a_whole(analyst_searcher: Searcher) -> None:
    """Word by word, "al-Kadhimy" is no word at all; as a whole it is a name the index has."""
    suggestion = analyst_searcher.search("Mustafa al-Kadhimy", variants=False).suggestion
    assert suggestion is not None
    assert suggestion.query == "Mustafa al-Kadhemi"
    assert suggestion.total == analyst_searcher.search("Mustafa al-Kadhemi", variants=False).total > 0


PUT_ARTICLES = [
    "They put the plan on hold after the vote.",
    "Officials put new rules in place for the port.",
    "The council put forward a budget on Monday.",
    "Farmers put their harvest into storage early.",
    "Russian President Vladimir Putin met the delegation in Moscow on Tuesday.",
    "In Moscow, Vladimir Putin spoke about the economy for an hour.",
]


def test_a_name_is_preferred_to_a_commoner_word_as_close(tmp_path: Path) -> None:
    """``Putn`` is one edit from "put" (four articles) and from "Putin" (two): it means Putin."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number, body in enumerate(PUT_ARTICLES):
        (corpus / f"{number:03d}_put.txt").write_text(
            f" date 2021-01-0{number + 1} - Source: Wire\n\nStory {number}\n\n{body}\n", encoding="utf-8"
        )
    build_index(corpus, index_dir=tmp_path / "ix")
    with Searcher(tmp_path / "ix") as searcher:
        suggestion = searcher.search("Putn", variants=False).suggestion
        lower = searcher.search("putn", variants=False).suggestion
    assert suggestion is not None and suggestion.query == "Putin"
    assert lower is not None and lower.query == "put"  # not capitalised: the commoner word


def test_words_an_update_adds_are_suggested_after_a_refresh(fresh_corpus: Path, tmp_path: Path) -> None:
    """The word lists a searcher keeps between queries belong to one state of the index."""
    from writer_child import NameExtractor

    from searchlib import build_index, update_index

    index = tmp_path / "index"
    build_index(fresh_corpus, index_dir=index, extractor=NameExtractor())
    with Searcher(index) as searcher:
        assert searcher.search("Zanzibarians").suggestion is None  # lists the words starting with z
        for n in range(4):
            (fresh_corpus / f"zed-{n}.txt").write_text(
                f" date 2020-01-0{n + 1} 2020/01/0{n + 1} | 09:00 - Source: Wire\n\nIsles\n\n"
                "The Zanzibarian delegates met the other Zanzibarian envoys.\n",
                encoding="utf-8",
            )
        update_index(fresh_corpus, index_dir=index, extractor=NameExtractor())
        assert searcher.refresh()
        suggestion = searcher.search("Zanzibarain").suggestion
    assert suggestion is not None and suggestion.query == "Zanzibarian"


def test_kept_word_lists_and_counts_suggest_what_fresh_ones_do(analyst_searcher: Searcher) -> None:
    """A searcher's kept word lists, name words and document counts change no suggestion."""
    whoosh_searcher = analyst_searcher._searcher
    listed: list[int] = []

    def names() -> list[tuple[str, int]]:
        listed.append(1)
        return analyst_searcher._known_values("entity")

    def count(text: str) -> int:
        return analyst_searcher.search(text, suggest=False, facets=None, snippets=0).total

    asked: list[tuple[str, str]] = []

    def doc_frequency(field: str, word: str) -> int:
        asked.append((field, word))
        return whoosh_searcher.reader().doc_frequency(field, word)

    kept = WordLists(whoosh_searcher.reader(), doc_frequency=doc_frequency)
    suggested = []
    for typed in ("Soleinani", "electon", '"Kataeb Hezbolah"', "Kadhimi"):
        parsed = analyst_searcher._query(typed, analyst_searcher._resolved_filters())[0]
        total = count(typed)
        fresh = suggest(whoosh_searcher, typed, parsed, count=count, total=total, names=names)
        again = suggest(whoosh_searcher, typed, parsed, count=count, total=total, names=names, words=kept)
        assert again == fresh
        suggested.append(again)
    assert suggested[0] and suggested[1] and asked
    assert kept.name_words(names)() == kept.name_words(None)()  # listed once, then kept
    assert kept.known_names(names) is kept.known_names(names)


@pytest.mark.parametrize("stem", ["elect", "missil", "kataeb", "offici", "nosuchstem"])
def test_a_stem_is_shown_as_the_best_article_first_writes_it(analyst_searcher: Searcher, stem: str) -> None:
    whoosh_searcher = analyst_searcher._searcher
    results = whoosh_searcher.search(wq.Term(f.BODY, stem), limit=1)
    body = results[0].get(f.BODY, "") if results else ""
    analyzer = whoosh_searcher.schema[f.BODY].analyzer
    expected = next(  # Whoosh reuses one token object: read each as it comes
        (body[t.startchar : t.endchar] for t in analyzer(body, chars=True, mode="query") if t.text == stem),
        None,
    )
    forms = WordLists(whoosh_searcher.reader()).body_forms()
    assert _as_written(whoosh_searcher, stem, forms=forms) == expected
    assert _as_written(whoosh_searcher, stem) == expected
