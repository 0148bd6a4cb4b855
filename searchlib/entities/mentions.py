"""From spaCy's raw spans to clean, consistently typed mentions (no spaCy needed here).

The rules fix what the small English model gets wrong systematically, and each is a fact about
news text rather than about one evaluation set:

- spans lose a leading "the", a trailing possessive and stray punctuation, and split where a
  name cannot go on: at a number or score ("Estonia 1-0", "Norwich 1 Wolverhampton"), a bracket
  ("Oval ( London"), a spaced dash ("SOCCER - CANADA") or a comma;
- a name the gazetteer knows as a country or city is a place, whatever label the model gave;
- a name ending in an organisation word ("... Party", "... Ministry", "... Guards") is an
  organisation;
- a place name followed by a score in a results line ("Essex 532-8", "Boston 65 71") is a team,
  so an organisation;
- within one text, a name keeps one type (the majority), a bare surname of a person named in full
  is that person, and later unlabelled repeats of a name already found are found too.

The raw spans are what the entity cache stores, so these rules can change without re-running NER.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence

from searchlib.articles.debris import Region, debris_regions, in_regions
from searchlib.entities.aliases import AliasTable, fold_name
from searchlib.entities.context import (
    LOOK_BEHIND,
    ContextMention,
    institution_before,
    listed_with,
    organisation_sign,
    place_by_context,
    strong_place_sign,
    within_places,
)
from searchlib.entities.currencies import currency_names
from searchlib.entities.fragments import (
    BROKEN_MARK,
    CLAUSE_WORDS,
    URL,
    clause_opener_end,
    dateline_dates,
    in_url,
    is_compound_adjective,
    is_row_label,
    is_sentence_word,
    is_unit,
    possessive_pieces,
    strips_apostrophes,
)
from searchlib.entities.gazetteer import Gazetteer
from searchlib.entities.laws import names_no_body
from searchlib.entities.name_runs import name_runs
from searchlib.entities.names import (
    ARTICLE_WORDS,
    LEGAL_FORM_PATTERN,
    LEGAL_FORMS,
    is_legal_form,
    same_spelling,
    skeleton,
)
from searchlib.entities.place_runs import place_runs, starts_with_article, strips_commas
from searchlib.entities.truecase import Lexicon
from searchlib.models import EntityType, Mention

SpanLabel = tuple[int, int, str]
"""``(start, end, spaCy label)``: one raw span as the NER model (and entity ruler) found it."""

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

ORG_LAST_WORDS = frozenset(
    [
        "Party",
        "Ministry",
        "Council",
        "Committee",
        "Commission",
        "Bank",
        "Corp",
        "Corporation",
        "Inc",
        "Ltd",
        "Plc",
        "Group",
        "Agency",
        "Association",
        "University",
        "Institute",
        "Foundation",
        "Organisation",
        "Organization",
        "Army",
        "Police",
        "Guards",
        "Forces",
        "Brigades",
        "Brigade",
        "Front",
        "Movement",
        "Club",
        "Court",
        "Parliament",
        "Assembly",
        "Department",
        "Office",
        "Federation",
        "Company",
        "Airlines",
        "Airways",
        "Exchange",
        "Board",
        "Authority",
        "Fund",
        "Network",
        "Bureau",
        "Alliance",
        "Coalition",
        "Congress",
        "Senate",
        "Church",
        "Hospital",
        "School",
        "College",
        "Society",
        "Trust",
        "League",
        "Reserve",
        "Cabinet",
        "Militia",
        "Battalion",
        "Units",
        "Regiment",
        "Division",
        "Holdings",
        "Industries",
        "Motors",
        "Systems",
    ]
)
"""Last words that make a name an organisation ("Hashed al-Shaabi" has none; "Baath Party" has)."""

ORG_FIRST_WORDS = frozenset(
    ["Ministry", "Department", "University", "Bank", "Council", "Institute", "Office", "Board"]
)
"""First words that do the same when followed by "of" ("Bank of England")."""

PLATFORMS = frozenset(
    [
        "Facebook",
        "Twitter",
        "Instagram",
        "YouTube",
        "WhatsApp",
        "Google",
        "Snapchat",
        "Tumblr",
        "LinkedIn",
        "Reddit",
        "Digg",
        "Telegram",
        "WeChat",
        "Weibo",
        "Wikipedia",
        "Netflix",
    ]
)
"""Web platforms: organisations, which the model often takes for people ("said on Twitter")."""

PLACE_LAST_WORDS = frozenset(
    [
        "Tower",
        "Building",
        "Palace",
        "Square",
        "Bridge",
        "Airport",
        "Stadium",
        "Mosque",
        "Cathedral",
        "Castle",
        "Avenue",
        "Boulevard",
        "Embassy",
        "Consulate",
        "Station",
        "Prison",
        "Street",
        "Road",
        "Highway",
        "Canal",
        "River",
        "Valley",
        "Island",
        "Islands",
        "Mountains",
    ]
)
"""Last words of buildings, sites and features: such a name is a place, never a person ("Trump
Tower", "Store Street Garda Station"). Words that end people's names as often are left out
("Hill", "Bay", "Lake", "Park", "Harbour": David Harbour)."""

OFFICE_WORDS = (
    "Commissioner",
    "Minister",
    "Secretary",
    "Spokesman",
    "Spokeswoman",
    "Chief",
    "Commander",
    "Director",
    "Superintendent",
    "Inspector",
    "Sergeant",
)
"""Titles of office: the single word before one names the body, not a person ("Garda
Commissioner"), or, when it is an ordinary English word, a portfolio of some government
("Defense Minister", "Finance Minister"): which ministry of which country is not said."""

NUMBERED_PARTS = frozenset(["Article", "Section", "Chapter", "Clause", "Paragraph", "Amendment", "Protocol"])
"""Words whose number belongs to the name ("Article 50", "Section 702"), unlike a score's."""

GENERIC_BODIES = frozenset(
    [
        "government",
        "state",
        "house",
        "cabinet",
        "parliament",
        "administration",
        "opposition",
        "ministry",
        "department",
        "court",
        "council",
        "committee",
        "commission",
        "assembly",
        "police",
        "army",
        "party",
        "agency",
        "bank",
        "group",
        "company",
        "fund",
        "university",
        "church",
    ]
)
"""Words that alone name a kind of institution, not one institution: "the Government" of which
country, "the House" of which parliament, "the Bank" or "the Group" of which name? Spans of
just one of them are dropped ("Secretary of State" leaves "State"). "Congress" and "Senate"
stay: in English news they name one body."""

ARMED_GROUP_WORDS = frozenset(
    [
        "Kataeb",
        "Kataib",
        "Kata'ib",
        "Asaib",
        "Asa'ib",
        "Saraya",
        "Jaish",
        "Harakat",
        "Liwa",
        "Hizb",
        "Jabhat",
        "Ansar",
        "Firqat",
        "Faylaq",
        "Jund",
        "Ahrar",
        "Quwat",
        "Jamaat",
        "Tanzim",
    ]
)
"""Arabic words for brigades, leagues, army, legion, soldiers, movement, front...: a name
starting with one, in any transliteration of it ("Jeish" of "Jaish", ``names.same_spelling``),
is an organisation ("Kataeb Hezbollah", "Asaib Ahl al-Haq", "Jeish al-Fatah")."""
_ARMED_GROUP_SKELETONS = frozenset(skeleton(word) for word in ARMED_GROUP_WORDS)

NAME_JOINERS = frozenset(
    ["of", "and", "for", "on", "upon", "&", "de", "du", "des", "del", "della", "la", "le", "y"]
)
"""Lower-case words that join the parts of a name ("Bank of England", "Tour de France")."""

NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "ar",
        "ash",
        "az",
        "ez",
        "es",
        "ul",
        "bin",
        "ibn",
        "bint",
        "da",
        "di",
        "dos",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "zu",
    ]
)
"""Lower-case particles of personal and place names ("Abu Bakr al Baghdadi", "Deir ez Zor",
"Ludwig van Beethoven"): never a reason to cut a name."""
_LOWER_NAME_WORDS = NAME_JOINERS | NAME_PARTICLES
"""Lower-case words a name holds, and may begin with ("Bank of England", "de Mistura", "bin Laden")."""

_TRIM_LEFT = " \t\n\"'(\u201c\u2018[-\u2013\u2014,;:</"
_TRIM_RIGHT = " \t\n\"')\u201d\u2019],;:-\u2013\u2014>/"
_LEADING_THE = re.compile(r"(?:the|The|THE|a|an)\s+|the-(?=[A-Z])")
"""A leading article, also glued on by a hyphen ("the-International Criminal Court")."""
CALENDAR_WORDS = (
    *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    *("January", "February", "March", "April", "June", "July", "August", "September", "October"),
    *("November", "December"),
)
"""Names of days and months: a date, never a person, an organisation or a place. "May" is left
out, a name as often as a month."""
MONTH_ABBREVIATIONS = ("Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
"""Months as wire copy shortens them ("Mar/Apr" deliveries): alone, no name. "Jan" is a given name."""
_CALENDAR_WORDS = frozenset(word.casefold() for word in (*CALENDAR_WORDS, *MONTH_ABBREVIATIONS))
_LEADING_CALENDAR = re.compile(r"(?:" + "|".join(CALENDAR_WORDS) + r")[ \t]+(?=[A-Z])")
"""A day or a month glued before a name where punctuation was lost ("Saturday Syrian Army")."""
_TRAILING_LOWER = re.compile(r"\s+[a-z]+$")
"""A trailing all-lower-case word ("Aurora Industries Inc of"): no name ends in one."""
_MAX_INNER_WORD = 2
"""A lower-case word this short ("in", "a", "to") may sit inside a long name already joined."""
_TICKER = re.compile(r"\(?<[A-Z0-9.&]{1,6}>\)?[.,;:]?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_POSSESSIVE = re.compile(r"(?:\s?['\u2019][sS]|['\u2019])$")
_TOKEN = re.compile(r"[^\s)\]]*[)\]]|[^\s)\]]+")
"""A word, cut after a closing bracket glued to the next word ("(CNN)The Senate")."""
_BREAKERS = frozenset({"(", ")", "[", "]", "-", "\u2013", "\u2014", ",", ";", "|", "/"})
_NAME_SLASH = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=\.))/(?=[A-Z](?:[^\W\d_]|\.))")
"""A slash between two names ("M. al-Frieh/H. Said", a byline; "U.S./USSR"; "Reuters/Ipsos"):
it joins names. A slash between single letters is an abbreviation's ("S/P", "A/S")."""
_PARTNERSHIP_REST = re.compile(
    r"\s+[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)?\s+(?:and|&)\s+Co\b\.?(?:,?\s+Inc\b\.?)?[>)\]]?\s*$"
)
"""What follows the comma in a firm named for its partners ("Kidder, Peabody and Co", "Smith
Barney, Harris Upham and Co Inc"): one name, not a list, though the comma would cut it; a
wire story's bracket may close it ("<Goldman, Sachs and Co>")."""
_INSIDE_WORD = re.compile(r'(?<=[^\W\d_])["\u201c\u201d](?=[^\W\d_])')
_POSSESSIVE_QUOTE = re.compile(r'["\u201d]s(?![^\W\d_])')
_AFTER_QUOTE = re.compile(r'["\u201c\u201d>][\s\-\u2013\u2014:.]*$')
"""A quote or a closing angle bracket, then only spaces and punctuation: what a piece cut after
a stray quote or a wire story's bracketed company follows."""
_TICKER_END = re.compile(r"[A-Z]{1,5}")
"""The capitals of a ticker whose opening bracket the span left out ("MER" of "MER> CANADA")."""
_GLUED_DASH = re.compile(r"(?<=[\s,;:])[-\u2013\u2014]+(?=\S)|-(?=\()")
"""A dash that lost the space after it, after a lower-case word or a comma ("opponent -Hillary
Clinton", "leader,-Abu Mohammed al-Jolani", "Limited --formerly"), or that opens a bracket
("jm-(AFP"): no name holds one. After a capitalised word it may be a hyphen a wire story
spaced ("Alfa -Laval AB", "Steyr -Daimler-Puch AG"): kept."""
_SPAN_BREAK = re.compile("|".join([BROKEN_MARK.pattern, _NAME_SLASH.pattern, "[<>]"]))
_SCORE_AFTER = re.compile(r"[ \t]+\d+(?:[-./]\d+)?(?![-/.]?\d)")
_DATE_AFTER = re.compile(r"[ \t]+(?:\d{4}-\d\d-\d\d|(?:1[89]|20)\d\d\b)")
_DIGIT_GROUP = re.compile(r"\d+")
_JOINER = re.compile(r"[ \t]+(?:and|of|in|&)[ \t]+(?:the[ \t]+)?")
_COMPANY_OF_PLACE = re.compile(
    r"(.+?\b(?:" + LEGAL_FORM_PATTERN + r"|Enterprises|Industries|Holdings)\.?)[ \t]+of[ \t]+([A-Z][\w.' -]*)"
)
_LEGAL_FORM_AFTER = re.compile(
    r"(?:[ \t]+[A-Z][\w'&-]*){0,2}(?:,?[ \t]+(?:and|&)[ \t]+(?:Co|CO)\b\.?|,?[ \t]+(?:"
    + "|".join(f"{re.escape(form)}|{re.escape(form.upper())}" for form in LEGAL_FORMS)
    + r")\b\.?)+"
)
"""A company's legal form after a name, maybe after one or two more capitalised words of it
("J.P. Morgan and Co Inc", "Jacobson Stores Inc")."""
_ACRONYM_WORD = re.compile(r"[A-Z](?:\.?[A-Z]){1,5}\.?")
_COMPANY_FORMS = r"(?:Inc|Corp|Corporation|Co|Ltd|Limited|LLC|Plc|PLC|plc)\b"
_COMPANY_FORM = re.compile(
    rf"(?<=[\w.])(?:(?:,?[ \t]+|,?[ \t]*\n[ \t]*){_COMPANY_FORMS}(?:\.(?=[ \t]+{_COMPANY_FORMS}))?)+"
)
"""A legal form no other word can be, after a name: "AG", "SA" and "NV" are also an attorney
general, South Africa and Nevada ("the Texas AG"), so only a model's name is completed by them."""
_COMPANY_WORD = re.compile(r"(?:[A-Z0-9][\w'\u2019&.-]*|and|&|of)\Z")
_MAX_COMPANY_WORDS = 5
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
"""The only words with a full stop a company's name holds ("J.P.", "U.S."): other such words
end a sentence ("Sky. In 2011 News Corp")."""
_CAPITALISED_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")
_LOWER_COMPOUND = re.compile(r"-[a-z]+$")
_RUN_BOUNDARY = re.compile(r"(?:^[a-z]+(?:-[a-z]+)*|[,;:.!?\"'\u201d\u2019\u2013\u2014-])$")
"""A word before a run of capitalised words that shows where the run begins: a word in lower
case or an adjective like "Toronto-based", or a word ending a clause."""
_LEGAL_FORM_WORD = re.compile(_COMPANY_FORMS + r"[.,]?")
_POSSESSIVE_AFTER = re.compile(r"['\u2019]s?\b")
_AND_AFTER = re.compile(r"[ \t\n]+(?:and|&)[ \t\n]+")
_PARTNER_BEFORE = re.compile(r"(?<![\w'\u2019])[A-Z][\w-]*[ \t]+(?:and|&)[ \t]+$")
"""A partner's name and "and" before a firm's ("Standard and " of "Standard and Poor's")."""
_COORDINATED_BEFORE = re.compile(r"(?<![\w'\u2019-])(?:the|The)[ \t]+([A-Z][a-z]+)[ \t]+(?:and|&)[ \t]+$")
""""the", a capitalised word and "and" before a name ("the Medicines and Healthcare ...")."""
_LOWER_WORD_AFTER = re.compile(r"[ \t]+([a-z]+)\b")
_POSSESSIVE_FIRST = re.compile(r"[A-Z][\w-]*['\u2019]s\b")
_MAX_JOINED = 3
"""Mentions at most that one name cut by the model is joined from."""
_CONTRACTION = re.compile(r"[A-Za-z](?:n[\"'\u2019]t|[\"'\u2019](?:re?|ll|ve|m))\b")
"""An English contraction ("Don't", 'don"t', "You'r"): never part of a name; "O'Neill",
"Kata'ib" and "Mu'ammar" are names, so only these endings count."""
_EXIT_WORD = re.compile(r"[A-Z][a-z]{0,4}exit")
"""A country's leaving the EU ("Brexit", "Grexit", "Frexit"): an event, so "other", not a person."""
_OFFICE_AFTER = re.compile(r"[ \t]+(?:" + "|".join(OFFICE_WORDS) + r")\b")
_DATELINE = re.compile(
    r"^((?:[A-Z][A-Z.'\-]+)(?: [A-Z][A-Z.'\-]+){0,3})"
    r"(?=\s?,\s?[A-Z][a-z]|\s?,\s?[A-Z][A-Z.]+,\s?[A-Z][a-z]|\s+\d{4}-\d\d-\d\d|\s?\((?:[A-Z][A-Za-z]*)\))",
    re.MULTILINE,
)
_DATELINE_REGION = re.compile(
    r"^[A-Z][A-Z.'\- ]+,\s?([A-Z][A-Za-z]*\.?),\s?[A-Z][a-z]{2,8}\.?\s\d{1,2}\s*[-\u2013]", re.MULTILINE
)
"""The state or province of a wire dateline ("GOLDEN VALLEY, MINN., Feb 26 -")."""
_DATELINE_CREDIT = re.compile(
    r"^[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3}(?: ?/[^/\n]{1,40}/)?(?:,[^\n/()\-\u2013]{1,40}?)?"
    r" ?[/(] ?([A-Z][A-Za-z&\-]*(?: [A-Z][A-Za-z&\-]*){0,2}) ?[/)](?= ?[.\-\u2013]| *$)",
    re.MULTILINE,
)
"""The agency a dateline credits ("MOSCOW, February 6. /TASS/.", "SEOUL (Reuters) -", "TAIPEI,
Taiwan, Feb. 7, 2017 /PRNewswire/.-"): an organisation, which the model rarely sees between
slashes. Only right after a dateline in capitals and right before its full stop or dash, so a
senator's "(R-Utah)" later in the line is no agency."""
_GLUED_CREDIT = re.compile(
    r"^(?:[A-Z][\w.'\-]*(?:[ /][A-Z][\w.'\-]*){0,3}(?:, [A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*)?)? )?"
    r"\(([A-Z][A-Za-z&\-]+(?: [A-Z][A-Za-z&\-]+){0,2})\)(?=[\"\u201c]?[A-Z][a-z])",
    re.MULTILINE,
)
"""The agency a web page's dateline credits, its first sentence glued to it ("Washington
(CNN)Vice President ...", "(CNN)President ..."): an organisation. Only at a line's start, after
a place's words at most, and right before a capital: a bracket inside a sentence is no credit."""
_INITIAL_SURNAME = re.compile(r"(?<![\w.])((?:[A-Z]\. ?){1,2})[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*")
_NOT_INITIALS = frozenset({"U.S.", "U.K.", "U.N.", "E.U."})
_MIN_REPEAT_CHARS = 3
_LOWER_PREFIX = re.compile(r"([a-z]+)-[A-Za-z]")
_THE_BEFORE = re.compile(r"(?<![\w-])the[ \t]+$")
_CLAUSE_AFTER = re.compile(
    r"[ \t]*(?:[,.;:!?)\"'\u201d]|$|[ \t](?:who|whose|said|says|told|added|[a-z]{2,}ed|had|has|have|"
    r"is|was|were|will|would|could|can|may|might|should|must|did|does)\b)"
)
"""What follows a noun for a person rather than a name used as a modifier ("the Trump
administration"): punctuation, the text's end, a relative pronoun, a verb of saying, an
auxiliary or a verb in the past ("the Briton had lost", "the Briton finished")."""
_WORD_RUN = re.compile(r"\S+")


def tidy_mentions(
    text: str,
    spans: Iterable[SpanLabel],
    *,
    gazetteer: Gazetteer,
    aliases: AliasTable | None = None,
    ignore: Sequence[Region] = (),
) -> tuple[Mention, ...]:
    """Clean, relabel and complete the raw spans of one text; mentions in text order.

    ``aliases`` (the aliases file) helps join a name the model cut in two; nothing is found in
    the ``ignore`` regions (the archive's page furniture) nor in the text's own debris."""
    debris = sorted([*debris_regions(text), *ignore, *dateline_dates(text)])
    evidence = _blanked(text, debris) if strips_apostrophes(text) else None
    commas_stripped = strips_commas(text)
    mentions = []
    cut: set[tuple[int, int]] = set()
    for raw_start, raw_end, label in _with_quoted_nicknames(text, spans):
        kind = LABEL_TYPES.get(label)
        if kind is None:
            continue
        pieces = _pieces(text, raw_start, raw_end, debris, gazetteer, aliases, evidence)
        places = kind == "place" or (kind == "person" and starts_with_article(text, raw_start))
        if commas_stripped and places:
            pieces = [run for piece in pieces for run in _runs(text, *piece, place_runs)]
        elif kind == "person":
            pieces = [run for piece in pieces for run in _runs(text, *piece, name_runs)]
        if len(pieces) > 1:
            cut.update(pieces)
        for start, end in pieces:
            surface = text[start:end]
            if (
                not is_name(surface)
                or in_regions(start, end, debris)
                or _garbled_edge(text, start, end)
                or (
                    (is_row_label(text, start, end) or is_unit(text, start, end))
                    and _place_name(surface) not in gazetteer.places
                )
                or is_compound_adjective(surface, gazetteer.lexicon)
            ):
                continue
            relabelled, by_words = _relabel(text, start, end, kind, gazetteer)
            mentions.append((ContextMention if by_words else Mention)(start, end, relabelled, surface))
    mentions = _without_sentence_words(text, mentions, gazetteer, cut)
    mentions = _without_headline_attributions(text, mentions, gazetteer)
    mentions = _joined_names(text, mentions, gazetteer, aliases)
    mentions = _with_known_phrases(text, mentions, aliases, debris)
    mentions = _with_whole_names(text, mentions, debris)
    mentions = _with_patterns(text, mentions)
    mentions = _with_legal_forms(text, mentions)
    mentions = _with_partners(text, mentions)
    mentions = _with_coordinated_words(text, mentions, gazetteer.lexicon)
    mentions = _with_companies(text, mentions, gazetteer)
    mentions, placed = _placed_by_context(text, mentions, aliases, gazetteer.places)
    mentions = _consistent_types(mentions, placed)
    return tuple(sorted(_with_repeats(text, mentions, debris), key=lambda m: (m.start, m.end)))


def _unclosed_quotes(surface: str) -> set[str]:
    """The quotation marks ``surface`` opens or closes without the other of the pair."""
    unclosed = {'"'} if surface.count('"') % 2 else set()
    if surface.count("\u201c") != surface.count("\u201d"):
        unclosed |= {"\u201c", "\u201d"}
    return unclosed


_NICKNAME_END = re.compile(r'["\u201d][ \t]+(?=[A-Z])')
"""The quote that closes a nickname and the space before the name's next word."""


def _with_quoted_nicknames(text: str, spans: Iterable[SpanLabel]) -> list[SpanLabel]:
    """The raw spans, a person's name with a nickname in quotes made one span ('William "Ryan"
    Owens', 'Joaquin "El Chapo" Guzman'): the model ends a span inside the quotes and starts
    the next after them, giving a name with an unclosed quote and a surname alone. Joined
    when one of the two is a person's and the first opens a quote it does not close."""
    ordered = sorted(spans)
    out: list[SpanLabel] = []
    i = 0
    while i < len(ordered):
        start, end, label = ordered[i]
        close = _NICKNAME_END.match(text, end) if _unclosed_quotes(text[start:end]) else None
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        if (
            close is not None
            and following is not None
            and following[0] == close.end()
            and "PERSON" in (label, following[2])
            and {label, following[2]} <= {"PERSON", "ORG", "GPE", "NORP"}
        ):
            out.append((start, following[1], "PERSON"))
            i += 2
            continue
        out.append(ordered[i])
        i += 1
    return out


def _runs(
    text: str, start: int, end: int, cut: Callable[[Sequence[str]], list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """The names in a span the model took for one name of a list without commas: the runs of
    its words that ``cut`` finds (``name_runs`` for people, ``place_runs`` for places)."""
    words = [(m.start(), m.end()) for m in _WORD_RUN.finditer(text, start, end)]
    runs = cut([text[a:b] for a, b in words])
    return [(words[first][0], words[last - 1][1]) for first, last in runs] if words else [(start, end)]


def _quoted_word(text: str, span_start: int, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Whether ``text[start:end]``, cut from its span after a stray quote or an angle bracket,
    is one ordinary word: the first word of a quotation glued to a name ('DW.-"It was'), a
    table's word after a company ("CORP> YEAR"); or the capitals of a ticker the span cut
    before its closing bracket ("MER> CANADA")."""
    word = text[start:end]
    if text[end : end + 1] == ">" and _TICKER_END.fullmatch(word):
        return True
    return (
        start > span_start
        and " " not in word
        and _AFTER_QUOTE.search(text, span_start, start) is not None
        and gazetteer.lexicon.is_common(word)
    )


def _pieces(
    text: str,
    start: int,
    end: int,
    debris: list[Region],
    gazetteer: Gazetteer,
    aliases: AliasTable | None,
    evidence: str | None,
) -> list[tuple[int, int]]:
    """The trimmed parts of one raw span that may be names (see ``split_span``, ``trim_span``
    and, in a text whose apostrophes were stripped, ``fragments.possessive_pieces``, which
    looks for a possessive's stem in ``evidence``, the text without its debris)."""
    found = []

    def known(name: str) -> bool:
        return name in gazetteer.places or (aliases is not None and aliases.lookup(name) is not None)

    for piece_start, piece_end in split_span(text, start, end):
        piece = trim_span(text, piece_start, _before_debris(piece_start, piece_end, debris))
        if _quoted_word(text, start, *piece, gazetteer):
            continue
        parts = (
            possessive_pieces(text, *piece, lexicon=gazetteer.lexicon, known=known, evidence=evidence)
            if evidence is not None
            else [piece]
        )
        for part in parts:
            found += [
                _without_common_head(text, *trim_span(text, *piece), gazetteer)
                for piece in _company_and_seat(text, *trim_span(text, *part), gazetteer)
            ]
    return [(s, e) for s, e in found if e > s]


def _company_and_seat(text: str, start: int, end: int, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """A company and the place it is of, which wire copy writes as one ("Breslube Enterprises of
    Toronto", "Canadian Pacific Ltd of Montreal"): two names when a legal form ends the part
    before "of" and the gazetteer knows the part after it. "Bank of England" has no legal form."""
    match = _COMPANY_OF_PLACE.fullmatch(text, start, end)
    if match is None or _place_name(match.group(2)) not in gazetteer.places:
        return [(start, end)]
    return [(start, match.end(1)), (match.start(2), end)]


def _without_common_head(text: str, start: int, end: int, gazetteer: Gazetteer) -> tuple[int, int]:
    """An acronym with an ordinary capitalised word glued before it by a byline or a caption
    ("Aleppo Monitor AFP", "Photo AP") is the acronym alone."""
    words = text[start:end].split()
    if (
        len(words) == 2
        and words[0][:1].isupper()
        and words[0].casefold() in gazetteer.lexicon.common
        and _ACRONYM_WORD.fullmatch(words[1])
    ):
        return end - len(words[1]), end
    return start, end


def _blanked(text: str, regions: list[Region]) -> str:
    """``text`` with ``regions`` blanked out (same length): what counts as the article's own."""
    if not regions:
        return text
    chars = list(text)
    for start, end in regions:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _without_sentence_words(
    text: str, mentions: list[Mention], gazetteer: Gazetteer, cut: Collection[tuple[int, int]]
) -> list[Mention]:
    """Drop ordinary words capitalised by a sentence start (``fragments.is_sentence_word``; the
    ``cut`` are pieces of a longer span); a known place or a surname of a person named in full
    in the text stays."""
    surnames = {m.text.split()[-1].casefold() for m in mentions if m.type == "person" and " " in m.text}
    return [
        m
        for m in mentions
        if m.text in gazetteer.places
        or not is_sentence_word(
            text, m.start, m.end, gazetteer.lexicon, surnames, piece=(m.start, m.end) in cut
        )
    ]


def is_name(surface: str) -> bool:
    """False for what a span can hold but no name is: no capital letter ("senate"), one letter
    ("I"), a contraction ("Don't", "You'r"), a handle or an address ("@rtenews"), or a bare word for a kind of
    institution ("Government", "State", "House", "Cabinet": which one is not said), or a day or
    a month alone ("FEBRUARY" heading a table), or a company's legal form alone ("Co Inc", cut
    from "Goldman Sachs and Co Inc")."""
    if not any(ch.isupper() for ch in surface) or "@" in surface or _CONTRACTION.search(surface):
        return False
    if sum(ch.isalnum() for ch in surface) < 2:
        return False  # "I", "B.": a pronoun or an initial cut from its name
    if surface in CLAUSE_WORDS:
        return False  # "Are" left of "We Are the World"
    folded = surface.casefold()
    return not (folded in GENERIC_BODIES or folded in _CALENDAR_WORDS or is_legal_form(surface))


def _joined_names(
    text: str, mentions: list[Mention], gazetteer: Gazetteer, aliases: AliasTable | None
) -> list[Mention]:
    """Neighbours joined by "and", "of" or "in" that together make a name the aliases file or
    the gazetteer knows, which the model cut in two or three ("Islamic State of Iraq" +
    "Levant"; "Islamic State" + "Iraq" + "Levant"): the longest such run becomes one mention."""
    ordered = sorted(mentions, key=lambda m: m.start)
    out: list[Mention] = []
    i = 0
    while i < len(ordered):
        run = i
        while (
            run + 1 < len(ordered)
            and run - i < _MAX_JOINED - 1
            and _JOINER.fullmatch(text, ordered[run].end, ordered[run + 1].start)
        ):
            run += 1
        for last in range(run, i, -1):
            joined = text[ordered[i].start : ordered[last].end]
            entry = aliases.lookup(joined) if aliases is not None else None
            kind: EntityType | None = entry.type if entry else "place" if joined in gazetteer.places else None
            if kind is not None:
                out.append(Mention(ordered[i].start, ordered[last].end, kind, joined))
                i = last + 1
                break
        else:
            out.append(ordered[i])
            i += 1
    return out


def _with_known_phrases(
    text: str, mentions: list[Mention], aliases: AliasTable | None, debris: list[Region]
) -> list[Mention]:
    """Names of the aliases file of two words or more, wherever the text writes them, replacing
    the pieces the model cut them into ("Islamic" + "State" + "Iraq" + "Levant" of "Islamic
    State in Iraq and the Levant"), outside the text's debris."""
    if aliases is None:
        return mentions
    for start, end, entry in aliases.find_phrases(text):
        if in_regions(start, end, debris):
            continue
        mentions = [m for m in mentions if m.end <= start or end <= m.start]
        mentions.append(Mention(start, end, entry.type, text[start:end]))
    return mentions


def _with_whole_names(text: str, mentions: list[Mention], debris: list[Region]) -> list[Mention]:
    """A name of two words or more that the model found whole somewhere in the text, wherever
    else the text writes it cut into two or more pieces ("UK" + "Anti-Doping" where a third
    mention is "UK Anti-Doping"): the pieces become the one name, outside the text's debris.

    One piece alone is left as it is: a longer span that covers a single name ("Syria Kurds"
    over "Syria") is more often the model's mistake than the name's."""
    whole = {m.text: m.type for m in mentions if m.type in ("org", "place") and " " in m.text.strip()}
    if not whole:
        return mentions
    ordered = sorted(mentions, key=lambda m: m.start)
    pattern = re.compile("|".join(re.escape(name) for name in sorted(whole, key=len, reverse=True)))
    out: list[Mention] = []
    i = 0
    for found in pattern.finditer(text):
        start, end = found.span()
        while i < len(ordered) and ordered[i].end <= start:
            out.append(ordered[i])
            i += 1
        inside = i
        while inside < len(ordered) and ordered[inside].end <= end and ordered[inside].start >= start:
            inside += 1
        crossing = (i < len(ordered) and ordered[i].start < start) or (
            inside < len(ordered) and ordered[inside].start < end
        )
        if (
            inside - i >= 2
            and not crossing
            and not any(m.type == "person" and " " in m.text for m in ordered[i:inside])
            and _word_edges(text, start, end)
            and not in_regions(start, end, debris)
        ):
            out.append(Mention(start, end, whole[found.group()], found.group()))
            i = inside
    return out + ordered[i:]


def _garbled_edge(text: str, start: int, end: int) -> bool:
    """True when a broken character (U+FFFD) touches the span: the model saw part of a word whose
    letters were lost in decoding ("Garda" of "Garda\ufffd\ufffd", Irish for the police)."""
    return "\ufffd" in (text[end : end + 1], text[max(start - 1, 0) : start])


def _before_debris(start: int, end: int, debris: list[Region]) -> int:
    """The end of a span cut where page debris begins inside it ("Asad Hashim Source:-Al ...")."""
    for region_start, _ in debris:
        if start < region_start < end:
            return region_start
    return end


def split_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a span between tokens no name contains: numbers, brackets, spaced dashes,
    a ticker in angle brackets ("<AMR>", "NSC>"), a lower-case word that is not one of the
    particles names hold ("Trump in America", "Hassakeh the Syrian Observatory"), a paragraph
    break (a headline and the dateline under it are two names), and a punctuation mark lost in
    decoding (``BROKEN_MARK``: "ABC News\"?Brian Ross" is two names), and a slash between
    two names ("M. al-Frieh/H. Said").

    A number after a word that numbers parts of a text stays: "Article 50" is one name. So do a
    nickname's quotes ('William "Ryan" Owens'); angle brackets (a wire story's around a
    company: "<Pearson PLC's> Financial Times") and a quote the span does not close ('Al
    Jazeera -"and', 'Brazil"s') separate names."""
    marks = sorted(
        [
            mark.span()
            for mark in _SPAN_BREAK.finditer(text, start, end)
            if not (mark.group(0) == "/" and in_url(text, mark.start()))
        ]
        + _stray_quotes(text, start, end)
        + _glued_dashes(text, start, end)
    )
    pieces = []
    for mark_start, mark_end in marks:
        if mark_end <= start:  # inside a mark already passed (a broken mark holds a quote)
            continue
        pieces += _split_words(text, start, mark_start)
        start = mark_end
    return pieces + _split_words(text, start, end)


def _glued_dashes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where ``text[start:end]`` holds a dash that lost its space (``_GLUED_DASH``): one after a
    space ends a name only when the word before it is a lower-case one."""
    found = []
    for dash in _GLUED_DASH.finditer(text, start, end):
        words = text[start : dash.start()].split()
        spaced = text[dash.start() - 1 : dash.start()].isspace()
        if spaced and words and not words[-1][:1].islower():
            continue  # "Alfa -Laval AB": a hyphen a wire story spaced
        found.append(dash.span())
    return found


def _stray_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where the quotation marks of ``text[start:end]`` are, when it does not close them. One
    inside a word stands for an apostrophe: it ends a name before a possessive ('Brazil"s'),
    and is left in a contraction ('isn"t')."""
    span = text[start:end]
    unclosed = _unclosed_quotes(span)
    return [
        (start + i, start + i + 1)
        for i, ch in enumerate(span)
        if ch in unclosed and not (_INSIDE_WORD.match(span, i) and not _POSSESSIVE_QUOTE.match(span, i))
    ]


def _split_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    piece_start: int | None = None
    piece_end = start
    previous = ""
    for token in _TOKEN.finditer(text, start, end):
        word = token.group(0)
        numbered = word[0].isdigit() and previous in NUMBERED_PARTS and piece_start is not None
        if piece_start is not None and _PARAGRAPH_BREAK.search(text, piece_end, token.start()):
            pieces.append((piece_start, piece_end))
            piece_start = None
        breaks = (
            word in _BREAKERS
            or URL.match(word) is not None
            or "#" in (word[0], text[token.start() - 1 : token.start()])  # a hashtag
            or (word[0].isdigit() and not numbered)
            or _is_ticker(text, token.start(), token.end())
            or (
                piece_start is not None and _is_inner_break(word, previous, text[piece_start : token.start()])
            )
            or (piece_start is None and _is_leading_word(word))
        )
        previous = word
        opens = word[0] in "([" and not breaks
        if (breaks or opens) and piece_start is not None:
            pieces.append((piece_start, piece_end))
            piece_start = None
        if breaks:
            continue
        if piece_start is None:
            piece_start = token.start()
        piece_end = token.end()
        if word[-1] in ",;)]" and not (word[-1] == "," and _PARTNERSHIP_REST.match(text, token.end(), end)):
            pieces.append((piece_start, piece_end))
            piece_start = None
    if piece_start is not None:
        pieces.append((piece_start, piece_end))
    return pieces


def _is_ticker(text: str, start: int, end: int) -> bool:
    """True when the token at ``start:end`` is part of a stock ticker in angle brackets
    ("<AMR>"; a span may start or end inside one: "NSC> Norfolk"). A longer bracketed name
    ("<Teleco USA Inc>", an unlisted company) is not a ticker."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return bool(_TICKER.fullmatch(text, start, end))


def _is_inner_break(word: str, previous: str, before: str) -> bool:
    """True for a lower-case word inside a span that no name holds there: a name's lower-case
    words are joiners and particles ("Bank of England", "Abu Bakr al Baghdadi", "Council on
    Foreign Relations"), "the" only after a joiner ("Organisation for the Prohibition"), and
    other short words only in a long name already joined ("Organisation for Security and
    Cooperation in Europe", "Anne of a Thousand Days"; but "Trump in America")."""
    if any(ch.isupper() or ch.isdigit() for ch in word) or not word.isalpha():
        return False
    if word == "the":
        return previous.casefold() not in NAME_JOINERS
    if word in _LOWER_NAME_WORDS:
        return False
    joined = any(w in NAME_JOINERS for w in before.split())
    return not (joined and len(word) <= _MAX_INNER_WORD)


def _is_leading_word(word: str) -> bool:
    """True for a lower-case word that no name starts with: the model's span ran back over the
    text before a name ("said Ned Price", "elderly Jackson", "west Mosul"), or a prefix made an
    adjective of one ("post-Brexit European Union", "anti-EU Party for Freedom"). A particle, a
    joiner or the Arabic article may begin a name ("de Mistura", "bin Laden", "al-Bab", "as-Sham"),
    and a leading "the" is trimmed (``trim_span``)."""
    head = _LOWER_PREFIX.match(word)
    if head is not None:
        return head.group(1) not in _LOWER_NAME_WORDS and head.group(1) not in ARTICLE_WORDS
    return word.isalpha() and word.islower() and word != "the" and word not in _LOWER_NAME_WORDS


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without a leading "the" (or a sentence's first word that opens a clause:
    ``fragments.clause_opener_end``), a trailing possessive or surrounding punctuation."""
    while True:
        before = (start, end)
        while start < end and text[start] in _TRIM_LEFT:
            start += 1
        while end > start and text[end - 1] in _TRIM_RIGHT:
            end -= 1
        match = _LEADING_THE.match(text, start, end) or _LEADING_CALENDAR.match(text, start, end)
        if match and match.end() < end:
            start = match.end()
        start = clause_opener_end(text, start, end) or start
        trailing = _TRAILING_LOWER.search(text, start, end)
        if trailing and trailing.start() > start:
            end = trailing.start()
        if end - start > 3 and text[end - 1] == "." and _ends_sentence(text, start, end):
            end -= 1
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start and text[possessive.start() - 1].isalnum():
            end = possessive.start()
        if (start, end) == before:
            return start, end


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """True when the final full stop of ``text[start:end]`` ends the sentence, not an
    abbreviation: the last word has no other dot ("U.S." keeps its dot), a lower-case letter and
    more than four letters ("Corp." and "Bros." keep theirs)."""
    last = text[start : end - 1].split()[-1] if text[start : end - 1].split() else ""
    return "." not in last and any(ch.islower() for ch in last) and len(last) > 4


def _headline_ends(text: str) -> set[int]:
    """Where the headline (the text's first line) ends, and where each copy of it in the text
    ends (sites repeat the headline at the story's start, glued to the byline)."""
    headline = text.partition("\n")[0].strip()
    if len(headline.split()) < 2:
        return set()
    ends = set()
    start = text.find(headline)
    while start >= 0:
        ends.add(start + len(headline))
        start = text.find(headline, start + 1)
    return ends


def _without_headline_attributions(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """A place glued to an ordinary word that ends the headline ("... kill 12 in Syrias Aleppo
    Monitor": the headline's "Aleppo: monitor", its colon stripped) is the place alone: a
    headline closes with its source ("monitor", "report", "official"), which only there reads
    as the last word of a name. A word that ends names of places or organisations ("Mosul
    Airport") stays, and so does a word not at the headline's end ("Aleppo Monitor group")."""
    ends = _headline_ends(text)
    if not ends:
        return mentions
    out = []
    for m in mentions:
        words = m.text.split()
        if (
            m.end in ends
            and len(words) > 1
            and gazetteer.lexicon.is_common(words[-1])
            and words[-1] not in ORG_LAST_WORDS | PLACE_LAST_WORDS  # "Mosul Airport"
        ):
            head = m.text[: m.text.rstrip().rfind(" ")].rstrip()
            if _place_name(head) in gazetteer.places:
                m = Mention(m.start, m.start + len(head), "place", head)
        out.append(m)
    return out


def _place_name(surface: str) -> str:
    """The form the gazetteer knows a name in ("NEW YORK" -> "New York")."""
    return surface.title() if surface.isupper() else surface


def _armed_group_word(word: str) -> bool:
    """Whether ``word`` is one of ``ARMED_GROUP_WORDS``, however transliterated. Called for
    every name of two words or more: a word whose consonants are no group word's (nearly all)
    is ruled out by its skeleton before the slower word-by-word comparison."""
    if word in ARMED_GROUP_WORDS:
        return True
    if not word[:1].isupper() or skeleton(word) not in _ARMED_GROUP_SKELETONS:
        return False
    return any(same_spelling(word, group) for group in ARMED_GROUP_WORDS)


_DAY_AFTER = re.compile(r"['\u2019]s[ \t]+Day\b")
"""A possessive and "Day" after a name: the name of a day ("St Patrick's Day", "Valentine's
Day", "Mother's Day"), an event, not its patron."""
_DAY_END = re.compile(r"['\u2019]s[ \t]+Day$")


def _names_a_day(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` names a day: "'s Day" after it, or ending it."""
    return bool(_DAY_AFTER.match(text, end) or _DAY_END.search(text, start, end))


def _is_portfolio(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Whether the name at ``start:end`` is an ordinary English word before a title of office
    ("Defense Minister", "Opera Director"): a portfolio, which the sentence says, so the article
    counts as sure that the word names nothing here (``context.ContextMention``), and a town of
    that name elsewhere ("Opera", near Milan) does not make it a place."""
    surface = text[start:end]
    return (
        len(surface.split()) == 1
        and _OFFICE_AFTER.match(text, end) is not None
        and not surface.isupper()
        and gazetteer.lexicon.is_common(surface)
    )


def _relabel(
    text: str, start: int, end: int, kind: EntityType, gazetteer: Gazetteer
) -> tuple[EntityType, bool]:
    """The mention's type after the rules that correct the model's label, and whether the words
    around it decided that it names nothing here (a day, a portfolio: ``ContextMention``)."""
    surface = text[start:end]
    name = _place_name(surface)
    words = surface.split()
    if name in gazetteer.places:
        kind = "place"
    elif _names_a_day(text, start, end):
        return "misc", True  # "St Patrick's Day": an event
    elif names_no_body(surface):
        kind = "misc"  # "American Health Care Act", "Lisbon Treaty": a document; "World Cup"
    elif name in PLATFORMS or (
        words[-1] in ORG_LAST_WORDS
        or (len(words) > 1 and _armed_group_word(words[0]))
        or (len(words) > 2 and words[0] in ORG_FIRST_WORDS and words[1] == "of")
    ):
        kind = "org"
    elif _EXIT_WORD.fullmatch(surface) or fold_name(surface) in currency_names():
        kind = "misc"  # "Brexit", "the U.S. Dollar": an event, a currency
    elif kind == "person" and len(words) > 1 and words[-1] in PLACE_LAST_WORDS:
        kind = "place"
    elif _is_portfolio(text, start, end, gazetteer):
        return "misc", True  # "Defense Minister", "Finance Minister": a portfolio, not a named body
    elif kind == "person" and len(words) == 1 and _OFFICE_AFTER.match(text, end):
        kind = "org"
    elif kind == "person" and len(words) == 1 and _is_noun_for_a_person(text, start, end):
        kind = "misc"
    if kind == "place" and name not in gazetteer.countries and _is_team_in_results(text, end):
        kind = "org"
    return kind, False


def _is_noun_for_a_person(text: str, start: int, end: int) -> bool:
    """True for one capitalised word after "the" that ends a phrase or leads to a clause: "said
    the Briton, who...", "the Taoiseach said", "the Frenchman." name someone by nationality or
    office, as no name is written. "The Trump administration" and "the Assad regime" use a name,
    and stay people; "the AIIB." is an acronym, an organisation's."""
    return (
        not text[start:end].isupper()  # "the AIIB.": an acronym names a body
        and _THE_BEFORE.search(text, max(0, start - 5), start) is not None
        and _CLAUSE_AFTER.match(text, end) is not None
    )


def _with_patterns(text: str, mentions: list[Mention]) -> list[Mention]:
    """Add what the model misses but the shape of news text gives away.

    A dateline ("HERZLIYA, Israel", "RANGOON 1996-08-31", "BAGHDAD (AFP)", "GOLDEN VALLEY,
    MINN., Feb 26 -", with its state) names a place, and the agency it credits an organisation
    (also glued to the first sentence: "Washington (CNN)Vice President"); an
    initial and a surname ("J. Adams", "T. O'Gorman") name a person. A pattern match replaces
    model mentions inside it.
    """
    found = [(m.start(1), m.end(1), "place") for m in _DATELINE.finditer(text)]
    found += [(m.start(1), m.end(1), "place") for m in _DATELINE_REGION.finditer(text)]
    found += [(m.start(1), m.end(1), "org") for m in _DATELINE_CREDIT.finditer(text)]
    found += [(m.start(1), m.end(1), "org") for m in _GLUED_CREDIT.finditer(text)]
    found += [
        (m.start(), m.end(), "person")
        for m in _INITIAL_SURNAME.finditer(text)
        if m.group(1).replace(" ", "") not in _NOT_INITIALS
    ]
    for start, end, kind in found:
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        crossing = [m for m in mentions if m.start < end and start < m.end and m not in inside]
        if crossing or is_unit(text, start, end):  # "7.15 billion N.Z. Dlrs" is no "J. Adams"
            continue
        mentions = [m for m in mentions if m not in inside]
        mentions.append(Mention(start, end, kind, text[start:end]))  # type: ignore[arg-type]
    return mentions


def _with_legal_forms(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name the model (or the initial-and-surname pattern: "J.P. Morgan") ended before the
    legal form right after it ("J.P. Morgan and Co Inc", "Samuel Montagu and Co Ltd") is the
    company's: the form joins the name (and what the model found inside the form, "Co Inc", is
    dropped), and the words make it an organisation's (a ``ContextMention``, which the archive's
    type vote counts as sure)."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    out: list[Mention] = []
    absorbed_until = -1
    for i, m in enumerate(ordered):
        if m.end <= absorbed_until:
            continue
        form = _LEGAL_FORM_AFTER.match(text, m.end) if m.type != "place" else None
        later = ordered[i + 1 :]
        if form is None or any(n.start < form.end() < n.end for n in later):
            out.append(m)
            continue
        out.append(ContextMention(m.start, form.end(), "org", text[m.start : form.end()]))
        absorbed_until = form.end()
    return out


def _with_partners(text: str, mentions: list[Mention]) -> list[Mention]:
    """An organisation whose name begins with a possessive ("Poor's Corp", "Gamble's") right
    after a capitalised word and "and" is a firm named for two partners ("Standard and Poor's
    Corp"): the model cuts such names at "and", and a name never otherwise begins with an
    owner's possessive after "and". A first partner inside another name ("Burger King and
    McDonald's") is that name's, so the two stay apart."""
    out = []
    for m in mentions:
        before = (
            _PARTNER_BEFORE.search(text, max(0, m.start - LOOK_BEHIND), m.start) if m.type == "org" else None
        )
        if (
            before is not None
            and _POSSESSIVE_FIRST.match(m.text)
            and not any(n.start < before.end() and before.start() < n.end for n in mentions if n is not m)
        ):
            m = ContextMention(before.start(), m.end, "org", text[before.start() : m.end])
        out.append(m)
    return out


def _with_coordinated_words(text: str, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """An organisation's name of two words or more right after "the", one capitalised word and
    "and" begins with that word ("the Medicines and Healthcare Products Regulatory Agency", "the
    Hongkong and Shanghai Banking Corp"): "the" opens one noun phrase, and the model cuts such a
    name at "and". Two names share the words after "and" when the head is plural ("the House
    and Senate Intelligence Committees", "the Keystone and Dakota Access pipelines"), when the
    word is a nationality the model found ("the Japanese and U.S. banks"), and when the text
    names the word alone elsewhere ("Senate"): those stay apart."""
    out: list[Mention] = []
    for m in mentions:
        found = (
            _COORDINATED_BEFORE.search(text, max(0, m.start - LOOK_BEHIND), m.start)
            if m.type == "org" and " " in m.text
            else None
        )
        if found is not None and not _plural_head(text, m, lexicon):
            word, start = found.group(1), found.start(1)
            inside = [n for n in mentions if start <= n.start < m.start]
            if not any(n.type == "misc" for n in inside) and not any(
                n.text == word for n in mentions if n not in inside
            ):
                out = [n for n in out if n not in inside]
                m = Mention(start, m.end, "org", text[start : m.end])
        out.append(m)
    return out


def _plural_head(text: str, m: Mention, lexicon: Lexicon) -> bool:
    """Whether the name's head (its last word, or the word before its first "of") or the word
    in lower case right after it is an English plural ("Committees", "pipelines")."""
    words = m.text.split()
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    after = _LOWER_WORD_AFTER.match(text, m.end)
    return any(lexicon.is_plural(w) for w in (head, after.group(1) if after else ""))


def _with_companies(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """A run of capitalised words ending in a legal form ("Triumph Capital Inc said", "EMS
    Systems Ltd said") is a company's name, also where the model found nothing: wire copy opens
    with the company a story is about, and the model misses it there most often.

    The run starts after a word in lower case, an adjective like "Shanghai-based", punctuation
    or a sentence's end, and none is made when it may go on past an "of" ("Bank of America
    Corp"); a sentence's first word that the text writes in lower case elsewhere, a year,
    "The" and "and" do not begin it, and it starts after any place, organisation or owner
    the model found in it (``_names_apart``). "Co" before a capitalised word
    is a county ("Glenties, Co Donegal"). A model's mention inside is replaced, one crossing it
    wins."""
    for form in _COMPANY_FORM.finditer(text):
        if form.group().endswith("Co") and _CAPITALISED_AFTER.match(text, form.end()):
            continue
        words = _company_words(text, form.start())
        if words:
            before = [
                m.end
                for m in mentions
                if words[0][0] <= m.start < form.start() and _names_apart(text, m, form.start(), gazetteer)
            ]
            words = [w for w in words if w[0] >= max(before, default=0)]
        while words and (
            text[words[0][0] : words[0][1]] in ("and", "&", "The")
            or text[words[0][0] : words[0][1]].isdigit()  # "In 2011 News Corp"
            or is_sentence_word(text, *words[0], gazetteer.lexicon, ())
        ):
            words.pop(0)
        if not words or (len(words) == 1 and text[words[0][0]].isdigit()):
            continue
        start, end = words[0][0], form.end()
        if any(m.start < end and start < m.end and not (start <= m.start and m.end <= end) for m in mentions):
            continue
        mentions = [m for m in mentions if not (start <= m.start and m.end <= end)]
        mentions.append(ContextMention(start, end, "org", text[start:end]))
    return mentions


def _names_apart(text: str, mention: Mention, form: int, gazetteer: Gazetteer) -> bool:
    """Whether a model's mention in a run of capitalised words before a legal form at ``form``
    is a name of its own, not the first words of the company's: a place or an organisation
    ("United States BYD Co Ltd", "Tencent Holdings and Sohu.com Inc"), or an owner ("Warren
    Buffett's Berkshire Hathaway Inc"). A person's name may begin a company's ("Jacobson Stores
    Inc"), and so may a name joined by "and" to ordinary words ("Exsun Electronics and
    Information Technology Inc", "Sumitomo Trust and Banking Co")."""
    if _POSSESSIVE_AFTER.match(text, mention.end):
        return True
    joined = _AND_AFTER.match(text, mention.end)
    if joined and all(gazetteer.lexicon.is_common(w) for w in text[joined.end() : form].split()):
        return False
    return mention.type in ("place", "org")


def _company_words(text: str, before: int) -> list[tuple[int, int]]:
    """The words of the capitalised run that ends at ``before``, in text order; none when
    where it begins is unclear: after a word glued to punctuation ("(India) Electric Co Ltd",
    "/PRNewswire/.-Infortrend Technology, Inc."), or longer than ``_MAX_COMPANY_WORDS``."""
    paragraph = text.rfind("\n\n", 0, before) + 1
    words: list[tuple[int, int]] = []
    for match in reversed(list(re.finditer(r"\S+", text[paragraph:before]))):
        word = match.group()
        ends_sentence = word.endswith(".") and not _INITIALS.fullmatch(word)  # "Budapest."
        if not _COMPANY_WORD.match(word) or _LOWER_COMPOUND.search(word) or ends_sentence:
            return words[::-1] if _RUN_BOUNDARY.search(word) else []
        if _LEGAL_FORM_WORD.fullmatch(word):  # another company's end ("... Ltd and Sohu.com Inc")
            return words[::-1]
        if len(words) == _MAX_COMPANY_WORDS:
            return []
        if word == "of":  # "shares of Acme Ltd"; but where does "Bank of America Corp" begin?
            previous = text[paragraph : paragraph + match.start()].split()[-1:]
            return words[::-1] if previous and _RUN_BOUNDARY.search(previous[0]) else []
        words.append((paragraph + match.start(), paragraph + match.end()))
    return words[::-1]


def _is_team_in_results(text: str, end: int) -> bool:
    """A place followed by a score on a line of several numbers: a sports team, not a place."""
    if not _SCORE_AFTER.match(text, end) or _DATE_AFTER.match(text, end):
        return False
    line_start = text.rfind("\n", 0, end) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return len(_DIGIT_GROUP.findall(line)) >= 2


def _placed_by_context(
    text: str, mentions: list[Mention], aliases: AliasTable | None, places: frozenset[str]
) -> tuple[list[Mention], frozenset[str]]:
    """Mentions the words around them make places (``context``: "the village of Rityan", "in
    Jazal"; a place the model found that a strong sign confirms, "in Abu al-Duhour area", is as
    sure), and the names a strong sign placed, which stay places throughout the text; a name
    the model calls a person that a noun for an organisation's fighters, members or shares
    stands beside ("Ahrar al-Sham fighters") is an organisation throughout the text, and so is a
    name the model calls a place, the gazetteer does not know, and a noun for a kind of
    institution stands right before ("e-commerce giant Alibaba"). A name the aliases file
    types, or one ending in an organisation word, keeps its type."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))

    def typed_elsewhere(mention: Mention) -> bool:
        entry = aliases.lookup(mention.text) if aliases is not None else None
        return (entry is not None and entry.type != "place") or mention.text.split()[-1] in ORG_LAST_WORDS

    fixed = [typed_elsewhere(m) for m in ordered]
    spans = [(m.start, m.end) for m in ordered]
    signed = {i for i, m in enumerate(ordered) if not fixed[i] and strong_place_sign(text, m.start, m.end)}
    strong = {
        i
        for i in listed_with(text, spans, {i for i in signed if ordered[i].type in ("person", "org")})
        if ordered[i].type != "misc" and not fixed[i]
    } | {i for i in signed if ordered[i].type == "place"}
    within = within_places(text, spans, {i for i, m in enumerate(ordered) if m.type == "place"})
    organised = {
        m.text
        for m in ordered
        if (m.type == "person" and organisation_sign(text, m.start, m.end))
        or (m.type == "place" and m.text not in places and institution_before(text, m.start))
    }
    out = []
    for i, m in enumerate(ordered):
        located = i in within and m.type in ("person", "org")
        if i in strong or (not fixed[i] and (located or place_by_context(text, m.start, m.end, m.type))):
            m = ContextMention(m.start, m.end, "place", m.text)
        elif m.text in organised and not fixed[i]:
            m = ContextMention(m.start, m.end, "org", m.text)
        out.append(m)
    return out, frozenset(ordered[i].text for i in strong)


def _consistent_types(mentions: Sequence[Mention], placed: frozenset[str] = frozenset()) -> list[Mention]:
    """One type per name within a text: the majority's, and a bare surname follows its person;
    a name ``placed`` by the words around it is a place."""
    votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for mention in mentions:
        votes[mention.text][mention.type] += 1
    surnames = {_bare(m.text.split()[-1]) for m in mentions if m.type == "person" and len(m.text.split()) > 1}
    out = []
    for mention in mentions:
        kind = "place" if mention.text in placed else votes[mention.text].most_common(1)[0][0]
        if " " not in mention.text and _bare(mention.text) in surnames:
            kind = "person"  # "Khan" of "Sardar Daud Khan", whatever "the Wazir Akbar Khan area" says
        by_context = (mention.text in placed and kind == "place") or (
            isinstance(mention, ContextMention) and kind == mention.type
        )
        out.append(
            (ContextMention if by_context else Mention)(mention.start, mention.end, kind, mention.text)
        )
    return out


def _with_repeats(text: str, mentions: list[Mention], debris: list[Region]) -> list[Mention]:
    """Add unlabelled occurrences of names found elsewhere in the same text (longest first),
    except in page debris."""
    types = {m.text: m.type for m in mentions if len(m.text) >= _MIN_REPEAT_CHARS}
    if not types:
        return mentions
    taken = bytearray(len(text))
    for start, end in [(m.start, m.end) for m in mentions] + debris:
        taken[start:end] = b"\1" * (end - start)
    added = []
    for name in sorted(types, key=len, reverse=True):
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if _word_edges(text, start, end) and not any(taken[start:end]):
                taken[start:end] = b"\1" * (end - start)
                added.append(Mention(start, end, types[name], name))
            start = text.find(name, end)
    return mentions + added


def _word_edges(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is not part of a longer word."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_" or after.isalnum() or after == "_")


def _bare(word: str) -> str:
    """A surname without an Arabic article: "al-Kadhemi" and "Kadhemi" compare equal."""
    lower = word.casefold()
    for prefix in ("al-", "el-", " al ", "el "):
        if lower.startswith(prefix):
            return lower[len(prefix) :]
    return lower
