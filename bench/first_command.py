"""The Quickstart's first command, timed on fresh clones of several commits, side by side.

    python -m bench.first_command main HEAD --runs 3

Each commit is cloned from this repository into a temporary folder and installed into its own
new venv with ``pip install .`` (not timed), as a newcomer would. Then, alternating between the
clones so that the machine's load falls on each alike, ``search "Kataeb Hezbollah"`` runs in
each clone with no index (built from ``corpus/`` on first use), then once more on the index it
built. Each run is timed by ``/usr/bin/time -v``: wall seconds, CPU seconds (user and system,
its children's included) and peak memory, with the load average when it started. On a busy
machine compare the CPU column: on an idle one a command's wall time is about its CPU time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERY = "Kataeb Hezbollah"


@dataclass(frozen=True)
class Run:
    """One timed command."""

    wall: float
    cpu: float
    peak_mb: float
    load: float


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commits", nargs="+", help="commits, branches or tags of this repository")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="first-command-") as work:
        clones = {commit: install(commit, Path(work) / f"clone{n}") for n, commit in enumerate(args.commits)}
        first: dict[str, list[Run]] = {commit: [] for commit in clones}
        again: dict[str, list[Run]] = {commit: [] for commit in clones}
        for _ in range(args.runs):
            for commit, clone in clones.items():
                shutil.rmtree(clone / "index", ignore_errors=True)
                first[commit].append(timed(clone))
                again[commit].append(timed(clone))
    when = time.strftime("%Y-%m-%d %H:%M %Z")
    print(f"`search {QUERY!r}` on a fresh clone, {args.runs} runs each, alternated, {when}")
    for commit in clones:
        print(f"{commit}: first use {summary(first[commit])}; on the built index {summary(again[commit])}")
    return 0


def install(commit: str, clone: Path) -> Path:
    """A clone of ``commit`` with searchlib installed in its own ``.venv``."""
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", commit], check=True)
    subprocess.run(["python3", "-m", "venv", str(clone / ".venv")], check=True)
    pip = [str(clone / ".venv" / "bin" / "pip"), "install", "--quiet", "."]
    subprocess.run(pip, cwd=clone, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return clone


def timed(clone: Path) -> Run:
    """``search QUERY`` in ``clone`` (its own ``index/`` and ``corpus/``) under ``/usr/bin/time -v``."""
    load = os.getloadavg()[0]
    search = str(clone / ".venv" / "bin" / "search")
    done = subprocess.run(
        ["/usr/bin/time", "-v", search, QUERY], cwd=clone, capture_output=True, text=True, check=True
    )
    report = done.stderr

    def field(name: str) -> str:
        found = re.search(rf"{re.escape(name)}: (\S+)", report)
        assert found is not None, f"/usr/bin/time gave no {name!r}"
        return found.group(1)

    minutes, _, seconds = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").rpartition(":")
    wall = float(seconds) + 60 * float(minutes.split(":")[-1] or 0)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return Run(wall=wall, cpu=cpu, peak_mb=int(field("Maximum resident set size (kbytes)")) / 1024, load=load)


def summary(runs: list[Run]) -> str:
    def span(values: list[float]) -> str:
        return f"{min(values):.2f}-{max(values):.2f} s (median {statistics.median(values):.2f})"

    loads = [r.load for r in runs]
    return (
        f"wall {span([r.wall for r in runs])}, CPU {span([r.cpu for r in runs])}, "
        f"peak {max(r.peak_mb for r in runs):.0f} MB, load average {min(loads):.1f}-{max(loads):.1f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
