"""Query text read as meant: malformed queries refused with a pointer, pasted text searched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from searchlib import Searcher
from searchlib.cli import ExitStatus, search_command
from searchlib.errors import QuerySyntaxError
from searchlib.indexing.schema import build_schema
from searchlib.querying.parser import parse_query, read_query
from searchlib.querying.query_text import literal_text

SCHEMA = build_schema()


@pytest.mark.parametrize(
    ("text", "problem", "literal"),
    [
        ('"unclosed', "unclosed quote at column 1", "'unclosed'"),
        ("(Iraq OR", "bracket never closed at column 1", "'Iraq or'"),
        ("Iraq)", "')' closes no bracket at column 5", "'Iraq'"),
        (
            "foo:bar",
            "unknown field 'foo' at column 1 of 'foo:bar': use one of body, date, entity",
            "'foo bar'",
        ),
        ("person:", "'person:' has nothing after it at column 1", "'person'"),
        ("person: Putin", "with no space after the colon", "'person Putin'"),
        ("Trump AND", "AND has nothing after it at column 7", "'Trump and'"),
        ("AND Trump", "AND has nothing before it at column 1", "'and Trump'"),
        ("Trump OR AND Putin", "OR has nothing after it at column 7", "'Trump or and Putin'"),
        ("Iraq NOT", "NOT has nothing after it", "'Iraq not'"),
        ("()", "empty brackets at column 1", None),
        ("date:[2020-01 TO 2020-02", "range never closed at column 6", None),
    ],
)
def test_a_malformed_query_is_refused_with_where_and_the_plain_search(
    text: str, problem: str, literal: str | None
) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(text, SCHEMA)
    message = str(raised.value)
    assert problem in message
    if literal:
        assert message.endswith(f"to search the words as written: {literal}")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("NOT NOT trump", "NOT follows another NOT at column 5"),
        ("date:>2017", "'date:>2017' is not a date at column 1"),
        ("path:/etc/passwd", "unknown field 'path' at column 1"),
        ("(" * 997 + "trump" + ")" * 997, "brackets nested more than 20 deep at column 21"),
        ("trump~abc", "bad fuzzy word 'trump~abc' at column 1 of 'trump~abc': ~ takes only a number"),
        ("trump~-1", "bad fuzzy word 'trump~-1'"),
        ("\u200b\u200b", "only invisible or control characters"),
        ("\x01\x02", "only invisible or control characters"),
    ],
)
def test_odd_queries_say_what_is_wrong_without_python_internals(text: str, problem: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(text, SCHEMA)
    message = str(raised.value)
    assert problem in message
    for internal in ("list index", "invalid literal", "STORED(", "recursion", "Traceback"):
        assert internal not in message


@pytest.mark.parametrize("text", ["*", "*:*", " * ", "\u200b*:*"])
def test_a_lone_star_is_refused_with_the_way_to_list_every_article(searcher: Searcher, text: str) -> None:
    with pytest.raises(QuerySyntaxError, match="alone is not a search: to list every article, give no query"):
        searcher.search(text)


def test_no_query_lists_every_article_newest_first(searcher: Searcher) -> None:
    everything = searcher.search("", page_size=100)
    assert everything.total == searcher.stats().documents and everything.sort == "date"
    dates = [hit.date for hit in everything.hits if hit.date]
    assert dates == sorted(dates, reverse=True)
    assert searcher.search("election *").total == searcher.search("election").total  # punctuation


def test_only_stop_words_say_they_are_too_common() -> None:
    with pytest.raises(QuerySyntaxError, match="'the' is too common or too short to be searched on its own"):
        parse_query("the", SCHEMA)
    with pytest.raises(QuerySyntaxError, match="'the', 'of' are too common"):
        parse_query("the of", SCHEMA)
    parse_query('"the hague"', SCHEMA)  # with another word, it is a search


@pytest.mark.parametrize(
    ("text", "read_as", "noted"),
    [
        ("Why are Turkey and the Netherlands clashing?", "Why are Turkey and the Netherlands clashing", True),
        ("What is it like in Libya these days? ...", "What is it like in Libya these days", True),
        ('the system"?,Despite it', "the system ,Despite it", True),
        ("Libya: the war", "Libya the war", False),
        ('Trump said " he would', "Trump said he would", False),
        ("cl?sh elect*", "cl?sh elect*", False),
        ("Iraq -Syria", "Iraq NOT Syria", False),
        ("10:30 meeting", "10:30 meeting", False),
    ],
)
def test_pasted_punctuation_is_punctuation(text: str, read_as: str, noted: bool) -> None:
    _parsed, prepared = read_query(text, SCHEMA)
    assert prepared.text == read_as
    assert bool(prepared.notes) == noted


def test_a_pasted_headline_finds_its_article(searcher: Searcher) -> None:
    results = searcher.search("Iraq sets date for early election?")
    assert [hit.id for hit in results.hits] == ["102_a1b2c3d4e5f60002"]
    assert any("'election?'" in warning for warning in results.warnings)
    damaged = searcher.search('Oil prices climb as OPEC"?,cuts output')
    assert [hit.id for hit in damaged.hits] == ["103_a1b2c3d4e5f60003"]


def test_a_word_starting_with_a_dash_leaves_it_out(index_dir: Path) -> None:
    """``search -trump`` is a query (not the options -t -r ...), as in web search engines."""
    everything = CliRunner().invoke(search_command, ["--index", str(index_dir), "--json"])
    without = CliRunner().invoke(search_command, ["--index", str(index_dir), "--json", "-election"])
    assert without.exit_code == ExitStatus.SUCCESS, without.output
    assert '"query": "-election"' in without.output
    total = int(everything.output.split('"total": ')[1].split(",")[0])
    assert f'"total": {total - 3},' in without.output  # the three election articles left out
    typo = CliRunner().invoke(search_command, ["--index", str(index_dir), "--sourse", "BBC"])
    assert typo.exit_code == ExitStatus.USAGE and "--source" in typo.output  # options stay options


def test_the_literal_search_drops_every_syntax_character() -> None:
    assert literal_text('person:"Kim Jong" AND (x OR y~2) -z*') == "person Kim Jong and x or y 2 z"


@given(st.text(max_size=60))
def test_any_text_parses_or_is_refused_with_a_query_error(text: str) -> None:
    try:
        parse_query(text, SCHEMA)
    except QuerySyntaxError as exc:
        assert "\n" not in str(exc)
