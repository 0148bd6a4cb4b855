"""The exit statuses the docs promise that no other test reaches: Ctrl-C during a build.

(Every other status of ``ExitStatus`` is asserted where its error is made: test_cli,
test_faults, test_schema_version, test_damaged_index, test_readonly_index, test_related,
test_aliases.)
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURE_CORPUS

from searchlib.cli import ExitStatus
from searchlib.indexing.store import index_exists

ARTICLES = 160


def test_ctrl_c_during_a_build_is_interrupted_and_leaves_no_index(tmp_path: Path) -> None:
    corpus, index = tmp_path / "articles", tmp_path / "index"
    corpus.mkdir()
    sources = sorted(FIXTURE_CORPUS.glob("*.txt"))
    for number in range(ARTICLES):
        text = sources[number % len(sources)].read_text(encoding="utf-8")
        (corpus / f"copy{number:04d}.txt").write_text(f"{text}\nNote {number} of the copies.\n")
    build = subprocess.Popen(
        [sys.executable, "-m", "searchlib", "index", str(corpus), "--index", str(index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (index / "searchlib.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # into the work: the model loads, the first batches run
    build.send_signal(signal.SIGINT)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == ExitStatus.INTERRUPTED, err
    assert err.strip().splitlines()[-1] == "interrupted", err
    assert not index_exists(index)  # a first build stopped part-way leaves no half index
