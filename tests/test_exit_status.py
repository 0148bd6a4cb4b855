"""The exit statuses the docs promise that no other test reaches: Ctrl-C during a build, an
entity worker that dies (ERROR), options that cannot apply together; and the docs' tables of
statuses and errors against the code.

(Every other status of ``ExitStatus`` is asserted where its error is made: test_cli,
test_faults, test_schema_version, test_damaged_index, test_readonly_index, test_related,
test_aliases, test_cluster.)
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import copies_of_the_fixtures, ner_workers, start_build

import searchlib.errors
from searchlib.cli import ExitStatus, search_command
from searchlib.cli.common import _status_for
from searchlib.indexing.store import index_exists

ARTICLES = 800
"""Enough that a build is still at work a second after it starts, however fast it starts: the
interrupt must fall mid-build (it stops the build at once, so the size costs nothing)."""
DOCS = Path(__file__).parent.parent / "docs"


def test_ctrl_c_during_a_build_is_interrupted_and_leaves_no_index(tmp_path: Path) -> None:
    index = tmp_path / "index"
    build = start_build(copies_of_the_fixtures(tmp_path / "articles", ARTICLES), index)
    deadline = time.monotonic() + 120
    while not (index / "searchlib.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # into the work: the model loads, the first batches run
    build.send_signal(signal.SIGINT)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == ExitStatus.INTERRUPTED, err
    assert err.strip().splitlines()[-1] == "interrupted", err
    assert not index_exists(index)  # a first build stopped part-way leaves no half index


def test_an_entity_worker_killed_during_a_build_is_status_1_in_one_line(tmp_path: Path) -> None:
    """ERROR (1) for an error that is no user's mistake: a worker killed (the OOM killer)."""
    index = tmp_path / "index"
    build = start_build(copies_of_the_fixtures(tmp_path / "articles", 240), index)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 300
        while not workers and build.poll() is None and time.monotonic() < deadline:
            workers = ner_workers(build.pid)
            time.sleep(0.1)
        assert workers, "the build finished or stalled before its entity workers started"
        os.kill(min(workers), signal.SIGKILL)
        _out, err = build.communicate(timeout=300)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == ExitStatus.ERROR, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: an entity-extraction worker process died") and "searchlib update" in last
    assert "Traceback" not in err
    assert not index_exists(index)  # a first build that failed leaves no half index


def table_rows(page: str, heading: str) -> list[list[str]]:
    """The cells of the first table under ``heading`` in docs/``page`` (backticks removed)."""
    text = (DOCS / page).read_text(encoding="utf-8").split(f"\n{heading}\n", 1)[1]
    lines = text[text.index("\n| ") + 1 :].split("\n\n", 1)[0].splitlines()
    rows = [line.replace("\\|", "\0").strip("| ").split(" | ") for line in lines[2:]]
    return [[cell.replace("\0", "|").strip("`") for cell in row] for row in rows]


def test_the_exit_status_table_is_the_code_s() -> None:
    documented = {
        name: int(status) for status, name, _when in table_rows("index-on-disk.md", "## Exit status")
    }
    assert documented == {status.name: status.value for status in ExitStatus}


def test_each_documented_error_exits_with_its_documented_status() -> None:
    documented = {name: int(status) for name, _when, status in table_rows("python-api.md", "## Errors")}
    errors = {
        name: kind
        for name, kind in vars(searchlib.errors).items()
        if isinstance(kind, type) and issubclass(kind, searchlib.errors.SearchlibError)
    }
    assert set(documented) == set(errors)
    for name, status in documented.items():
        assert _status_for(errors[name]("x")) == status, name


@pytest.mark.parametrize(
    "args",
    [
        ["--json", "--csv", "x"],
        ["--json", "--jsonl", "x"],
        ["--csv", "--jsonl", "x"],
        *(
            ["--like", "101_a1b2c3d4e5f60001", *option]
            for option in (
                ["--csv"],
                ["--jsonl"],
                ["--source", "BBC"],
                ["--entity", "OPEC"],
                ["--person", "Putin"],
                ["--org", "OPEC"],
                ["--place", "Baghdad"],
                ["--from", "2020"],
                ["--to", "2021"],
                ["--sort", "date"],
                ["--page", "2"],
                ["--histogram", "year"],
                ["--facet", "source"],
            )
        ),
        *(
            [export, *option, "x"]
            for export in ("--csv", "--jsonl")
            for option in (["--page", "2"], ["--limit", "5"], ["--histogram", "year"], ["--facet", "source"])
        ),
    ],
)
def test_options_that_cannot_apply_together_are_refused(index_dir: Path, args: list[str]) -> None:
    """docs/cli.md: "Options that cannot apply together are refused (exit 2)"."""
    result = CliRunner().invoke(search_command, [*args, "--index", str(index_dir)])
    assert result.exit_code == ExitStatus.USAGE, result.output
    assert "cannot be used together: leave one out" in result.stderr
    assert result.stderr.count("\n") == 1 and not result.stdout
