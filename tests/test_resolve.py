"""The archive-level resolution: which names are one entity, of which type, from the evidence."""

from __future__ import annotations

import random

import pytest

from searchlib.entities.aliases import AliasTable, load_aliases
from searchlib.entities.canonical import AMBIGUOUS_EVIDENCE
from searchlib.entities.context import CONTEXT_EVIDENCE
from searchlib.entities.gazetteer import load_gazetteer
from searchlib.entities.lookup import Resolution
from searchlib.entities.resolve import LocalEntity, NameCounts, apply, resolve_names

Article = list[LocalEntity]


def person(name: str, *variants: str) -> LocalEntity:
    return ("person", name, variants)


def org(name: str, *variants: str) -> LocalEntity:
    return ("org", name, variants)


def misc(name: str) -> LocalEntity:
    return ("misc", name, ())


def place(name: str, *variants: str) -> LocalEntity:
    return ("place", name, variants)


def resolve(articles: list[Article], aliases: AliasTable | None = None) -> Resolution:
    counts = NameCounts()
    for article in articles:
        counts.add(article)
    return resolve_names(counts, aliases=aliases or AliasTable(), gazetteer=load_gazetteer())


def same(resolution: Resolution, a: str, b: str) -> bool:
    return (resolution.target(a) or (a, ""))[0] == (resolution.target(b) or (b, ""))[0]


def test_transliterations_are_one_person_under_the_commoner_spelling() -> None:
    found = resolve([[person("Sergey Lavrov")]] * 3 + [[person("Sergei Lavrov")]] * 2)
    assert found.target("Sergei Lavrov") == ("Sergey Lavrov", "person")
    assert found.target("Sergey Lavrov") == ("Sergey Lavrov", "person")
    assert found.other_names("Sergey Lavrov") == ("Sergei Lavrov",)


def test_given_names_and_short_forms_are_one_person() -> None:
    found = resolve([[person("Michael Flynn")]] * 3 + [[person("Mike Flynn")]])
    assert found.target("Mike Flynn") == ("Michael Flynn", "person")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong-un", "Kim Jong-nam"),
        ("George Bush", "George W. Bush"),
        ("Hama", "Hamas"),
        ("General Motors", "General Motors Acceptance Corp"),
    ],
)
def test_names_that_differ_stay_apart(a: str, b: str) -> None:
    kind = "place" if a == "Hama" else "person"
    articles = [[(kind, a, ())]] * 6 + [[(kind, b, ())]] * 2 + [[(kind, a, ()), (kind, b, ())]]
    if "Motors" in a:
        articles = [[org(a)]] * 3 + [[org(b)]] * 3
    found = resolve(articles)
    assert not same(found, a, b)


def test_a_town_written_with_the_arabic_article_is_no_abbreviation_of_a_longer_place() -> None:
    """ "Calif" is California, but "Hara", which the archive also writes "al-Hara", is a town."""
    found = resolve([[place("Harare")]] * 4 + [[place("Hara")], [place("al-Hara")]])
    assert not same(found, "Hara", "Harare") and not same(found, "al-Hara", "Harare")
    found = resolve([[place("California")]] * 4 + [[place("Calif")]])
    assert same(found, "Calif", "California")


def test_an_operation_is_an_event_whatever_the_model_called_it() -> None:
    found = resolve([[org("Operation Euphrates Shield")]] * 3 + [[place("Operation Strong Tower")]])
    assert found.target("Operation Euphrates Shield") == ("Operation Euphrates Shield", "misc")
    assert found.target("Operation Strong Tower") == ("Operation Strong Tower", "misc")
    assert resolve([[org("Joint Operations Command")]] * 2).target("Joint Operations Command") is None


def test_a_plural_acronym_is_no_named_thing_but_a_possessive_one_joins_its_base() -> None:
    articles = [[org("MPs")]] * 3 + [[place("ICBMs")]] * 2 + [[org("NATO")]] * 6 + [[org("NATOs")]]
    found = resolve(articles)
    assert found.target("MPs") == ("MPs", "misc")
    assert found.target("ICBMs") == ("ICBMs", "misc")
    assert found.target("NATOs") == ("NATO", "org")  # "NATOs plans" with the apostrophe stripped


def test_a_possessive_without_apostrophe_joins_its_base() -> None:
    articles = [[place("Syria")]] * 8 + [[place("Syria"), org("Syrias")]] * 2
    assert resolve(articles).target("Syrias") == ("Syria", "place")


def test_a_person_s_full_name_with_an_s_joins_the_name_used_half_as_often() -> None:
    """A link list repeated in nine articles of an archive without apostrophes writes "Donald
    Trumps new abortion policies"; seven articles name Donald Trump. A rare "Bill Owen" does
    not take "Bill Owens" of nine articles."""
    articles = [[person("Donald Trumps")]] * 9 + [[person("Donald Trump")]] * 7
    articles += [[person("Bill Owens")]] * 9 + [[person("Bill Owen")]] * 2
    found = resolve(articles)
    assert found.target("Donald Trumps") == ("Donald Trump", "person")
    assert found.target("Bill Owens") in (None, ("Bill Owens", "person"))


def test_a_name_ending_in_s_used_apart_from_the_shorter_one_stays() -> None:
    """Hamas is not a possessive of Hama though Hama is commoner: its articles do not name Hama."""
    articles = [[place("Hama")]] * 8 + [[org("Hamas")]] * 3
    found = resolve(articles)
    assert found.target("Hamas") is None or found.target("Hamas") == ("Hamas", "org")


def test_a_name_no_person_can_have_is_no_person_whatever_the_votes() -> None:
    """A company's registered name ends in its legal form; a German article begins a
    newspaper's or a party's name, not a person's."""
    articles = [[person("Amsterdam-Rotterdam Bank NV")]] * 2 + [[org("Amsterdam-Rotterdam Bank NV")]]
    articles += [[person("Der Spiegel")]] * 7 + [
        [person("Die Linke")],
        [person("Die Linke"), org("Die Linke")],
    ]
    articles += [[person("Marine Le Pen"), person("Le Pen")]] * 3
    articles += [[place("Alberta")]] * 50 + [[org("Alberta Corp")]]  # the province keeps its type
    found = resolve(articles)
    assert found.target("Amsterdam-Rotterdam Bank NV") == ("Amsterdam-Rotterdam Bank NV", "org")
    assert found.target("Der Spiegel") == ("Der Spiegel", "org")
    assert found.target("Die Linke") == ("Die Linke", "org")
    assert found.target("Le Pen") == ("Marine Le Pen", "person")
    assert found.target("Alberta") in (None, ("Alberta", "place"))


def test_a_name_whose_surname_the_archive_writes_after_mr_or_ms_is_a_person_s() -> None:
    articles = [[org("Nikki Haley")]] * 4 + [[org("Nikki Haley", "Haley")], [person("Haley", "Ms Haley")]]
    articles += [[org("Merrill Lynch")]] * 4 + [[person("Lynch", "Mr Lynch")]]  # another man's surname
    articles += [[org("King Power", "Power")]] * 3 + [[person("Power", "Mr Power")]]  # no given name
    found = resolve(articles)
    assert found.target("Nikki Haley") == ("Nikki Haley", "person")
    assert found.target("Merrill Lynch") in (None, ("Merrill Lynch", "org"))
    assert found.target("King Power") in (None, ("King Power", "org"))


def test_a_title_before_people_s_full_names_joins_each_to_its_person() -> None:
    """ "Spokeswoman" stands before two people's full names that articles also use alone: a
    title. "Jason" before a surname alone proves nothing ("Jason Miller" is not "Miller")."""
    articles = [[person("Maria Zakharova")]] * 7 + [[person("Spokeswoman Maria Zakharova")]] * 3
    articles += [[person("Svetlana Petrenko")]] * 2 + [[person("Spokeswoman Svetlana Petrenko")]]
    articles += [[person("Miller")]] * 3 + [[person("Jason Miller")]] * 2
    articles += [[person("Rosenthal")]] * 3 + [[person("Jason Rosenthal")]] * 2
    found = resolve(articles)
    assert found.target("Spokeswoman Maria Zakharova") == ("Maria Zakharova", "person")
    assert found.target("Spokeswoman Svetlana Petrenko") == ("Svetlana Petrenko", "person")
    assert found.target("Jason Miller") in (None, ("Jason Miller", "person"))


def test_a_short_form_linked_to_a_name_and_to_that_name_qualified_joins_the_name() -> None:
    """Articles link "Homeland Security" to the department four times and to the department
    with "US" before it twice: six links to one body. "Bush", linked to George W. Bush ten
    times and to George Bush four, stays apart."""
    dhs = "Department of Homeland Security"
    articles = [[org(dhs, "Homeland Security")]] * 4 + [[org("US " + dhs, "Homeland Security")]] * 2
    articles += [[org("Homeland Security")]] * 8 + [[org(dhs)]] * 10
    articles += [[person("George W. Bush", "Bush")]] * 10 + [[person("George Bush", "Bush")]] * 3
    articles += [[person("President George Bush", "Bush")]] + [[person("Bush")]] * 5
    found = resolve(articles)
    assert found.target("Homeland Security") == (dhs, "org")
    assert (found.target("Bush") or ("Bush", "person"))[0] == "Bush"


def test_transliterations_of_a_longer_name_are_one_whatever_the_model_called_each() -> None:
    """A village written two ways, called a place in four articles and a person in two, is one
    place. Names of one word stay compared within their type."""
    articles = [[place("Khan Sheikhun")]] * 4 + [[person("Khan Sheikhoun")]] * 2
    articles += [[person("Hasan")]] * 3 + [[place("Hassan")]] * 2
    found = resolve(articles)
    assert found.target("Khan Sheikhoun") == ("Khan Sheikhun", "place")
    assert found.target("Hassan") in (None, ("Hassan", "place"))
    assert found.target("Hasan") != found.target("Hassan")


def test_type_by_vote_across_articles() -> None:
    articles = [[place("Kefraya")]] * 4 + [[person("Kefraya")]]
    found = resolve(articles)
    assert found.target("Kefraya") == ("Kefraya", "place")
    assert found.entity("place", "Kefraya").votes == (("place", 4), ("person", 1))


def test_a_town_of_the_gazetteer_typed_once_as_a_person_is_a_place() -> None:
    assert resolve([[person("Khan Shaykhun")]]).target("Khan Shaykhun") == ("Khan Shaykhun", "place")


def test_a_town_name_the_archive_calls_no_named_thing_again_and_again_is_no_place() -> None:
    """ "Olympic" names a village in the gazetteer; the archive's articles call it an adjective."""
    assert resolve([[misc("Olympic")]] * 3 + [[place("Olympic")]] * 2).target("Olympic") == (
        "Olympic",
        "misc",
    )
    # once or twice is the model not knowing a real town
    assert resolve([[misc("Carrickfergus")]] * 2).target("Carrickfergus") == ("Carrickfergus", "place")


def test_a_person_sharing_a_town_name_stays_a_person() -> None:
    assert resolve([[person("Obama")]] * 4 + [[person("Barack Obama")]]).target("Obama") is None


def test_a_surname_alone_is_the_one_person_articles_link_it_to() -> None:
    articles = [[person("Nicola Sturgeon", "Sturgeon")]] * 3 + [[org("Sturgeon")]] * 2
    assert resolve(articles).target("Sturgeon") == ("Nicola Sturgeon", "person")


def test_a_surname_two_people_share_stays_alone() -> None:
    articles = [[person("George Bush", "Bush")]] * 3 + [[person("George W. Bush", "Bush")]] * 3
    articles += [[person("Bush")]] * 2
    found = resolve(articles)
    assert not same(found, "Bush", "George Bush") and not same(found, "Bush", "George W. Bush")


def test_a_short_form_of_several_people_of_an_article_is_no_entity_there_but_counts() -> None:
    ambiguous = (*person("Okonjo"), AMBIGUOUS_EVIDENCE)
    both: Article = [person("Ngozi Okonjo"), person("Chidi Okonjo"), ambiguous]
    articles = [both] * 3 + [[org("Okonjo")]] * 2
    found = resolve(articles)
    assert [(e.type, e.name) for e in apply(found, both, AliasTable())] == [
        ("person", "Ngozi Okonjo"),
        ("person", "Chidi Okonjo"),
    ]
    # the three articles that could not tell which Okonjo still say the name is a person's
    assert [(e.type, e.name) for e in apply(found, [org("Okonjo")], AliasTable())] == [("person", "Okonjo")]


def test_a_surname_articles_give_to_several_people_is_nobody_in_particular_alone() -> None:
    articles = [[person("James Baker", "Baker")]] * 3 + [[person("Howard Baker", "Baker")]] * 2
    articles += [[person("Baker")]] * 4
    articles += [[person("Nicola Sturgeon", "Sturgeon")]] * 3 + [[person("Jean Sturgeon", "Sturgeon")]]
    articles += [[person("Sturgeon")]] * 2  # three links in four: her
    found = resolve(articles)
    assert found.target("Baker") == ("Baker", "misc")
    assert found.target("James Baker") in (None, ("James Baker", "person"))
    assert found.target("Sturgeon") == ("Nicola Sturgeon", "person")


def test_an_acronym_defined_in_articles_stands_for_its_organisation() -> None:
    articles = [[org("Syrian Observatory for Human Rights", "SOHR")]] * 2 + [[org("SOHR")]] * 5
    found = resolve(articles)
    assert found.target("SOHR") == ("Syrian Observatory for Human Rights", "org")


def test_an_acronym_stands_for_the_name_it_spells_not_names_holding_it() -> None:
    articles = (
        [[org("European Community", "EC"), org("EC")]] * 7
        + [[org("EC Commission", "EC"), org("EC")]] * 3
        + [[org("EC")]] * 20
        + [[org("General Motors Corp", "GM"), org("GM")]] * 2
        + [[org("GM Overseas Distribution Corporation", "GM"), org("GM")]]
        + [[org("GM")]] * 10
    )
    found = resolve(articles)
    assert found.target("EC") == ("European Community", "org")
    assert not same(found, "EC Commission", "European Community")
    assert same(found, "GM", "General Motors Corp")


def test_word_order_variants_of_an_institution() -> None:
    articles = [[org("Justice Department")]] * 3 + [[org("Department of Justice")]] * 2
    assert resolve(articles).target("Department of Justice") == ("Justice Department", "org")


def test_a_name_cut_before_its_phrase_joins_the_full_name() -> None:
    articles = [[org("Syrian Observatory for Human Rights")]] * 5 + [[person("Syrian Observatory")]] * 2
    found = resolve(articles)
    assert found.target("Syrian Observatory") == ("Syrian Observatory for Human Rights", "org")


def test_an_abbreviated_place_joins_the_place_it_begins() -> None:
    articles = [[place("California")]] * 3 + [[place("Calif")]] * 5
    assert resolve(articles).target("Calif") == ("California", "place")


def test_names_of_one_country_are_one_place() -> None:
    articles = [[place("Russia")]] * 3 + [[place("Russian Federation")]]
    assert resolve(articles).target("Russian Federation") == ("Russia", "place")


def test_a_country_s_iso_name_written_as_prose_is_the_country() -> None:
    articles = [[place("South Korea")]] * 3 + [[place("Republic of Korea")]] * 2
    assert resolve(articles).target("Republic of Korea") == ("South Korea", "place")


def test_a_region_as_a_republic_is_the_region_but_a_country_s_republic_stays_apart() -> None:
    articles = [[place("Crimea")]] * 4 + [[place("Crimea"), place("Republic of Crimea")]] * 2
    articles += (
        [[place("Autonomous Republic of Crimea")]] + [[place("China")]] * 3 + [[place("Republic of China")]]
    )
    found = resolve(articles)
    assert found.target("Republic of Crimea") == ("Crimea", "place")
    assert found.target("Autonomous Republic of Crimea") == ("Crimea", "place")
    assert not same(found, "China", "Republic of China")  # Taiwan


def test_a_quality_or_a_doctrine_is_no_named_thing() -> None:
    articles = [[misc("Australian")]] * 5 + [[org("Australianness")]] + [[person("Thatcherism")]] * 2
    articles += [[org("Guinness")]] * 2
    found = resolve(articles)
    assert found.target("Australianness") == ("Australianness", "misc")
    assert found.target("Thatcherism") == ("Thatcherism", "misc")
    assert found.target("Guinness") is None  # no word before "ness": a name


def test_spellings_of_a_place_are_one() -> None:
    articles = [[place("Al-Bab")]] * 2 + [[person("al-Bab")]] + [[place("Al Bab")]]
    found = resolve(articles)
    assert {found.target(n) for n in ("Al-Bab", "al-Bab", "Al Bab")} == {("Al-Bab", "place")}


def test_the_aliases_file_decides_name_and_type() -> None:
    aliases = load_aliases()
    entry = aliases.lookup("Daesh")
    assert entry is not None
    found = resolve([[person("Daesh")]] * 3, aliases)
    assert found.target("Daesh") == (entry.name, entry.type)


def test_a_name_of_the_aliases_file_counts_in_any_spelling() -> None:
    aliases = load_aliases()
    entry = aliases.lookup("Jeish al-Fatah")
    assert entry is not None and aliases.lookup("Jeish Al Fatah") is None  # a space for the hyphen
    found = resolve([[person("Jeish Al Fatah")]] * 2 + [[org(entry.name)], [person(entry.name)]], aliases)
    assert found.target("Jeish Al Fatah") == (entry.name, entry.type)
    assert [e.name for e in found.entities].count(entry.name) == 1


def test_two_entries_of_the_aliases_file_never_merge() -> None:
    aliases = load_aliases()
    names = [e.name for e in aliases.entries[:2]]
    found = resolve([[org(names[0]), org(names[1])]] * 3 + [[org(names[0], names[1])]] * 2, aliases)
    assert not same(found, names[0], names[1])


def test_the_answer_does_not_depend_on_the_order_of_articles() -> None:
    articles = (
        [[person("Sergey Lavrov"), place("Syria")]] * 3
        + [[person("Sergei Lavrov"), org("Syrias")]] * 2
        + [[person("Nicola Sturgeon", "Sturgeon")]] * 2
        + [[org("Sturgeon")], [place("Kefraya")], [person("Kefraya")], [person("Bush")]]
    )
    first = resolve(articles)
    shuffled = list(articles)
    random.Random(7).shuffle(shuffled)
    assert resolve(shuffled) == first


MIXED_ARTICLES: list[Article] = [
    [person("Sergey Lavrov", "Lavrov"), place("Syria"), org("Syrias")],
    [person("Sergei Lavrov"), misc("Republicans"), org("Republican Party")],
    [(*person("Kefraya"), CONTEXT_EVIDENCE), place("Kefraya")],
    [person("Nicola Sturgeon", "Sturgeon", "Ms Sturgeon"), org("Sturgeon")],
    [misc("Democrats"), org("Democratic Party"), place("Syria")],
]


def counted(articles: list[Article]) -> NameCounts:
    counts = NameCounts()
    for article in articles:
        counts.add(article)
    return counts


def test_counts_taken_back_are_those_of_the_articles_left() -> None:
    kept, gone = MIXED_ARTICLES[::2], MIXED_ARTICLES[1::2]
    counts = counted(MIXED_ARTICLES)
    for article in gone:
        counts.remove(article)
    assert counts.state() == counted(kept).state()
    for article in kept:
        counts.remove(article)
    assert counts.state() == NameCounts().state()  # nothing is left of any name


def test_counts_merged_and_saved_are_those_counted_at_once() -> None:
    together = counted(MIXED_ARTICLES)
    first = counted(MIXED_ARTICLES[:2])
    first.merge(counted(MIXED_ARTICLES[2:]))
    assert first.state() == together.state()
    again = NameCounts.from_state(together.state())
    assert again.state() == together.state()
    aliases, gazetteer = AliasTable(), load_gazetteer()
    assert resolve_names(again, aliases=aliases, gazetteer=gazetteer) == resolve(MIXED_ARTICLES)


def test_apply_rewrites_one_article_and_keeps_the_names_it_used() -> None:
    found = resolve([[person("Sergey Lavrov")]] * 3 + [[person("Sergei Lavrov", "Lavrov")]])
    entities = apply(found, [person("Sergei Lavrov", "Lavrov"), place("Moscow")], AliasTable())
    assert [(e.name, e.type) for e in entities] == [("Sergey Lavrov", "person"), ("Moscow", "place")]
    assert entities[0].variants == ("Lavrov", "Sergei Lavrov")


def test_a_portfolio_stays_no_named_thing_in_its_article_whatever_the_archive_makes_of_the_word() -> None:
    """ "Labour Minister" names a portfolio; "Labour" alone, the party, in more articles."""
    portfolio: Article = [(*misc("Labour"), CONTEXT_EVIDENCE), person("Almir Pazzianotto")]
    party: Article = [org("Labour"), person("Jeremy Corbyn")]
    found = resolve([party] * 9 + [portfolio] * 7)
    assert found.target("Labour") == ("Labour", "org")
    assert {(e.name, e.type) for e in apply(found, party, AliasTable())} >= {("Labour", "org")}
    assert ("Labour", "org") not in {(e.name, e.type) for e in apply(found, portfolio, AliasTable())}
    opera: Article = [(*misc("Opera"), CONTEXT_EVIDENCE), place("Hamburg")]  # "Opera Director"; Opera, a town
    assert {e.type for e in apply(resolve([opera]), opera, AliasTable()) if e.name == "Opera"} == {"misc"}


def test_the_resolution_survives_json() -> None:
    found = resolve([[person("Sergey Lavrov")]] * 3 + [[person("Sergei Lavrov")]])
    again = Resolution.from_json(found.to_json(generation=4))
    assert again.targets == found.targets and again.entities == found.entities and again.generation == 4


def test_a_name_beginning_with_the_arabic_article_is_no_person() -> None:
    articles = [[person("al-Midan")]] * 3 + [[person("Al Gore")]] * 3
    found = resolve(articles)
    assert found.target("al-Midan") == ("al-Midan", "place")
    assert found.target("Al Gore") is None


def test_a_name_written_in_capitals_is_an_acronym_not_a_person() -> None:
    found = resolve([[person("SANA")]] * 4 + [[org("SANA")]])
    assert found.target("SANA") == ("SANA", "org")
    found = resolve([[person("SANA")]] * 9 + [[org("Sana")]])  # shown as the acronym it is
    assert found.target("Sana") == ("SANA", "org")
    assert resolve([[person("Reagan")]] * 4 + [[person("REAGAN")]] + [[person("Ronald Reagan")]]).target(
        "Reagan"
    ) in (
        None,
        ("Reagan", "person"),
    )


def test_the_end_of_a_longer_name_joins_the_one_person_it_ends() -> None:
    articles = [[person("Rami Abdel Rahman")]] * 4 + [[person("Abdel Rahman")]] * 2
    assert resolve(articles).target("Abdel Rahman") == ("Rami Abdel Rahman", "person")
    two = [[person("Marine Le Pen")]] * 3 + [[person("Jean-Marie Le Pen")]] * 3 + [[person("Le Pen")]] * 2
    found = resolve(two)
    assert not same(found, "Le Pen", "Marine Le Pen") and not same(found, "Le Pen", "Jean-Marie Le Pen")


def test_an_entity_is_shown_with_the_arabic_article_its_name_is_written_with() -> None:
    found = resolve([[org("Nusra Front")]] * 5 + [[org("al-Nusra Front")]] * 2)
    assert found.target("Nusra Front") == ("al-Nusra Front", "org")
    found = resolve([[person("Bashar Assad")]] * 4 + [[person("Bashar al-Assad")]])
    assert found.target("Bashar Assad") == ("Bashar al-Assad", "person")


def test_a_nationality_glued_before_a_name_is_dropped() -> None:
    nationality = [[("misc", "Kurdish", ())]] * 6 + [[("misc", "Australian", ())]] * 6
    found = resolve(
        nationality
        + [[org("YPG")]] * 3
        + [[org("Kurdish YPG")]]
        + [[person("Simone Young")]] * 2
        + [[person("Australian Simone Young")]]
    )
    assert found.target("Kurdish YPG") == ("YPG", "org")
    assert found.target("Australian Simone Young") == ("Simone Young", "person")


def test_a_given_name_once_taken_for_a_nationality_is_no_qualifier() -> None:
    found = resolve(
        [[("misc", "Jared", ())]] * 5 + [[person("Jared Kushner")]] * 20 + [[person("Kushner")]] * 2
    )
    assert (found.target("Jared Kushner") or ("Jared Kushner",))[0] == "Jared Kushner"


def test_the_full_names_type_outweighs_its_short_forms() -> None:
    articles = [[org("Westpac Banking Corp", "Westpac")]] * 3 + [[person("Westpac")]] * 3
    found = resolve(articles)
    assert found.target("Westpac") == ("Westpac Banking Corp", "org")


def test_a_name_the_model_cut_short_joins_the_one_full_name_it_begins() -> None:
    found = resolve(
        [[person("Marine Le Pen")]] * 5
        + [[person("Marine Le")]] * 2
        + [[person("Marine Le Pen speeches Ansari")]]
    )
    assert found.target("Marine Le") == ("Marine Le Pen", "person")
    found = resolve([[person("Kim Jong-un")]] * 5 + [[person("Kim Jong-nam")]] * 4 + [[person("Kim Jong")]])
    assert found.target("Kim Jong") is None


def test_articles_whose_words_gave_the_type_outweigh_the_models_guesses() -> None:
    sure = ("place", "Marea", (), "context")
    found = resolve([[person("Marea")]] * 3 + [[sure]] * 2)
    assert found.target("Marea") == ("Marea", "place")


def test_an_acronym_is_an_organisation_and_a_capital_inside_is_no_town() -> None:
    found = resolve([[place("RT")]] * 5 + [[person("RT")]])
    assert found.target("RT") == ("RT", "org")
    found = resolve([[org("AfD")]] * 5 + [[person("AfD")]] * 4)
    assert (found.target("AfD") or ("AfD", "org"))[1] == "org"


def test_an_ordinary_word_is_no_place_unless_a_town_has_that_name() -> None:
    found = resolve([[place("West")]] * 5)
    assert found.target("West") == ("West", "misc")
    found = resolve([[place("Tripoli")]] * 5)
    assert (found.target("Tripoli") or ("Tripoli", "place"))[1] == "place"


def test_an_abd_al_compound_is_one_name_however_it_is_written() -> None:
    found = resolve(
        [[person("Rami Abdel Rahman")]] * 5
        + [[person("Rami Abdulrahman")]] * 2
        + [[person("Rami Abdurrahman")]]
    )
    assert found.target("Rami Abdulrahman") == ("Rami Abdel Rahman", "person")
    assert found.target("Rami Abdurrahman") == ("Rami Abdel Rahman", "person")
    found = resolve([[person("Abdel Rahman")]] * 2 + [[person("Abdel Aziz")]] * 2)
    assert found.target("Abdel Aziz") is None


def test_a_brand_written_with_a_capital_inside_is_no_person_but_a_scottish_surname_is() -> None:
    found = resolve([[person("SpaceX")]] * 4 + [[person("McCain")]] * 4 + [[person("John McCain")]])
    assert found.target("SpaceX") == ("SpaceX", "org")
    assert (found.target("McCain") or ("McCain", "person"))[1] == "person"


def test_a_town_written_with_the_arabic_article_keeps_its_town_vote() -> None:
    found = resolve([[org("Al-Bab")]] * 2 + [[place("Al-Bab")]])
    assert (found.target("Al-Bab") or ("Al-Bab", "place"))[1] == "place"


def test_a_company_name_without_its_legal_form_is_the_company_shown_bare() -> None:
    """The model calls a bare company name a person; the legal form says what it is."""
    sure = ("org", "Diamond Shamrock Corp", (), "context")
    found = resolve([[person("Diamond Shamrock")]] * 5 + [[sure]] * 3)
    assert found.target("Diamond Shamrock") == ("Diamond Shamrock", "org")
    assert found.target("Diamond Shamrock Corp") == ("Diamond Shamrock", "org")


def test_a_name_linked_to_a_person_stays_the_person_beside_a_company_named_after_it() -> None:
    """ "Wilson" is Michael Wilson in the articles that name him, whatever "Wilson Foods Corp"
    says; and a short form joins one entity, so the person and the company stay two."""
    articles = [[person("Michael Wilson", "Wilson")]] * 3 + [[person("Wilson")]] * 2
    articles += [[("org", "Wilson Foods Corp", (), "context")]] * 3 + [[org("Wilson")]]
    found = resolve(articles)
    assert found.target("Wilson") == ("Michael Wilson", "person")
    assert not same(found, "Michael Wilson", "Wilson Foods Corp")
    assert (found.target("Michael Wilson") or ("Michael Wilson", "person"))[1] == "person"


def test_a_company_known_bare_only_from_capitals_headlines_is_shown_as_its_full_name_writes_it() -> None:
    articles = [[org("TENNECO"), ("org", "Tenneco Inc", (), "context")]] * 3
    assert resolve(articles).target("Tenneco Inc") == ("Tenneco", "org")


def test_a_partys_members_stand_for_the_party_named_with_them() -> None:
    """ "Republicans" and "a Democrat", named beside the party in several articles, are the
    party, whose type their many "misc" votes do not change; "Christians" beside a "Christian
    Party" named once stay a group of people."""
    articles = [[misc("Republicans"), org("Republican Party")]] * 3 + [[misc("Republicans")]] * 20
    articles += [[misc("Democrat"), misc("Democrats"), org("Democratic Party")]] * 2
    articles += [[misc("Democrat")]] * 9 + [[misc("Christians"), org("Christian Party")]]
    articles += [[misc("Christian"), misc("Christians")]] * 9
    found = resolve(articles)
    assert found.target("Republicans") == ("Republican Party", "org")
    assert found.target("Democrat") == ("Democratic Party", "org")
    assert (found.target("Republican Party") or ("Republican Party", "org"))[1] == "org"
    assert found.target("Christians") is None
    assert not same(found, "Christians", "Christian Party")
    # the votes shown for the party are those that counted, none at zero
    assert found.entity("org", "Democratic Party").votes == (("org", 2),)


@pytest.mark.parametrize(("bare", "kind"), [("Southern", "misc"), ("Mexico", "place")])
def test_an_ordinary_word_or_a_place_stays_apart_from_a_company_named_after_it(bare: str, kind: str) -> None:
    found = resolve([[(kind, bare, ())]] * 6 + [[org(f"{bare} Corp")]] * 3)
    assert not same(found, bare, f"{bare} Corp")


def test_an_organisations_last_word_is_no_short_form_of_it() -> None:
    """Two articles writing "the Congress" of the American Pork Congress do not make every
    "Congress" of the archive that body; a person's surname still stands for the full name."""
    articles = [[org("Congress")]] * 40 + [[org("American Pork Congress", "Congress")]] * 2
    assert not same(resolve(articles), "Congress", "American Pork Congress")
    articles = [[person("Sturgeon")]] * 6 + [[person("Nicola Sturgeon", "Sturgeon")]] * 3
    assert same(resolve(articles), "Sturgeon", "Nicola Sturgeon")


def test_abbreviated_words_and_a_town_in_capitals_are_no_acronyms() -> None:
    """ "RT" is an organisation whatever the model says; "N.J." (a dateline's state) and "YORK"
    (a town in a headline in capitals) stay places."""
    assert resolve([[place("N.J.")]] * 6 + [[org("N.J.")]]).target("N.J.") == ("New Jersey", "place")
    assert resolve([[place("YORK")]] * 6).target("YORK") in (None, ("YORK", "place"))
    assert resolve([[place("RT")]] * 6).target("RT") == ("RT", "org")


def test_in_one_article_a_short_company_name_is_the_company_it_begins() -> None:
    """A story names the company in full, then short: "CARGILL" in a story on Cargill U.K. Ltd."""
    article = [org("CARGILL"), org("Cargill U.K. Ltd"), place("London")]
    found = resolve([article] + [[org("Cargill")]] * 5)
    entities = {e.name: e for e in apply(found, article, AliasTable())}
    assert set(entities) == {"Cargill U.K. Ltd", "London"}
    assert "CARGILL" in entities["Cargill U.K. Ltd"].variants
    other = [place("Russia"), org("Russia Today Ltd")]
    assert {e.name for e in apply(resolve([other]), other, AliasTable())} == {"Russia", "Russia Today Ltd"}


def test_one_of_a_people_is_no_person() -> None:
    """The model calls "Kurd" a person; the archive calls "Kurds" a people (a nationality or a
    group, ``misc``) in many more articles. A surname whose plural the archive never uses as
    a people stays a person."""
    found = resolve([[person("Kurd")]] * 2 + [[("misc", "Kurds", ())]] * 6)
    assert (found.target("Kurd") or ("Kurd", "person"))[1] == "misc"
    found = resolve(
        [[person("Sturgeon")]] * 3 + [[("misc", "Sturgeons", ())]] + [[person("Nicola Sturgeon")]] * 2
    )
    assert (found.target("Sturgeon") or ("Sturgeon", "person"))[1] == "person"


def test_a_name_cut_before_its_possessive_joins_the_organisation_it_begins() -> None:
    """ "Moody's said" is trimmed to "Moody"; the archive's "Moody's Investors Service" is the
    one organisation so named (a rare "Moody's Japan" does not stop it)."""
    articles = [[org("Moody")]] * 8 + [[org("Moody's Investors Service")]] * 6 + [[org("Moody's Japan KK")]]
    found = resolve(articles)
    assert found.target("Moody") == ("Moody's Investors Service", "org")
    assert not same(found, "Moody's Japan KK", "Moody")


def test_a_us_states_wire_abbreviation_is_the_state() -> None:
    found = resolve([[place("Mass.")]] * 4 + [[place("Massachusetts")]] * 2 + [[place("N.J.")]] * 3)
    assert found.target("Mass.") == ("Massachusetts", "place")
    assert found.target("N.J.") == ("New Jersey", "place")
    assert found.target("Massachusetts") == ("Massachusetts", "place")
    found = resolve([[("misc", "Mass", ())]] * 3)  # a church's mass, whatever its case
    assert found.target("Mass") is None


def test_a_one_word_person_no_article_names_in_full_is_no_person() -> None:
    """People are named in full at least once in an archive; a one-word "person" never so named
    ("Xinhua", a table's "Revs") takes its next type, or none. A surname or a family name first
    ("Moon" of "Moon Jae-in") of a person named in full elsewhere stays a person."""
    found = resolve(
        [[person("Xinhua")]] * 5
        + [[org("Xinhua")]] * 2
        + [[person("Revs")]] * 4
        + [[person("Moon")]] * 3
        + [[person("Moon Jae-in")]] * 2
        + [[person("Sturgeon")]] * 3
        + [[person("Nicola Sturgeon")]] * 2
    )
    assert found.target("Xinhua") == ("Xinhua", "org")
    assert found.target("Revs") == ("Revs", "misc")
    assert (found.target("Moon") or ("Moon", "person"))[1] == "person"
    assert (found.target("Sturgeon") or ("Sturgeon", "person"))[1] == "person"


def test_a_dictionary_word_is_a_person_only_after_a_full_name_more_than_one_article_gives() -> None:
    """A "person" of one article is often words the model glued ("Coast Guard Rescue
    Helicopter"): it makes no ordinary word a person's name. Two articles naming the person
    in full, or one linking the word itself to the full name, do; a surname that is no English
    word ("Zinke") needs only one."""
    found = resolve(
        [[person("Helicopter")]] * 4
        + [[person("Coast Guard Rescue Helicopter")]]
        + [[person("Bell Helicopter", "Bell")]]  # the company, its first word alone
        + [[person("Zinke")]] * 3
        + [[person("Ryan Zinke")]]
        + [[person("Sturgeon")]] * 3
        + [[person("Nicola Sturgeon", "Sturgeon")]]
        + [[person("Moon")]] * 3
        + [[person("Moon Jae-in")]] * 2
    )
    assert (found.target("Helicopter") or ("Helicopter", "person"))[1] != "person"
    for name in ("Zinke", "Sturgeon", "Moon"):
        assert (found.target(name) or (name, "person"))[1] == "person", name


def test_one_article_whose_words_give_the_type_outweighs_a_tie_of_guesses() -> None:
    """ "the Islamist group Boko Haram" in one article of six; the model calls it a person in
    four and an organisation in the other two."""
    articles = (
        [[person("Boko Haram")]] * 4 + [[org("Boko Haram")]] + [[("org", "Boko Haram", (), CONTEXT_EVIDENCE)]]
    )
    assert resolve(articles).target("Boko Haram") == ("Boko Haram", "org")
    tie = [*articles, [person("Boko Haram")]]  # five guesses of a person against 1 + CONTEXT_VOTES
    assert resolve(tie).target("Boko Haram") == ("Boko Haram", "org")


def test_context_and_short_form_counts_stay_with_their_own_names() -> None:
    """Most names have neither: they share one empty, read-only count until they get one."""
    counts = NameCounts()
    counts.add([("place", "Marea", (), CONTEXT_EVIDENCE), person("Nicola Sturgeon", "Sturgeon")])
    counts.add([person("Sergey Lavrov"), person("Nicola Sturgeon", "Sturgeon")])
    names = counts.names
    assert dict(names["marea"].sure) == {"place": 1} and not names["sergey lavrov"].sure
    assert dict(names["sturgeon"].linked) == {"nicola sturgeon": 2} and not names["marea"].linked
    assert not names["nicola sturgeon"].linked and not names["sturgeon"].sure


def test_a_town_s_prior_counts_articles_not_the_extra_votes_of_the_words_around_a_name() -> None:
    sure_org = ("org", "Xinhua", (), CONTEXT_EVIDENCE)  # "news agency Xinhua"; also a town
    articles = [[person("Xinhua")]] * 7 + [[sure_org]] * 2
    assert resolve(articles).target("Xinhua") != ("Xinhua", "place")  # two articles made no town of it
