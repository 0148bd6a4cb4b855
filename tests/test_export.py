"""Exports of every match: the hit iterator, CSV and JSON Lines, from the API and the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import QuerySyntaxError, Searcher, UsageError
from searchlib.analyst.export import CSV_COLUMNS, csv_row, write_csv, write_jsonl
from searchlib.cli import ExitStatus, search_command
from searchlib.models import Entity, Hit, Snippet


def test_iter_hits_yields_every_match_not_one_page(searcher: Searcher) -> None:
    everything = list(searcher.iter_hits("Baghdad"))
    assert len(everything) == searcher.search("Baghdad").total == 5
    assert len({hit.id for hit in everything}) == 5
    scores = [hit.score for hit in everything]
    assert scores == sorted(scores, reverse=True)


def test_iter_hits_sorts_and_filters_like_search(searcher: Searcher) -> None:
    newest = [hit.date for hit in searcher.iter_hits("", sort="date")]
    assert newest == sorted(newest, reverse=True)
    bbc = list(searcher.iter_hits("", source="BBC", date_from="2020-11"))
    assert [hit.id for hit in bbc] == ["104_a1b2c3d4e5f60004"]


def test_iter_hits_refuses_bad_input_before_yielding(searcher: Searcher) -> None:
    with pytest.raises(QuerySyntaxError):
        searcher.iter_hits("*lection")
    with pytest.raises(UsageError):
        searcher.iter_hits("x", sort="sideways")
    with pytest.raises(UsageError, match="unknown filter 'colour'"):
        searcher.iter_hits("x", colour="red")


HIT = Hit(
    id="1",
    path="corpus/1.txt",
    date=datetime(2021, 1, 5, 9, 15),
    source="Iraq News",
    title='=HYPERLINK("http://x")',
    score=1.5,
    snippets=(Snippet("Two drones, one airport", ((4, 10),)),),
    entities=(Entity("Baghdad", "place"), Entity("Kataeb Hezbollah", "org"), Entity("Baghdad", "place")),
)


def test_csv_row_has_spreadsheet_columns_and_defuses_formulas() -> None:
    out = io.StringIO()
    assert write_csv([HIT], out) == 1
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == [
        "2021-01-05",
        "Iraq News",
        '\'=HYPERLINK("http://x")',
        "Two drones, one airport",
        "Baghdad; Kataeb Hezbollah",
        "corpus/1.txt",
        "1",
        "1.5",
    ]
    assert csv_row(HIT)[2].startswith("=")


def test_jsonl_is_one_hit_per_line() -> None:
    out = io.StringIO()
    assert write_jsonl([HIT, HIT], out) == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["entities"][1] == {"name": "Kataeb Hezbollah", "type": "org"}


def run(*args: str):
    return CliRunner().invoke(search_command, list(args), catch_exceptions=False)


def test_cli_csv_writes_all_matches(index_dir: Path) -> None:
    result = run("--csv", "Baghdad", "--index", str(index_dir))
    assert result.exit_code == ExitStatus.SUCCESS
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5
    assert {row["source"] for row in rows} >= {"Iraq News", "Reuters", "Al Jazeera"}
    assert result.stderr == "5 matches written as csv\n"


def test_cli_jsonl_with_filters(index_dir: Path) -> None:
    result = run("--jsonl", "--source", "BBC", "--sort", "oldest", "--index", str(index_dir))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["103_a1b2c3d4e5f60003", "104_a1b2c3d4e5f60004"]


def test_cli_export_of_a_bad_query_is_one_line_error(index_dir: Path) -> None:
    result = run("--csv", "*lection", "--index", str(index_dir))
    assert result.exit_code == ExitStatus.USAGE
    assert result.stdout == ""
    assert result.stderr.startswith("error: '*lection' starts with a wildcard")
