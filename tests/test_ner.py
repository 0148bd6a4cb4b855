"""The NER worker pool: a worker that dies is a one-line error, and the next call recovers."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import spacy

from searchlib.entities.ner import (
    DEFAULT_MODEL,
    MentionFinder,
    ParallelMentionFinder,
    _drop_unheard_embedders,
    _tokenizer_config,
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


def _model_whose_recogniser_listens(folder: Path) -> Path:
    """A pipeline saved to ``folder`` whose recogniser reads the shared ``tok2vec`` embedding
    (as the tagger and parser of ``en_core_web_sm`` do), trained on one sentence."""
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}
    nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "tok2vec": listener,
            }
        },
    )
    doc = nlp.make_doc("Angela Merkel visited Paris")
    example = spacy.training.Example.from_dict(doc, {"entities": [(0, 13, "PERSON"), (22, 27, "GPE")]})
    optimizer = nlp.initialize(lambda: [example])
    for _ in range(30):
        nlp.update([example], sgd=optimizer)
    nlp.to_disk(folder)
    return folder


def test_an_embedder_the_recogniser_listens_to_is_loaded(tmp_path: Path) -> None:
    saved = _model_whose_recogniser_listens(tmp_path / "model")
    nlp = load_model(str(saved))
    assert nlp.pipe_names == ["tok2vec", "ner"]
    doc = nlp("Angela Merkel visited Paris")
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("Angela Merkel", "PERSON"), ("Paris", "GPE")]


def test_the_default_model_loads_without_its_embedder_and_finds_the_same_entities() -> None:
    """Leaving the embedder and the saved strings out of the load, and loading the tokenizer into
    a bare one, change nothing NER finds: spaCy's own load gives the same tokenizer, byte for
    byte, and the same tokens and spans."""
    loaded_then_dropped = spacy.load(
        DEFAULT_MODEL, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
    )
    _drop_unheard_embedders(loaded_then_dropped)
    never_loaded = load_model(DEFAULT_MODEL)
    assert len(never_loaded.vocab.strings) < len(loaded_then_dropped.vocab.strings) // 10
    assert never_loaded.config["nlp"]["tokenizer"] != loaded_then_dropped.config["nlp"]["tokenizer"]
    assert never_loaded.tokenizer.to_bytes(exclude=["vocab"]) == loaded_then_dropped.tokenizer.to_bytes(
        exclude=["vocab"]
    )
    texts = [text for pair in PEOPLE_PLACES for text in pair] + TEXTS[:3] + RULER_TEXTS + [TOKENIZER_TEXT]
    assert [_tokens(doc) for doc in never_loaded.pipe(texts)] == [
        _tokens(doc) for doc in loaded_then_dropped.pipe(texts)
    ]
    assert [_entities(doc) for doc in never_loaded.pipe(texts)] == [
        _entities(doc) for doc in loaded_then_dropped.pipe(texts)
    ]


TOKENIZER_TEXT = (
    "Don't go to U.S.A. e.g. at 5:30p.m. -- it's $4.50/lb (c. 20%), see https://example.com/a?b=1 "
    "or mail a.b@example.org; I'm gonna say \"NATO's\" Lt. Col. O'Neill can't :) vs. :-("
)
"""Special cases, prefixes, suffixes, infixes, a URL and an email: what the tokenizer's rules do."""


def _tokens(doc: object) -> list[tuple[int, str, str, str, str, str]]:
    return [(t.idx, t.text, t.norm_, t.shape_, t.prefix_, t.suffix_) for t in doc]  # type: ignore[attr-defined]


def test_only_a_model_with_spacys_own_tokenizer_saved_loads_it_into_a_bare_one(tmp_path: Path) -> None:
    english = tmp_path / "en"
    spacy.blank("en").to_disk(english)
    bare = {"nlp": {"tokenizer": {"@tokenizers": "searchlib.BareTokenizer.v1"}}}
    assert _tokenizer_config(str(english)) == bare
    assert _tokenizer_config(DEFAULT_MODEL) == _tokenizer_config(str(english))
    chinese = tmp_path / "zh"
    spacy.blank("zh").to_disk(chinese)  # spaCy's Chinese tokenizer: kept as it is
    assert _tokenizer_config(str(chinese)) == {}
    (english / "tokenizer").unlink()  # nothing saved to load into a bare one
    assert _tokenizer_config(str(english)) == {}
    assert _tokenizer_config(str(tmp_path / "absent")) == {}
    assert _tokenizer_config("no_such_model_package") == {}


def _entities(doc: object) -> list[tuple[int, int, str]]:
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]  # type: ignore[attr-defined]


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
