"""The rules between spaCy's raw spans and clean mentions, on hand-made spans (no spaCy)."""

from __future__ import annotations

import pytest

from searchlib.entities.aliases import load_aliases
from searchlib.entities.context import ContextMention
from searchlib.entities.gazetteer import Gazetteer, load_gazetteer
from searchlib.entities.mentions import is_name, split_span, tidy_mentions, trim_span
from searchlib.entities.truecase import Lexicon

SMALL = Gazetteer(
    places=frozenset({"Baghdad", "Iraq", "Boston", "Estonia", "Jordan"}),
    lexicon=Lexicon(common=frozenset()),
    countries=frozenset({"Iraq", "Estonia", "Jordan"}),
)


def span(text: str, part: str, label: str) -> tuple[int, int, str]:
    start = text.index(part)
    return start, start + len(part), label


def tidy(text: str, *spans: tuple[int, int, str]) -> list[tuple[str, str]]:
    return [(m.type, m.text) for m in tidy_mentions(text, spans, gazetteer=SMALL)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the United States", "United States"),
        ("Iraq's", "Iraq"),
        ("Benard 's", "Benard"),
        ('"Hashed al-Shaabi",', "Hashed al-Shaabi"),
        ("Reuters'", "Reuters"),
        ("a White House", "White House"),
        ("an Al Jazeera", "Al Jazeera"),
        ("A Coruna", "A Coruna"),  # a capital "A" may begin a name
    ],
)
def test_trim_span(text: str, expected: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Estonia 1-0", ["Estonia"]),
        ("Norwich 1 Wolverhampton", ["Norwich", "Wolverhampton"]),
        ("Oval ( London", ["Oval", "London"]),
        ("SOCCER - CANADA", ["SOCCER", "CANADA"]),
        ("Paris, France", ["Paris,", "France"]),
        ("Hashed al-Shaabi", ["Hashed al-Shaabi"]),
    ],
)
def test_split_span(text: str, parts: list[str]) -> None:
    assert [text[s:e] for s, e in split_span(text, 0, len(text))] == parts


def test_unwanted_labels_are_dropped() -> None:
    text = "On Friday 12 people died in Baghdad"
    found = tidy(
        text, span(text, "Friday", "DATE"), span(text, "12", "CARDINAL"), span(text, "Baghdad", "GPE")
    )
    assert found == [("place", "Baghdad")]


def test_a_gazetteer_place_is_a_place_whatever_the_model_said() -> None:
    text = "Iraq protested."
    assert tidy(text, span(text, "Iraq", "ORG")) == [("place", "Iraq")]


def test_organisation_words_make_an_organisation() -> None:
    text = "Kataeb Hezbollah and the Baath Party and the Bank of Ireland, not Kurdish Protection Units"
    found = tidy(
        text,
        span(text, "Kataeb Hezbollah", "PERSON"),
        span(text, "Baath Party", "PERSON"),
        span(text, "Bank of Ireland", "GPE"),
        span(text, "Kurdish Protection Units", "PERSON"),
    )
    assert found == [
        ("org", "Kataeb Hezbollah"),
        ("org", "Baath Party"),
        ("org", "Bank of Ireland"),
        ("org", "Kurdish Protection Units"),
    ]


def test_a_city_with_a_score_is_a_team_but_a_country_stays_a_place() -> None:
    text = "Boston 65 71 .478\nEstonia 1 Jordan 2"
    found = tidy(text, span(text, "Boston", "GPE"), span(text, "Estonia", "GPE"), span(text, "Jordan", "GPE"))
    assert found == [("org", "Boston"), ("place", "Estonia"), ("place", "Jordan")]


def test_a_dateline_is_a_place() -> None:
    text = "HERZLIYA, Israel 1996-08-31\nRANGOON 1996-08-31\nBAGHDAD (AFP) - Rockets hit."
    assert [n for t, n in tidy(text) if t == "place"] == ["HERZLIYA", "RANGOON", "BAGHDAD"]


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        ("MOSCOW, February 6. /TASS/. A girl drew a toy.", "TASS"),
        ("BONN /Germany/, February 16. /TASS/. Ministers met.", "TASS"),
        ("SEOUL (Reuters) - A chief was arrested.", "Reuters"),
        ("TAIPEI, Taiwan, Feb. 7, 2017 /PRNewswire/.-A company announced.", "PRNewswire"),
    ],
)
def test_the_agency_a_dateline_credits_is_an_organisation(line: str, agency: str) -> None:
    assert ("org", agency) in tidy(line)


@pytest.mark.parametrize(
    "line",
    [
        "WASHINGTON, March 5 - Sen. Jake Garn (R-Utah) said a delay was likely.",  # after the dash
        "DIAMOND SHAMROCK (DIA) CUTS CRUDE PRICES",  # a ticker in a headline
    ],
)
def test_brackets_after_a_dateline_s_dash_or_in_a_headline_credit_no_agency(line: str) -> None:
    assert not [n for t, n in tidy(line) if t == "org"]


def test_a_firm_named_for_two_partners_is_one_organisation() -> None:
    text = "NEW YORK, March 3 - Standard and Poor's Corp said it may downgrade the debt."
    assert ("org", "Standard and Poor's Corp") in tidy(text, span(text, "Poor's Corp", "ORG"))


def test_a_partner_inside_another_name_stays_apart() -> None:
    text = "Burger King and McDonald's Corp cut their prices."
    found = tidy(text, span(text, "Burger King", "ORG"), span(text, "McDonald's Corp", "ORG"))
    assert found == [("org", "Burger King"), ("org", "McDonald's Corp")]


@pytest.mark.parametrize(
    "line",
    [
        "Washington (CNN)Vice President Mike Pence voted.",
        "(CNN)President Trump spoke.",
        'Hong Kong (CNN)"We are ready."',
    ],
)
def test_an_agency_credited_before_a_glued_first_sentence_is_an_organisation(line: str) -> None:
    assert ("org", "CNN") in tidy(line)


@pytest.mark.parametrize(
    "line", ["He met Smith (R)Today.", "The senator (R-Utah)Said no.", "Washington (CNN) said so."]
)
def test_a_bracket_inside_a_sentence_credits_no_agency(line: str) -> None:
    assert not [n for t, n in tidy(line) if t == "org"]


def test_a_word_and_a_name_after_the_are_one_organisation() -> None:
    text = "It is banned, according to the Medicines and Healthcare Products Regulatory Agency."
    found = tidy(
        text, span(text, "Medicines", "PERSON"), span(text, "Healthcare Products Regulatory Agency", "ORG")
    )
    assert found == [("org", "Medicines and Healthcare Products Regulatory Agency")]


def test_a_word_the_text_names_alone_stays_apart_from_the_name_after_and() -> None:
    text = "The Senate voted. It went to the Senate and House Intelligence Committee."
    spans = [span(text, "Senate", "ORG"), span(text, "House Intelligence Committee", "ORG")]
    found = tidy(text, *spans)
    assert ("org", "House Intelligence Committee") in found
    assert not [n for _t, n in found if "and" in n]


@pytest.mark.parametrize(
    ("text", "word", "name"),
    [
        (
            "Both went to the House and Senate Intelligence Committees.",
            "House",
            "Senate Intelligence Committees",
        ),
        ("Trump revived the Keystone and Dakota Access pipelines.", "Keystone", "Dakota Access"),
        ("Rates at the Japanese and U.S. Banks fell.", "Japanese", "U.S. Banks"),
    ],
)
def test_two_names_sharing_the_words_after_and_stay_apart(text: str, word: str, name: str) -> None:
    spans = [span(text, word, "NORP" if word == "Japanese" else "ORG"), span(text, name, "ORG")]
    found = [(m.type, m.text) for m in tidy_mentions(text, spans, gazetteer=load_gazetteer())]
    assert ("org", name) in found
    assert not [n for _t, n in found if " and " in n]


def test_a_currency_is_no_organisation_but_a_person_named_like_one_stays() -> None:
    text = "The U.S. Dollar rose against the Swiss Franc, Rand Paul said."
    found = tidy(
        text,
        span(text, "U.S. Dollar", "ORG"),
        span(text, "Swiss Franc", "ORG"),
        span(text, "Rand Paul", "PERSON"),
    )
    assert found == [("misc", "U.S. Dollar"), ("misc", "Swiss Franc"), ("person", "Rand Paul")]


@pytest.mark.parametrize(
    ("headline", "glued", "expected"),
    [
        ("Air strikes kill 12 in Baghdad Monitor", "Baghdad Monitor", ("place", "Baghdad")),
        ("Fog closes Baghdad Airport", "Baghdad Airport", ("org", "Baghdad Airport")),  # a name's word
    ],
)
def test_a_place_glued_to_the_word_ending_a_headline_is_the_place(
    headline: str, glued: str, expected: tuple[str, str]
) -> None:
    text = f"{headline}\n\n{headline} AFP Thursday 2 Jul 2015 At least 12 people were killed."
    lexicon = Lexicon(common=frozenset({"monitor", "airport"}))
    gazetteer = Gazetteer(places=SMALL.places, lexicon=lexicon, countries=SMALL.countries)
    first, second = text.index(glued), text.rindex(glued)
    spans = [(first, first + len(glued), "ORG"), (second, second + len(glued), "ORG")]
    found = [(m.type, m.text) for m in tidy_mentions(text, spans, gazetteer=gazetteer)]
    assert found[:2] == [expected, expected]


def test_an_initial_and_a_surname_is_a_person_but_us_open_is_not() -> None:
    text = "J. Adams scored 54 at the U.S. Open"
    assert tidy(text, span(text, "Adams", "ORG")) == [("person", "J. Adams")]


def test_a_bare_surname_follows_its_person_and_repeats_are_found() -> None:
    text = "Mustafa al-Kadhemi spoke. Kadhemi left. Later Kadhemi returned."
    second = text.index("Kadhemi left")
    found = tidy(text, span(text, "Mustafa al-Kadhemi", "PERSON"), (second, second + len("Kadhemi"), "GPE"))
    assert found == [
        ("person", "Mustafa al-Kadhemi"),
        ("person", "Kadhemi"),
        ("person", "Kadhemi"),
    ]


def test_the_real_gazetteer_knows_countries_cities_and_english_words() -> None:
    gazetteer = load_gazetteer()
    assert {"Iraq", "Baghdad", "United States", "Texas", "Africa"} <= gazetteer.places
    assert "Iraq" in gazetteer.countries and "Baghdad" not in gazetteer.countries
    assert gazetteer.lexicon.is_common("victory") and not gazetteer.lexicon.is_common("Baghdad")
    assert "Mobile" not in gazetteer.places  # a city named like a common word is left out


def test_a_span_without_a_capital_is_no_name() -> None:
    text = "the senate voted; methanol prices rose at al-Aqsa"
    found = tidy(
        text, span(text, "senate", "ORG"), span(text, "methanol", "PRODUCT"), span(text, "al-Aqsa", "FAC")
    )
    assert found == [("place", "al-Aqsa")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Al Jazeera.", "Al Jazeera"), ("U.S.", "U.S."), ("Jr.", "Jr."), ("Salomon Bros.", "Salomon Bros.")],
)
def test_a_sentence_full_stop_is_trimmed_but_not_an_abbreviation_dot(text: str, expected: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


def test_page_debris_gives_no_mention_and_cuts_a_span_running_into_it() -> None:
    text = (
        "Reporting by Alia Chughtai and Asad Hashim Source:-Al Jazeera News\n"
        "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"
    )
    found = tidy(
        text,
        span(text, "Alia Chughtai", "PERSON"),
        span(text, "Asad Hashim Source:-Al Jazeera News", "ORG"),
        span(text, "Digg", "GPE"),
        span(text, "Newsvine Permalink", "WORK_OF_ART"),
    )
    assert found == [("person", "Alia Chughtai"), ("org", "Asad Hashim")]


def test_a_name_is_not_found_again_inside_debris() -> None:
    text = 'Hamdan told Al Jazeera. "We refuse," he said. Source:-Al Jazeera and news agencies'
    found = tidy(text, span(text, "Al Jazeera", "ORG"))
    assert found == [("org", "Al Jazeera")]


@pytest.mark.parametrize(
    ("sentence", "part", "label"),
    [
        ("US Secretary of State Rex Tillerson stood side-by-side with Lavrov", "State", "ORG"),
        ("The Government should ask the commissioner to stand aside", "Government", "ORG"),
        ("It will also hear about the Cabinet's work on Brexit", "Cabinet", "ORG"),
        ("The Bank said it would hold its rate", "Bank", "ORG"),
        ('"?RTE News (@rtenews) February 15, 2017', "@rtenews", "NORP"),
        ('Tost people don"t know that because it didn"t get covered', 'don"t', "NORP"),
        ("Don't get me wrong, he said", "Don't", "PERSON"),
        ("You'r not going to believe this", "You'r", "ORG"),
    ],
)
def test_a_bare_institution_word_or_a_handle_is_no_name(sentence: str, part: str, label: str) -> None:
    assert tidy(sentence, span(sentence, part, label)) == []


def test_a_numbered_article_keeps_its_number_and_a_score_still_splits() -> None:
    text = "May will invoke Article 50 of the Lisbon Treaty. Estonia 1-0"
    found = tidy(text, span(text, "Article 50 of the Lisbon Treaty", "LAW"), span(text, "Estonia 1-0", "GPE"))
    assert found == [("misc", "Article 50 of the Lisbon Treaty"), ("place", "Estonia")]
    assert split_span("Article 50", 0, 10) == [(0, 10)]


@pytest.mark.parametrize(
    ("sentence", "part", "label", "kind"),
    [
        ('Trump complained on Twitter that SNL is "unwatchable"', "Twitter", "PERSON", "org"),
        ("even well after it leaves as a result of the Brexit negotiations", "Brexit", "PERSON", "misc"),
        ("Obama had wiretapped Trump Tower before the election", "Trump Tower", "PERSON", "place"),
        ("confidence in Garda Commissioner Noirin O'Sullivan", "Garda", "PERSON", "org"),
        (
            "He was held at Store Street Garda Station overnight",
            "Store Street Garda Station",
            "PERSON",
            "place",
        ),
        ("The actor David Harbour spoke", "David Harbour", "PERSON", "person"),  # a surname as often
    ],
)
def test_systematic_label_confusions_are_fixed(sentence: str, part: str, label: str, kind: str) -> None:
    assert tidy(sentence, span(sentence, part, label)) == [(kind, part)]


def test_an_ordinary_word_before_an_office_is_a_portfolio_and_another_word_a_body() -> None:
    """Which defence ministry "Defense Minister" names is not said; the Garda is one body."""
    text = "However, Defense Minister Stepan Poltorak said so, as did Garda Commissioner Noirin O'Sullivan."
    spans = [span(text, "Defense", "ORG"), span(text, "Garda", "PERSON")]
    mentions = {m.text: m for m in tidy_mentions(text, spans, gazetteer=load_gazetteer())}
    assert {name: m.type for name, m in mentions.items()} == {"Defense": "misc", "Garda": "org"}
    assert isinstance(mentions["Defense"], ContextMention)  # the sentence said so, not the model
    assert not isinstance(mentions["Garda"], ContextMention)


@pytest.mark.parametrize("name", ["O'Neill", "Kata'ib Hezbollah", "Mu'ammar Gaddafi", "D'Alema"])
def test_an_apostrophe_inside_a_name_is_no_contraction(name: str) -> None:
    assert is_name(name)


def test_a_person_named_before_a_title_word_of_his_own_stays_a_person() -> None:
    text = "Tillerson, Secretary of State, flew to Bonn."  # a comma: apposition, not "X Secretary"
    assert tidy(text, span(text, "Tillerson", "PERSON")) == [("person", "Tillerson")]


def test_a_word_cut_by_a_broken_character_is_no_name() -> None:
    text = "Garda\ufffd\ufffd are appealing for witnesses. Fianna F\ufffd\ufffdil TDs objected."
    found = tidy(text, span(text, "Garda", "PERSON"), span(text, "Fianna F\ufffd\ufffdil", "ORG"))
    assert found == [("org", "Fianna F\ufffd\ufffdil")]


def test_a_name_the_model_cut_at_and_is_joined_when_the_aliases_know_it() -> None:
    text = "The Islamic State of Iraq and the Levant (ISIL) group claimed responsibility in Iraq and Syria."
    spans = [
        span(text, "Islamic State of Iraq", "ORG"),
        span(text, "Levant", "PERSON"),
        span(text, "ISIL", "ORG"),
        (text.rindex("Iraq"), text.rindex("Iraq") + 4, "GPE"),
        span(text, "Syria", "GPE"),
    ]
    found = [(m.type, m.text) for m in tidy_mentions(text, spans, gazetteer=SMALL, aliases=load_aliases())]
    assert found[:2] == [("org", "Islamic State of Iraq and the Levant"), ("org", "ISIL")]
    assert ("place", "Iraq") in found and ("place", "Syria") in found  # "Iraq and Syria" is no name
    without = [m.text for m in tidy_mentions(text, spans, gazetteer=SMALL)]
    assert "Levant" in without  # without the aliases file nothing says they are one name


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("DEBATED AT APC\n\nChicago", ["DEBATED AT APC", "Chicago"]),  # a headline, then the dateline
        ("Safety-Kleen Corp <SK>", ["Safety-Kleen Corp"]),
        ("<Teleco USA Inc>", ["Teleco USA Inc"]),  # a bracketed company name is no ticker
        ("<Pearson PLC's> Financial Times", ["Pearson PLC's", "Financial Times"]),
        ("ARGYLL ENERGY CORP> YEAR", ["ARGYLL ENERGY CORP", "YEAR"]),
        ('Brazil"s', ["Brazil"]),  # a quote for an apostrophe, never closed
        ('Al Jazeera -"and', ["Al Jazeera", "and"]),
        ('William "Ryan" Owens', ['William "Ryan" Owens']),  # a nickname's quotes are closed
        ("leader,-Abu Mohammed al-Jolani", ["leader,", "Abu Mohammed al-Jolani"]),  # a dash lost its space
        ("Alfa -Laval AB", ["Alfa -Laval AB"]),  # a hyphen a wire story spaced
        ("Democratic opponent -Hillary Clinton", ["Democratic", "Hillary Clinton"]),
        ("blc/kl-(AFP", ["blc/kl", "(AFP"]),  # the bracket goes when the piece is trimmed
        ("Trump in America", ["Trump", "America"]),
        ("Hassakeh the Syrian Observatory", ["Hassakeh", "Syrian Observatory"]),
        (
            "Organisation for the Prohibition of Chemical Weapons",
            ["Organisation for the Prohibition of Chemical Weapons"],
        ),
        ("Abu Bakr al Baghdadi", ["Abu Bakr al Baghdadi"]),
        ("Deir ez Zor", ["Deir ez Zor"]),
        ("Council on Foreign Relations", ["Council on Foreign Relations"]),
        ('ABC News"?Brian Ross', ["ABC News", "Brian Ross"]),  # a dash lost in decoding
        ('?"?Annie Boye', ["Annie Boye"]),
        ("said Ned Price", ["Ned Price"]),  # the span ran back over the verb before the name
        ("M. al-Frieh/H. Said", ["M. al-Frieh", "H. Said"]),  # a byline of two reporters
        ("U.S./USSR", ["U.S.", "USSR"]),
        ("S/P", ["S/P"]),  # an abbreviation (Standard and Poor's)
        ("pic.twitter.com/Fx6q7lMSnO European Union", ["European Union"]),  # a web address is no name
        ("elderly Jackson", ["Jackson"]),
        ("de Mistura", ["de Mistura"]),  # a particle may begin a name
        ("bin Laden", ["bin Laden"]),
        ("post-Brexit European Union", ["European Union"]),  # a prefix made an adjective of it
        ("non-OPEC Mexico", ["Mexico"]),
        ("as-Sham", ["as-Sham"]),  # the Arabic article
    ],
)
def test_a_span_splits_where_no_name_goes_on(text: str, parts: list[str]) -> None:
    assert [text[s:e] for s, e in split_span(text, 0, len(text))] == parts


def test_a_span_starting_inside_a_ticker_keeps_the_company() -> None:
    text = "shares of <NSC> Norfolk Southern rose"
    start = text.index("NSC>")
    assert [text[s:e] for s, e in split_span(text, start, text.index(" rose"))] == ["Norfolk Southern"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the-International Criminal Court", "International Criminal Court"),
        ("Aurora Industries Inc of", "Aurora Industries Inc"),
        ("<Teleco USA Inc>", "Teleco USA Inc"),
        ("/Syria/", "Syria"),
        ("Kim Jong-un", "Kim Jong-un"),
    ],
)
def test_span_edges_lose_punctuation_articles_and_lower_case_words(text: str, expected: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


def test_a_name_of_the_aliases_file_the_model_cut_in_pieces_is_one_name() -> None:
    text = "Crimes were committed by Islamic State in Iraq and the Levant militants."
    spans = [
        span(text, "Islamic", "NORP"),
        span(text, "State", "ORG"),
        span(text, "Iraq", "GPE"),
        span(text, "Levant", "PERSON"),
    ]
    found = [(m.type, m.text) for m in tidy_mentions(text, spans, gazetteer=SMALL, aliases=load_aliases())]
    assert found == [("org", "Islamic State in Iraq and the Levant")]


def nth_span(text: str, part: str, nth: int, label: str) -> tuple[int, int, str]:
    """The span of the ``nth`` (from 0) occurrence of ``part``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part), label


def test_a_name_the_model_found_whole_once_is_whole_where_it_cut_it_in_pieces() -> None:
    text = "UK Anti-Doping said so. Sport in Wales is regulated by UK Anti-Doping, apart from gyms."
    spans = [
        nth_span(text, "UK Anti-Doping", 0, "ORG"),
        span(text, "Wales", "GPE"),
        nth_span(text, "UK", 1, "GPE"),
        nth_span(text, "Anti-Doping", 1, "ORG"),
    ]
    assert tidy(text, *spans) == [("org", "UK Anti-Doping"), ("place", "Wales"), ("org", "UK Anti-Doping")]


def test_a_longer_span_over_one_name_or_a_full_name_of_a_person_does_not_spread() -> None:
    text = (
        "The Syria Kurds met. Syria Kurds are in Syria. Federation Council Speaker Valentina Matviyenko"
        " spoke; Federation Council Speaker Valentina Matviyenko left."
    )
    spans = [
        span(text, "Syria Kurds", "ORG"),
        nth_span(text, "Syria", 1, "GPE"),
        nth_span(text, "Syria", 2, "GPE"),
        nth_span(text, "Federation Council Speaker Valentina Matviyenko", 0, "ORG"),
        nth_span(text, "Federation Council", 1, "ORG"),
        nth_span(text, "Valentina Matviyenko", 1, "PERSON"),
    ]
    assert [name for _kind, name in tidy(text, *spans)] == [
        "Syria Kurds",
        "Syria",
        "Syria",
        "Federation Council Speaker Valentina Matviyenko",
        "Federation Council",
        "Valentina Matviyenko",
    ]


def test_an_ordinary_word_glued_before_an_acronym_by_a_byline_is_dropped() -> None:
    text = "Fighting in Aleppo Monitor AFP Thursday 2 Jul 2015 At least nine people were killed."
    gazetteer = load_gazetteer()
    found = [m.text for m in tidy_mentions(text, [span(text, "Monitor AFP", "ORG")], gazetteer=gazetteer)]
    assert found == ["AFP"]


def test_a_closing_bracket_glued_to_the_next_word_ends_a_name() -> None:
    text = "Washington (CNN)The Senate met."
    assert tidy(text, span(text, "CNN)The Senate", "ORG")) == [("org", "CNN"), ("org", "Senate")]


def test_a_company_and_the_place_it_is_of_are_two_names() -> None:
    text = "Shares of Breslube Enterprises of Toronto rose, the Bank of England said."
    gazetteer = load_gazetteer()
    spans = [span(text, "Breslube Enterprises of Toronto", "ORG"), span(text, "Bank of England", "ORG")]
    found = [(m.type, m.text) for m in tidy_mentions(text, spans, gazetteer=gazetteer)]
    assert found == [("org", "Breslube Enterprises"), ("place", "Toronto"), ("org", "Bank of England")]


def test_a_day_glued_before_a_name_is_dropped() -> None:
    text = "Fighting resumed on Saturday Syrian Army units said."
    assert tidy(text, span(text, "Saturday Syrian Army", "ORG")) == [("org", "Syrian Army")]


def test_a_legal_form_after_a_name_makes_it_a_company() -> None:
    """The initial-and-surname pattern, or the model, ends "J.P. Morgan" before "and Co Inc";
    the form joins the name, and what the model found inside it alone goes."""
    text = "The bank J.P. Morgan and Co Inc said on Monday it would buy Samuel Montagu and Co Ltd for cash"
    text += " and sell Jacobson Stores Inc."
    found = tidy(
        text,
        span(text, "J.P. Morgan", "PERSON"),
        span(text, "Co Inc", "ORG"),
        span(text, "Samuel Montagu", "PERSON"),
        span(text, "Jacobson", "PERSON"),
    )
    assert found == [
        ("org", "J.P. Morgan and Co Inc"),
        ("org", "Samuel Montagu and Co Ltd"),
        ("org", "Jacobson Stores Inc."),
    ]


def test_a_capitalised_run_ending_in_a_legal_form_is_a_company_the_model_missed() -> None:
    """Wire copy opens with the company the story is about, where the model often finds nothing;
    a name the model found before "and" stays its own, as does a county after a town."""
    text = "MIAMI, March 5 - Triumph Capital Inc said it has signed a letter with\nEMS Systems Ltd"
    text += " and Tencent Holdings and Sohu.com Inc. The Procter and Gamble Co said rents were low in"
    text += " Glenties, Co Donegal."
    found = tidy(text, span(text, "MIAMI", "GPE"), span(text, "Tencent Holdings", "ORG"))
    assert found == [
        ("place", "MIAMI"),
        ("org", "Triumph Capital Inc"),
        ("org", "EMS Systems Ltd"),
        ("org", "Tencent Holdings"),
        ("org", "Sohu.com Inc"),
        ("org", "Procter and Gamble Co"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ford Motor Co of Canada Ltd said", ["Ford Motor Co"]),  # not "Canada Ltd"
        ("the joint venture, CRRC Pioneer (India) Electric Co Ltd, is based", []),
        ("2017 /PRNewswire/.-Infortrend Technology, Inc. today said", []),
        ("the Texas AG said", []),  # an attorney general
        ("shares of Acme Widgets Ltd rose", ["Acme Widgets Ltd"]),
        ("Sumitomo Trust and Banking Co Ltd rose", ["Sumitomo Trust and Banking Co Ltd"]),
    ],
)
def test_no_company_is_made_where_its_name_may_begin_elsewhere(text: str, expected: list[str]) -> None:
    assert [name for _kind, name in tidy(text)] == expected


@pytest.mark.parametrize("surface", ["FEBRUARY", "Tuesday", "Sept", "Mar", "Co Inc", "Ltd."])
def test_a_day_a_month_or_a_legal_form_alone_is_no_name(surface: str) -> None:
    assert not is_name(surface)
    assert is_name("May") and is_name("Cola")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Jeish al-Fatah", "org"),
        ("Faylaq al-Sham", "org"),
        ("Anwar al-Awlaki", "person"),
        ("Soraya Post", "person"),
    ],
)
def test_an_arabic_word_for_a_unit_however_spelt_begins_an_organisation(name: str, kind: str) -> None:
    text = f"Fighters said {name} took the town."
    assert tidy(text, span(text, name, "PERSON")) == [(kind, name)]


def test_a_sentence_word_cut_from_a_longer_span_is_dropped_whatever_the_text_lowercases() -> None:
    """The model's span runs from a headline into the next line ("Aleppo Monitor / Date"): the
    cut-off word is no name, though the text never writes "date" in lower case. A word after
    an initial ("George W. / Bush") goes on the name and stays."""
    headline = "Barrel bombs hit Aleppo Monitor\n\nDate 4 May 2016 Barrel bombs hit the city.\n"
    text = headline + "He was named by George W.\n\nBush in 2001."
    gazetteer = load_gazetteer()
    spans = [span(text, "Aleppo Monitor\n\nDate", "ORG"), span(text, "George W.\n\nBush", "PERSON")]
    found = [m.text for m in tidy_mentions(text, spans, gazetteer=gazetteer)]
    assert "Date" not in found and "Bush" in found


def test_a_web_address_and_a_hashtag_are_no_names_nor_is_the_word_after_an_address() -> None:
    """A tweet quoted in an article: its link, its hashtag and the ordinary word starting the
    text after the link are no names; the name after them is."""
    text = (
        "Leaders met in Brussels. #PassTheBill pic.twitter.com/Fx6q7lMSnO Others said the "
        "European Union will act, and others agreed."
    )
    gazetteer = load_gazetteer()
    spans = [
        span(text, "#PassTheBill pic.twitter.com/Fx6q7lMSnO Others", "ORG"),
        span(text, "European Union", "ORG"),
    ]
    found = [m.text for m in tidy_mentions(text, spans, gazetteer=gazetteer)]
    assert found == ["European Union"]


def test_a_punctuation_mark_lost_in_decoding_separates_names() -> None:
    text = (
        'It was "a disaster," the staffer "?said Ned Price of ABC News"?Brian Ross, '
        'who called it news "?Trump said.'
    )
    spans = [
        (text.index("staffer"), text.index(" of ABC"), "PERSON"),
        (text.index("ABC"), text.index(", who"), "ORG"),
        (text.index('news "?'), text.index(" said."), "PERSON"),
    ]
    found = {m.text for m in tidy_mentions(text, spans, gazetteer=SMALL)}
    assert {"Ned Price", "ABC News", "Brian Ross", "Trump"} <= found
    assert not any('"?' in name or name[0].islower() for name in found)


def test_a_word_after_a_lost_punctuation_mark_starts_a_sentence() -> None:
    words = Gazetteer(places=frozenset(), lexicon=Lexicon(common=frozenset({"it"})))
    text = 'Officials said the spread of AIDS."?It was a crisis."?I had no idea.'
    spans = [
        (text.index("AIDS"), text.index(" was"), "ORG"),
        (text.index("I had"), text.index("I had") + 1, "GPE"),
    ]
    found = [m.text for m in tidy_mentions(text, spans, gazetteer=words)]
    assert [name.rstrip(".") for name in found] == ["AIDS"]  # not "It", not "I"


@pytest.mark.parametrize(
    ("text", "word", "kind"),
    [
        ("It is pointless, said the Briton, who asked not to be named.", "Briton", "misc"),
        ("Officials met the Taoiseach said on Monday.", "Taoiseach", "misc"),
        ("It was a win for the Frenchman.", "Frenchman", "misc"),
        ("the lowest-ranked player the Briton had lost to", "Briton", "misc"),
        ("It was a good day in the Obama years.", "Obama", "person"),
        ("China joined the AIIB.", "AIIB", "person"),  # an acronym: the archive types it
        ("It was the first year of the Trump administration.", "Trump", "person"),  # a name as a modifier
        ("Trump said so on Monday.", "Trump", "person"),
    ],
)
def test_one_word_after_the_that_ends_a_phrase_names_no_person(text: str, word: str, kind: str) -> None:
    start = text.index(word)
    found = tidy_mentions(text, [(start, start + len(word), "PERSON")], gazetteer=SMALL)
    assert [(m.text, m.type) for m in found] == [(word, kind)]


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ("Votes fell. [Meanwhile European Commission] staff left.", "European Commission"),
        ("Is it fair? [Are Donald Trumps] new policies just?", "Donald Trumps"),
        ("for a better life [Are Donald Trumps] new policies just?", "Donald Trumps"),  # a link list
        (
            "He said so. [However -the United Nations Security Council] met.",
            "United Nations Security Council",
        ),
        ("[An International Monetary Fund] team arrived.", "International Monetary Fund"),
        ("[A Q Khan] sold the designs.", "A Q Khan"),
        ("[A Coruna] is in Galicia.", "A Coruna"),
        ("[Will Hurd] voted no.", "Will Hurd"),
        ("[He Lifeng] met them.", "He Lifeng"),
        ("[Her Majesty's Government] said no.", "Her Majesty's Government"),
        ("They watched the film [When Harry Met Sally] twice.", "When Harry Met Sally"),
        ("Data from the site [Indeed Hiring Lab] show", "Indeed Hiring Lab"),
        ("[Sometimes] Masood prayed.", "Sometimes"),
    ],
)
def test_a_word_that_begins_no_name_is_not_part_of_the_name(marked: str, expected: str) -> None:
    start = marked.index("[")
    text = marked.replace("[", "").replace("]", "")
    first, last = trim_span(text, start, marked.index("]") - 1)
    assert text[first:last] == expected


@pytest.mark.parametrize(
    ("text", "first", "first_label", "rest", "rest_label", "name"),
    [
        (
            'SEAL William "Ryan" Owens died.',
            'William "Ryan',
            "PERSON",
            "Owens",
            "PERSON",
            'William "Ryan" Owens',
        ),
        (
            "of Joaquin \u201cEl Chapo\u201d Guzman Loera.",
            "Joaquin \u201cEl Chapo",
            "ORG",
            "Guzman Loera",
            "PERSON",
            None,
        ),
    ],
)
def test_a_nickname_in_quotes_inside_a_name_is_part_of_it(
    text: str, first: str, first_label: str, rest: str, rest_label: str, name: str | None
) -> None:
    """The model ends the first span inside the quotes and starts another after them."""
    whole = name or text[text.index(first) : text.index(rest) + len(rest)]
    assert tidy(text, span(text, first, first_label), span(text, rest, rest_label)) == [("person", whole)]


@pytest.mark.parametrize(
    ("text", "first", "rest", "labels"),
    [
        (
            'SEAL William "Ryan" and Owens died.',
            'William "Ryan',
            "Owens",
            ("PERSON", "PERSON"),
        ),  # not adjacent
        ('read the "Daily" Mail today.', '"Daily', "Mail", ("ORG", "ORG")),  # no person's name
    ],
)
def test_spans_around_a_quote_stay_apart_unless_they_make_a_person_s_name(
    text: str, first: str, rest: str, labels: tuple[str, str]
) -> None:
    found = tidy(text, span(text, first, labels[0]), span(text, rest, labels[1]))
    assert found and not any(rest in name and name != rest for _kind, name in found)


@pytest.mark.parametrize(
    ("span_text", "pieces"),
    [
        ("Kidder, Peabody and Co.", ["Kidder, Peabody and Co."]),
        ("Smith Barney, Harris Upham and Co Inc", ["Smith Barney, Harris Upham and Co Inc"]),
        ("IBM, Procter and Gamble Co", ["IBM,", "Procter and Gamble Co"]),  # a list: not "and Co"
        ("Goldman, Kidder, Peabody and Co", ["Goldman,", "Kidder, Peabody and Co"]),
        ("Goldman, Sachs and Co>", ["Goldman, Sachs and Co"]),
    ],
)
def test_a_firm_named_for_its_partners_is_not_cut_at_its_comma(span_text: str, pieces: list[str]) -> None:
    assert [span_text[a:b] for a, b in split_span(span_text, 0, len(span_text))] == pieces


@pytest.mark.parametrize("part", ["St Patrick", "St Patrick's Day", "Valentine"])
def test_a_name_before_s_day_names_the_day_an_event(part: str) -> None:
    text = f"Crowds marked {part if part.endswith('Day') else part + chr(39) + 's Day'} in Dublin."
    mentions = tidy_mentions(text, [span(text, part, "PERSON")], gazetteer=load_gazetteer())
    assert [(m.type, m.text) for m in mentions] == [("misc", part)]
    assert isinstance(mentions[0], ContextMention)  # the words say so: it stays so in this article


def test_a_possessive_before_another_word_leaves_a_person() -> None:
    text = "Patrick's brother said so."
    assert tidy(text, span(text, "Patrick", "PERSON")) == [("person", "Patrick")]


def test_a_quotation_s_first_word_cut_from_a_name_is_no_name() -> None:
    text = 'said Reuters -"It was so'
    mentions = tidy_mentions(text, [span(text, 'Reuters -"It', "ORG")], gazetteer=load_gazetteer())
    assert [(m.type, m.text) for m in mentions] == [("org", "Reuters")]


def test_a_quote_for_an_apostrophe_inside_a_word_cuts_no_name_in_two() -> None:
    text = 'Nigeria"s oil and Isn"t it'
    assert [text[a:b] for a, b in split_span(text, 0, 9)] == ["Nigeria"]
    start = text.index("Isn")
    assert [text[a:b] for a, b in split_span(text, start, start + 5)] == ['Isn"t']


@pytest.mark.parametrize(
    ("part", "names"),
    [
        ("ARGYLL ENERGY CORP> YEAR", ["ARGYLL ENERGY CORP"]),  # a table's word after the company
        ("MER> CANADA", ["CANADA"]),  # a ticker's capitals, its opening bracket left out
    ],
)
def test_what_an_angle_bracket_cuts_from_a_company_is_no_name(part: str, names: list[str]) -> None:
    text = f"results of {part} were out"
    mentions = tidy_mentions(text, [span(text, part, "ORG")], gazetteer=load_gazetteer())
    assert [m.text for m in mentions] == names
