"""Types from the words around a name ("the village of Rityan", "in Jazal"), on hand-made spans."""

from __future__ import annotations

import pytest

from searchlib.entities.aliases import AliasTable, load_aliases
from searchlib.entities.canonical import canonicalise
from searchlib.entities.context import ContextMention, place_by_context
from searchlib.entities.gazetteer import Gazetteer, load_gazetteer
from searchlib.entities.mentions import tidy_mentions
from searchlib.entities.truecase import Lexicon
from searchlib.models import Mention

EMPTY = Gazetteer(places=frozenset(), lexicon=Lexicon(common=frozenset()), countries=frozenset())


def typed(text: str, *spans: tuple[str, str]) -> dict[str, str]:
    """The type of each named span of ``text`` after the rules: {surface: type}."""
    raw = []
    for part, label in spans:
        start = text.index(part)
        raw.append((start, start + len(part), label))
    return {m.text: m.type for m in tidy_mentions(text, raw, gazetteer=EMPTY, aliases=load_aliases())}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Rebels were executed in the village of Rityan north of Aleppo.", "Rityan", "PERSON"),
        ("A bomber blew himself up in Tall Tawil village during a wedding.", "Tall Tawil", "PERSON"),
        ("Shells fell on Saif al-Dawleh neighborhood in the city.", "Saif al-Dawleh", "PERSON"),
        ("Terrorists positioned in Binnesh town shelled the road.", "Binnesh", "ORG"),
        ("The army killed more than 30 fighters in Jazal in the countryside.", "Jazal", "PERSON"),
        ("Fighters were killed in Burj Kaey in al-Hola in the north.", "al-Hola", "ORG"),
        ("Rescuers retrieved victims on the outskirts of Erbin, a doctor said.", "Erbin", "PERSON"),
    ],
)
def test_the_words_around_a_name_make_it_a_place(text: str, name: str, label: str) -> None:
    assert typed(text, (name, label))[name] == "place"


@pytest.mark.parametrize(
    ("text", "name", "label", "kind"),
    [
        ("The doping was listed in the McLaren report last year.", "McLaren", "PERSON", "person"),
        ("He served as an adviser in the Clinton administration.", "Clinton", "PERSON", "person"),
        ("The bill stalled in Congress on Friday.", "Congress", "ORG", "org"),
        ("Voters packed GOP town halls this week.", "GOP", "ORG", "org"),
        ("He has no place in Trump's cabinet.", "Trump", "PERSON", "person"),
        ("The widow sat near Owens' family.", "Owens", "PERSON", "person"),
        ("Fighters joined in Hezbollah area raids.", "Hezbollah", "ORG", "org"),
    ],
)
def test_a_modifier_a_possessive_or_an_institution_keeps_its_type(
    text: str, name: str, label: str, kind: str
) -> None:
    assert typed(text, (name, label))[name] == kind


def test_a_list_after_a_settlement_noun_is_a_list_of_places() -> None:
    text = "Units moved from the villages of Um Sahrij, Twlol al-Hawa and Maksar al-Hissan at dawn."
    found = typed(text, ("Um Sahrij", "PERSON"), ("Twlol al-Hawa", "ORG"), ("Maksar al-Hissan", "PERSON"))
    assert found == {"Um Sahrij": "place", "Twlol al-Hawa": "place", "Maksar al-Hissan": "place"}


def test_a_place_sign_holds_for_every_mention_of_the_name_in_the_text() -> None:
    text = "Marea was shelled. The attack on the town of Marea killed two. Marea is near the border."
    raw = [(m.start(), m.end(), "PERSON") for m in __import__("re").finditer("Marea", text)]
    assert {m.type for m in tidy_mentions(text, raw, gazetteer=EMPTY)} == {"place"}


def test_names_a_preposition_introduces_and_in_joins_to_a_place_are_places() -> None:
    text = "Eight persons were wounded in Foua and Kafyra in Idleb on Tuesday."
    found = typed(text, ("Foua", "ORG"), ("Kafyra", "PERSON"), ("Idleb", "GPE"))
    assert found == {"Foua": "place", "Kafyra": "place", "Idleb": "place"}


@pytest.mark.parametrize(
    "text",
    [
        "Fighters of Jaish al-Fatah in Idleb said they held the road.",  # no preposition before
        "Shells fell on Jaish al-Fatah positions in Idleb.",  # not joined by "in"
        "He spoke to Jaish al-Fatah in 2015 in Idleb.",  # nor right before the place
    ],
)
def test_one_sign_of_a_place_within_another_keeps_an_organisation(text: str) -> None:
    assert typed(text, ("Jaish al-Fatah", "ORG"), ("Idleb", "GPE"))["Jaish al-Fatah"] == "org"


def test_a_list_of_names_in_places_starts_after_the_last_place() -> None:
    text = "Reporters Amy Forliti in Kabul, Jill Colvin in Washington and Tom Miles in Geneva helped."
    people = ("Amy Forliti", "Jill Colvin", "Tom Miles")
    found = typed(
        text, *((name, "PERSON") for name in people), *((p, "GPE") for p in ("Kabul", "Washington", "Geneva"))
    )
    assert [found[name] for name in people] == ["person"] * 3


def test_a_weak_sign_does_not_make_an_organisation_a_place() -> None:
    text = "He spoke in Reuters on Monday."
    start = text.index("Reuters")
    assert not place_by_context(text, start, start + len("Reuters"), "org")
    assert place_by_context(text, start, start + len("Reuters"), "person")


def test_an_ordinary_word_standing_for_an_organisation_links_to_it() -> None:
    mentions = [
        Mention(0, 36, "org", "Syrian Observatory for Human Rights"),
        Mention(40, 51, "person", "Observatory"),
    ]
    found = canonicalise(mentions, AliasTable(), gazetteer=load_gazetteer())
    assert [(e.type, e.name, e.variants) for e in found] == [
        ("org", "Syrian Observatory for Human Rights", ("Observatory",))
    ]


def test_an_ordinary_word_two_organisations_hold_stays_apart() -> None:
    mentions = [
        Mention(0, 17, "org", "Free Syrian Army"),
        Mention(20, 31, "org", "Syrian Arab Army"),
        Mention(40, 44, "org", "Army"),
    ]
    found = canonicalise(mentions, AliasTable(), gazetteer=load_gazetteer())
    assert ("org", "Army") in [(e.type, e.name) for e in found]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Twenty heads of the Ahrar al-Sham group were killed.", "Ahrar al-Sham"),
        ("He was a leader of the rebel group Ahrar al-Sham until Tuesday.", "Ahrar al-Sham"),
        ("Dozens of Jund al-Aqsa fighters crossed the line.", "Jund al-Aqsa"),
        ("Shares of Petrobras fell on Monday.", "Petrobras"),
        ("The state oil company Petrobras said on Monday it would sell.", "Petrobras"),
        ("Chinese tech giant Alibaba opened an office.", "Alibaba"),
        ("Fianna Fail leader Micheal Martin said so.", "Fianna Fail"),
    ],
)
def test_a_noun_for_an_organisations_members_makes_a_person_an_organisation(text: str, name: str) -> None:
    assert typed(text, (name, "PERSON"))[name] == "org"


@pytest.mark.parametrize(
    "text",
    [
        "Assad forces shelled the town.",
        "Trump officials met on Monday.",
        "A Putin spokesman declined to comment.",
        "The film producer Horowitz thanked the cast.",
    ],
)
def test_nouns_people_modify_keep_a_person(text: str) -> None:
    name = next(word for word in text.split()[:5] if word[0].isupper() and word not in ("A", "The"))
    assert typed(text, (name, "PERSON"))[name] == "person"


def test_leader_after_a_name_makes_an_organisation_but_before_one_a_title() -> None:
    text = (
        "Fianna Fail leader Micheal Martin met Senate Democratic leader Chuck Schumer and Zahran "
        "Alloush leader of Jaish al-Islam."
    )
    names = ("Fianna Fail", "Micheal Martin", "Chuck Schumer", "Zahran Alloush")
    spans = [(name, "PERSON") for name in names]
    assert typed(text, *spans) == {
        "Fianna Fail": "org",
        "Micheal Martin": "person",
        "Chuck Schumer": "person",
        "Zahran Alloush": "person",
    }


def test_an_entity_typed_by_context_carries_the_evidence_into_the_index_value() -> None:
    from searchlib.entities.extract import EntityExtractor
    from searchlib.indexing.resolution import local_of

    text = "Rebels were executed in the village of Rityan north of Aleppo. Rityan was quiet."
    start = text.index("Rityan")
    with EntityExtractor(aliases=load_aliases(), processes=1) as extractor:
        mentions = tidy_mentions(text, [(start, start + 6, "PERSON")], gazetteer=EMPTY)
        local = local_of(extractor.canonical(mentions))
    assert local == (("place", "Rityan", (), "context"),)


def sure_types(text: str, *spans: tuple[str, str]) -> dict[str, bool]:
    """Whether the words around each named span gave its type: {surface: sure}."""
    raw = []
    for part, label in spans:
        start = text.index(part)
        raw.append((start, start + len(part), label))
    mentions = tidy_mentions(text, raw, gazetteer=EMPTY, aliases=load_aliases())
    return {m.text: isinstance(m, ContextMention) for m in mentions}


def test_a_place_the_words_around_it_confirm_is_sure() -> None:
    text = "Terrorists were killed in Abu al-Duhour area and near Tal Salmo."
    sure = sure_types(text, ("Abu al-Duhour", "GPE"), ("Tal Salmo", "GPE"))
    assert sure == {"Abu al-Duhour": True, "Tal Salmo": False}


def test_a_placed_name_that_is_a_persons_surname_is_not_surely_a_person() -> None:
    text = "Aleppo Hama said the shells fell on Kafr Zita in Hama province."
    spans = (("Aleppo Hama", "PERSON"), ("Kafr Zita", "GPE"), ("Hama", "GPE"))
    mentions = tidy_mentions(
        text,
        [(text.rindex(p), text.rindex(p) + len(p), label) for p, label in spans],
        gazetteer=EMPTY,
        aliases=load_aliases(),
    )
    hama = next(m for m in mentions if m.text == "Hama")
    assert hama.type == "person"
    assert not isinstance(hama, ContextMention)


def test_a_noun_for_an_institution_before_a_name_the_model_calls_a_place_makes_it_an_organisation() -> None:
    text = "China's e-commerce giant Alibaba smashed its record, as did Asian giant China."
    gazetteer = Gazetteer(
        places=frozenset({"China"}), lexicon=Lexicon(common=frozenset()), countries=frozenset()
    )
    raw = [(0, 5, "GPE"), (text.index("Alibaba"), text.index("Alibaba") + 7, "GPE")]
    raw.append((text.rindex("China"), text.rindex("China") + 5, "GPE"))
    found = [
        (type(m), m.type, m.text)
        for m in tidy_mentions(text, raw, gazetteer=gazetteer, aliases=load_aliases())
    ]
    assert (ContextMention, "org", "Alibaba") in found
    assert [t for _c, t, n in found if n == "China"] == [
        "place",
        "place",
    ]  # a place the gazetteer knows stays
