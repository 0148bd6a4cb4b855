"""Shared fixtures: the fixture corpus, a session-wide index built from it, the seed corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searchlib import Searcher, build_index

TESTS = Path(__file__).parent
FIXTURE_CORPUS = TESTS / "data" / "corpus"
SEED_CORPUS = TESTS.parent / "corpus"
SHARED = TESTS.parent.parent / "shared"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture corpus plus the seed article, so tests never touch the originals."""
    target = tmp_path_factory.mktemp("corpus") / "articles"
    shutil.copytree(FIXTURE_CORPUS, target)
    for seed in SEED_CORPUS.glob("*.txt"):
        shutil.copy(seed, target / seed.name)
    return target


@pytest.fixture(scope="session")
def index_dir(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the fixture corpus, built once with the real entity extractor."""
    target = tmp_path_factory.mktemp("index") / "index"
    build_index(corpus_dir, index_dir=target)
    return target


@pytest.fixture()
def searcher(index_dir: Path):
    with Searcher(index_dir) as opened:
        yield opened


@pytest.fixture()
def fresh_corpus(tmp_path: Path) -> Path:
    """A private, writable copy of the fixture corpus for tests that change files."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target
