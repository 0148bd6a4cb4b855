"""Shingles, MinHash signatures and the cluster ids of near-duplicate articles."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import numpy as np

from searchlib.articles.textfile import read_article
from searchlib.indexing import dedupe

CORPUS = Path(__file__).parent / "data" / "corpus"

STORY = (
    "Two drones struck near Baghdad airport on Tuesday, and security officials blamed Kataeb "
    "Hezbollah, a hardline faction of the Hashed al-Shaabi. Prime Minister Mustafa al-Kadhemi "
    "ordered an investigation into the attack, his office said in a statement."
)
COPY = STORY.replace("Tuesday", "Tuesday morning") + " More follows."
OTHER = (
    "Farmers in Kansas expect a record wheat harvest this summer after heavy spring rain, the "
    "agriculture department said on Wednesday. Grain traders in Chicago said prices fell."
)


def test_shingles_ignore_case_and_punctuation() -> None:
    assert dedupe.shingles("One two, three four five six!") == dedupe.shingles("one TWO three four five six")
    assert len(dedupe.shingles("one two three four five six")) == 2
    assert dedupe.shingles("") == frozenset()


def test_jaccard_of_a_copy_is_high_and_of_another_story_low() -> None:
    story, copy, other = (dedupe.shingles(t) for t in (STORY, COPY, OTHER))
    assert dedupe.jaccard(story, story) == 1.0
    assert dedupe.jaccard(story, copy) > 0.7
    assert dedupe.jaccard(story, other) == 0.0
    assert dedupe.same_story(story, copy) and not dedupe.same_story(story, other)


def test_short_texts_are_never_the_same_story() -> None:
    short = dedupe.shingles("Breaking news from Baghdad today")
    assert not dedupe.same_story(short, short)


def test_signature_similarity_estimates_jaccard() -> None:
    story, copy, other = (dedupe.shingles(t) for t in (STORY, COPY, OTHER))
    estimate = dedupe.similarity(dedupe.signature(story), dedupe.signature(copy))
    assert abs(estimate - dedupe.jaccard(story, copy)) < 0.2
    assert dedupe.similarity(dedupe.signature(story), dedupe.signature(other)) < 0.1
    assert dedupe.signature(story) == dedupe.signature(set(story))  # stable across calls


def test_band_keys_are_shared_by_copies() -> None:
    keys = set(dedupe.band_keys(dedupe.signature(dedupe.shingles(STORY))))
    assert len(keys) == dedupe.BANDS
    assert keys & set(dedupe.band_keys(dedupe.signature(dedupe.shingles(COPY))))
    assert not keys & set(dedupe.band_keys(dedupe.signature(dedupe.shingles(OTHER))))


def test_finder_puts_copies_in_the_first_articles_cluster() -> None:
    finder = dedupe.DuplicateFinder()
    assert finder.assign("a", STORY) == "a"
    assert finder.assign("b", OTHER) == "b"
    assert finder.assign("c", COPY) == "a"
    assert finder.table.members() == {"a": ["a", "c"]}


def test_finder_forgets_removed_articles_and_reassigns_changed_ones() -> None:
    finder = dedupe.DuplicateFinder()
    finder.assign("a", STORY)
    finder.forget("a")
    assert finder.assign("c", COPY) == "c"
    assert finder.assign("c", OTHER) == "c"
    assert finder.table.members() == {}


def test_short_texts_get_their_own_cluster() -> None:
    finder = dedupe.DuplicateFinder()
    assert finder.assign("a", "Breaking news") == "a"
    assert finder.assign("b", "Breaking news") == "b"


def test_cluster_table_round_trip_and_stale_generation(tmp_path) -> None:
    finder = dedupe.DuplicateFinder()
    for doc_id, text in (("a", STORY), ("b", OTHER), ("c", COPY)):
        finder.assign(doc_id, text)
    finder.table.save(tmp_path, generation=3)
    loaded = dedupe.ClusterTable.load(tmp_path, generation=3)
    assert loaded is not None and loaded.entries == finder.table.entries
    assert dedupe.ClusterTable.load(tmp_path, generation=4) is None
    seeded = dedupe.finder_for(tmp_path, generation=3, documents=lambda: [])
    assert seeded.assign("d", COPY + " Updated.") == "a"


def test_a_seeded_band_index_is_the_one_assigning_built(tmp_path) -> None:
    rng = random.Random(5)
    words = STORY.split() + OTHER.split()
    finder = dedupe.DuplicateFinder()
    for i in range(300):
        finder.assign(f"{i:03d}", " ".join(rng.choice(words) for _ in range(30)))
    finder.forget("007")
    finder.assign("008", "Too short")
    finder.table.save(tmp_path, generation=1)
    seeded = dedupe.finder_for(tmp_path, generation=1, documents=lambda: [])
    one_by_one = dedupe._BandIndex()
    table = seeded.table
    for row in sorted(table._row.values()):
        if table._has_sig[row]:
            one_by_one.add(dedupe._band_keys(table._sigs[row]), row)
    one_by_one._freeze()
    made = seeded._bands
    assert len(made._keys) == 16 * 298
    assert (one_by_one._keys == made._keys).all() and (one_by_one._rows == made._rows).all()
    assert not seeded.changed
    for i in range(20):
        text = " ".join(rng.choice(words) for _ in range(30))
        assert seeded.assign(f"new{i}", text) == finder.assign(f"new{i}", text)
    assert seeded.changed


def test_a_table_with_removed_rows_saves_only_the_live_ones_in_the_order_added(tmp_path) -> None:
    finder = dedupe.DuplicateFinder()
    for doc_id, text in (("z", STORY), ("b", OTHER), ("c", COPY), ("a", OTHER + " Later.")):
        finder.assign(doc_id, text)
    finder.forget("b")
    finder.assign("z", STORY + " Corrected.")
    finder.table.save(tmp_path, generation=2)
    loaded = dedupe.ClusterTable.load(tmp_path, generation=2)
    assert loaded is not None and dict(loaded.entries) == dict(finder.table.entries)
    assert loaded._ids == ["c", "a", "z"] and len(loaded._sigs) == 3
    assert loaded.cluster_of("c") == "z" and loaded.cluster_of("a") == "b"  # its first was removed


def test_the_cluster_ids_a_search_reads_are_saved_with_the_table(tmp_path) -> None:
    finder = dedupe.DuplicateFinder()
    for doc_id, text in (("a", STORY), ("b", OTHER), ("c", COPY), ("d", COPY + " Again.")):
        finder.assign(doc_id, text)
    finder.forget("a")  # "c" and "d" stay in the cluster named after the deleted original
    finder.assign("e", OTHER + " More.")
    ids = finder.table.cluster_ids()
    assert ids == {"b": "b", "c": "a", "d": "a", "e": "b"}
    finder.table.save(tmp_path, generation=5)
    assert dedupe.load_cluster_ids(tmp_path, generation=5) == ids
    assert dedupe.load_cluster_ids(tmp_path, generation=6) is None
    (tmp_path / dedupe.CLUSTER_IDS_FILE).unlink()  # an index from before the ids file
    assert dedupe.load_cluster_ids(tmp_path, generation=5) == ids


def test_finder_for_rebuilds_a_missing_table_from_the_documents(tmp_path) -> None:
    finder = dedupe.finder_for(tmp_path, generation=1, documents=lambda: [("a", STORY), ("c", COPY)])
    assert finder.table.members() == {"a": ["a", "c"]}


def test_a_table_of_the_first_format_still_loads(tmp_path) -> None:
    """Indexes built before the signatures moved to their own file keep their clusters."""
    sig = dedupe.signature(dedupe.shingles(STORY))
    packed = np.array(sig, dtype=">u4").tobytes().hex()
    old = {"format": 1, "generation": 2, "articles": {"a": ["a", packed], "c": ["a", packed], "b": ["b", ""]}}
    (tmp_path / dedupe.LEGACY_CLUSTER_FILE).write_text(json.dumps(old))
    table = dedupe.ClusterTable.load(tmp_path, generation=2)
    assert table is not None and table.members() == {"a": ["a", "c"]}
    assert dedupe.load_cluster_ids(tmp_path, generation=2) == {"a": "a", "c": "a"}
    # Its signatures hashed shingles another way: a finder is seeded from the documents instead.
    assert dedupe.finder_for(tmp_path, generation=2, documents=lambda: []).assign("d", COPY) == "d"
    seeded = dedupe.finder_for(tmp_path, generation=2, documents=lambda: [("a", STORY), ("c", COPY)])
    assert seeded.assign("d", COPY) == "a"


def test_a_table_of_the_previous_format_is_rebuilt_but_its_cluster_ids_still_read(tmp_path) -> None:
    """Format 2 hashed each shingle's text with BLAKE2b: its signatures cannot seed a finder."""
    finder = dedupe.DuplicateFinder()
    finder.assign("a", STORY)
    finder.assign("c", COPY)
    finder.table.save(tmp_path, generation=3)
    path = tmp_path / dedupe.CLUSTER_FILE
    data = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps({**data, "format": 2}))
    assert dedupe.ClusterTable.load(tmp_path, generation=3) is None
    assert dedupe.load_cluster_ids(tmp_path, generation=3) == {"a": "a", "c": "a"}
    rebuilt = dedupe.finder_for(tmp_path, generation=3, documents=lambda: [("x", STORY)])
    assert rebuilt.assign("y", COPY) == "x"


def test_signatures_missing_means_rebuilt_from_the_documents(tmp_path) -> None:
    finder = dedupe.DuplicateFinder()
    finder.assign("a", STORY)
    finder.table.save(tmp_path, generation=1)
    (tmp_path / dedupe.CLUSTER_FILE).unlink()
    rebuilt = dedupe.finder_for(tmp_path, generation=1, documents=lambda: [("x", STORY)])
    assert rebuilt.assign("y", COPY) == "x"


def reference_clusters(texts: list[tuple[str, str]]) -> dict[str, str]:
    """The clusters of the first implementation: string band keys, every candidate a dict lookup."""
    bands: dict[str, list[str]] = {}
    sigs: dict[str, tuple[int, ...]] = {}
    clusters: dict[str, str] = {}
    for doc_id, text in texts:
        shingle_set = dedupe.shingles(text)
        sig = dedupe.signature(shingle_set) if len(shingle_set) >= dedupe.MIN_SHINGLES else ()
        keys = (
            [f"{b}:{sig[b * dedupe.ROWS : (b + 1) * dedupe.ROWS]}" for b in range(dedupe.BANDS)]
            if sig
            else []
        )
        best, best_score, seen = None, dedupe.THRESHOLD, set()
        for key in keys:
            for other in bands.get(key, ()):
                if other not in seen:
                    seen.add(other)
                    score = dedupe.similarity(sig, sigs[other])
                    if score >= best_score:
                        best, best_score = clusters[other], score
        clusters[doc_id] = best or doc_id
        sigs[doc_id] = sig
        for key in keys:
            bands.setdefault(key, []).append(doc_id)
    return clusters


def test_clusters_are_those_of_the_first_implementation(monkeypatch) -> None:
    monkeypatch.setattr(dedupe, "FREEZE_KEYS", 40)  # merge the band index's dict often
    bodies = [read_article(p).body for p in sorted(CORPUS.glob("*.txt"))] + [STORY, COPY, OTHER]
    rng = random.Random(5)
    texts = []
    for number in range(120):
        words = rng.choice(bodies).split()
        cut = rng.randrange(len(words) // 3 + 1)
        texts.append((f"d{number}", " ".join(words[cut:] + words[:cut] if number % 3 else words)))
    finder = dedupe.DuplicateFinder()
    found = {doc_id: finder.assign(doc_id, text) for doc_id, text in texts}
    assert found == reference_clusters(texts)
    assert len(set(found.values())) < len(found) / 2, "the texts repeat: most are someone's copy"


def test_a_long_text_s_shingles_are_found_a_chunk_of_words_at_a_time(monkeypatch) -> None:
    """Runs of words across two chunks are hashed once, as in one pass over the text."""
    rng = random.Random(9)
    words = [f"w{rng.randrange(40)}" for _ in range(1000)]
    texts = [" ".join(words[:n]) for n in (0, 1, 4, 5, 6, 7, 8, 13, 14, 15, 1000)]
    whole = [dedupe._shingle_array(text) for text in texts]
    monkeypatch.setattr(dedupe, "SHINGLE_CHUNK_WORDS", 7)
    for text, expected in zip(texts, whole, strict=True):
        found = dedupe._shingle_array(text)
        assert found.dtype == expected.dtype and np.array_equal(found, expected), text[:40]
    assert len(whole[-1]) > 900  # the long text spans many chunks, and its shingles are distinct
