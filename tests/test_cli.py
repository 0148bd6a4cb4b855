"""The command line through click's CliRunner: output, JSON, exit codes, first-use build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib.cli import ExitStatus, cli, search_command


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(search_command, list(args), catch_exceptions=False, env=env)


def test_search_prints_hits_and_facets(index_dir: Path) -> None:
    result = run("OPEC", "--index", str(index_dir))
    assert result.exit_code == ExitStatus.SUCCESS
    assert "1 article matches 'OPEC'" in result.output
    assert "2020-06-15  BBC  103_a1b2c3d4e5f60003" in result.output
    assert "Oil prices climb as OPEC cuts output" in result.output
    assert "Sources: BBC 1" in result.output


def test_piped_output_has_no_colour_and_forced_colour_marks_terms(index_dir: Path) -> None:
    plain = run("OPEC", "--index", str(index_dir))
    assert "\x1b[" not in plain.output
    coloured = run("OPEC", "--index", str(index_dir), "--color", "always")
    assert "\x1b[" in coloured.output and "OPEC\x1b[0m" in coloured.output


def test_json_output(index_dir: Path) -> None:
    result = run("--json", "election", "--index", str(index_dir), "--limit", "2")
    data = json.loads(result.output)
    assert data["total"] == 3 and len(data["hits"]) == 2 and data["page"] == 1
    assert {"id", "date", "source", "title", "score", "snippets", "entities"} <= set(data["hits"][0])
    assert {f["name"] for f in data["facets"]} >= {"source", "person", "org", "place"}


def test_options_filter_and_page(index_dir: Path) -> None:
    result = run("--json", "--source", "BBC", "--from", "2020-11", "--index", str(index_dir))
    assert [h["id"] for h in json.loads(result.output)["hits"]] == ["104_a1b2c3d4e5f60004"]
    result = run("--json", "--sort", "date", "--limit", "1", "--page", "2", "--index", str(index_dir))
    assert [h["id"] for h in json.loads(result.output)["hits"]] == ["102_a1b2c3d4e5f60002"]


def test_index_from_environment(index_dir: Path) -> None:
    result = run("--json", "OPEC", env={"SEARCHLIB_INDEX": str(index_dir)})
    assert json.loads(result.output)["total"] == 1


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["*lection"], ExitStatus.USAGE, "error: '*lection' starts with a wildcard"),
        (["*"], ExitStatus.USAGE, "error: '*' alone is not a search: to list every article, give no query"),
        (["*:*"], ExitStatus.USAGE, "error: '*:*' alone is not a search: to list every article"),
        (["date:[2020-99-99 TO x]"], ExitStatus.USAGE, "error: cannot understand the query"),
        (["--from", "yesterday", "election"], ExitStatus.USAGE, "error: from date 'yesterday' is not a date"),
    ],
)
def test_errors_are_one_line_with_a_named_status(
    index_dir: Path, args: list[str], status: int, message: str
) -> None:
    result = run(*args, "--index", str(index_dir))
    assert result.exit_code == status
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_traceback_flag_reraises(index_dir: Path) -> None:
    from searchlib.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError):
        run("*lection", "--index", str(index_dir), "--traceback")


def test_missing_index_and_missing_corpus(tmp_path: Path) -> None:
    result = run("x", "--index", str(tmp_path / "ix"), "--corpus", str(tmp_path / "nothing"))
    assert result.exit_code == ExitStatus.CORPUS_NOT_FOUND
    assert "no article folder" in result.stderr
    result = CliRunner().invoke(cli, ["stats", "--index", str(tmp_path / "ix")])
    assert result.exit_code == ExitStatus.INDEX_NOT_FOUND
    assert "searchlib index" in result.stderr


def test_first_search_builds_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent / "data" / "corpus", corpus)
    result = run("OPEC", "--index", str(tmp_path / "ix"), "--corpus", str(corpus))
    assert result.exit_code == 0
    assert "No index at" in result.stderr and "Indexed 8 articles" in result.stderr
    assert "1 article matches" in result.stdout


def test_index_command_builds(tmp_path: Path, corpus_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["index", str(corpus_dir), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "Indexed 9 articles" in result.stdout


def test_searchlib_search_is_the_same_command(index_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "--json", "OPEC", "--index", str(index_dir)])
    assert json.loads(result.stdout)["total"] == 1


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_shows_query_syntax(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert 'org:"Hashed al-Shaabi"' in result.output
    assert "date:[2020-01-01 TO 2020-06-30]" in result.output


def test_version() -> None:
    from searchlib import __version__

    assert __version__ in run("--version").output


def test_a_reader_that_goes_away_ends_the_search_quietly(index_dir: Path) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "searchlib", "search", "--jsonl", "--index", str(index_dir)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # like `| head` exiting before the first line arrives
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == ExitStatus.BROKEN_PIPE
    assert "Traceback" not in stderr and "Error" not in stderr
