"""Shared fixtures: the fixture corpus, a session-wide index built from it, the seed corpus."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from searchlib import Searcher, build_index
from searchlib.entities.extract import EntityExtractor

TESTS = Path(__file__).parent
FIXTURE_CORPUS = TESTS / "data" / "corpus"
SEED_CORPUS = TESTS.parent / "corpus"
SHARED = TESTS.parent.parent / "shared"
ANALYST_EXTRAS = TESTS / "data" / "analyst"
SERVER_STOP_SECONDS = 60


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture corpus plus the seed article, so tests never touch the originals."""
    return _copy_with_extras(FIXTURE_CORPUS, SEED_CORPUS, tmp_path_factory.mktemp("corpus"))


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


@pytest.fixture(scope="module")
def spacy_extractor() -> Iterator[EntityExtractor]:
    """The real extractor for a module's builds and updates: each default one starts its own NER
    processes and loads the model in them, so a module shares one and stops it at its end."""
    with EntityExtractor() as extractor:
        yield extractor


@pytest.fixture()
def fresh_index(fresh_corpus: Path, tmp_path: Path, spacy_extractor: EntityExtractor) -> Path:
    """An index of ``fresh_corpus``, for tests that change the corpus or the index."""
    target = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=target, extractor=spacy_extractor)
    return target


@pytest.fixture(scope="session")
def analyst_corpus(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus plus a syndicated copy, a related story with variant spellings of
    its names, and an unrelated story (``tests/data/analyst``): for related articles,
    near-duplicates, spelling suggestions and name variants."""
    return _copy_with_extras(corpus_dir, ANALYST_EXTRAS, tmp_path_factory.mktemp("analyst"))


@pytest.fixture(scope="session")
def analyst_index(analyst_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of ``analyst_corpus``, built once with the real entity extractor."""
    report = build_index(analyst_corpus, index_dir=tmp_path_factory.mktemp("analyst-index") / "index")
    return Path(report.index_dir)


def _copy_with_extras(corpus: Path, extras: Path, parent: Path) -> Path:
    """A copy of ``corpus`` in ``parent/articles`` with the ``.txt`` files of ``extras`` added."""
    target = parent / "articles"
    shutil.copytree(corpus, target)
    for extra in extras.glob("*.txt"):
        shutil.copy(extra, target / extra.name)
    return target


HOSTILE_ID = "900_hostile"
HOSTILE_ARTICLE = """ date 2020-05-01 - Source: Evil "Quote' <b>Source</b>

<script>document.title = 'pwned'</script> Zeppelin headline "><img src=x onerror="document.title='pwned'">

=HYPERLINK("http://example.invalid","zeppelin") opens the report.

The zeppelin report says "><script>document.title='pwned'</script> and ' onmouseover='alert(1) here.
The zeppelin crew met John "Jack" O'Brien in Baghdad.
"""
"""An article written to break out of HTML text and attributes, for the web UI's escaping tests."""


@pytest.fixture(scope="session")
def hostile_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one fixture article and one hostile one (markup and quotes in every field)."""
    corpus = tmp_path_factory.mktemp("hostile") / "articles"
    corpus.mkdir()
    shutil.copy(FIXTURE_CORPUS / "106_a1b2c3d4e5f60006.txt", corpus)
    (corpus / f"{HOSTILE_ID}.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    target = corpus.parent / "index"
    build_index(corpus, index_dir=target)
    return target


@contextmanager
def serving(index_dir: Path) -> Iterator[str]:
    """`searchlib serve --port 0` over ``index_dir`` as a real server; yields its address.

    Its log goes to a file, not a pipe: a pipe nobody reads fills up after some hundred
    requests and then stops the server mid-test."""
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "searchlib", "serve", "--index", str(index_dir), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
            if not found:
                process.wait(timeout=SERVER_STOP_SECONDS)
                log.seek(0)
            assert found, f"the server did not start: {line!r} {log.read()}"
            yield found.group(1)
        finally:
            process.terminate()
            process.wait(timeout=SERVER_STOP_SECONDS)
