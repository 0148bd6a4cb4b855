"""Saved searches: new articles since the last run, across updates and rebuilds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import ConfigError, QuerySyntaxError, Searcher, UsageError, build_index
from searchlib.cli import ExitStatus, cli
from searchlib.update import update_index
from searchlib.watch import WATCH_FILE, add_watch, list_watches, remove_watch, run_watches

EXTRAS = Path(__file__).parent / "data" / "analyst"
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
