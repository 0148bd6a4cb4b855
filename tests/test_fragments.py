"""Sentence debris told from names by the text's own shape: stripped possessives, capitalised
sentence starts, rows of figures, compound adjectives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchlib.articles.textfile import read_article
from searchlib.entities.aliases import load_aliases
from searchlib.entities.fragments import (
    dateline_dates,
    is_compound_adjective,
    is_row_label,
    is_sentence_word,
    is_unit,
    possessive_pieces,
    strips_apostrophes,
)
from searchlib.entities.gazetteer import load_gazetteer
from searchlib.entities.mentions import tidy_mentions
from searchlib.entities.truecase import Lexicon

DATA = Path(__file__).parent / "data" / "fragments"
LEXICON = Lexicon(common=frozenset({"barrel", "bomb", "once", "terrorist", "back", "lead", "state"}))
PLACES = frozenset({"Syria", "Aleppo", "Hama", "United States"})


def known(name: str) -> bool:
    return name in PLACES or name == "Hamas"


def apostrophe_free(sentence: str) -> str:
    """A text long enough to count as one whose apostrophes were stripped."""
    filler = (
        " Fighting went on in the north of the country for a third week running and aid could not get in."
    )
    return sentence + filler * 6


def pieces(text: str, part: str) -> list[str]:
    start = text.index(part)
    return [
        text[s:e] for s, e in possessive_pieces(text, start, start + len(part), lexicon=LEXICON, known=known)
    ]


def test_only_a_long_text_without_any_apostrophe_has_them_stripped() -> None:
    assert strips_apostrophes(apostrophe_free("Syrias army advanced."))
    assert not strips_apostrophes(apostrophe_free("Syria's army advanced."))
    assert not strips_apostrophes("Syrias army advanced.")


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Syrias Aleppo", ["Syria", "Aleppo"]),
        ("Bashar al-Assads", ["Bashar al-Assad"]),
        ("Once Syrias", ["Once", "Syria"]),
        ("Bab Touma Terrorists", ["Bab Touma Terrorists"]),  # a common word's plural
        ("Hamas", ["Hamas"]),  # a name in its own right, though Hama is a place
        ("United States", ["United States"]),
        ("Paris", ["Paris"]),  # no "Pari" in the text
    ],
)
def test_a_stripped_possessive_ends_the_name(span: str, expected: list[str]) -> None:
    text = apostrophe_free(
        f"Once Syrias economic hub was hit. {span} said. Syria and Aleppo and Hama and Bashar al-Assad."
    )
    assert pieces(text, span) == expected


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Syrias Idlib", ["Syria", "Idlib"]),  # Syria known, though never written alone here
        ("Lyons", ["Lyons"]),  # a surname: "Lyon" is a town, but a name's last word needs the text
        ("Mr Lyons", ["Mr Lyons"]),
    ],
)
def test_a_known_stem_inside_a_name_makes_a_possessive(span: str, expected: list[str]) -> None:
    text = apostrophe_free(f"Shells hit {span} today, and a town of Idlib province.")

    def knows(name: str) -> bool:
        return name in ("Syria", "Lyon")

    start = text.index(span)
    found = possessive_pieces(text, start, start + len(span), lexicon=LEXICON, known=knows)
    assert [text[s:e] for s, e in found] == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Barrel bombs fell on the town. More barrel bombs fell.", "Barrel", True),
        ("Brown said on Monday he would go.", "Brown", False),  # never written in lower case
        ('He said: "Once the town falls, it is over once and for all."', "Once", True),
        (
            "Barrel bombs fell. The Barrel Company denied a barrel fell.",
            "Barrel",
            False,
        ),  # a capital mid-sentence
        ("Kadhemi spoke. Then he left.", "Kadhemi", False),  # no dictionary word
        ("The rebels took the town. Aleppo fell.", "Aleppo", False),
    ],
)
def test_an_ordinary_word_starting_a_sentence_is_no_name(text: str, word: str, expected: bool) -> None:
    start = text.index(word)
    assert is_sentence_word(text, start, start + len(word), LEXICON, surnames=set()) is expected


@pytest.mark.parametrize(
    ("text", "word", "piece", "expected"),
    [
        # A piece the model took as part of another name needs no lower-case use in the text.
        ("Aleppo monitor\n\nDate 12 May: the town fell.", "Date", True, True),
        ("Aleppo monitor\n\nDate 12 May: the town fell.", "Date", False, False),
        ("Once Syrias powerhouse, the city fell.", "Once", True, True),
        # Still one dictionary word, at a sentence start, never capitalised mid-sentence.
        ("Kadhemi Syrias envoy spoke.", "Kadhemi", True, False),
        ("Once more. The Once Club met.", "Once", True, False),
        # After an initial, a line break does not start a sentence: the name goes on.
        ("appointed by President George W.\nBush in 2001.", "Bush", True, False),
        ("pressed him on Roe v.\nWade today.", "Wade", True, False),
        ("the court for the D.C.\nCircuit ruled.", "Circuit", True, False),
        # A word cut from a span inside brackets is a name in brackets, not a sentence's start.
        ("Jonathan Davies (Scarlets) and Liam Williams.", "Scarlets", True, False),
        ("He left. (Once a town, it fell.)", "Once", False, False),
    ],
)
def test_a_piece_of_a_longer_span_starting_a_sentence_is_no_name(
    text: str, word: str, piece: bool, expected: bool
) -> None:
    start = text.index(word)
    lexicon = Lexicon(common=frozenset({"date", "once", "bush", "wade", "barrel", "circuit", "scarlets"}))
    assert is_sentence_word(text, start, start + len(word), lexicon, surnames=set(), piece=piece) is expected


def test_a_surname_starting_a_sentence_stays_a_name() -> None:
    text = "Theresa May spoke. May said she would stay."
    start = text.index("May said")
    assert not is_sentence_word(text, start, start + 3, Lexicon(common=frozenset({"may"})), surnames={"may"})


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Revs 10.0 mln vs 7,577,207", True),
        ("Avg shrs 2.9 mln vs 2.2 mln", True),
        ("Maize Mar 48.0, total 48.0 (nil).", True),
        ("Kadhemi said 10 people died in 2 blasts", False),
        ("Essex 532-8 Yorkshire 200", False),
        ("Roma 2 Lazio 1", False),  # a results line: no lower-case abbreviation
    ],
)
def test_an_abbreviation_in_a_row_of_figures_is_no_name(line: str, expected: bool) -> None:
    text = f"Title\n\n{line}\n\nReuter"
    word = line.split()[1] if line.startswith("Maize") else line.split()[0]
    start = text.index(word)
    assert is_row_label(text, start, start + len(word)) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("N.Y. BANK DISCOUNT BORROWINGS 64 MLN DLRS", "MLN DLRS", True),
        ("ANITEC IMAGE TECHNOLOGY CORP 2ND QTR NET", "QTR", True),
        ("more than 51 billion U.S. Dlrs Wednesday.", "U.S. Dlrs", True),
        ("the BBC said on 3 March", "BBC", False),
        ("64 Bosnian Serbs", "Bosnian Serbs", False),
    ],
)
def test_a_unit_after_a_figure_is_no_name(text: str, name: str, expected: bool) -> None:
    start = text.index(name)
    assert is_unit(text, start, start + len(name)) is expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("Moscow-backed", True), ("Iran-backed", True), ("Jong-un", False), ("al-Assad", False)],
)
def test_a_compound_adjective_is_no_name(surface: str, expected: bool) -> None:
    assert is_compound_adjective(surface, LEXICON) is expected


def _entities(path: Path) -> set[str]:
    """Mention texts of a fixture article for the spans spaCy's model gives it (kept beside it
    as [text, label] pairs, each at its first place in the text)."""
    article = read_article(path)
    spans = [
        (article.text.index(name), article.text.index(name) + len(name), label)
        for name, label in json.loads(path.with_suffix(".spans.json").read_text())
    ]
    found = tidy_mentions(article.text, spans, gazetteer=load_gazetteer(), aliases=load_aliases())
    return {m.text for m in found}


def test_an_earnings_story_keeps_its_company_and_loses_its_table_words() -> None:
    found = _entities(DATA / "earnings.txt")
    assert {"DAHLBERG INC", "GOLDEN VALLEY"} <= found
    assert not found & {"Revs", "Avg", "DAHL"}


def test_a_war_story_with_stripped_apostrophes_gives_whole_names() -> None:
    found = _entities(DATA / "stripped.txt")
    assert {"Syria", "Aleppo", "Bashar al-Assad"} <= found
    assert not found & {"Syrias Aleppo", "Bashar al-Assads", "Barrel", "Moscow-backed"}


def test_the_date_of_a_wire_dateline_is_no_name() -> None:
    text = "Title\n\nTORONTO, Mar 5 - Shr 33p vs 38p\n\nGOLDEN VALLEY, MINN., Feb 26 - Net"
    assert [text[s:e] for s, e in dateline_dates(text)] == ["Mar 5", "Feb 26"]
    found = {
        m.text
        for m in tidy_mentions(
            text, [(text.index("Mar"), text.index("Mar") + 3, "PERSON")], gazetteer=load_gazetteer()
        )
    }
    assert "Mar" not in found and "TORONTO" in found


def test_a_currency_after_a_figure_is_no_initial_and_surname() -> None:
    text = "Reserves fell to 7.15 billion N.Z. Dlrs in January, J. Adams said."
    found = {m.text for m in tidy_mentions(text, [], gazetteer=load_gazetteer())}
    assert "J. Adams" in found and "N.Z. Dlrs" not in found


def test_furniture_is_no_evidence_of_a_possessive() -> None:
    text = apostrophe_free("Reuters said the talks had failed.") + "\n\nReuter"
    start = text.index("Reuters")
    furniture = [(text.index("\n\nReuter") + 2, len(text))]
    spans = [(start, start + len("Reuters"), "ORG")]
    assert [m.text for m in tidy_mentions(text, spans, gazetteer=load_gazetteer(), ignore=furniture)] == [
        "Reuters"
    ]
