"""The Quickstart's first command, timed on fresh clones of several commits, side by side.

    python -m bench.first_command main HEAD --runs 3

Each commit is cloned from this repository into a temporary folder and installed into its own
new venv with ``pip install .`` (not timed), as a newcomer would. Then, alternating between the
clones so that the machine's load falls on each alike, ``search "Kataeb Hezbollah"`` runs in
each clone with no index (built from ``corpus/`` on first use), then once more on the index it
built. Each run is timed by ``/usr/bin/time -v``: wall seconds, CPU seconds (user and system,
its children's included) and peak memory, with the load average when it started. On a busy
machine compare the CPU column: on an idle one a command's wall time is about its CPU time.
``--calm 55`` starts each run only once the machine was at most 55% busy over the last second
(Linux: ``/proc/stat``), so that on two cores shared with other jobs each run has a core.
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
    parser.add_argument("--calm", type=float, help="start a run only when at most this %% busy")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="first-command-") as work:
        clones = {commit: install(commit, Path(work) / f"clone{n}") for n, commit in enumerate(args.commits)}
        first: dict[str, list[Run]] = {commit: [] for commit in clones}
        again: dict[str, list[Run]] = {commit: [] for commit in clones}
        for _ in range(args.runs):
            for commit, clone in clones.items():
                shutil.rmtree(clone / "index", ignore_errors=True)
                first[commit].append(timed(clone, calm=args.calm))
                again[commit].append(timed(clone, calm=args.calm))
    when = time.strftime("%Y-%m-%d %H:%M %Z")
    calm = "" if args.calm is None else f", each started when at most {args.calm:g}% busy"
    print(f"`search {QUERY!r}` on a fresh clone, {args.runs} runs each, alternated{calm}, {when}")
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


def timed(clone: Path, *, calm: float | None = None) -> Run:
    """``search QUERY`` in ``clone`` (its own ``index/`` and ``corpus/``) under ``/usr/bin/time -v``,
    once the machine is at most ``calm`` percent busy."""
    while calm is not None and busy_percent() > calm:
        pass
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


def busy_percent(seconds: float = 1.0) -> float:
    """How busy all the machine's cores were over the next ``seconds``, in percent."""

    def ticks() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        return sum(values), values[3] + values[4]  # all, idle and waiting for I/O

    total, idle = ticks()
    time.sleep(seconds)
    total2, idle2 = ticks()
    return 100.0 * (1 - (idle2 - idle) / max(1, total2 - total))


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
