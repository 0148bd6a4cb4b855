"""What a new user meets in the first hour: every mistake is told, in one line, with a hint.

Each test stands for a wrong answer that used to come with exit status 0 and no word: a
mistyped index, option or filter value, conflicting options, an answer that hid what was
asked, a score that was a date, a closed pipe reported as a failure.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import Searcher
from searchlib.cli import ExitStatus, cli, common, search_command
from searchlib.cli.common import progress_bar


def search(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(search_command, list(args), catch_exceptions=False, env=env)


def searchlib(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# 1. A wrong --index is an error, not a new index; a failed command leaves nothing.


def test_a_named_index_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "devix"
    result = search("--index", str(missing), "Muhammad")
    assert result.exit_code == ExitStatus.INDEX_NOT_FOUND
    assert result.stderr == (
        f"error: no index at {missing}: build it with `searchlib index CORPUS --index {missing}` "
        "(or add --corpus CORPUS to build it now)\n"
    )
    assert not missing.exists()
    from_env = search("Muhammad", env={"SEARCHLIB_INDEX": str(missing)})
    assert from_env.exit_code == ExitStatus.INDEX_NOT_FOUND and not missing.exists()


def test_a_named_index_is_built_on_first_use_when_the_corpus_is_named_too(
    tmp_path: Path, fresh_corpus: Path
) -> None:
    target = tmp_path / "devix"
    result = search("--index", str(target), "--corpus", str(fresh_corpus), "OPEC")
    assert result.exit_code == ExitStatus.SUCCESS
    assert "1 article matches 'OPEC'" in result.stdout


def test_failed_commands_leave_no_folder_behind(tmp_path: Path) -> None:
    built = searchlib("index", str(tmp_path / "missing"), "--index", str(tmp_path / "ix"))
    assert built.exit_code == ExitStatus.CORPUS_NOT_FOUND
    updated = searchlib("update", "--index", str(tmp_path / "ix2"))
    assert updated.exit_code == ExitStatus.INDEX_NOT_FOUND
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    kept = tmp_path / "mine"
    kept.mkdir()  # a folder the user made stays, even empty
    searchlib("index", str(tmp_path / "missing"), "--index", str(kept))
    assert kept.is_dir()


# 6. The answer says what was asked.


def test_the_summary_echoes_the_filters_and_filter_only_lists_newest_first(index_dir: Path) -> None:
    result = search("--index", str(index_dir), "--source", "BBC", "--from", "2020-06", "--no-facets")
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith(
        "2 articles from BBC, dated from 2020-06  (page 1 of 1, sorted by date, newest first, "
    )
    dates = [line.split()[1] for line in result.stdout.splitlines() if line[3:5] == ". "]
    assert dates == sorted(dates, reverse=True) == ["2020-11-04", "2020-06-15"]
    named = search("--index", str(index_dir), "election", "--person", "Donald Trump", "--to", "2020-12")
    assert named.stdout.startswith("1 article matches 'election', naming Donald Trump, dated up to 2020-12")
    assert "by relevance" in named.stdout.splitlines()[0]


def test_a_query_without_words_is_sorted_by_date_in_the_library_too(searcher: Searcher) -> None:
    results = searcher.search("", source="BBC")
    assert results.sort == "date"
    assert [hit.id for hit in results.hits] == ["104_a1b2c3d4e5f60004", "103_a1b2c3d4e5f60003"]


# 7. Small slips.


def test_sorted_by_date_there_is_no_relevance_score(index_dir: Path) -> None:
    as_json = json.loads(search("--index", str(index_dir), "election", "--sort", "date", "--json").stdout)
    assert {hit["score"] for hit in as_json["hits"]} == {None}
    relevance = json.loads(search("--index", str(index_dir), "election", "--json").stdout)
    assert all(0 < hit["score"] < 1000 for hit in relevance["hits"])
    rows = list(
        csv.DictReader(
            io.StringIO(search("--index", str(index_dir), "election", "--sort", "oldest", "--csv").stdout)
        )
    )
    assert len(rows) == 3 and {row["score"] for row in rows} == {""}


def test_a_closed_pipe_ends_quietly_with_its_named_status(index_dir: Path) -> None:
    """``search Trump --limit 50 | head -1`` exited 1 (rich's choice) as if it had failed."""
    command = [sys.executable, "-m", "searchlib", "search", "--index", str(index_dir), "--limit", "50", ""]
    # The reader is gone before the first write (as when `head -1` has read its line and quit):
    # a pipe whose read end is closed, so every write fails, however small the output.
    read_end, write_end = os.pipe()
    os.close(read_end)
    with subprocess.Popen(command, stdout=write_end, stderr=subprocess.PIPE) as process:
        os.close(write_end)
        assert process.stderr is not None
        stderr = process.stderr.read()
        status = process.wait(timeout=60)
    assert status == ExitStatus.BROKEN_PIPE
    assert stderr == b""


def test_the_entity_list_can_be_iterated(searcher: Searcher) -> None:
    listing = searcher.entities(limit=3)
    assert [entity.name for entity in listing] == [entity.name for entity in listing.entities]
    assert len(listing) == 3 and listing[0] == listing.entities[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--csv", "--json", "x"], "--json and --csv cannot be used together"),
        (["--csv", "--jsonl", "x"], "--csv and --jsonl cannot be used together"),
        (["--like", "101_a1b2c3d4e5f60001", "--csv"], "--like and --csv cannot be used together"),
        (
            ["--like", "101_a1b2c3d4e5f60001", "--source", "BBC"],
            "--like and --source cannot be used together",
        ),
        (["--like", "101_a1b2c3d4e5f60001", "--sort", "date"], "--like and --sort cannot be used together"),
        (["--jsonl", "--page", "2", "x"], "--jsonl and --page cannot be used together"),
        (["--csv", "--histogram", "year", "x"], "--csv and --histogram cannot be used together"),
    ],
)
def test_conflicting_options_are_a_usage_error(index_dir: Path, args: list[str], message: str) -> None:
    result = search("--index", str(index_dir), *args)
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr == f"error: {message}: leave one out\n"


def test_the_progress_bar_counts_articles(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar(color="always", label="Indexing") as progress:
        progress(0, 3410)
        progress(1280, 3410)
    shown = capsys.readouterr().err
    assert "Indexing" in shown and "1,280/3,410 articles" in shown


def test_a_first_use_build_says_indexing(
    tmp_path: Path, fresh_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    labels: list[str] = []
    real = common.progress_bar

    def recording(*, color: str, label: str, unit: str = "articles"):
        labels.append(label)
        return real(color=color, label=label, unit=unit)

    monkeypatch.setattr(common, "progress_bar", recording)
    common.run_update(corpus_dir=fresh_corpus, index_dir=tmp_path / "ix", color="never")
    common.run_update(corpus_dir=None, index_dir=tmp_path / "ix", color="never")
    assert labels == ["Indexing", "Updating"]


def test_stats_shows_the_date_span(index_dir: Path) -> None:
    result = searchlib("stats", "--index", str(index_dir))
    assert result.stdout.splitlines()[1] == "dated 2019-03-01 to 2021-03-05"
    data = json.loads(searchlib("stats", "--index", str(index_dir), "--json").stdout)
    assert (data["first_date"][:10], data["last_date"][:10], data["undated"]) == (
        "2019-03-01",
        "2021-03-05",
        0,
    )


def test_like_shows_the_article_it_started_from_and_its_key_words(
    index_dir: Path, searcher: Searcher
) -> None:
    result = search("--index", str(index_dir), "--like", "104_a1b2c3d4e5f60004", "--color", "never")
    first = result.stdout.splitlines()[0]
    assert first.startswith("6 articles like 104_a1b2c3d4e5f60004 \u201cUS election too close to call\u201d")
    key_terms = first.split("key terms: ")[1].split(";")[0].split(", ")
    words = set(re.findall(r"\w+", searcher.article("104_a1b2c3d4e5f60004").body.lower()))
    assert key_terms and set(key_terms) <= words  # as written ("counted"), not stems ("count")


# Every documented command, with a typo in each option value: a hint on stderr and the exit
# status the README's table names. Filter values are warnings (the search still answers).

IX = "{ix}"
MISSING = "{tmp}/indx"
TYPOS: list[tuple[list[str], ExitStatus, str]] = [
    (["search", "--index", IX, "--sort", "relevence", "x"], ExitStatus.USAGE, "'relevence' is not one of"),
    (["search", "--index", IX, "--limit", "ten", "x"], ExitStatus.USAGE, "'ten' is not a valid integer"),
    (["search", "--index", IX, "--page", "0", "x"], ExitStatus.USAGE, "0 is not in the range"),
    (["search", "--index", IX, "--facet", "sorce"], ExitStatus.USAGE, "'sorce' is not one of 'source'"),
    (["search", "--index", IX, "--histogram", "mnth"], ExitStatus.USAGE, "'mnth' is not one of"),
    (["search", "--index", IX, "--color", "nevr"], ExitStatus.USAGE, "'nevr' is not one of"),
    (["search", "--index", IX, "--from", "2020-13"], ExitStatus.USAGE, "use YYYY, YYYY-MM or YYYY-MM-DD"),
    (["search", "--index", IX, "--to", "20201"], ExitStatus.USAGE, "use YYYY, YYYY-MM or YYYY-MM-DD"),
    (["search", "--index", IX, "--from", "2030"], ExitStatus.SUCCESS, "the articles run from 2019-03-01"),
    (["search", "--index", IX, "--source", "Reuter"], ExitStatus.SUCCESS, "did you mean Reuters"),
    (["search", "--index", IX, "--entity", "Bagdad"], ExitStatus.SUCCESS, "did you mean Baghdad"),
    (["search", "--index", IX, "--person", "Donald Trunp"], ExitStatus.SUCCESS, "did you mean Donald Trump"),
    (
        ["search", "--index", IX, "--org", "Kataeb Hezbolah"],
        ExitStatus.SUCCESS,
        "did you mean Kataeb Hezbollah",
    ),
    (["search", "--index", IX, "--place", "Bagdad"], ExitStatus.SUCCESS, "did you mean Baghdad"),
    (
        ["search", "--index", IX, "--like", "101_a1b2c3d4e5f6001"],
        ExitStatus.ARTICLE_NOT_FOUND,
        "did you mean 101_",
    ),
    (["search", "--index", IX, "--page", "9", "election"], ExitStatus.SUCCESS, "past the last page"),
    (["search", "--index", MISSING, "x"], ExitStatus.INDEX_NOT_FOUND, "searchlib index CORPUS --index"),
    (
        ["search", "--index", MISSING, "--corpus", "{tmp}/corpsu", "x"],
        ExitStatus.CORPUS_NOT_FOUND,
        "no article folder",
    ),
    (["index", "{tmp}/corpsu", "--index", MISSING], ExitStatus.CORPUS_NOT_FOUND, "no article folder"),
    (["index", "--max-bytes", "0", "--index", MISSING], ExitStatus.USAGE, "0 is not in the range"),
    (["index", "--wait", "soon", "--index", MISSING], ExitStatus.USAGE, "'soon' is not a valid float"),
    (
        ["index", "--aliases", "{tmp}/alias.toml", "--index", MISSING],
        ExitStatus.CONFIG_ERROR,
        "no aliases file",
    ),
    (["update", "--index", MISSING], ExitStatus.INDEX_NOT_FOUND, "searchlib index CORPUS --index"),
    (["update", "{tmp}/corpsu", "--index", IX], ExitStatus.USAGE, "--rebuild"),
    (["stats", "--index", MISSING], ExitStatus.INDEX_NOT_FOUND, "searchlib index CORPUS --index"),
    (["entities", "--index", IX, "--type", "persn"], ExitStatus.USAGE, "'persn' is not one of 'person'"),
    (["entities", "--index", IX, "--limit", "0"], ExitStatus.USAGE, "0 is not in the range"),
    (
        ["batch", "{tmp}/names.txt", "--index", IX, "--source", "Reuter"],
        ExitStatus.SUCCESS,
        "did you mean Reuters",
    ),
    (["batch", "{tmp}/nmes.txt", "--index", IX], ExitStatus.USAGE, "no file"),
    (["batch", "{tmp}/names.txt", "--index", IX, "--from", "2020-13"], ExitStatus.USAGE, "use YYYY"),
    (
        ["batch", "{tmp}/names.txt", "--index", IX, "--sources", "0"],
        ExitStatus.USAGE,
        "0 is not in the range",
    ),
    (["serve", "--index", IX, "--port", "99999"], ExitStatus.USAGE, "99999 is not in the range"),
    (["serve", "--index", MISSING], ExitStatus.INDEX_NOT_FOUND, "searchlib index CORPUS --index"),
    (["watch", "add", "k", "election AND", "--index", IX], ExitStatus.USAGE, "AND has nothing after it"),
    (["watch", "run", "nosuch", "--index", IX], ExitStatus.USAGE, "see `searchlib watch list`"),
    (["watch", "remove", "nosuch", "--index", IX], ExitStatus.USAGE, "see `searchlib watch list`"),
    (["watch", "list", "--index", MISSING], ExitStatus.INDEX_NOT_FOUND, "searchlib index CORPUS --index"),
]


def typo_id(args: list[str]) -> str:
    return " ".join(a.replace("{tmp}/", "") for a in args if a not in (IX, "--index"))


@pytest.fixture(scope="module")
def typo_place(index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the index (watch commands write beside it) and a names file."""
    place = tmp_path_factory.mktemp("typos")
    shutil.copytree(index_dir, place / "ix")
    (place / "names.txt").write_text("election\nBaghdad\n", encoding="utf-8")
    return place


@pytest.mark.parametrize(("args", "status", "hint"), TYPOS, ids=[typo_id(args) for args, _s, _h in TYPOS])
def test_a_typo_in_any_option_value_gets_a_hint_and_a_named_status(
    typo_place: Path, args: list[str], status: ExitStatus, hint: str
) -> None:
    filled = [arg.format(ix=typo_place / "ix", tmp=typo_place) for arg in args]
    result = CliRunner().invoke(cli, filled, catch_exceptions=False)
    assert result.exit_code == status, result.output
    assert hint in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not (typo_place / "indx").exists()
