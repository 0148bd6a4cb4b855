"""The analysers' fast indexing path gives exactly the terms and positions of Whoosh's chain."""

from __future__ import annotations

import pickle
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.formats import Positions
from whoosh.support.charset import accent_map

from searchlib.articles.textfile import read_article
from searchlib.indexing.analysis import FastPositions, NameAnalyzer, TextAnalyzer, ValuesTokenizer
from searchlib.indexing.schema import BODY, TITLE, build_schema

CORPUS = Path(__file__).parent / "data" / "corpus"
TEXT_CHAIN = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter() | StemFilter()
NAME_CHAIN = ValuesTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
TRICKY = [
    "The elections, the ELECTIONS and électeurs.",
    "U.S. Ph.D. 3.141 big-time under_score a b I",
    "ΟΔΟΣ ΣΟΦΟΣ İstanbul ﬁnance Straße Æsir",
    "the of and to a in",
    "Donald Trump\nVladimir Putin\n\nal-Kadhemi",
    "",
    "   \n\n ",
    "مرحبا بالعالم 中文 Ñandú Sāmarrā",
]
TEXT = st.text(
    alphabet=st.sampled_from(list("aeiostnAEIOST .,\n-_'0123é中ΣσςİßÆﬁ")) | st.characters(), max_size=200
)


def chain_positions(analyzer, value: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for token in analyzer(value, positions=True):
        found[token.text].append(token.pos)
    return dict(found)


@pytest.mark.parametrize("value", TRICKY)
def test_text_terms_match_the_chain(value: str) -> None:
    assert TextAnalyzer().term_positions(value) == chain_positions(TEXT_CHAIN, value)


@pytest.mark.parametrize("value", TRICKY)
def test_name_terms_match_the_chain(value: str) -> None:
    assert NameAnalyzer().term_positions(value) == chain_positions(NAME_CHAIN, value)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("the the elections")
def test_text_terms_match_the_chain_on_any_text(value: str) -> None:
    analyzer = TextAnalyzer()
    assert analyzer.term_positions(value) == chain_positions(TEXT_CHAIN, value)
    assert analyzer.term_positions(value) == chain_positions(TEXT_CHAIN, value)  # from the memo


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_name_terms_match_the_chain_on_any_text(value: str) -> None:
    assert NameAnalyzer().term_positions(value) == chain_positions(NAME_CHAIN, value)


def test_real_articles_give_the_chains_terms() -> None:
    analyzer = TextAnalyzer()
    for path in sorted(CORPUS.glob("*.txt")):
        body = read_article(path).body
        assert analyzer.term_positions(body) == chain_positions(TEXT_CHAIN, body)


@pytest.mark.parametrize("field_name", [TITLE, BODY])
def test_fast_format_gives_whooshs_postings(field_name: str) -> None:
    field = build_schema()[field_name]
    assert isinstance(field.format, FastPositions)
    plain = Positions(field_boost=field.format.field_boost)
    for path in sorted(CORPUS.glob("*.txt")):
        body = read_article(path).body
        fast = sorted(field.format.word_values(body, field.analyzer, mode="index"))
        assert fast == sorted(plain.word_values(body, TEXT_CHAIN, mode="index"))
        assert sorted(field.format.word_values(body, field.analyzer, mode="index")) == fast
        columns = field.format.postings(body, field.analyzer)
        assert columns is not None
        *items, places = columns
        assert sorted(zip(*items, strict=True)) == fast
        encoded = items[3]
        assert [field.format.decode_positions(value) for value in encoded] == places


def test_fast_format_has_no_columns_without_the_fast_path() -> None:
    """A value that is not text, or an analyser without ``term_positions``: Whoosh's own path."""
    field = build_schema()[BODY]
    assert field.format.postings(["a", "list"], field.analyzer) is None
    assert field.format.postings("some text", TEXT_CHAIN) is None


def test_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("searchlib.indexing.analysis.MEMO_WORDS", 10)
    analyzer = TextAnalyzer()
    text = " ".join(f"word{i}" for i in range(50))
    for _ in range(3):
        assert analyzer.term_positions(text) == chain_positions(TEXT_CHAIN, text)
    assert len(analyzer.__dict__["_memo"]) <= 10  # within one text too: a 20 MB article held millions


def test_the_memo_of_single_positions_is_bounded_within_one_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("searchlib.indexing.analysis.MEMO_WORDS", 10)
    field = build_schema()[BODY]
    text = " ".join(f"word{i}" for i in range(50))
    columns = field.format.postings(text, field.analyzer)
    assert columns is not None and len(columns[0]) == 50
    assert sorted(field.format.word_values(text, field.analyzer, mode="index")) == sorted(
        Positions(field_boost=field.format.field_boost).word_values(text, TEXT_CHAIN, mode="index")
    )
    assert len(field.format.__dict__["_single"]) <= 10


def test_a_text_read_in_chunks_gives_the_chains_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long text's words are listed a chunk at a time, each cut where no word runs across."""
    monkeypatch.setattr("searchlib.indexing.analysis.TEXT_CHUNK", 7)
    bodies = [read_article(path).body for path in sorted(CORPUS.glob("*.txt"))]
    for value in [*TRICKY, "U.S.A.B.C.D.E.F.G.H 3.141.592.653 x", *bodies]:
        assert TextAnalyzer().term_positions(value) == chain_positions(TEXT_CHAIN, value)


def test_analysers_pickle_without_their_memos() -> None:
    schema = build_schema()
    field = schema[BODY]
    list(field.format.word_values("Elections in Mosul, elections in Basra", field.analyzer, mode="index"))
    copy = pickle.loads(pickle.dumps(schema))
    assert "_memo" not in copy[BODY].analyzer.__dict__
    assert "_single" not in copy[BODY].format.__dict__
    assert copy[BODY].format == field.format
    assert copy[BODY].analyzer.term_positions("the elections") == {"elect": [1]}
