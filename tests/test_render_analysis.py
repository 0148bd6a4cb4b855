"""Terminal text for the analyst features: the histogram bar chart (and its CLI option)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib.cli import ExitStatus, search_command
from searchlib.cli.render_analysis import bar, histogram_text
from searchlib.models import Bucket, Histogram


@pytest.mark.parametrize(
    ("length", "expected"),
    [(0, ""), (1, "\u2588"), (2.5, "\u2588\u2588\u258c"), (0.125, "\u258f"), (0.01, "")],
)
def test_bar_has_eighth_character_resolution(length: float, expected: str) -> None:
    assert bar(length) == expected


def test_histogram_text_scales_bars_to_the_peak_and_lists_empty_and_undated() -> None:
    histogram = Histogram(
        interval="month",
        buckets=(
            Bucket("2020-11", date(2020, 11, 1), 4),
            Bucket("2020-12", date(2020, 12, 1), 0),
            Bucket("2021-01", date(2021, 1, 1), 2),
        ),
        undated=1,
    )
    lines = histogram_text(histogram, width=8).plain.splitlines()
    assert lines == [
        "Months:",
        "  2020-11    " + "\u2588" * 8 + " 4",
        "  2020-12     0",
        "  2021-01    " + "\u2588" * 4 + " 2",
        "  undated    1",
    ]


def run(*args: str):
    return CliRunner().invoke(search_command, list(args), catch_exceptions=False)


def test_cli_histogram_draws_every_month_of_the_matches(index_dir: Path) -> None:
    result = run("Baghdad", "--histogram", "month", "--no-facets", "--index", str(index_dir))
    assert result.exit_code == ExitStatus.SUCCESS
    chart = result.output.split("Months:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in chart] == ["2020-12", "2021-01", "2021-02", "2021-03"]
    assert [int(line.split()[-1]) for line in chart] == [2, 1, 1, 1]


def test_cli_histogram_in_json(index_dir: Path) -> None:
    data = json.loads(run("Baghdad", "--histogram", "year", "--json", "--index", str(index_dir)).output)
    assert data["histogram"]["interval"] == "year"
    assert {b["key"]: b["count"] for b in data["histogram"]["buckets"]} == {"2020": 2, "2021": 3}


def test_cli_histogram_refuses_an_unknown_interval(index_dir: Path) -> None:
    result = CliRunner().invoke(search_command, ["x", "--histogram", "week", "--index", str(index_dir)])
    assert result.exit_code == ExitStatus.USAGE
