"""Rare inputs that must not crash: the calendar's last day, an index with no articles.

Each is tried where a person meets it: the `search` and `searchlib` commands, the web page
(Flask's test client, and `searchlib serve` itself for start-up) and ``Searcher``.
"""

from __future__ import annotations

import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURE_CORPUS, serving

from searchlib import Searcher, build_index, update_index
from searchlib.cli import ExitStatus, cli, search_command

FAR_FUTURE = (
    " date 9999-12-31 9999/12/31 | 07:30 - Source: Far Future\n\nThe last headline\n\n"
    "Bananas at the end of time.\n"
)
LAST_DAYS = ("9999", "9999-12", "9999-12-31")


def run(command, *args: str):
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def far_future_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one fixture article and one dated on the last day of the calendar."""
    corpus = tmp_path_factory.mktemp("far") / "articles"
    corpus.mkdir()
    shutil.copy(FIXTURE_CORPUS / "101_a1b2c3d4e5f60001.txt", corpus)
    (corpus / "far.txt").write_text(FAR_FUTURE, encoding="utf-8")
    return Path(build_index(corpus, index_dir=corpus.parent / "index").index_dir)


@pytest.mark.parametrize("last", LAST_DAYS)
def test_the_last_day_as_a_bound_in_the_library(far_future_index: Path, last: str) -> None:
    with Searcher(far_future_index) as searcher:
        everything = searcher.search(date_to=last).total
        assert everything == 2
        assert searcher.search(date_from=last, date_to=last).total == 1
        assert [b.count for b in searcher.search(date_from=last, histogram="year").histogram.buckets] == [1]


@pytest.mark.parametrize("last", LAST_DAYS)
def test_the_last_day_as_a_bound_on_the_command_line(far_future_index: Path, last: str) -> None:
    result = run(search_command, "--index", str(far_future_index), "--to", last, "--histogram", "year")
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert result.output.startswith("2 articles dated up to 9999"), result.output
    assert re.search(r"^\s*9999\s.*\u2588+ 1$", result.output, re.MULTILINE), result.output


@pytest.mark.parametrize("interval", ["auto", "year", "month", "day"])
def test_histograms_of_the_last_year_month_and_day(far_future_index: Path, interval: str) -> None:
    with Searcher(far_future_index) as searcher:
        found = searcher.search(date_from="9999-12-31", histogram=interval).histogram
    assert [b.count for b in found.buckets] == [1]
    assert found.buckets[-1].start.year == 9999


@pytest.mark.parametrize(
    "url", ["/?to=9999", "/?to=9999-12-31", "/?from=9999-12&hist=day", "/api/search?to=9999-12"]
)
def test_the_last_day_on_the_web_page(far_future_index: Path, url: str) -> None:
    from searchlib.web import create_app

    response = create_app(far_future_index).test_client().get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]


@pytest.fixture(scope="module", params=["empty corpus", "every article deleted"])
def empty_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index that holds no article: built from an empty folder, or emptied by an update."""
    folder = tmp_path_factory.mktemp("empty")
    corpus, index = folder / "articles", folder / "index"
    if request.param == "empty corpus":
        corpus.mkdir()
        build_index(corpus, index_dir=index)
    else:
        shutil.copytree(FIXTURE_CORPUS, corpus)
        build_index(corpus, index_dir=index)
        for path in corpus.glob("*.txt"):
            path.unlink()
        assert update_index(corpus, index_dir=index).removed == 8
    return index


def test_an_empty_index_answers_every_command(empty_index: Path) -> None:
    where = ("--index", str(empty_index))
    for args in (["--sort", "date"], ["--sort", "oldest", "--histogram", "auto"], ["--csv"], ["--json"]):
        result = run(search_command, *args, *where)
        assert result.exit_code == ExitStatus.SUCCESS, (args, result.output)
    assert run(search_command, "--sort", "date", *where).output.startswith("0 articles")
    listing = run(cli, "entities", *where)
    assert listing.exit_code == ExitStatus.SUCCESS, listing.output
    assert listing.output.startswith("Entities: top 0 of 0 in 0 articles")
    assert "0 articles in" in run(cli, "stats", *where).output


@pytest.mark.parametrize("url", ["/", "/?sort=date&hist=day", "/api/search?q=oil", "/search.csv"])
def test_an_empty_index_on_the_web_page(empty_index: Path, url: str) -> None:
    from searchlib.web import create_app

    client = create_app(empty_index, warm_up=True).test_client()
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]


def test_searchlib_serve_starts_on_an_empty_index(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    build_index(tmp_path / "articles", index_dir=tmp_path / "index")
    with serving(tmp_path / "index") as address, urllib.request.urlopen(address + "/?sort=date") as page:
        assert page.status == 200
        assert b"0" in page.read()
