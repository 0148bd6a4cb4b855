"""Query text and filters -> Whoosh queries; errors a person can read."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.qparser import FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser

from searchlib.errors import QuerySyntaxError
from searchlib.indexing import schema as f
from searchlib.indexing.schema import build_schema
from searchlib.querying.parser import (
    FIELD_ALIASES,
    Filters,
    build_query,
    clean_query_text,
    parse_date_bound,
    parse_query,
    plain_words_query,
)

SCHEMA = build_schema()


def test_empty_query_matches_everything() -> None:
    assert isinstance(parse_query("   ", SCHEMA), wq.Every)


def test_words_search_title_and_body_with_and() -> None:
    q = parse_query("Kataeb Hezbollah", SCHEMA)
    assert isinstance(q, wq.And)
    assert {t.fieldname for t in q.leaves()} == {"title", "body"}


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ("person:Kadhemi", "person_text"),
        ("org:AAH", "org_text"),
        ("place:Baghdad", "place_text"),
        ("source:BBC", "source_text"),
        ("entity:Iraq", "entity_text"),
        ("organisation:AAH", "org_text"),
    ],
)
def test_friendly_field_names(typed: str, field: str) -> None:
    assert {leaf.field() for leaf in parse_query(typed, SCHEMA).leaves()} == {field}


def test_date_range_parses_to_a_date_range() -> None:
    q = parse_query("date:[2020-01-01 TO 2020-06-30]", SCHEMA)
    assert isinstance(q, wq.NumericRange) and q.fieldname == "date"


@pytest.mark.parametrize("text", ["*ump", "?rump", "title:*lection"])
def test_leading_wildcards_are_refused(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match="starts with a wildcard"):
        parse_query(text, SCHEMA)


@pytest.mark.parametrize("text", ["date:[2020-99-99 TO x]", "date:notadate"])
def test_bad_dates_are_syntax_errors(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match=r"cannot understand the query|is not a date"):
        parse_query(text, SCHEMA)


def test_control_characters_are_dropped() -> None:
    assert clean_query_text("Kataeb\x00\tHezbollah\x1b[31m") == "Kataeb Hezbollah [31m"


def test_huge_queries_are_refused() -> None:
    with pytest.raises(QuerySyntaxError, match="limit"):
        clean_query_text("a " * 5000)


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2020", False, datetime(2020, 1, 1)),
        ("2020", True, datetime(2020, 12, 31, 23, 59, 59, 999999)),
        ("2020-02", True, datetime(2020, 2, 29, 23, 59, 59, 999999)),
        ("2020-12", True, datetime(2020, 12, 31, 23, 59, 59, 999999)),
        ("2020-06-30", True, datetime(2020, 6, 30, 23, 59, 59, 999999)),
    ],
)
def test_date_bounds(text: str, end: bool, expected: datetime) -> None:
    assert parse_date_bound(text, "from", end=end) == expected


@pytest.mark.parametrize("text", ["2020-13", "yesterday", "20-1-1", ""])
def test_bad_date_bounds(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match="is not a date"):
        parse_date_bound(text, "from", end=False)


def test_reversed_date_range_is_an_error() -> None:
    with pytest.raises(QuerySyntaxError, match="empty"):
        build_query("", Filters(date_from="2021", date_to="2020"), SCHEMA)


def test_filters_combine_with_the_query() -> None:
    q = build_query("oil", Filters(sources=("BBC", "Reuters"), names={"person": ("Kadhemi",)}), SCHEMA)
    assert isinstance(q, wq.And) and len(q.subqueries) == 3


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_raises_query_syntax_error(text: str) -> None:
    try:
        parse_query(text, SCHEMA)
    except QuerySyntaxError as exc:
        assert str(exc)


def test_a_date_field_term_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(QuerySyntaxError, match="is not a date"):
        parse_query('date:"a b"', build_schema())
    assert parse_query('date:"2017-02-07"', build_schema()) is not None


def test_an_unreadable_term_in_the_other_date_field_is_refused_too() -> None:
    with pytest.raises(QuerySyntaxError, match="is not a date"):
        parse_query('indexed_at:"a b"', build_schema())


def _tree(q: wq.Query) -> tuple[object, ...]:
    """A query's whole tree: each node's class and attributes (positions in the text too)."""
    attributes = tuple(sorted((k, repr(v)) for k, v in vars(q).items() if k != "subqueries"))
    return (type(q).__name__, attributes, tuple(_tree(c) for c in getattr(q, "subqueries", None) or ()))


def _whoosh_parse(text: str) -> wq.Query:
    parser = MultifieldParser(list(f.TEXT_FIELDS), SCHEMA)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser.parse(text)


PLAIN_WORDS = st.lists(
    st.sampled_from(
        [
            "talks",
            "More",
            "the",
            "a",
            "and",
            "AND",
            "Or",
            "not",
            "NOT",
            "to",
            "TO",
            "near",
            "2016",
            "x",
            "US",
            "Trump",
            "running",
            "runs",
            "elections",
            "Kadhemi",
            "it",
            "i",
            "b52",
            "UN",
            "s",
        ]
    ),
    min_size=1,
    max_size=5,
)


@given(words=PLAIN_WORDS)
def test_words_alone_make_the_tree_whooshs_parser_makes(words: list[str]) -> None:
    """Stop words, repeated and stemmed words, capitals, digits; operators are left to Whoosh."""
    text = " ".join(words)
    fast = plain_words_query(text, SCHEMA)
    if any(w.upper() in {"AND", "OR", "NOT", "TO", "NEAR"} for w in words):
        assert fast is None
    else:
        assert fast is not None and _tree(fast) == _tree(_whoosh_parse(text))


@pytest.mark.parametrize(
    "text", ['"talks"', "talks*", "title:talks", "talks~", "(talks)", "a  b", "é", "-talks", "it's"]
)
def test_anything_but_words_is_left_to_whooshs_parser(text: str) -> None:
    assert plain_words_query(text, SCHEMA) is None
