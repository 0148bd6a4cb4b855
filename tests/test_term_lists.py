"""Term lists hold exactly the words Whoosh lists by prefix, and answers do not change with them."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from helpers import generation, updated_copy
from writer_child import NameExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.indexing.term_lists import (
    LIST_PREFIX,
    LISTED_FIELDS,
    FieldWords,
    IndexWords,
    TermList,
    list_name,
    write_list,
)

DATA = Path(__file__).parent / "data"


def segment_ids(index: Path) -> list[str]:
    with Searcher(index) as searcher:
        return [leaf.segment().segment_id() for leaf, _ in searcher._searcher.reader().leaf_readers()]


def lists_of(index: Path) -> list[Path]:
    return sorted(generation(index).glob(f"{LIST_PREFIX}*"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lists")
    shutil.copytree(DATA / "corpus", root / "corpus")
    build_index(root / "corpus", index_dir=root / "index", extractor=NameExtractor(), segment_docs=3)
    return root


@pytest.fixture(scope="module")
def updated(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Segments Whoosh's writer wrote and merged, and articles deleted from older segments."""
    return updated_copy(
        built,
        tmp_path_factory.mktemp("lists-updated"),
        appended="\nÉlodie Zoë Quartermain spoke.\n",
        new_articles=[
            " date 2020-01-01 2020/01/01 | 09:00 - Source: Wire\n\nNew\n\nMaria Lopez of ACME said so.\n"
        ],
    )


def prefixes(words: list[str]) -> set[str]:
    """Every first letter and first two letters of ``words``, the empty prefix and one no
    word has."""
    return {""} | {w[:1] for w in words} | {w[:2] for w in words} | {"zzzzq", "\u00ff"}


@pytest.mark.parametrize("index", ["built", "updated"])
def test_every_segment_lists_the_words_whoosh_lists(index: str, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(index)
    with Searcher(root / "index") as searcher:
        folder = searcher.index_dir / searcher.manifest.generation
        reader = searcher._searcher.reader()
        checked = 0
        for leaf, _offset in reader.leaf_readers():
            listed = TermList.open(folder, leaf.segment().segment_id())
            assert listed is not None, "every segment has a list, whichever writer wrote it"
            for fieldname in LISTED_FIELDS:
                words = [t.decode("utf-8") for t in leaf.lexicon(fieldname)]
                assert words, fieldname
                for prefix in prefixes(words):
                    want = [t.decode("utf-8") for t in leaf.expand_prefix(fieldname, prefix)]
                    assert listed.starting_with(fieldname, prefix.encode("utf-8")) == want, prefix
                    counts = listed.counts_starting_with(fieldname, prefix.encode("utf-8"))
                    assert counts is not None
                    assert counts.tolist() == [leaf.doc_frequency(fieldname, w) for w in want], prefix
                    checked += 1
            listed.close()
        merged = IndexWords(reader, folder)
        for fieldname in LISTED_FIELDS:
            for prefix in prefixes([t.decode("utf-8") for t in reader.lexicon(fieldname)]):
                want = [t.decode("utf-8") for t in reader.expand_prefix(fieldname, prefix)]
                assert merged.starting_with(fieldname, prefix) == want
        merged.close()
    assert checked > 100


def test_a_list_finds_words_by_any_prefix_in_byte_order(tmp_path: Path) -> None:
    words = ["abc", "ab", "b", "ábaco", "über", "zeta", "a", "abd", "ça"]
    counts = {w.encode("utf-8"): 3 * n + 1 for n, w in enumerate(words)}
    body, odd, unordered = FieldWords(), FieldWords(), FieldWords()
    ordered = sorted(counts)
    body.add(ordered[:4], [counts[w] for w in ordered[:4]])  # as a writer gives them: in runs
    body.add(ordered[4:], [counts[w] for w in ordered[4:]])
    odd.add([b"two\nlines", b"x"], [1, 2])
    unordered.add([b"b", b"a"], [1, 1])
    fields = {"body": body, "entity_text": FieldWords(), "odd": odd, "unordered": unordered}
    write_list(tmp_path, "seg", fields)
    listed = TermList.open(tmp_path, "seg")
    assert listed is not None
    for prefix in ["", "a", "ab", "abc", "abcd", "á", "ü", "ç", "z", "zz", "b", "0", "\uffff"]:
        want = sorted({w for w in words if w.startswith(prefix)}, key=lambda w: w.encode("utf-8"))
        assert listed.starting_with("body", prefix.encode("utf-8")) == want, prefix
        found = listed.counts_starting_with("body", prefix.encode("utf-8"))
        assert found is not None and found.tolist() == [counts[w.encode("utf-8")] for w in want], prefix
    assert listed.starting_with("entity_text", b"a") == []
    assert listed.starting_with("odd", b"x") is None  # a word with a newline: left to Whoosh
    assert listed.starting_with("unordered", b"a") is None  # words out of order: left to Whoosh
    assert listed.starting_with("title", b"a") is None  # not listed
    listed.close()


def test_a_list_of_another_segment_or_cut_short_is_not_used(tmp_path: Path) -> None:
    words = FieldWords()
    words.add([b"alpha", b"beta"], [1, 2])
    write_list(tmp_path, "seg", {"body": words})
    (tmp_path / list_name("other")).write_bytes((tmp_path / list_name("seg")).read_bytes())
    assert TermList.open(tmp_path, "other") is None
    data = (tmp_path / list_name("seg")).read_bytes()
    (tmp_path / list_name("seg")).write_bytes(data[:-3])
    assert TermList.open(tmp_path, "seg") is None
    (tmp_path / list_name("seg")).write_bytes(b"")
    assert TermList.open(tmp_path, "seg") is None
    assert TermList.open(tmp_path, "missing") is None


def test_an_update_gives_lists_to_segments_without_one_and_drops_those_merged_away(
    built: Path, tmp_path: Path
) -> None:
    """An index from before the lists gets them from the next update, the same bytes the
    build wrote; segments merged away lose theirs."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(built / "corpus", corpus)
    build_index(corpus, index_dir=index, extractor=NameExtractor(), segment_docs=3)
    written = {path.name: path.read_bytes() for path in lists_of(index)}
    assert len(written) == len(segment_ids(index)) > 1
    for path in lists_of(index):
        path.unlink()
    report = update_index(corpus, index_dir=index, extractor=NameExtractor())
    assert report.indexed == 0
    assert {path.name: path.read_bytes() for path in lists_of(index)} == written
    (corpus / "extra.txt").write_text(
        " date 2020-01-01 2020/01/01 | 09:00 - Source: Wire\n\nNew\n\nA new one.\n"
    )
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    assert sorted(path.name for path in lists_of(index)) == sorted(list_name(s) for s in segment_ids(index))


QUERIES = [
    "Soleinani",
    "Kadhimi",
    "Qadhemi",
    "electon",
    "missle",
    '"Kataeb Hezbolah" NOT wheat',
    "Kim Jong Um",
    "Hashd Muhandes",
    "Kazemi",
    "tilerson goverment",
    "Putn",
]


def test_answers_are_the_same_with_and_without_the_lists(analyst_index: Path, tmp_path: Path) -> None:
    """Did-you-mean and the name variants list words through the term lists; a searcher of the
    same index without them (an index of an older searchlib) answers exactly the same."""
    index = tmp_path / "index"
    shutil.copytree(analyst_index, index)
    assert lists_of(index)

    def answers() -> list[object]:
        with Searcher(index) as searcher:
            return [dataclasses.replace(searcher.search(q), elapsed_ms=0.0) for q in QUERIES]

    with_lists = answers()
    assert sum(result.suggestion is not None for result in with_lists) >= 4  # type: ignore[attr-defined]
    assert any(result.variants for result in with_lists)  # type: ignore[attr-defined]
    for path in lists_of(index):
        path.unlink()
    assert answers() == with_lists
