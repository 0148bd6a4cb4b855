"""The query API over a real index of the fixture corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchlib import ArticleNotFound, SchemaMismatch, Searcher, UsageError, search
from searchlib.errors import IndexNotFound, QuerySyntaxError
from searchlib.indexing.store import read_manifest, write_manifest


def ids(results) -> set[str]:
    return {hit.id for hit in results.hits}


def test_words_find_the_articles_that_contain_them(searcher: Searcher) -> None:
    results = searcher.search("rockets embassy")
    assert ids(results) == {"106_a1b2c3d4e5f60006", "000_21f7ebbefd25b24b", "101_a1b2c3d4e5f60001"}
    assert ids(searcher.search("intercepted")) == {"106_a1b2c3d4e5f60006"}


def test_phrase_search(searcher: Searcher) -> None:
    results = searcher.search('"Kataeb Hezbollah"')
    assert ids(results) == {"000_21f7ebbefd25b24b", "101_a1b2c3d4e5f60001", "106_a1b2c3d4e5f60006"}


def test_boolean_operators(searcher: Searcher) -> None:
    assert ids(searcher.search("election NOT Poland")) == {"102_a1b2c3d4e5f60002", "104_a1b2c3d4e5f60004"}
    assert ids(searcher.search("OPEC OR Damascus")) == {"103_a1b2c3d4e5f60003", "105_a1b2c3d4e5f60005"}


def test_facets_are_counted_over_all_matches_not_the_page(searcher: Searcher) -> None:
    results = searcher.search("Baghdad", page_size=1)
    assert len(results.hits) == 1
    assert results.total == 5
    sources = results.facet("source")
    assert sources is not None
    assert sum(v.count for v in sources.values) == results.total
    assert {v.value: v.count for v in sources.values} == {"Iraq News": 3, "Reuters": 1, "Al Jazeera": 1}


def test_facet_truncation_is_flagged(searcher: Searcher) -> None:
    results = searcher.search("", facet_limit=2)
    sources = results.facet("source")
    assert sources is not None and len(sources.values) == 2 and sources.truncated
    years = searcher.search("", facet_limit=10).facet("year")
    assert years is not None and not years.truncated


def test_snippets_mark_the_query_terms(searcher: Searcher) -> None:
    hit = searcher.search("elections").hits[0]
    marks = [s.text[a:b].lower() for s in hit.snippets for a, b in s.highlights]
    assert marks and all(m.startswith("election") for m in marks)


def test_negated_terms_are_not_marked(searcher: Searcher) -> None:
    for hit in searcher.search("election NOT Poland").hits:
        assert all("poland" not in s.text[a:b].lower() for s in hit.snippets for a, b in s.highlights)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"source": "BBC"}, {"103_a1b2c3d4e5f60003", "104_a1b2c3d4e5f60004"}),
        (
            {"source": ["bbc", "Al Jazeera"]},
            {"103_a1b2c3d4e5f60003", "104_a1b2c3d4e5f60004", "105_a1b2c3d4e5f60005", "108_a1b2c3d4e5f60008"},
        ),
        (
            {"date_from": "2021-01-01"},
            {"101_a1b2c3d4e5f60001", "102_a1b2c3d4e5f60002", "108_a1b2c3d4e5f60008"},
        ),
        ({"date_from": "2020-06", "date_to": "2020-06"}, {"103_a1b2c3d4e5f60003", "107_a1b2c3d4e5f60007"}),
        ({"year": "2019"}, {"105_a1b2c3d4e5f60005"}),
    ],
)
def test_filters(searcher: Searcher, options: dict, expected: set[str]) -> None:
    assert ids(searcher.search("", page_size=50, **options)) == expected


def test_entity_filter_matches_part_of_a_name(searcher: Searcher) -> None:
    results = searcher.search("", entity="Kadhemi", page_size=50)
    assert {"102_a1b2c3d4e5f60002", "108_a1b2c3d4e5f60008", "000_21f7ebbefd25b24b"} <= ids(results)


def test_date_range_in_the_query(searcher: Searcher) -> None:
    results = searcher.search("date:[2020-06-01 TO 2020-06-30]", page_size=50)
    assert ids(results) == {"103_a1b2c3d4e5f60003", "107_a1b2c3d4e5f60007"}


def test_sort_by_date(searcher: Searcher) -> None:
    newest = [h.date for h in searcher.search("", sort="date", page_size=50).hits]
    oldest = [h.date for h in searcher.search("", sort="oldest", page_size=50).hits]
    assert newest == sorted(newest, reverse=True)
    assert oldest == sorted(oldest)


def test_pages_do_not_overlap_and_cover_all_matches(searcher: Searcher) -> None:
    seen: list[str] = []
    page = 1
    while True:
        results = searcher.search("", sort="date", page=page, page_size=3)
        if not results.hits:
            break
        seen += [h.id for h in results.hits]
        page += 1
    assert len(seen) == len(set(seen)) == results.total == 9
    assert results.pages == 3


def test_fuzzy_and_prefix(searcher: Searcher) -> None:
    assert "103_a1b2c3d4e5f60003" in ids(searcher.search("OPCE~"))
    assert "107_a1b2c3d4e5f60007" in ids(searcher.search("Trzask*"))


def test_malformed_query_raises_query_syntax_error(searcher: Searcher) -> None:
    with pytest.raises(QuerySyntaxError):
        searcher.search("*lection")


@pytest.mark.parametrize(
    "options",
    [{"page": 0}, {"page_size": 0}, {"page_size": 100_000}, {"sort": "random"}, {"facets": ["colour"]}],
)
def test_bad_options_raise_usage_error(searcher: Searcher, options: dict) -> None:
    with pytest.raises(UsageError):
        searcher.search("oil", **options)


def test_results_serialise_to_json(searcher: Searcher) -> None:
    data = json.loads(searcher.search("OPEC").to_json())
    assert data["total"] == 1
    assert data["hits"][0]["id"] == "103_a1b2c3d4e5f60003"
    assert data["hits"][0]["date"] == "2020-06-15T08:00:00"
    assert {f["name"] for f in data["facets"]} == {"source", "year", "person", "org", "place"}


def test_an_article_opened_with_a_query_marks_its_terms(searcher: Searcher) -> None:
    article = searcher.article("106_a1b2c3d4e5f60006", query='"Kataeb Hezbollah" rocket NOT zeppelin')
    marked = [article.body[s:e] for s, e in article.body_highlights]
    assert "Kataeb Hezbollah" in marked and "rockets" in marked
    assert all(text.casefold() != "zeppelin" for text in marked)
    assert searcher.article("106_a1b2c3d4e5f60006").body_highlights == ()


def test_an_article_query_that_cannot_be_read_is_refused(searcher: Searcher) -> None:
    with pytest.raises(QuerySyntaxError):
        searcher.article("106_a1b2c3d4e5f60006", query="*bad")


def test_article_by_id(searcher: Searcher) -> None:
    article = searcher.article("106_a1b2c3d4e5f60006")
    assert article.credit == "ThisDay | Iraq News Now"
    assert "intercepted several rockets" in article.body
    with pytest.raises(ArticleNotFound):
        searcher.article("../../etc/passwd")


def test_one_off_search_function(index_dir: Path) -> None:
    assert search("OPEC", index_dir=index_dir).total == 1


@pytest.mark.parametrize("query", ["Baghdad", '"Kataeb Hezbollah"', "election NOT Poland", ""])
def test_answers_without_memory_maps_are_the_same(searcher: Searcher, index_dir: Path, query: str) -> None:
    with Searcher(index_dir, memory_map=False) as plain:
        assert plain._index.storage.supports_mmap is False
        answer = plain.search(query, facets=["source", "person"]).to_dict()
    expected = searcher.search(query, facets=["source", "person"]).to_dict()
    assert answer | {"elapsed_ms": 0} == expected | {"elapsed_ms": 0}
    assert expected["total"] > 0


def test_stats(searcher: Searcher) -> None:
    stats = searcher.stats()
    assert stats.documents == 9
    assert {v.value: v.count for v in stats.sources}["BBC"] == 2


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="searchlib index"):
        Searcher(tmp_path / "none")


def test_other_schema_version_says_rebuild(index_dir: Path, tmp_path: Path) -> None:
    import shutil
    from dataclasses import replace

    copy = tmp_path / "old"
    shutil.copytree(index_dir, copy)
    write_manifest(copy, replace(read_manifest(copy), schema_version=0))
    with pytest.raises(SchemaMismatch, match="--rebuild"):
        Searcher(copy)
