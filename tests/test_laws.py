"""Names of laws, treaties and events are known by their head noun, and are no organisations."""

from __future__ import annotations

import pytest

from searchlib.entities.aliases import AliasTable
from searchlib.entities.canonical import canonicalise
from searchlib.entities.gazetteer import load_gazetteer
from searchlib.entities.laws import names_a_law, names_an_event
from searchlib.entities.mentions import tidy_mentions
from searchlib.entities.resolve import NameCounts, resolve_names

LAWS = (
    *("American Health Care Act", "Lisbon Treaty", "Treaty of Rome", "Good Friday Agreement"),
    *("Minsk Accords", "Convention on the Rights of the Child", "Chemical Weapons Convention", "Act"),
)
EVENTS = (
    *("World Cup", "Cannes International Film Festival", "G20 Summit", "Pritzker Architecture Prize"),
    *("Grammy Awards", "Grammys", "Sochi Olympics", "Edison Award for Innovation in Health Management"),
    *("Tour de France", "Rio de Janeiro Olympics"),
)
BODIES = (
    *("Government of National Accord", "Organisation for the Prohibition of Chemical Weapons"),
    *("ACT", "Actors Guild", "Arab League", "Scientific Games", "Vanity Fair", "World Economic Forum"),
    *("Nobel Prize Committee", "CUP", "Association of Tour Operators", "Staffan de Mistura"),
    "Foundation for the Nobel Prize",
)
"""Bodies named after a law or an event, and heads that also end firms' names: neither."""


@pytest.mark.parametrize(
    ("name", "kind"),
    [*((n, "law") for n in LAWS), *((n, "event") for n in EVENTS), *((n, None) for n in BODIES)],
)
def test_a_law_or_an_event_is_named_by_its_head_noun(name: str, kind: str | None) -> None:
    assert (names_a_law(name), names_an_event(name)) == (kind == "law", kind == "event")


def test_an_event_the_archive_calls_a_person_or_a_place_is_no_named_thing() -> None:
    counts = NameCounts()
    for _ in range(6):
        counts.add([("person", "Grammy Awards", ())])
    for _ in range(11):
        counts.add([("place", "Grammys", ())])
    found = resolve_names(counts, aliases=AliasTable(), gazetteer=load_gazetteer())
    assert found.target("Grammy Awards") == ("Grammy Awards", "misc")
    assert found.target("Grammys") == ("Grammys", "misc")


def test_the_model_s_organisation_named_as_a_law_is_no_named_thing() -> None:
    text = "The House passed the American Health Care Act on Thursday."
    start = text.index("American")
    mentions = tidy_mentions(text, [(start, start + 24, "ORG")], gazetteer=load_gazetteer())
    assert [(m.type, m.text) for m in mentions] == [("misc", "American Health Care Act")]


def test_a_law_stays_no_named_thing_whatever_the_votes_of_its_short_form() -> None:
    counts = NameCounts()
    for _ in range(3):  # articles that spell the acronym out (no named thing by its head noun)
        counts.add([("misc", "North American Free Trade Agreement", ("NAFTA",))])
    for _ in range(6):
        counts.add([("org", "NAFTA", ())])
    found = resolve_names(counts, aliases=AliasTable(), gazetteer=load_gazetteer())
    assert found.target("NAFTA") == ("North American Free Trade Agreement", "misc")


def test_an_article_s_acronym_of_a_law_is_that_law() -> None:
    """The model calls "NAFTA" an organisation; it is the agreement the article spells out."""
    text = "The North American Free Trade Agreement (NAFTA) was signed. NAFTA took effect."
    spans = [(4, 39, "ORG"), (41, 46, "ORG"), (60, 65, "ORG")]
    entities = canonicalise(tidy_mentions(text, spans, gazetteer=load_gazetteer()), AliasTable())
    assert [(e.name, e.type, e.variants) for e in entities] == [
        ("North American Free Trade Agreement", "misc", ("NAFTA",))
    ]
