"""Snippets mark the analysed query terms in the best windows of the text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchlib.indexing.schema import text_analyzer
from searchlib.querying.snippets import (
    WordForms,
    _ascii_candidates,
    _mixed_candidates,
    candidate_words,
    find_term_spans,
    make_snippets,
)

ANALYZER = text_analyzer()
TEXT = (
    "The opening paragraph talks about something else entirely, at some length, to push the "
    "match further down.\n\nElections were held on Sunday. The election commission said turnout "
    "was high. " + "Filler words follow here. " * 30 + "A final mention of the elected body."
)


def marked(snippets) -> list[str]:
    return [s.marked("<", ">") for s in snippets]


def test_stemmed_forms_are_marked() -> None:
    out = marked(make_snippets(TEXT, frozenset({"elect"}), ANALYZER))
    assert "<Elections>" in out[0] and "<election>" in out[0]


def test_at_most_the_requested_fragments_in_text_order() -> None:
    snippets = make_snippets(TEXT, frozenset({"elect"}), ANALYZER, fragments=2, width=120)
    assert len(snippets) == 2
    assert "<elected>" in marked(snippets)[1]


def test_adjacent_terms_are_marked_as_one_phrase() -> None:
    text = "Officials blamed Kataeb Hezbollah for the attack."
    out = marked(make_snippets(text, frozenset({"kataeb", "hezbollah"}), ANALYZER))
    assert out == ["Officials blamed <Kataeb Hezbollah> for the attack."]


def test_no_match_gives_the_opening_words_unmarked() -> None:
    snippets = make_snippets(TEXT, frozenset({"absent"}), ANALYZER, width=60)
    assert len(snippets) == 1 and snippets[0].highlights == ()
    assert snippets[0].text.startswith("The opening paragraph")
    assert snippets[0].text.endswith("\u2026")


def test_highlight_offsets_point_at_the_terms() -> None:
    for snippet in make_snippets(TEXT, frozenset({"elect"}), ANALYZER, width=80):
        for start, end in snippet.highlights:
            assert snippet.text[start:end].lower().startswith("elect")


def test_empty_text() -> None:
    assert make_snippets("", frozenset({"x"}), ANALYZER) == ()


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("The U.S. and the US agreed.", "U.S.", ["U.S"]),
        ("Élysée Palace and the elysee garden", "Elysee", ["Élysée", "elysee"]),
        ("Studies and studying, but not student", "study", ["Studies", "studying"]),
        ("end.Start and ...Start", "start", ["Start"]),
        ("nothing here", "absent", []),
    ],
)
def test_term_spans_match_the_analyser_word_by_word(text: str, query: str, expected: list[str]) -> None:
    terms = frozenset(token.text for token in ANALYZER(query, mode="query"))
    spans = find_term_spans(text, terms, WordForms(ANALYZER))
    assert [text[s:e] for s, e in spans] == expected
    tokens = ANALYZER(text, chars=True, mode="query")
    assert spans == [(t.startchar, t.endchar) for t in tokens if t.text in terms]


def test_word_forms_are_remembered_and_bounded() -> None:
    forms = WordForms(ANALYZER, max_words=2)
    assert forms("Elections") == ("elect",)
    assert forms("the") == ()
    forms("third")
    assert len(forms._forms) <= 2


@pytest.mark.parametrize(
    ("candidates", "text_alphabet", "term_alphabet"),
    [
        (_ascii_candidates, "aAbBeElLsStT_09 .-'\n", "abelst_09."),
        # Curly quotes, accents, a Kelvin sign that matches k, a long s that matches s, a dotted
        # capital I whose lower case is two characters, Arabic letters.
        (_mixed_candidates, "aAbBeEkKsS_09 .-'\n\u2019\u2013éÉßẞſ\u212aİı\u0301\u0628", "abeks_09.éß\u0628"),
    ],
)
@given(data=st.data())
def test_candidates_are_the_words_the_pattern_finds(
    candidates: Callable[[str, frozenset[str], int], list[tuple[int, int]]],
    text_alphabet: str,
    term_alphabet: str,
    data: st.DataObject,
) -> None:
    text = data.draw(st.text(alphabet=text_alphabet, max_size=80))
    terms = data.draw(st.frozensets(st.text(alphabet=term_alphabet, min_size=1, max_size=5), max_size=4))
    scan = data.draw(st.integers(min_value=0, max_value=90))
    expected = [m.span() for m in candidate_words(terms).finditer(text, 0, scan)]
    assert candidates(text, terms, scan) == expected


def test_a_term_is_found_in_ascii_and_in_other_text_alike() -> None:
    terms = frozenset({"elect"})
    for text in ("Elections, then U.S.elections.", "Élysée: Elections, then U.S.elections."):
        spans = find_term_spans(text, terms, WordForms(ANALYZER))
        assert [text[s:e] for s, e in spans] == ["Elections"]
