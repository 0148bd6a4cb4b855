"""Mentions that are pieces of sentences rather than names, told apart by the text's own shape.

Three kinds of debris the model returns as names, each recognised by evidence in the article
itself, never by a list of the words involved:

- a possessive written without its apostrophe, in an archive that strips them ("Syrias
  Aleppo", "Bashar al-Assads"): in a text with no apostrophe at all, a word ending in "s"
  whose stem is a known place or is written elsewhere in the same text is the stem's
  possessive; the name ends there;
- an ordinary word capitalised only because it starts a sentence ("Barrel bombs hit...",
  "Once Syrias economic powerhouse"): a single dictionary word at the start of a sentence that
  the same text also writes in lower case ("barrel bombs"), never with a capital in the middle
  of a sentence, and no person's surname;
- an abbreviation in a table of figures ("Revs 10.0 mln vs 7,577,207", "Avg shrs 2.9 mln")
  or a unit after a figure ("64 MLN DLRS", "2ND QTR NET"): a short line a good part of whose
  words are figures, the rest abbreviations, is a row of a table; a word without a vowel just
  after a figure is a unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from searchlib.entities.truecase import Lexicon

MIN_APOSTROPHE_FREE_CHARS = 500
"""A text this long with no apostrophe had them stripped: English prose of 500 characters
nearly always has a possessive or a contraction."""
MAX_ROW_WORDS = 16
"""A row of a table of figures is short; a sentence with figures is longer."""
ROW_FIGURE_SHARE = 0.25
"""Figures make at least this share of a row's words."""
ROW_WORD_LETTERS = 4.5
"""A row's other words are abbreviations ("mln", "vs", "shrs", "prev"), at least one in lower
case: this many letters on average. A results line names its teams in full, capitalised."""
MAX_ABBREVIATION = 4
"""The words of a row of figures are abbreviations: on average this many letters or fewer."""

_WORD = re.compile(r"\S+")
BROKEN_MARK = re.compile(r'\?*"\?+')
"""A quotation mark and a question mark where a text's encoding lost a character: a curly
quote, an apostrophe or a dash and the space after it each become "?" ("the Republicans\"?plan",
"fake news \"?Trump said"). No name holds one, and a capitalised word after one starts a
sentence or a quotation."""
_SENTENCE_START = re.compile(
    r"(?:^|[.!?:;]['\"\u201d\u2019)]?\s+|\n\s*|['\"\u201c\u2018(]\s*|" + BROKEN_MARK.pattern + r"\s*)$"
)
URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/|[\w-]+\.(?:com|org|net|co)/)\S*", re.IGNORECASE)
"""A web address: no name, nor part of one ("pic.twitter.com/Fx6q7lMSnO European Union"); the
word after one starts a new sentence, as a tweet's text after its link does."""
_INITIAL_BEFORE = re.compile(r"(?<![\w.])(?:[A-Za-z]\.)+\s*$")
"""A one-letter abbreviation just before a word: an initial, "v." or "D.C." inside a name, which
the line or sentence break after its full stop does not end."""
_OPENING_MARK = re.compile(r"['\"\u201c\u2018(]\s*$")
"""An opening bracket or quotation mark just before a word: a sentence of its own for the text's
capitals ("(Barrel bombs...)"), but a word cut from a longer span there is a name in brackets,
a club or a translation ("Jonathan Davies (Scarlets)", "Batkivshchyna (Fatherland)")."""
_DATELINE_DATE = re.compile(
    r"^[A-Z][A-Z.'\- ]+,\s?(?:[A-Z][A-Za-z]*\.?,\s?)?([A-Z][a-z]{2,8}\.?\s\d{1,2})\s*[-\u2013]", re.MULTILINE
)
CLAUSE_WORDS = frozenset(
    {
        *("However", "Meanwhile", "Moreover", "Nevertheless", "Nonetheless", "Furthermore"),
        *("Therefore", "Thus", "Hence", "Instead", "Otherwise", "Sometimes", "Although"),
        *("Though", "Whereas", "Whilst", "Are", "Is", "Was", "Were", "Does", "Did", "Has", "Have"),
        *("Had", "Should", "Would", "Could", "Might", "Must", "Shall"),
    }
)
"""Words of English grammar that join or open a clause, or put a question, and never begin a
name: connecting adverbs, conjunctions of concession, auxiliary verbs. The model may take one
into the name after it where a sentence starts ("Meanwhile European Commission") or where a
list of links runs headlines together without punctuation ("a better life Are Donald Trumps
new abortion policies just?")."""
SENTENCE_OPENERS = frozenset(
    {
        *("Indeed", "Also", "When", "While", "Because", "Unless", "If", "Whether", "How", "What"),
        *("Why", "Where", "Which", "Who", "Whose", "Whom", "I", "You", "We", "They", "She", "It"),
        *("Both", "Neither", "Either", "Each", "These", "Those", "This", "That", "Some", "Such"),
    }
)
"""Words that open a sentence and no name there ("Both Zimmerman", "When Eichenwald",
"Sometimes Nicole"), but inside a sentence may begin a title with capitals ("the film When
Harry Met Sally") or a company ("Indeed Hiring Lab"). Words of these kinds that are also names
are in neither set: "Will" (Will Hurd), "May", "Can" (Can Dundar), "Do", "He" (He Lifeng),
"His" and "Her" (Her Majesty's Government), "My", "Our" (Our Lady's Hospital), "All", "Every"."""
_ARTICLE_BEFORE_NAME = re.compile(r"(?:A|An)[ \t]+(?=[A-Z][\w'\u2019-]+[ \t]+\S)")
"""The indefinite article, capitalised by the sentence it opens, before a name of two words or
more ("A Free Syrian Army unit"). "A Q Khan" keeps its initial, and a name of the article and
one word is a place's ("A Coruna", Galician) as often as debris ("A Dutch")."""
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_ORDINAL_OR_FIGURE = re.compile(r"[$\u00a3\u20ac]?\d[\d,.]*(?:st|nd|rd|th|ST|ND|RD|TH)?")
_FIGURE = re.compile(r"[-+(]?[$\u00a3\u20ac]?\d[\d,.:/%-]*\)?[.,;]?")


def strips_apostrophes(text: str) -> bool:
    """True for a text long enough to have apostrophes that has none (they were stripped)."""
    return len(text) >= MIN_APOSTROPHE_FREE_CHARS and "'" not in text and "\u2019" not in text


def possessive_pieces(
    text: str,
    start: int,
    end: int,
    *,
    lexicon: Lexicon,
    known: Callable[[str], bool],
    evidence: str | None = None,
) -> list[tuple[int, int]]:
    """``text[start:end]`` cut after each apostrophe-less possessive, without its "s":
    "Syrias Aleppo" -> "Syria", "Aleppo"; "Bashar al-Assads" -> "Bashar al-Assad"; a word
    before a possessive starting no name of its own is cut off too ("Once Syrias" -> "Once",
    "Syria").

    Only in a text that ``strips_apostrophes``. The stem must be written, as a word of its own,
    elsewhere in the same text, or, inside the span, be ``known`` ("Al-Qaedas Syrian
    affiliate"), and be no common word ("Terrorists" is a plural); a name ``known`` in its own
    right ("Hamas", "United States") is never a possessive. ``evidence`` is the text to look
    for the stem in (``text`` without its page furniture: a closing "Reuter" line does not make
    "Reuters" a possessive)."""
    if known(text[start:end]):
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for word in _WORD.finditer(text, start, end):
        inner = text[word.end() : end].strip() != ""
        if _is_possessive(text if evidence is None else evidence, word.group(0), lexicon, known, inner=inner):
            if word.start() > piece_start and known(word.group(0)[:-1]):
                pieces.append((piece_start, word.start()))
                piece_start = word.start()
            pieces.append((piece_start, word.end() - 1))
            piece_start = word.end()
    if piece_start == start:
        return [(start, end)]
    pieces.append((piece_start, end))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in pieces) if e > s]


def dateline_dates(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the date of each wire dateline ("TORONTO, Mar 5 -", "GOLDEN VALLEY,
    MINN., Feb 26 -"): an abbreviated month there is no name."""
    return [m.span(1) for m in _DATELINE_DATE.finditer(text)]


def is_compound_adjective(surface: str, lexicon: Lexicon) -> bool:
    """True for one hyphenated word ending in an ordinary lower-case word: "Moscow-backed",
    "US-led", "Aleppo-based" describe, they name nothing ("Jong-un" and "al-Assad" do)."""
    if " " in surface or "-" not in surface:
        return False
    last = surface.rsplit("-", 1)[1]
    return len(last) > 2 and last.islower() and lexicon.is_common(last)


def is_sentence_word(
    text: str, start: int, end: int, lexicon: Lexicon, surnames: Collection[str], *, piece: bool = False
) -> bool:
    """True when ``text[start:end]`` is one ordinary word capitalised because a sentence (or a
    line, or a quotation) starts with it, which the text writes in lower case elsewhere and
    never capitalises in the middle of a sentence. A ``piece`` cut from a longer span of the
    model ("Once" of "Once Syrias", "Date" of a headline span running into the next line)
    needs no lower-case use: the model took the word as part of another name, not as one."""
    word = text[start:end]
    if " " in word or not word[:1].isupper() or word.isupper() or word.casefold() in surnames:
        return False
    if (
        not _SENTENCE_START.search(text, max(0, start - 3), start)
        and start > 0
        and not _after_url(text, start)
    ):
        return False
    if _INITIAL_BEFORE.search(text, max(0, start - 6), start):  # "George W. / Bush", "Roe v. Wade"
        return False
    if not lexicon.is_common(word):
        return False
    if piece and _OPENING_MARK.search(text, max(0, start - 3), start):
        return False
    if not piece and not re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text):
        return False
    for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        if match.start() != start and not _SENTENCE_START.search(
            text, max(0, match.start() - 3), match.start()
        ):
            return False
    return True


def clause_opener_end(text: str, start: int, end: int) -> int | None:
    """Where the name starts after a word that begins no name, when ``text[start:end]`` begins
    with one followed by more of the span: a word of ``CLAUSE_WORDS`` anywhere, and at a
    sentence's start a word of ``SENTENCE_OPENERS`` or the article "A"/"An". None otherwise."""
    first = _WORD.match(text, start, end)
    if first is None or first.end() >= end:
        return None
    opens = start == 0 or bool(_SENTENCE_START.search(text, max(0, start - 3), start))
    article = _ARTICLE_BEFORE_NAME.match(text, start, end)
    if opens and article is not None:
        return article.end()
    word = first.group(0)
    if word not in CLAUSE_WORDS and not (opens and word in SENTENCE_OPENERS):
        return None
    rest = first.end()
    while rest < end and text[rest].isspace():
        rest += 1
    return rest if rest < end else None


def in_url(text: str, at: int) -> bool:
    """True when the character at ``at`` is inside a web address (of the word holding it)."""
    first = at
    while first > 0 and not text[first - 1].isspace():
        first -= 1
    return URL.match(text, first) is not None


def _after_url(text: str, start: int) -> bool:
    """True when the word at ``start`` follows a web address."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return 0 < end < start and in_url(text, end - 1)


def is_row_label(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is an abbreviation in a row of a table of figures: a
    short line of which figures make a good part, whose other words are abbreviations ("Revs
    10.0 mln vs 7,577,207", "Linseed prev 34.8, Feb 32.9, Mar 6.8"). A results line has no
    lower-case word ("Roma 2 Lazio 1"), and a name longer than an abbreviation stays."""
    if any(len(word.strip(".")) > MAX_ABBREVIATION for word in text[start:end].split()):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    words = text[line_start : line_end if line_end >= 0 else len(text)].split()
    if len(words) > MAX_ROW_WORDS:
        return False
    others = [w.strip(".,;:()") for w in words if not _FIGURE.fullmatch(w)]
    figures = len(words) - len(others)
    return (
        figures >= 2
        and figures >= ROW_FIGURE_SHARE * len(words)
        and any(word.islower() for word in others)
        and sum(map(len, others)) <= ROW_WORD_LETTERS * len(others)
    )


def is_unit(text: str, start: int, end: int) -> bool:
    """True for abbreviations of units written just after a figure ("64 MLN DLRS", "2ND QTR",
    "51 billion U.S. Dlrs"): some word of them has no vowel, and a figure comes at most two
    words before. An acronym elsewhere ("BBC", "NBC said") is no unit."""
    words = [w.strip(".") for w in text[start:end].split()]
    if not any(len(w) > 2 and not _VOWEL.search(w) and not _INITIALS.fullmatch(w + ".") for w in words):
        return False
    before = text[max(0, start - 40) : start].split()[-2:]
    return any(_ORDINAL_OR_FIGURE.fullmatch(w) for w in before)


def _is_possessive(
    text: str, word: str, lexicon: Lexicon, known: Callable[[str], bool], *, inner: bool = False
) -> bool:
    """Whether ``word`` is a possessive without its apostrophe: its stem is written alone in
    ``text``, or, for a word with more of the name after it (``inner``), ``known``. A name's
    last word needs the text's own evidence: "Lyons" and "Davies" are surnames, though "Lyon"
    and "Davie" are towns."""
    if len(word) < 4 or not word.endswith("s") or word.endswith("ss") or not any(ch.isupper() for ch in word):
        return False
    stem = word[:-1]
    if known(word) or lexicon.is_common(stem):
        return False
    return (inner and known(stem)) or re.search(rf"(?<![\w-]){re.escape(stem)}(?![\w'-])", text) is not None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
