"""Canonical names within one article, on short texts written for the purpose."""

from __future__ import annotations

import pytest

from searchlib.aliases import AliasTable, load_aliases, parse_aliases
from searchlib.canonical import acronym, canonicalise, clean_name
from searchlib.entities import EntityExtractor
from searchlib.models import ArticleEntity, Mention


def mentions(*pairs: tuple[str, str]) -> list[Mention]:
    """Mentions of (text, type) pairs, at made-up offsets (canonicalisation ignores them)."""
    out, position = [], 0
    for text, kind in pairs:
        out.append(Mention(position, position + len(text), kind, text))  # type: ignore[arg-type]
        position += len(text) + 1
    return out


def names(entities: tuple[ArticleEntity, ...]) -> list[tuple[str, str]]:
    return [(e.type, e.name) for e in entities]


def test_a_surname_links_to_the_full_name() -> None:
    found = canonicalise(mentions(("Kadhemi", "person"), ("Mustafa al-Kadhemi", "person")), AliasTable())
    assert names(found) == [("person", "Mustafa al-Kadhemi")]
    assert found[0].variants == ("Kadhemi",)


def test_a_leading_part_of_an_organisation_links_to_it() -> None:
    found = canonicalise(mentions(("Hashed al-Shaabi", "org"), ("Hashed", "person")), AliasTable())
    assert names(found) == [("org", "Hashed al-Shaabi")]


def test_an_acronym_links_to_the_organisation() -> None:
    found = canonicalise(mentions(("Asaib Ahl al-Haq", "org"), ("AAH", "org")), AliasTable())
    assert names(found) == [("org", "Asaib Ahl al-Haq")]
    assert acronym("Popular Mobilisation Forces") == "PMF"
    assert acronym("Bank of England") == "BE"


def test_an_ambiguous_surname_stays_as_it_is() -> None:
    found = canonicalise(
        mentions(("Donald Trump", "person"), ("Ivanka Trump", "person"), ("Trump", "person")), AliasTable()
    )
    assert ("person", "Trump") in names(found)


def test_a_place_never_links_to_an_organisation() -> None:
    found = canonicalise(mentions(("Iraq", "place"), ("Iraq News", "org")), AliasTable())
    assert names(found) == [("place", "Iraq"), ("org", "Iraq News")]


@pytest.mark.parametrize("form", ["US", "U.S.", "USA", "U.S.A.", "United States of America", "United States"])
def test_united_states_forms_are_one(form: str) -> None:
    found = canonicalise(mentions((form, "org"), ("United States", "place")), AliasTable())
    assert names(found) == [("place", "United States")]


def test_a_lower_case_us_is_not_the_country() -> None:
    assert clean_name("us") == "us"
    assert names(canonicalise(mentions(("us", "misc")), AliasTable())) == [("misc", "us")]


def test_a_leading_the_is_dropped_and_case_variants_merge() -> None:
    found = canonicalise(mentions(("the Green Zone", "place"), ("GREEN ZONE", "place")), AliasTable())
    assert names(found) == [("place", "Green Zone")]
    assert found[0].variants == ("GREEN ZONE",)


def test_the_aliases_file_sets_name_and_type() -> None:
    table = parse_aliases('[[entity]]\nname = "Kataeb Hezbollah"\ntype = "org"\naliases = ["KH"]\n')
    found = canonicalise(mentions(("Kataeb Hezbollah", "person"), ("KH", "org")), table)
    assert names(found) == [("org", "Kataeb Hezbollah")]
    assert found[0].aliases == ("KH",)
    assert found[0].search_names == ("Kataeb Hezbollah", "KH")


def test_full_names_of_the_aliases_file_are_link_targets() -> None:
    found = canonicalise(
        mentions(("Qasem Soleimani", "person"), ("General Soleimani", "person")), load_aliases()
    )
    assert names(found) == [("person", "Qasem Soleimani")]


TEXTS = {
    "surname": "Prime Minister Mustafa al-Kadhemi met the press in Baghdad. Later, Kadhemi flew to Tehran.",
    "us": "The United States and Iran traded threats. U.S. officials said the US would respond.",
    "alias": "Fighters of the Popular Mobilisation Forces paraded. The PMF denied the report.",
}


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(processes=1)


def test_real_text_surname(extractor: EntityExtractor) -> None:
    found = names(extractor.extract([TEXTS["surname"]])[0])
    assert ("person", "Mustafa al-Kadhemi") in found
    assert not [n for t, n in found if n == "Kadhemi"]
    assert {("place", "Baghdad"), ("place", "Tehran")} <= set(found)


def test_real_text_united_states(extractor: EntityExtractor) -> None:
    found = names(extractor.extract([TEXTS["us"]])[0])
    assert ("place", "United States") in found
    assert not {n for _t, n in found} & {"US", "U.S."}


def test_real_text_alias(extractor: EntityExtractor) -> None:
    found = extractor.extract([TEXTS["alias"]])[0]
    assert ("org", "Hashed al-Shaabi") in names(found)
    (hashed,) = [e for e in found if e.name == "Hashed al-Shaabi"]
    assert "Hashd al-Shaabi" in hashed.search_names


def test_a_nationality_adjective_does_not_link_to_an_organisation() -> None:
    found = canonicalise(mentions(("European Union", "org"), ("European", "misc")), AliasTable())
    assert names(found) == [("org", "European Union"), ("misc", "European")]
