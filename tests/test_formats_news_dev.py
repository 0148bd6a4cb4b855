"""Part of the news-dev archive converted to JSON Lines and CSV finds the same articles, with the
same facet counts, as the ``.txt`` files it came from."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SHARED

from searchlib import Searcher, build_index
from searchlib.articles.textfile import read_article
from searchlib.entities.extract import EntityExtractor
from searchlib.errors import ArticleError
from searchlib.models import Article

NEWS_DEV = Path(os.environ.get("SEARCHLIB_SHARED", SHARED)) / "corpus" / "news-dev"
ARTICLES = 50
QUERIES = ("", "Trump", "police", "government minister", "person:obama", "place:syria")
FACETS = ["source", "year", "month", "person", "org", "place"]

pytestmark = pytest.mark.skipif(
    not NEWS_DEV.is_dir(), reason="the shared news-dev corpus is not beside the repo"
)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Indexes of the first ``ARTICLES`` readable news-dev articles as .txt, JSON Lines and CSV."""
    base = tmp_path_factory.mktemp("news-dev")
    articles = _first_articles()
    corpora = {kind: base / kind for kind in ("txt", "jsonl", "csv")}
    for folder in corpora.values():
        folder.mkdir()
    for article in articles:
        shutil.copy(article.path, corpora["txt"] / article.path.name)
    _write_jsonl(corpora["jsonl"] / "news-dev.jsonl", articles)
    _write_csv(corpora["csv"] / "news-dev.csv", articles)
    extractor = EntityExtractor()
    built = {}
    for kind, corpus in corpora.items():
        report = build_index(corpus, index_dir=base / f"index-{kind}", extractor=extractor)
        assert report.indexed == len(articles) and not report.skipped, report.skipped
        built[kind] = Path(report.index_dir)
    return built


def _first_articles() -> list[Article]:
    found: list[Article] = []
    for path in sorted(NEWS_DEV.glob("*.txt")):
        try:
            found.append(read_article(path))
        except ArticleError:
            continue
        if len(found) == ARTICLES:
            break
    return found


def _record(article: Article) -> dict[str, str | None]:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.body,
        "date": article.date.isoformat() if article.date else None,
        "source": article.source,
    }


def _write_jsonl(path: Path, articles: list[Article]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(_record(article), ensure_ascii=False) + "\n")


def _write_csv(path: Path, articles: list[Article]) -> None:
    """Kaggle's column names, a byte order mark, and bodies as multi-line quoted fields."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "content", "date", "publication"])
        for article in articles:
            row = _record(article)
            writer.writerow(
                [row["id"], row["title"] or "", row["text"], row["date"] or "", row["source"] or ""]
            )


def _found(index: Path, query: str) -> tuple[set[str], dict[str, dict[str, int]]]:
    """The original ids of the matches (records' ids lose their container prefix) and the facets."""
    with Searcher(index) as searcher:
        results = searcher.search(query, page_size=100, facets=FACETS, facet_limit=100, collapse=False)
    ids = {hit.id.removeprefix("news-dev-") for hit in results.hits}
    facets = {facet.name: {value.value: value.count for value in facet.values} for facet in results.facets}
    return ids, facets


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
@pytest.mark.parametrize("query", QUERIES)
def test_converted_archive_finds_the_same_articles(indexes: dict[str, Path], kind: str, query: str) -> None:
    expected_ids, expected_facets = _found(indexes["txt"], query)
    ids, facets = _found(indexes[kind], query)
    assert ids == expected_ids
    assert facets == expected_facets
    if query:
        assert expected_ids, f"{query!r} should match some of the {ARTICLES} articles"


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_converted_articles_keep_title_date_and_source(indexes: dict[str, Path], kind: str) -> None:
    with Searcher(indexes["txt"]) as txt, Searcher(indexes[kind]) as other:
        for article in _first_articles()[:10]:
            original = txt.article(article.id)
            converted = other.article(f"news-dev-{article.id}")
            assert (converted.title, converted.date, converted.source, converted.body) == (
                original.title,
                original.date,
                original.source,
                original.body,
            )
            assert converted.origin == f"id {article.id}"
