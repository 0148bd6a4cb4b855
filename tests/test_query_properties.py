"""Property tests: any query string, however hostile, gives results or a QuerySyntaxError.

Queries run against the real session index, through the library and through the CLI (where a
refusal is one line on stderr and exit status 2). Costly patterns are refused, not run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from searchlib import Searcher
from searchlib.cli import ExitStatus, search_command
from searchlib.errors import QuerySyntaxError
from searchlib.querying.parser import MAX_EXPANDED_TERMS, MAX_FUZZY_WORDS, check_cost

WORDS = [
    "Kataeb",
    "Hezbollah",
    "Baghdad",
    "OPEC",
    "election",
    "oil",
    "the",
    "a",
    "x",
    "Ñandú",
    "مرحبا",
    "中文",
]
FIELDS = ["person", "org", "place", "entity", "source", "title", "body", "date", "year", "month", "misc"]
UNKNOWN_FIELDS = ["foo", "path", "content_hash", "indexed_at", "entities", "", "*", "date:date"]
OPERATORS = [
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "ANDMAYBE",
    "and",
    "or",
    "+",
    "-",
    "&&",
    "||",
    "!",
    "^2",
    "^",
    "~",
    "~2",
]
PUNCTUATION = ['"', "'", "(", ")", "[", "]", "{", "}", ":", "*", "?", "\\", "/", "<", ">", "=", "TO", ","]
CONTROL = ["\x00", "\x01", "\x07", "\x1b[31m", "\t", "\r\n", "\u200b", "\u202e", "\ufeff", "\udfff"]
DATES = [
    "2020",
    "2020-12",
    "2020-12-31",
    "2020-99-99",
    "2020-13-45",
    "0000-00-00",
    "9999",
    "x",
    "",
    "TO",
    "*",
]


@st.composite
def fielded(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(FIELDS + UNKNOWN_FIELDS))
    value = draw(st.sampled_from([*WORDS, *DATES, '"a b"', "(x OR y)", "*", "a*", "*a", "x~", "[a TO z]"]))
    return f"{name}:{value}"


@st.composite
def date_range(draw: st.DrawFn) -> str:
    start, end = draw(st.sampled_from(DATES)), draw(st.sampled_from(DATES))
    brackets = draw(st.sampled_from(["[]", "{}", "[}", "{]", "[", "]"]))
    return f"date:{brackets[0]}{start} TO {end}{brackets[-1]}"


@st.composite
def wildcard(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(WORDS))
    return draw(
        st.sampled_from(
            [f"*{word}", f"?{word}", f"{word}*", f"{word[:1]}*", f"{word}~", f"{word}~9", "*", "?*"]
        )
    )


TOKENS = st.one_of(
    st.sampled_from(WORDS + OPERATORS + PUNCTUATION + CONTROL),
    fielded(),
    date_range(),
    wildcard(),
    st.text(max_size=8),
)
HOSTILE = st.one_of(
    st.lists(TOKENS, max_size=12).map(" ".join),
    st.lists(TOKENS, max_size=12).map("".join),
    st.text(max_size=300),
    st.builds(lambda token, n: " ".join([token] * n), TOKENS, st.integers(100, 700)),
)
EXAMPLES = [
    '"unbalanced',
    "((((Kataeb",
    "Kataeb))))",
    "[2020 TO",
    "AND",
    "OR OR NOT",
    "NOT",
    "foo:bar",
    "*ump",
    "person:*",
    "title:[a TO]",
    "date:[2020-99-99 TO x]",
    "a" * 5000,
    "\x00\x1b[2J\x07",
    "Soleimany~9",
    "o*",
]


def check_outcome(searcher: Searcher, text: str) -> None:
    try:
        results = searcher.search(text, facets=["source", "person"], page_size=5)
    except QuerySyntaxError as exc:
        message = str(exc)
        assert message and "\n" not in message
        return
    assert results.total >= len(results.hits)


@pytest.fixture(scope="module")
def module_searcher(index_dir: Path):
    with Searcher(index_dir) as opened:
        yield opened


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE)
def test_the_library_answers_or_refuses_any_query(module_searcher: Searcher, text: str) -> None:
    check_outcome(module_searcher, text)


@pytest.mark.parametrize("text", EXAMPLES)
def test_named_adversarial_queries(module_searcher: Searcher, text: str) -> None:
    check_outcome(module_searcher, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    date_from=st.one_of(st.none(), st.sampled_from(DATES), st.text(max_size=12)), date_to=st.text(max_size=12)
)
def test_date_filters_answer_or_refuse(
    module_searcher: Searcher, date_from: str | None, date_to: str
) -> None:
    try:
        module_searcher.search("", date_from=date_from, date_to=date_to, facets=None)
    except QuerySyntaxError as exc:
        assert str(exc) and "\n" not in str(exc)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE.filter(lambda t: "\x00" not in t))  # argv cannot hold NUL
@example(text="date:[2020-99-99 TO x]")
@example(text="-x --json")
@example(text="caf\udce9 \udfff")
def test_the_cli_prints_results_or_one_line_and_exits_2(index_dir: Path, text: str) -> None:
    result = CliRunner().invoke(search_command, ["--json", "--index", str(index_dir), "--", text])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == ExitStatus.SUCCESS:
        assert json.loads(result.stdout)["total"] >= 0
        return
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_costly_patterns_are_refused_before_they_run(module_searcher: Searcher) -> None:
    from whoosh import query as wq

    reader = module_searcher._searcher.reader()
    check_cost(wq.Prefix("body", "elect"), reader)
    with pytest.raises(QuerySyntaxError, match="more than 5 different words"):
        check_cost(wq.Or([wq.Prefix("body", "a"), wq.Prefix("title", "a")]), reader, max_terms=5)
    with pytest.raises(QuerySyntaxError, match=r"'person:\*' stands for more than"):
        check_cost(wq.Every("person_text"), reader, max_terms=3)
    with pytest.raises(QuerySyntaxError, match="allows 2 edits"):
        module_searcher.search("Soleimany~2")
    module_searcher.search(" OR ".join(f"word{n}~" for n in range(MAX_FUZZY_WORDS)))
    with pytest.raises(QuerySyntaxError, match=f"{MAX_FUZZY_WORDS + 1} fuzzy words"):
        module_searcher.search(" OR ".join(f"word{n}~" for n in range(MAX_FUZZY_WORDS + 1)))
    assert MAX_EXPANDED_TERMS >= 100
