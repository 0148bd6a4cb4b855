"""Batch search: a names file in, one summary row per line out; bad lines reported and skipped."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import QuerySyntaxError, Searcher, UsageError
from searchlib.analyst.batch import read_queries, run_batch
from searchlib.cli import ExitStatus, cli


def test_read_queries_skips_blank_lines_and_comments(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("\ufeffKataeb Hezbollah\n\n  # people\n  Kadhemi  \n", encoding="utf-8")
    assert read_queries(names) == [(1, "Kataeb Hezbollah"), (4, "Kadhemi")]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no file"), (b"\xff\xfe\x00K\xff", "is not UTF-8 text")],
)
def test_read_queries_refuses_missing_and_undecodable_files(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    names = tmp_path / "names.txt"
    if content is not None:
        names.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        read_queries(names)


def test_run_batch_summarises_each_query(searcher: Searcher) -> None:
    rows = list(run_batch(searcher, [(1, "Baghdad"), (2, "wheat"), (3, "OPEC")], ids=True, sources=2))
    baghdad, wheat, opec = rows
    assert baghdad.total == 5 and len(baghdad.ids) == 5
    assert baghdad.first_date == datetime(2020, 12, 20, 18, 45)
    assert baghdad.last_date == datetime(2021, 3, 5, 7, 0)
    assert [v.value for v in baghdad.top_sources] == ["Iraq News", "Al Jazeera"]
    assert (wheat.total, wheat.first_date, wheat.ids) == (0, None, ())
    assert opec.ids == ("103_a1b2c3d4e5f60003",) and opec.error is None


def test_run_batch_reports_a_bad_line_and_goes_on(searcher: Searcher) -> None:
    done: list[tuple[int, int]] = []
    rows = list(
        run_batch(
            searcher, [(1, "*lection"), (2, "OPEC"), (3, "*")], progress=lambda d, t: done.append((d, t))
        )
    )
    assert rows[0].error and "starts with a wildcard" in rows[0].error
    assert rows[1].total == 1
    assert rows[2].error and "'*' alone is not a search" in rows[2].error
    assert done == [(1, 3), (2, 3), (3, 3)]


def test_run_batch_refuses_bad_filters_before_the_first_line(searcher: Searcher) -> None:
    with pytest.raises(QuerySyntaxError, match="from date 'soon'"):
        run_batch(searcher, [(1, "OPEC")], date_from="soon")


def test_cli_batch_writes_csv_and_reports_skipped_lines(index_dir: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text('Baghdad\n*lection\n"Kataeb Hezbollah"\n-Baghdad\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["batch", str(names), "--ids", "--index", str(index_dir)], catch_exceptions=False
    )
    assert result.exit_code == ExitStatus.SUCCESS
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["query"] for row in rows] == ["Baghdad", '"Kataeb Hezbollah"', "'-Baghdad"]
    assert rows[0]["hits"] == "5" and rows[0]["first_date"] == "2020-12-20"
    assert rows[0]["top_sources"] == "Iraq News (3); Al Jazeera (1); Reuters (1)"
    assert len(rows[1]["ids"].split()) == 3
    assert "line 2 skipped: '*lection' starts with a wildcard" in result.stderr
    assert result.stderr.rstrip().endswith("3 queries searched, 1 skipped")


def test_cli_batch_of_a_missing_file_is_a_usage_error(index_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "none.txt"), "--index", str(index_dir)])
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr.startswith("error: no file")
