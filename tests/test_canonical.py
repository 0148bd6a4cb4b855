"""Canonical names within one article, on short texts written for the purpose."""

from __future__ import annotations

import pytest

from searchlib.entities.aliases import AliasTable, load_aliases, parse_aliases
from searchlib.entities.canonical import AmbiguousEntity, acronym, canonicalise, clean_name
from searchlib.entities.extract import EntityExtractor
from searchlib.entities.gazetteer import Gazetteer, load_gazetteer
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


def test_a_title_and_surname_the_model_typed_otherwise_is_the_person() -> None:
    found = canonicalise(
        mentions(("Jessica Farrar", "person"), ("Representative Farrar", "org"), ("Mr Farrar", "place")),
        AliasTable(),
    )
    assert names(found) == [("person", "Jessica Farrar")]
    assert found[0].variants == ("Mr Farrar", "Representative Farrar")


def test_a_company_named_with_a_title_word_stays_a_company() -> None:
    found = canonicalise(mentions(("General Dynamics", "org"), ("Phebe Novakovic", "person")), AliasTable())
    assert names(found) == [("org", "General Dynamics"), ("person", "Phebe Novakovic")]
    found = canonicalise(mentions(("General Sessions", "org"), ("Jeff Sessions", "person")), AliasTable())
    assert names(found) == [("person", "Jeff Sessions")]


def test_an_office_before_a_full_name_is_no_part_of_it() -> None:
    found = canonicalise(mentions(("Det Supt Mike Forrester", "person")), AliasTable())
    assert names(found) == [("person", "Mike Forrester")]


def test_a_leading_part_of_an_organisation_links_to_it() -> None:
    found = canonicalise(mentions(("Hashed al-Shaabi", "org"), ("Hashed", "person")), AliasTable())
    assert names(found) == [("org", "Hashed al-Shaabi")]


def test_a_body_formed_inside_another_is_no_long_form_of_it() -> None:
    """ "Senate" in a story on the Senate Intelligence Committee is the Senate."""
    found = canonicalise(mentions(("Senate Intelligence Committee", "org"), ("Senate", "org")), AliasTable())
    assert sorted(names(found)) == [("org", "Senate"), ("org", "Senate Intelligence Committee")]


def test_an_acronym_links_to_the_organisation() -> None:
    found = canonicalise(mentions(("Asaib Ahl al-Haq", "org"), ("AAH", "org")), AliasTable())
    assert names(found) == [("org", "Asaib Ahl al-Haq")]
    assert acronym("Popular Mobilisation Forces") == "PMF"
    assert acronym("Bank of England") == "BE"


@pytest.mark.parametrize(
    ("first", "second", "short"),
    [
        (("Donald Trump", "person"), ("Ivanka Trump", "person"), ("Trump", "person")),
        (("George Bush", "person"), ("George W. Bush", "person"), ("Bush", "org")),
        (("Kim Jong-nam", "person"), ("Kim Jong-un", "person"), ("Kim", "person")),  # family name first
    ],
)
def test_a_short_form_two_people_of_the_article_share_is_marked_so(
    first: tuple[str, str], second: tuple[str, str], short: tuple[str, str]
) -> None:
    found = canonicalise(mentions(first, second, short), AliasTable())
    assert names(found) == [("person", first[0]), ("person", second[0]), (short[1], short[0])]
    assert [type(e) for e in found] == [ArticleEntity, ArticleEntity, AmbiguousEntity]
    assert [e.variants for e in found] == [(), (), ()]


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


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_a_place_written_only_in_capitals_takes_its_usual_form(gazetteer: Gazetteer) -> None:
    found = canonicalise(mentions(("MOSCOW", "place"), ("NATO", "org")), AliasTable(), gazetteer=gazetteer)
    assert names(found) == [("place", "Moscow"), ("org", "NATO")]
    assert found[0].variants == ("MOSCOW",)  # still a searchable form of the article


def test_a_place_never_links_to_an_organisation_it_starts(gazetteer: Gazetteer) -> None:
    pairs = (("China Daily European Weekly", "org"), ("China", "org"), ("Fox News", "org"), ("Fox", "org"))
    found = canonicalise(mentions(*pairs), AliasTable(), gazetteer=gazetteer)
    assert names(found) == [("org", "China Daily European Weekly"), ("org", "China"), ("org", "Fox News")]


def test_a_bare_family_name_written_first_links_to_the_full_name() -> None:
    found = canonicalise(mentions(("Li Keqiang", "person"), ("Li", "person")), AliasTable())
    assert names(found) == [("person", "Li Keqiang")]


def test_a_bare_name_of_one_person_of_the_article_joins_that_person() -> None:
    found = canonicalise(mentions(("Kim Jong-un", "person"), ("Kim", "person")), AliasTable())
    assert names(found) == [("person", "Kim Jong-un")]
    assert found[0].variants == ("Kim",)


@pytest.mark.parametrize(
    ("full", "short"),
    [("Joe Biden", "Biden"), ("Wang Yi", "Wang")],  # "the Biden administration", "Wang said"
)
def test_an_organisation_named_after_a_person_of_the_article_is_that_person(full: str, short: str) -> None:
    found = canonicalise(mentions((full, "person"), (short, "org")), AliasTable())
    assert names(found) == [("person", full)]


@pytest.mark.parametrize(
    ("surface", "kind", "name"),
    [
        ("Trump", "org", "Donald Trump"),  # "the Trump administration"
        ("TRUMP", "person", "Donald Trump"),
        ("Obama", "person", "Barack Obama"),
        ("Xi", "person", "Xi Jinping"),
        ("Kim Jong Un", "person", "Kim Jong-un"),
    ],
)
def test_the_starter_file_names_the_most_named_leaders_by_surname(surface: str, kind: str, name: str) -> None:
    found = canonicalise(mentions((surface, kind)), load_aliases())
    assert names(found) == [("person", name)]


@pytest.mark.parametrize(
    ("surface", "kind", "expected"),
    [
        ("Kiev", "person", ("place", "Kyiv")),
        ("Crimea", "org", ("place", "Crimea")),
        ("West Bank", "org", ("place", "West Bank")),
        ("Palmyra", "person", ("place", "Palmyra")),
        ("White House", "place", ("org", "White House")),
        ("Obamacare", "org", ("misc", "Affordable Care Act")),
        ("GMT", "org", ("misc", "Greenwich Mean Time")),
        ("Oscar", "person", ("misc", "Academy Awards")),
        ("Bill", "person", ("misc", "Bill")),
    ],
)
def test_the_starter_file_fixes_the_types_the_small_model_gets_wrong(
    surface: str, kind: str, expected: tuple[str, str]
) -> None:
    found = canonicalise(mentions((surface, kind)), load_aliases())
    assert names(found) == [expected]


def test_a_full_name_starting_like_a_pinned_word_is_not_pinned() -> None:
    found = canonicalise(mentions(("Bill Clinton", "person"), ("Oscar Pistorius", "person")), load_aliases())
    assert names(found) == [("person", "Bill Clinton"), ("person", "Oscar Pistorius")]


REAL_DEBRIS = (
    "MOSCOW, February 7. /TASS/. Russian Foreign Minister Sergei Lavrov and US Secretary of State "
    "Rex Tillerson spoke by phone. Trump said the talks went well.\n"
    "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink "
    "http://dw.com/p/2Xhmb\n"
    "Source:-Al Jazeera and news agencies"
)


def test_real_text_with_page_debris_a_dateline_and_a_bare_surname(extractor: EntityExtractor) -> None:
    found = set(names(extractor.extract([REAL_DEBRIS])[0]))
    assert {("place", "Moscow"), ("person", "Donald Trump"), ("person", "Rex Tillerson")} <= found
    debris = {"Digg", "Newsvine Permalink", "Twitter", "Al Jazeera", "Source:-Al Jazeera", "State", "MOSCOW"}
    assert not {n for _t, n in found} & debris


def test_an_organisation_ending_one_longer_organisations_name_is_that_organisation() -> None:
    found = canonicalise(
        mentions(("Libyan Interior Ministry", "org"), ("Interior Ministry", "org"), ("Coast Guard", "org")),
        AliasTable(),
    )
    assert names(found) == [("org", "Libyan Interior Ministry"), ("org", "Coast Guard")]
    assert found[0].variants == ("Interior Ministry",)


def test_an_organisation_ending_two_longer_names_stays_apart() -> None:
    found = canonicalise(
        mentions(
            ("Russian Defence Ministry", "org"),
            ("Turkish Defence Ministry", "org"),
            ("Defence Ministry", "org"),
        ),
        AliasTable(),
    )
    assert ("org", "Defence Ministry") in names(found)


def test_a_place_that_ends_two_names_the_model_called_people_stays_a_name() -> None:
    pairs = (("Tadmor Homs", "person"), ("Tartous Homs", "person"), ("Homs", "person"))
    found = canonicalise(mentions(*pairs), AliasTable(), gazetteer=load_gazetteer())
    assert [type(e) for e in found] == [ArticleEntity, ArticleEntity, ArticleEntity]
    assert names(found)[-1] == ("person", "Homs")  # the archive's votes make it the city
