"""The NER worker pool: a worker that dies is a one-line error, and the next call recovers."""

from __future__ import annotations

import os
import signal

import pytest
import spacy

from searchlib.entities.ner import (
    DEFAULT_MODEL,
    MentionFinder,
    ParallelMentionFinder,
    _drop_unheard_embedders,
    load_model,
)
from searchlib.errors import SearchlibError

PEOPLE_PLACES = [("Angela Merkel", "Berlin"), ("Mustafa al-Kadhemi", "Baghdad"), ("Emmanuel Macron", "Paris")]
TEXTS = [f"Mustafa al-Kadhemi met Pope Francis in Baghdad on day {n}." for n in range(40)]


def test_a_killed_worker_is_a_clear_error_and_the_next_call_starts_new_workers() -> None:
    with ParallelMentionFinder(processes=2) as finder:
        first = finder.find(TEXTS)
        assert len(first) == len(TEXTS)
        pool = finder._pool
        assert pool is not None
        for pid in list(pool._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(SearchlibError, match=r"worker process died.*searchlib update"):
            finder.find(TEXTS)
        assert finder.find(TEXTS) == first


def test_parallel_results_come_back_in_order_and_match_one_process() -> None:
    """Texts are split into small tasks across workers; the answer keeps the callers' order."""
    texts = [f"{name} spoke in {place} on day {n}." for n, (name, place) in enumerate(PEOPLE_PLACES * 10)]
    with ParallelMentionFinder(processes=2) as finder:
        parallel = finder.find(texts)
    alone = MentionFinder().find(texts)
    assert parallel == alone
    assert any(label == "PERSON" for spans in parallel for _s, _e, label in spans)


def test_the_model_runs_no_embedder_that_nothing_listens_to() -> None:
    nlp = load_model(DEFAULT_MODEL)
    assert nlp.pipe_names == ["ner"]
    doc = nlp("Mustafa al-Kadhemi met Pope Francis in Baghdad.")
    assert [ent.text for ent in doc.ents if ent.label_ == "GPE"] == ["Baghdad"]


def test_an_embedder_that_a_component_listens_to_is_kept() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}
    nlp.add_pipe("tagger", config={"model": {"tok2vec": listener}})
    nlp.add_pipe("sentencizer")
    nlp.initialize(lambda: [spacy.training.Example.from_dict(nlp.make_doc("a b"), {"tags": ["X", "Y"]})])
    spare = spacy.blank("en")
    spare.add_pipe("tok2vec")
    spare.initialize()
    _drop_unheard_embedders(nlp)
    _drop_unheard_embedders(spare)
    assert nlp.pipe_names == ["tok2vec", "tagger", "sentencizer"]
    assert spare.pipe_names == []


RULER_TEXTS = [
    "Talks in Guinea-Bissau, Ouagadougou and Sao Tome ended; delegates flew on to Port Moresby.",
    "REBELS SHELL ALEPPO AND IDLIB AS TALKS OPEN IN ASTANA",
    "The mayor of Mobile and the governor of New Mexico met in Santa Fe.",
]


def _with_every_place_pattern() -> tuple[MentionFinder, object]:
    finder = MentionFinder()
    nlp, gazetteer = finder._load()
    with nlp.select_pipes(enable=["entity_ruler"]):
        nlp.get_pipe("entity_ruler").add_patterns(gazetteer.ruler_patterns())
    finder._unadded = []
    return finder, nlp


def test_places_added_as_texts_need_them_find_what_every_pattern_finds() -> None:
    narrowed = MentionFinder()
    found = [narrowed.find([text])[0] for text in RULER_TEXTS]
    reference, _nlp = _with_every_place_pattern()
    assert found == reference.find(RULER_TEXTS)
    assert any(label == "GPE" for spans in found for _s, _e, label in spans)


def test_the_ruler_holds_only_places_whose_words_the_texts_contain() -> None:
    finder = MentionFinder()
    finder.find(["Delegates met in Port Moresby and Santa Fe."])
    nlp, gazetteer = finder._load()
    held = {pattern["pattern"] for pattern in nlp.get_pipe("entity_ruler").patterns}
    assert {"Port Moresby", "Santa Fe"} <= held
    assert len(held) < len(gazetteer.ruler_patterns()) // 10
