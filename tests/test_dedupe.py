"""Shingles, MinHash signatures and the cluster ids of near-duplicate articles."""

from __future__ import annotations

from searchlib import dedupe

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
