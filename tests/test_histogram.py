"""Date histograms over all matches, on a real index of the fixture corpus."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from searchlib import Searcher, UsageError, build_index
from searchlib.querying.fastmatch import FastMatcher
from searchlib.querying.histogram import bucket_starts, choose_interval, date_histogram
from searchlib.querying.parser import Filters

FIXTURE_DAYS = [
    "2019-03-01",
    "2020-06-15",
    "2020-06-20",
    "2020-11-04",
    "2020-12-20",
    "2020-12-31",
    "2021-01-05",
    "2021-02-10",
    "2021-03-05",
]
"""The dates of the fixture articles and the seed article, read from their headers."""


def counts(results) -> dict[str, int]:
    return {b.key: b.count for b in results.histogram.buckets}


def test_years_count_every_match(searcher: Searcher) -> None:
    results = searcher.search("", histogram="year", page_size=1)
    assert counts(results) == {"2019": 1, "2020": 5, "2021": 3}
    assert results.histogram.interval == "year"
    assert results.histogram.undated == 0


def test_months_list_empty_months_between_the_first_and_last(searcher: Searcher) -> None:
    buckets = searcher.search("", histogram="month").histogram.buckets
    assert [b.key for b in buckets][:3] == ["2019-03", "2019-04", "2019-05"]
    assert buckets[-1].key == "2021-03"
    assert len(buckets) == 25
    assert {b.key: b.count for b in buckets if b.count} == {
        "2019-03": 1,
        "2020-06": 2,
        "2020-11": 1,
        "2020-12": 2,
        "2021-01": 1,
        "2021-02": 1,
        "2021-03": 1,
    }
    assert buckets[0].start == date(2019, 3, 1)


def test_days_for_a_query_with_filters(searcher: Searcher) -> None:
    results = searcher.search("", date_from="2020-12", date_to="2021-01", histogram="day")
    buckets = results.histogram.buckets
    assert (buckets[0].key, buckets[-1].key, len(buckets)) == ("2020-12-20", "2021-01-05", 17)
    assert sum(b.count for b in buckets) == results.total == 3


def test_the_histogram_counts_all_matches_not_only_the_page(searcher: Searcher) -> None:
    results = searcher.search("", histogram="year", page_size=2)
    assert len(results.hits) == 2
    assert sum(b.count for b in results.histogram.buckets) == results.total == len(FIXTURE_DAYS)


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [(None, None, "year"), ("2020-12", "2021-01", "week"), ("2020-06-15", "2020-06-15", "day")],
)
def test_auto_picks_the_interval_from_the_span_and_the_count(
    searcher: Searcher, date_from: str | None, date_to: str | None, expected: str
) -> None:
    results = searcher.search("", date_from=date_from, date_to=date_to, histogram="auto")
    assert results.histogram.interval == expected


def test_choose_interval_by_span() -> None:
    assert choose_interval(date(2020, 1, 1), date(2020, 1, 31)) == "day"
    assert choose_interval(date(2020, 1, 1), date(2020, 6, 1)) == "week"
    assert choose_interval(date(2020, 1, 1), date(2022, 6, 1)) == "month"
    assert choose_interval(date(1990, 1, 1), date(2020, 1, 1)) == "year"


def test_few_matches_over_three_months_are_counted_by_week_not_by_day() -> None:
    """48 matches over 91 days drew 91 mostly empty daily rows."""
    assert choose_interval(date(2017, 1, 1), date(2017, 3, 31), 48) == "week"
    assert choose_interval(date(2017, 1, 1), date(2017, 3, 31), 2000) == "week"
    assert choose_interval(date(2017, 3, 1), date(2017, 3, 20), 48) == "day"
    assert choose_interval(date(2016, 1, 1), date(2017, 3, 31), 3410) == "month"


def test_weeks_start_on_monday_and_their_keys_filter_the_week(searcher: Searcher) -> None:
    for bucket in searcher.search("", histogram="week").histogram.buckets:
        assert bucket.start.weekday() == 0
        if bucket.count:
            narrowed = searcher.search("", date_from=bucket.key, date_to=bucket.to_key, facets=None)
            assert narrowed.total == bucket.count, bucket


def test_bucket_keys_work_as_date_filters(searcher: Searcher) -> None:
    """Selecting a bar on the page narrows the search with its key as from and to."""
    for interval in ("year", "month", "day"):
        for bucket in searcher.search("", histogram=interval).histogram.buckets:
            if bucket.count:
                narrowed = searcher.search("", date_from=bucket.key, date_to=bucket.key, facets=None)
                assert narrowed.total == bucket.count, (interval, bucket)


def test_no_histogram_unless_asked(searcher: Searcher) -> None:
    results = searcher.search("rockets")
    assert results.histogram is None
    assert results.to_dict()["histogram"] is None


def test_the_histogram_serialises_with_the_results(searcher: Searcher) -> None:
    data = json.loads(searcher.search("", histogram="year").to_json())
    assert data["histogram"]["interval"] == "year"
    assert data["histogram"]["buckets"][0] == {
        "key": "2019",
        "start": "2019-01-01",
        "count": 1,
        "to_key": "2019",
    }


def test_a_query_with_no_matches_has_no_buckets(searcher: Searcher) -> None:
    histogram = searcher.search("zzzqqqxxx", histogram="auto").histogram
    assert histogram.buckets == () and histogram.undated == 0 and histogram.peak == 0


def test_an_unknown_interval_is_a_usage_error(searcher: Searcher) -> None:
    with pytest.raises(UsageError, match="unknown histogram interval 'fortnight'"):
        searcher.search("", histogram="fortnight")


def test_a_day_histogram_over_centuries_is_refused() -> None:
    with pytest.raises(UsageError, match="coarser interval"):
        list(bucket_starts(date(1800, 1, 1), date(2020, 1, 1), "day"))
    assert len(list(bucket_starts(date(1800, 1, 1), date(2020, 1, 1), "year"))) == 221


def test_months_roll_over_the_year_end() -> None:
    starts = list(bucket_starts(date(2020, 11, 1), date(2021, 2, 1), "month"))
    assert starts == [date(2020, 11, 1), date(2020, 12, 1), date(2021, 1, 1), date(2021, 2, 1)]


def test_undated_articles_are_counted_apart(fresh_corpus: Path, tmp_path: Path) -> None:
    (fresh_corpus / "109_undated.txt").write_text("A zeppelin story\n\nThe zeppelin flew over the town.")
    build_index(fresh_corpus, index_dir=tmp_path / "ix")
    with Searcher(tmp_path / "ix") as searcher:
        results = searcher.search("", histogram="month")
    assert results.histogram.undated == 1
    assert sum(b.count for b in results.histogram.buckets) == results.total - 1


@pytest.mark.parametrize("query", ["", "election", "nosuchword"])
@pytest.mark.parametrize("interval", ["auto", "year", "month", "week", "day"])
def test_counting_from_the_date_array_equals_the_column(
    searcher: Searcher, query: str, interval: str
) -> None:
    reader = searcher._searcher.reader()
    docnums = sorted(searcher._searcher.docs_for_query(searcher._query(query, Filters())[0]))
    raw_dates = FastMatcher(searcher._searcher).column("date")
    from_array = date_histogram(reader, np.array(docnums, dtype=np.int64), interval, raw_dates=raw_dates)
    assert from_array == date_histogram(reader, docnums, interval)
