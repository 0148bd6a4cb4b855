"""A bench step in a fresh interpreter whose ``searchlib`` comes from a source tree.

Comparing two versions of searchlib side by side means running each in its own process, with
its own ``searchlib`` first on the path: a folder holding the package (``git archive COMMIT
searchlib | tar -x -C DIR``), or, with no tree, the ``searchlib`` beside this bench. The step
is the bench module itself run with ``--child ...``; it prints one line of JSON last, with
``sources``: the files of the modules it ran. A step whose modules did not all come from the
tree is refused: an editable install of another checkout can otherwise hand the step some of
its own modules (a package that moved between versions is found there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parents[1]
"""The folder holding this bench (and the ``searchlib`` used when no tree is given)."""


def run_in_tree(tree: str, module: str, arguments: Sequence[str]) -> dict[str, Any]:
    """``python -m module ARGUMENTS`` in a fresh interpreter on ``tree`` ("": this checkout);
    its JSON result, less its ``sources``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (tree, str(HERE)) if p)
    done = subprocess.run(  # run in the tree: ``-m`` puts the working folder first on the path
        [sys.executable, "-m", module, *arguments],
        env=env,
        cwd=tree or HERE,
        capture_output=True,
        text=True,
        check=False,
    )
    where = tree or str(HERE)
    if done.returncode:
        raise SystemExit(f"{' '.join(arguments)} with {where} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    sources = result.pop("sources")
    if not all(source.startswith(str(Path(where).resolve())) for source in sources):
        raise SystemExit(f"{' '.join(arguments)} did not run the searchlib of {where} alone: {sources}")
    return result


def sources_of(modules: Iterable[ModuleType]) -> list[str]:
    """The files of ``modules``, for a step's ``sources``."""
    return [str(Path(module.__file__ or "").resolve()) for module in modules]
