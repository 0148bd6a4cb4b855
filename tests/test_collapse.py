"""Near-duplicate collapse at index time (cluster table) and in search results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from searchlib import Searcher, build_index
from searchlib.cli import search_command
from searchlib.indexing import story_codes
from searchlib.indexing.collapse import Stories, collapse_page, count_stories
from searchlib.indexing.collapse import story_codes as codes_for
from searchlib.indexing.dedupe import CLUSTER_FILE, CLUSTER_IDS_FILE
from searchlib.indexing.store import read_manifest
from searchlib.indexing.update import update_index

DRONES = "101_a1b2c3d4e5f60001"
SYNDICATED_COPY = "201_b1b2c3d4e5f60001"
EXTRAS = Path(__file__).parent / "data" / "analyst"


RANKED = [(0, 9.0), (1, 8.0), (2, 7.0), (3, 6.0), (4, 5.0)]
CLUSTERS = {0: "x", 1: "x", 2: "y", 3: "x", 4: "z"}


def page_of(page: int) -> list[tuple[int, tuple[int, ...]]]:
    hits = collapse_page(
        lambda n: RANKED[:n],
        total=len(RANKED),
        page=page,
        page_size=2,
        cluster_of=CLUSTERS.__getitem__,
        copies_of=lambda d, c: tuple(k for k, v in CLUSTERS.items() if v == c and k != d),
    )
    return [(h.docnum, h.copies) for h in hits]


def test_collapse_page_keeps_the_first_of_each_cluster_and_fills_the_page() -> None:
    assert page_of(1) == [(0, (1, 3)), (2, ())]
    assert page_of(2) == [(4, ())]
    assert page_of(3) == []


def test_count_stories_counts_each_cluster_once_and_each_unclustered_article() -> None:
    assert count_stories(range(5), {0: "x", 1: "x", 3: "x", 4: "z"}) == 3
    assert count_stories([2, 4], {0: "x", 1: "x"}) == 2
    assert count_stories([], CLUSTERS) == 0


def test_stories_list_each_storys_documents_and_give_the_others_their_own() -> None:
    stories = Stories(codes_for({4: "x", 1: "x", 3: "y", 0: "x"}, 6))
    assert stories.members(stories.story_of(4)) == [0, 1, 4]
    assert stories.members(stories.story_of(3)) == [3]
    alone = {stories.story_of(2), stories.story_of(5)}
    assert len(alone) == 2 and alone.isdisjoint({stories.story_of(d) for d in (0, 1, 3, 4)})
    assert all(stories.members(story) == [] for story in alone)
    assert Stories(codes_for({}, 3)).members(Stories(codes_for({}, 3)).story_of(1)) == []


def test_a_storys_members_are_the_same_found_directly_or_from_the_sorted_codes() -> None:
    """The first lookups compare every code, later ones slice the codes sorted once: the
    same documents, in document order, for every story and for numbers of no story."""
    rng = np.random.default_rng(3)
    codes = rng.integers(-1, 30, size=500).astype(np.int32)
    stories = Stories(codes)
    asked = [*range(-3, 33)] * 3
    assert len(asked) > 2 * Stories.DIRECT_LOOKUPS
    for story in asked:
        expected = [d for d, code in enumerate(codes) if code == story] if story >= 0 else []
        assert stories.members(story) == expected
    assert stories._sorted is not None  # the later lookups did use the sorted codes


def test_copies_are_listed_by_id_whatever_their_order_in_the_index(
    tmp_path: Path, fresh_corpus: Path
) -> None:
    """A copy added by an update comes last in the index but is listed in id order."""
    shutil.copy(EXTRAS / f"{SYNDICATED_COPY}.txt", fresh_corpus)
    index = tmp_path / "index"
    build_index(fresh_corpus, index_dir=index)
    early_id = "001_c1b2c3d4e5f60001"
    shutil.copy(EXTRAS / f"{SYNDICATED_COPY}.txt", fresh_corpus / f"{early_id}.txt")
    update_index(fresh_corpus, index_dir=index)
    with Searcher(index) as searcher:
        hit = next(h for h in searcher.search('"Kataeb Hezbollah"', page_size=20).hits if h.also_in)
        assert searcher._searcher.document_number(id=early_id) > searcher._searcher.document_number(
            id=SYNDICATED_COPY
        )
    everyone = {DRONES, SYNDICATED_COPY, early_id}
    assert hit.id in everyone
    assert [c.id for c in hit.also_in] == sorted(everyone - {hit.id})


def test_pages_count_the_folded_stories_and_the_last_page_is_full(analyst_index: Path) -> None:
    with Searcher(analyst_index) as searcher:
        folded = searcher.search('"Kataeb Hezbollah"', page_size=1)
        everything = searcher.search('"Kataeb Hezbollah"', page_size=1, collapse=False)
        last = searcher.search('"Kataeb Hezbollah"', page_size=1, page=folded.pages)
        beyond = searcher.search('"Kataeb Hezbollah"', page_size=1, page=folded.pages + 1)
    assert everything.stories is None and everything.pages == everything.total
    assert folded.total == everything.total
    assert folded.stories == everything.total - 1  # the syndicated copy folds into its original
    assert folded.pages == folded.stories
    assert len(last.hits) == 1 and beyond.hits == ()


def test_cli_header_and_json_page_count_the_stories(analyst_index: Path) -> None:
    runner = CliRunner()
    args = ['"Kataeb Hezbollah"', "--limit", "1", "--index", str(analyst_index)]
    data = json.loads(runner.invoke(search_command, [*args, "--json"], catch_exceptions=False).output)
    assert data["stories"] == data["total"] - 1 and data["pages"] == data["stories"]
    header = runner.invoke(search_command, args, catch_exceptions=False).output.splitlines()[0]
    assert f"{data['total']} articles match" in header
    assert f"as {data['stories']} stories (copies folded)" in header
    assert f"(page 1 of {data['stories']}," in header
    every = json.loads(runner.invoke(search_command, [*args, "--json", "--no-collapse"]).output)
    assert every["stories"] is None and every["pages"] == every["total"]


def clusters_of(index: Path) -> dict[str, list[str]]:
    with Searcher(index) as searcher:
        table, members = searcher._cluster_table()
    assert table is not None
    return members


def test_a_build_records_the_syndicated_copy_in_the_originals_cluster(analyst_index: Path) -> None:
    assert (analyst_index / read_manifest(analyst_index).generation / CLUSTER_FILE).is_file()
    assert clusters_of(analyst_index) == {DRONES: [DRONES, SYNDICATED_COPY]}


def test_search_shows_a_story_once_with_also_in(analyst_index: Path) -> None:
    with Searcher(analyst_index) as searcher:
        folded = searcher.search('"Kataeb Hezbollah"', page_size=20)
        everything = searcher.search('"Kataeb Hezbollah"', page_size=20, collapse=False)
    ids = [h.id for h in folded.hits]
    assert DRONES in ids and SYNDICATED_COPY not in ids
    drones = next(h for h in folded.hits if h.id == DRONES)
    assert [(c.id, c.source) for c in drones.also_in] == [(SYNDICATED_COPY, "Rudaw")]
    assert {DRONES, SYNDICATED_COPY} <= {h.id for h in everything.hits}
    assert all(not h.also_in for h in everything.hits)
    assert folded.total == everything.total


def test_a_copy_only_lists_copies_that_match_the_query(analyst_index: Path) -> None:
    with Searcher(analyst_index) as searcher:
        results = searcher.search("Rudaw OR Kadhimi", variants=False)
    assert [h.id for h in results.hits] == [SYNDICATED_COPY]
    assert results.hits[0].also_in == ()


def test_update_puts_a_new_copy_in_the_old_cluster_and_drops_removed_ones(
    tmp_path: Path, fresh_corpus: Path
) -> None:
    index = tmp_path / "index"
    build_index(fresh_corpus, index_dir=index)
    assert clusters_of(index) == {}
    shutil.copy(EXTRAS / f"{SYNDICATED_COPY}.txt", fresh_corpus)
    update_index(fresh_corpus, index_dir=index)
    assert clusters_of(index) == {DRONES: [DRONES, SYNDICATED_COPY]}
    (fresh_corpus / f"{DRONES}.txt").unlink()
    update_index(fresh_corpus, index_dir=index)
    assert clusters_of(index) == {}


def test_update_rebuilds_a_missing_cluster_table(tmp_path: Path, fresh_corpus: Path) -> None:
    shutil.copy(EXTRAS / f"{SYNDICATED_COPY}.txt", fresh_corpus)
    index = tmp_path / "index"
    build_index(fresh_corpus, index_dir=index)
    folder = index / read_manifest(index).generation
    (folder / CLUSTER_FILE).unlink()
    (folder / CLUSTER_IDS_FILE).unlink()
    with Searcher(index) as searcher:
        assert searcher.search("Kataeb", page_size=20, collapse=True).hits[0].also_in == ()
    update_index(fresh_corpus, index_dir=index)
    assert (folder / CLUSTER_FILE).is_file()
    assert clusters_of(index) == {DRONES: [DRONES, SYNDICATED_COPY]}


@pytest.mark.parametrize(("flag", "shown"), [("--collapse", False), ("--no-collapse", True)])
def test_cli_collapse_flags(analyst_index: Path, flag: str, shown: bool) -> None:
    runner = CliRunner()
    plain = runner.invoke(search_command, ['"Kataeb Hezbollah"', flag, "--index", str(analyst_index)])
    assert ("also in: Rudaw " + SYNDICATED_COPY in plain.output) is not shown
    data = json.loads(
        runner.invoke(
            search_command, ['"Kataeb Hezbollah"', flag, "--json", "--index", str(analyst_index)]
        ).output
    )
    assert (SYNDICATED_COPY in {h["id"] for h in data["hits"]}) is shown


def test_document_numbers_found_in_one_pass_are_those_a_lookup_finds(
    tmp_path: Path, fresh_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(EXTRAS / f"{SYNDICATED_COPY}.txt", fresh_corpus)
    index = tmp_path / "index"
    build_index(fresh_corpus, index_dir=index)
    edited = fresh_corpus / f"{DRONES}.txt"
    edited.write_text(edited.read_text() + "\nA late paragraph.\n")
    update_index(fresh_corpus, index_dir=index)  # the old document of DRONES is deleted, a new one added
    with Searcher(index) as searcher:
        reader = searcher._searcher.reader()
        written = sum(leaf.doc_frequency("id", DRONES) for leaf, _offset in reader.leaf_readers())
        ids = [hit.id for hit in searcher.search("", page_size=100, facets=None, collapse=False).hits]
        monkeypatch.setattr(story_codes, "SWEEP_SHARE", 0)  # one lookup per id
        looked_up = story_codes.docnums_of(searcher._searcher, [*ids, "no_such_article"])
        monkeypatch.setattr(story_codes, "SWEEP_SHARE", 10**6)  # one pass over every id
        swept = story_codes.docnums_of(searcher._searcher, [*ids, "no_such_article"])
    assert written == 2  # the id is in the index twice, once on a deleted document
    assert swept == looked_up and len(swept) == len(ids) == 9
