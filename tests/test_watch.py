"""Saved searches: new articles since the last run, across updates and rebuilds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import ConfigError, QuerySyntaxError, Searcher, UsageError, build_index
from searchlib.analyst.watch import WATCH_FILE, add_watch, list_watches, remove_watch, run_watches
from searchlib.cli import ExitStatus, cli
from searchlib.indexing.update import update_index

EXTRAS = Path(__file__).parent / "data" / "analyst"
CHILD = Path(__file__).with_name("writer_child.py")
SYNDICATED_COPY = "201_b1b2c3d4e5f60001"
FOLLOW_UP = "202_b1b2c3d4e5f60002"


@pytest.fixture()
def writable_index(fresh_corpus: Path, tmp_path: Path) -> Path:
    index = tmp_path / "index"
    build_index(fresh_corpus, index_dir=index)
    return index


def new_ids(index: Path, *names: str, mark: bool = True) -> dict[str, list[str]]:
    with Searcher(index) as searcher:
        return {r.name: [h.id for h in r.new] for r in run_watches(searcher, names, mark=mark)}


def test_new_articles_are_reported_once_and_survive_update_and_rebuild(
    writable_index: Path, fresh_corpus: Path
) -> None:
    with Searcher(writable_index) as searcher:
        saved = add_watch(searcher, "kataeb", '"Kataeb Hezbollah"')
        add_watch(searcher, "wheat", "wheat")
    assert saved.seen == 2
    assert new_ids(writable_index) == {"kataeb": [], "wheat": []}

    for extra in EXTRAS.glob("*.txt"):
        shutil.copy(extra, fresh_corpus / extra.name)
    update_index(fresh_corpus, index_dir=writable_index)
    assert new_ids(writable_index, "kataeb", mark=False) == {"kataeb": [FOLLOW_UP, SYNDICATED_COPY]}
    assert new_ids(writable_index) == {
        "kataeb": [FOLLOW_UP, SYNDICATED_COPY],
        "wheat": ["203_b1b2c3d4e5f60003"],
    }
    assert new_ids(writable_index) == {"kataeb": [], "wheat": []}

    build_index(fresh_corpus, index_dir=writable_index)  # a rebuild re-stamps every document
    assert new_ids(writable_index) == {"kataeb": [], "wheat": []}
    assert [s.name for s in list_watches(writable_index)] == ["kataeb", "wheat"]


def test_add_refuses_bad_names_duplicates_and_bad_queries(writable_index: Path) -> None:
    with Searcher(writable_index) as searcher:
        add_watch(searcher, "opec", "OPEC")
        with pytest.raises(UsageError, match="exists"):
            add_watch(searcher, "opec", "oil")
        with pytest.raises(UsageError, match="cannot name a saved search"):
            add_watch(searcher, "../etc", "oil")
        with pytest.raises(QuerySyntaxError):
            add_watch(searcher, "bad", "*il")
    assert [s.name for s in list_watches(writable_index)] == ["opec"]


def test_remove_and_unknown_names(writable_index: Path) -> None:
    with Searcher(writable_index) as searcher:
        add_watch(searcher, "opec", "OPEC")
        with pytest.raises(UsageError, match="no saved search named 'oil' \\(saved: opec\\)"):
            run_watches(searcher, ("oil",))
    assert remove_watch(writable_index, "opec").query == "OPEC"
    assert list_watches(writable_index) == ()


def test_a_damaged_watch_file_is_a_config_error(writable_index: Path) -> None:
    (writable_index / WATCH_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="unreadable"):
        list_watches(writable_index)


def invoke(*args: str):
    return CliRunner().invoke(cli, ["watch", *args], catch_exceptions=False)


def test_cli_watch_add_run_list_remove(writable_index: Path, fresh_corpus: Path) -> None:
    index = ["--index", str(writable_index)]
    added = invoke("add", "kataeb", '"Kataeb', 'Hezbollah"', *index)
    assert added.output == "saved 'kataeb': \"Kataeb Hezbollah\" (2 matching articles so far)\n"
    shutil.copy(EXTRAS / f"{FOLLOW_UP}.txt", fresh_corpus)
    update_index(fresh_corpus, index_dir=writable_index)
    peek = invoke("run", "--peek", "--json", *index)
    assert [h["id"] for h in json.loads(peek.output)[0]["new"]] == [FOLLOW_UP]
    ran = invoke("run", *index)
    assert ran.output.startswith("kataeb: 1 new article since ")
    assert f"2021-01-07  Kurdistan 24  {FOLLOW_UP}  Hashd faction warns" in ran.output
    assert invoke("run", *index).output.startswith("kataeb: 0 new articles")
    assert invoke("list", *index).output.startswith('kataeb\t"Kataeb Hezbollah"\tlast run 20')
    assert invoke("remove", "kataeb", *index).exit_code == ExitStatus.SUCCESS
    missing = CliRunner().invoke(cli, ["watch", "run", "kataeb", *index])
    assert missing.exit_code == ExitStatus.USAGE
    assert missing.stderr.startswith("error: no saved search named 'kataeb'")


def spawn(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def add_extras(corpus: Path, index: Path) -> None:
    for extra in EXTRAS.glob("*.txt"):
        shutil.copy(extra, corpus / extra.name)
    update_index(corpus, index_dir=index)


def test_a_run_waits_for_another_process_changing_the_saved_searches(
    writable_index: Path, fresh_corpus: Path
) -> None:
    with Searcher(writable_index) as searcher:
        add_watch(searcher, "kataeb", '"Kataeb Hezbollah"')
    add_extras(fresh_corpus, writable_index)
    holder = spawn(CHILD, "hold-watch-lock", writable_index)  # adds "late" while it holds the lock
    assert holder.stdout and holder.stdout.readline().strip() == "started", holder.communicate()
    reports = new_ids(writable_index)
    assert holder.wait(timeout=60) == 0
    assert reports == {"kataeb": [FOLLOW_UP, SYNDICATED_COPY], "late": ["203_b1b2c3d4e5f60003"]}
    assert [s.name for s in list_watches(writable_index)] == ["kataeb", "late"]
    assert new_ids(writable_index) == {"kataeb": [], "late": []}


def test_runs_at_once_report_each_new_article_once(writable_index: Path, fresh_corpus: Path) -> None:
    with Searcher(writable_index) as searcher:
        add_watch(searcher, "kataeb", '"Kataeb Hezbollah"')
        add_watch(searcher, "wheat", "wheat")
    add_extras(fresh_corpus, writable_index)
    runs = [spawn("-m", "searchlib", "watch", "run", "--json", "--index", writable_index) for _ in range(3)]
    outputs = [proc.communicate(timeout=120) for proc in runs]
    assert [proc.returncode for proc in runs] == [0, 0, 0], outputs
    reported: dict[str, list[str]] = {"kataeb": [], "wheat": []}
    for out, _err in outputs:
        for report in json.loads(out):
            reported[report["name"]] += [hit["id"] for hit in report["new"]]
    assert {name: sorted(ids) for name, ids in reported.items()} == {
        "kataeb": [SYNDICATED_COPY, FOLLOW_UP],
        "wheat": ["203_b1b2c3d4e5f60003"],
    }
    assert new_ids(writable_index) == {"kataeb": [], "wheat": []}


def test_watch_commands_on_a_missing_index_say_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["watch", "remove", "x", "--index", str(tmp_path / "none")])
    assert result.exit_code == ExitStatus.INDEX_NOT_FOUND, result.output
    assert not (tmp_path / "none").exists()
