"""The array matcher finds exactly Whoosh's matches, with Whoosh's scores and ranking.

Every comparison runs both on a real index: Whoosh's own matchers (positional phrases,
``rank_all``) against ``FastMatcher``.
"""

from __future__ import annotations

import random
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as wq
from writer_child import NameExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.errors import QuerySyntaxError
from searchlib.indexing.collapse import DocSet, count_stories, count_story_codes, story_codes
from searchlib.querying.collect import rank_all
from searchlib.querying.facets import DEFAULT_FACETS, count_facets
from searchlib.querying.fastmatch import FastMatcher, _intersect, _union, _word_choices
from searchlib.querying.parser import Filters, build_query

ARTICLES = {
    "a1": (
        "The White House and the house of cards",
        "White House officials said the white house would answer. House of Cards is a show; "
        "the house cards were dealt. Donald Trump met Vladimir Putin at the White House.",
    ),
    "a2": (
        "New New York Times",
        "The new new york times reported that New York Times readers ran races. "
        "Running races in New York is what the times said.",
    ),
    "a3": (
        "White",
        "House prices rose. The prime minister said the minister prime was wrong. "
        "National security adviser Michael Flynn resigned; the national security of the adviser.",
    ),
    "a4": (
        "Prime Minister Theresa May",
        "Prime Minister Theresa May met the White House press. The white. House. A house, white.",
    ),
    "a5": (
        "Security",
        "The adviser on national security and the national security adviser spoke of houses "
        "and White Houses. Vladimir Putin and Donald Trump.",
    ),
}

QUERIES = [
    '"white house"',
    '"White Houses"',
    '"house of cards"',
    '"house cards"',
    '"the house"',
    '"new new york"',
    '"new york times"',
    '"york new"',
    '"prime minister"',
    '"minister prime"',
    'title:"white house"',
    'body:"house of cards"',
    'title:"new new york times"',
    '"national security adviser"',
    '"national security adviser michael flynn"',
    '"running races"',
    '"run race"',
    'person:"donald trump"',
    'person:"trump vladimir"',
    '"white house" OR "prime minister"',
    '"white house" NOT cards',
    '"white house" AND "prime minister"',
    "white house",
    "white OR house OR minister",
    '"white house"~3',
    "hous*",
    "whte~",
    "",
    "NOT white",
    "date:2020-01",
    "white date:[2020-01-01 TO 2020-01-03]",
    '"white house" source:wire',
    "title:white^3 house",
    '"white house"^2 OR minister',
    "nosuchword",
    '"nosuchword house"',
]


def write(folder: Path, name: str, title: str, body: str, day: int) -> None:
    header = f" date 2020-01-0{day} 2020/01/0{day} | 09:00 - Source: Wire"
    (folder / f"{name}.txt").write_text(f"{header}\n\n{title}\n\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def phrase_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The articles above in two segments, one article rewritten (so one document is deleted)."""
    root = tmp_path_factory.mktemp("fastmatch")
    corpus, index = root / "corpus", root / "index"
    corpus.mkdir()
    for i, (name, (title, body)) in enumerate(list(ARTICLES.items())[:3]):
        write(corpus, name, title, body, day=i % 2 + 1)  # equal dates, to test their order
    build_index(corpus, index_dir=index, extractor=NameExtractor())
    for i, (name, (title, body)) in enumerate(list(ARTICLES.items())[3:]):
        write(corpus, name, title, body, day=i % 2 + 1)
    write(corpus, "a1", *ARTICLES["a1"], day=1)
    (corpus / "a1.txt").write_text((corpus / "a1.txt").read_text() + "White House again.\n")
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    return index


def assert_same(searcher: Searcher, query: str, filters: Filters | None = None) -> None:
    whoosh_searcher = searcher._searcher
    parsed = build_query(query, filters or Filters(), whoosh_searcher.schema)
    slow = rank_all(whoosh_searcher, parsed)
    # Both ways of reading postings: Whoosh's blocks, and the posting tables where segments have them.
    for tables in (None, searcher.index_dir / searcher.manifest.generation):
        fast = FastMatcher(whoosh_searcher, tables=tables).rank(parsed)
        assert sorted(fast.docnums) == sorted(whoosh_searcher.docs_for_query(parsed)) == sorted(slow.docnums)
        order_slow, order_fast = np.argsort(slow.docs), np.argsort(fast.docs)
        assert np.allclose(fast.scores[order_fast], slow.scores[order_slow], rtol=1e-12, atol=0)
        fast_top, slow_top = fast.top(len(fast)), slow.top(len(slow))
        assert [d for d, _ in fast_top] == [d for d, _ in slow_top]


@pytest.mark.parametrize("query", QUERIES)
def test_matches_and_scores_equal_whooshs(phrase_index: Path, query: str) -> None:
    with Searcher(phrase_index) as searcher:
        assert searcher._searcher.reader().has_deletions()
        assert len(list(searcher._searcher.reader().leaf_readers())) > 1
        assert_same(searcher, query)


def test_ranges_kept_from_query_to_query_stay_whooshs(phrase_index: Path) -> None:
    """One matcher answers many queries and keeps each range's matches: the same range again,
    within other words or beside another range, still matches and scores as Whoosh."""
    with Searcher(phrase_index) as searcher:
        whoosh_searcher = searcher._searcher
        matcher = FastMatcher(whoosh_searcher, tables=searcher.index_dir / searcher.manifest.generation)
        for query in [
            "date:2020-01-01",
            "white date:2020-01-01",
            "date:2020-01-02",
            "date:[2020-01-01 TO 2020-01-02]",
            "house date:2020-01-01 OR date:2020-01-02",
            "date:2020-01-01",
        ]:
            parsed = build_query(query, Filters(), whoosh_searcher.schema)
            slow, fast = rank_all(whoosh_searcher, parsed), matcher.rank(parsed)
            assert sorted(fast.docnums) == sorted(slow.docnums), query
            order_slow, order_fast = np.argsort(slow.docs), np.argsort(fast.docs)
            assert np.allclose(fast.scores[order_fast], slow.scores[order_slow], rtol=1e-12, atol=0), query


@pytest.mark.parametrize("excluded", [(False, False), (True, False), (False, True), (True, True)])
def test_date_ranges_read_from_the_column_are_the_ranges_terms(
    phrase_index: Path, tmp_path: Path, excluded: tuple[bool, bool]
) -> None:
    """A date range is matched from the date column: the same documents as Whoosh's terms,
    bounds included or not, open at either end, an article without a date never matched,
    deleted documents left out."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for i, (name, (title, body)) in enumerate(ARTICLES.items()):
        write(corpus, name, title, body, day=i % 3 + 1)
    (corpus / "undated.txt").write_text("White House\n\nAn article with no date, white as snow.\n")
    build_index(corpus, index_dir=index, extractor=NameExtractor(), segment_docs=2)
    write(corpus, "a1", ARTICLES["a1"][0], ARTICLES["a1"][1] + " Again.", day=2)
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    days = [None, datetime(2020, 1, 1), datetime(2020, 1, 2), datetime(2020, 1, 2, 9), datetime(2020, 1, 3)]
    with Searcher(index) as searcher:
        whoosh_searcher = searcher._searcher
        assert whoosh_searcher.reader().has_deletions()
        matcher = FastMatcher(whoosh_searcher, tables=searcher.index_dir / searcher.manifest.generation)
        undated = whoosh_searcher.document_number(id="undated")
        assert undated is not None
        for start in days:
            for end in days:
                query = wq.DateRange("date", start, end, startexcl=excluded[0], endexcl=excluded[1])
                assert matcher._dates_within(query) is not None  # read from the column
                fast = sorted(matcher.rank(query).docnums)
                assert fast == sorted(whoosh_searcher.docs_for_query(query)), (start, end)
                assert undated not in fast


def _body(*words: str) -> wq.Query:
    """A part of a sequence: one word, or any of several (the spellings of a name)."""
    terms = [wq.Term("body", w) for w in words]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


SEQUENCES = [
    wq.Sequence([_body("white", "black"), _body("hous")]),
    wq.Sequence([_body("white"), _body("hous", "cabin", "card")]),
    wq.Sequence([_body("nation", "intern"), _body("secur"), _body("advis", "advic")]),
    wq.Sequence([_body("prime", "minist"), _body("minist", "prime")]),
    wq.Sequence([_body("new", "york"), _body("new", "york"), _body("york", "time")]),
    wq.Sequence([_body("donald"), _body("trump", "nosuchword")]),
    wq.Sequence([_body("nosuchword", "otherword"), _body("hous")]),
    wq.Sequence([_body("white", "black"), _body("hous")], boost=2.5),
    wq.Sequence([wq.Or([wq.Term("body", "white", boost=3.0), wq.Term("body", "black")]), _body("hous")]),
    wq.Sequence([wq.Or([wq.Term("title", "white"), wq.Term("title", "new")]), wq.Term("title", "hous")]),
    wq.Or([wq.Sequence([_body("white", "black"), _body("hous")]), _body("minist")]),
]


@pytest.mark.parametrize("query", SEQUENCES, ids=repr)
def test_phrases_with_words_of_several_spellings_match_and_score_as_whooshs(
    phrase_index: Path, query: wq.Query
) -> None:
    """A phrase with the other spellings of its names ORed in (a ``Sequence``) is matched with
    arrays, not by Whoosh's span matcher: the same matches and scores."""
    with Searcher(phrase_index) as searcher:
        whoosh_searcher = searcher._searcher
        for tables in (None, searcher.index_dir / searcher.manifest.generation):
            matcher = FastMatcher(whoosh_searcher, tables=tables)
            slow, fast = rank_all(whoosh_searcher, query), matcher.rank(query)
            assert sorted(fast.docnums) == sorted(slow.docnums)
            order_slow, order_fast = np.argsort(slow.docs), np.argsort(fast.docs)
            assert np.allclose(fast.scores[order_fast], slow.scores[order_slow], rtol=1e-12, atol=0)
            if query is SEQUENCES[0]:
                assert len(fast.docnums) >= 3  # white house, white houses, (no black house)
    assert _word_choices(SEQUENCES[0]) is not None  # matched with arrays, not handed to Whoosh


def test_every_segment_is_read_from_its_posting_table(phrase_index: Path) -> None:
    """The build's segment has the table written with it; the update's (written by Whoosh's
    writer) gets one read back from it after the commit."""
    with Searcher(phrase_index) as searcher:
        matcher = searcher._matcher()
        tabled = [table is not None for table in matcher._tables]
        assert len(tabled) > 1 and all(tabled)


def test_phrases_match_what_positions_say(phrase_index: Path) -> None:
    """Spot checks that the comparison above is not vacuous."""
    with Searcher(phrase_index) as searcher:
        ids = {q: sorted(h.id for h in searcher.search(q, collapse=False).hits) for q in QUERIES[:8]}
    assert ids['"white house"'] == ["a1", "a4", "a5"]  # a3 has "White" in its title, "House" in its body
    assert ids['"house of cards"'] == ids['"house cards"'] == ["a1"]  # stop words are skipped
    assert ids['"new new york"'] == ["a2"] and ids['"york new"'] == []


@pytest.mark.parametrize(
    "filters",
    [
        Filters(sources=("Wire",)),
        Filters(sources=("Wire", "Nobody")),
        Filters(names={"person": ("Donald Trump",)}),
        Filters(names={"person": ("Vladimir Putin", "Donald Trump"), "org": ("Nothing",)}),
        Filters(entities=("Michael Flynn",)),
        Filters(years=("2020",), months=("2020-01",)),
        Filters(date_from="2020-01-02", date_to="2020-01-02"),
        Filters(date_from="2020-01-02"),
    ],
)
@pytest.mark.parametrize("query", ["", "white", '"white house"'])
def test_filters_equal_whooshs(phrase_index: Path, query: str, filters: Filters) -> None:
    with Searcher(phrase_index) as searcher:
        assert_same(searcher, query, filters)


@pytest.mark.parametrize("seed", range(4))
def test_random_phrases_of_the_texts(phrase_index: Path, seed: int) -> None:
    """Word runs cut from the articles (stop words, punctuation, 1-5 words, either field)."""
    rng = random.Random(seed)
    with Searcher(phrase_index) as searcher:
        for title, body in ARTICLES.values():
            for text in (title, body):
                words = re.findall(r"\w+", text)
                length = rng.randint(1, min(5, len(words)))
                start = rng.randrange(len(words) - length + 1)
                field = rng.choice(["", "title:", "body:"])
                query = f'{field}"{" ".join(words[start : start + length])}"'
                try:
                    assert_same(searcher, query)
                except QuerySyntaxError as refused:  # a run of stop words only ("of the")
                    assert "too common" in str(refused), query


@pytest.mark.parametrize(
    "query", ["Baghdad", '"Kataeb Hezbollah"', "election NOT Poland", "OPEC OR Damascus", "", "person:Trump"]
)
def test_the_fixture_index(searcher: Searcher, query: str) -> None:
    assert_same(searcher, query)


@pytest.mark.parametrize("query", ["", "white", '"white house"', "nosuchword", "house NOT cards"])
@pytest.mark.parametrize("sort", ["date", "oldest"])
def test_date_order_is_whooshs(phrase_index: Path, searcher: Searcher, query: str, sort: str) -> None:
    """Newest or oldest first, equal dates in Whoosh's order, on both indexes, any length."""
    with Searcher(phrase_index) as mine:
        for each in (mine, searcher):
            parsed = build_query(query, Filters(), each._searcher.schema)
            docs = FastMatcher(each._searcher).rank(parsed).docs
            first = FastMatcher(each._searcher).by_column(docs, "date", reverse=sort == "date")
            for n in (1, 2, 3, len(docs) + 1):
                assert first(n) == each._page(parsed, sort=sort, page=1, page_size=n)


@pytest.mark.parametrize("query", ["", "said", '"white house"', "nosuchword"])
def test_facet_counts_equal_the_column_counts(phrase_index: Path, query: str) -> None:
    """Counting from the table (and, past half the articles, from the others) gives the same."""
    with Searcher(phrase_index) as searcher:
        parsed = build_query(query, Filters(), searcher._searcher.schema)
        docs = FastMatcher(searcher._searcher).rank(parsed).docs
        reader = searcher._searcher.reader()
        fast = count_facets(reader, docs, DEFAULT_FACETS, limit=50, table=searcher._table())
        slow = count_facets(reader, docs.tolist(), DEFAULT_FACETS, limit=50)
    assert fast == slow


def test_story_counts_and_match_sets_agree() -> None:
    cluster_of = {1: "x", 2: "x", 5: "y", 7: "z"}
    codes = story_codes(cluster_of, 10)
    for matches in ([0, 1, 2, 3], [1, 5, 7], [], list(range(10))):
        array = np.array(matches, dtype=np.int64)
        assert count_story_codes(array, codes) == count_stories(matches, cluster_of)
        found = DocSet(array, 10)
        assert len(found) == len(matches) and list(found) == matches
        assert [d in found for d in range(-1, 11)] == [d in matches for d in range(-1, 11)]


def test_a_refresh_starts_a_new_matcher(fresh_corpus: Path, tmp_path: Path) -> None:
    build_index(fresh_corpus, index_dir=tmp_path / "ix", extractor=NameExtractor())
    with Searcher(tmp_path / "ix") as searcher:
        before = searcher.search("Zanzibar").total
        write(fresh_corpus, "zz", "Zanzibar", "Zanzibar news.", day=1)
        update_index(fresh_corpus, index_dir=tmp_path / "ix", extractor=NameExtractor())
        assert searcher.refresh()
        assert (before, searcher.search("Zanzibar").total) == (0, 1)


@pytest.mark.parametrize("memory_map", [True, False])
def test_columns_read_whole_equal_whooshs_per_document_reads(phrase_index: Path, memory_map: bool) -> None:
    with Searcher(phrase_index, memory_map=memory_map) as searcher:
        reader = searcher._searcher.reader()
        matcher = FastMatcher(searcher._searcher)
        every = range(reader.doc_count_all())
        for field in ("title", "body", "person_text", "source_text"):
            expected = [reader.doc_field_length(d, field, 0) or 0 for d in every]
            assert matcher.field_lengths(field).tolist() == expected
        dates = reader.column_reader("date", translate=False)
        assert matcher.column("date").tolist() == [dates[d] for d in every]


DOCS = st.lists(st.integers(min_value=0, max_value=199), unique=True).map(
    lambda d: np.array(sorted(d), dtype=np.int64)
)


def scored(docs: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    return docs, np.random.default_rng(seed).random(len(docs)) * 10


@given(parts=st.lists(DOCS, min_size=2, max_size=4), doc_count=st.sampled_from([200, 100_000]))
def test_unions_add_scores_as_sorting_them_together_does(parts: list[np.ndarray], doc_count: int) -> None:
    """Both ways of joining (an array of every document, or one sort) give the same sums, bit for bit."""
    matches = [scored(docs, seed) for seed, docs in enumerate(parts)]
    docs = np.concatenate([d for d, _ in matches])
    unique, inverse = np.unique(docs, return_inverse=True)
    sums = np.bincount(inverse, weights=np.concatenate([s for _, s in matches]), minlength=len(unique))
    found_docs, found_sums = _union(matches, doc_count)
    assert found_docs.tolist() == unique.tolist()
    assert found_sums.tolist() == sums.tolist()


@given(docs=DOCS, others=DOCS)
def test_intersections_are_numpys(docs: np.ndarray, others: np.ndarray) -> None:
    _common, mine, theirs = np.intersect1d(docs, others, assume_unique=True, return_indices=True)
    found_mine, found_theirs = _intersect(docs, others)
    assert found_mine.tolist() == mine.tolist() and found_theirs.tolist() == theirs.tolist()


def test_document_frequencies_are_the_readers(phrase_index: Path) -> None:
    with Searcher(phrase_index) as searcher:
        reader = searcher._searcher.reader()
        matcher = FastMatcher(searcher._searcher)
        words = [("body", "white"), ("body", "hous"), ("title", "white"), ("body", "nosuchword")]
        for fieldname, word in [*words, *words]:  # the second time from what it kept
            assert matcher.doc_frequency(fieldname, word) == reader.doc_frequency(fieldname, word)
        assert matcher.doc_frequency("no_such_field", "white") == 0
