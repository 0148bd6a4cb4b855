"""Query text as a person meant it: refused with a pointer when malformed, punctuation kept apart.

Whoosh's parser never fails: an unclosed quote, a dangling ``AND`` or an unknown ``field:``
become other searches without a word. This module reads the text first, the way
Elasticsearch's ``query_string`` does, and raises ``QuerySyntaxError`` naming the problem and
its column, with the words as a plain search to use instead. Text pasted from a page (a
headline ending in ``?``, a damaged quote, ``Libya: the war``) is read as words and
punctuation; where that reading is a guess, it is said in ``notes``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from searchlib.errors import QuerySyntaxError

MAX_NESTING = 20
"""Brackets nested deeper than this are refused (Whoosh recurses once per level)."""
BINARY_OPERATORS = ("AND", "OR", "ANDNOT", "ANDMAYBE")
NOT = "NOT"
SYNTAX_CHARS = '"()[]{}:*?~^'
"""Characters with a meaning in the query syntax; the literal search leaves them out."""

_FIELD = re.compile(r"(\w+):")
_FUZZY = re.compile(r"[^~]*[\w*?]~(\d)?(/\d+)?")
_DATE_VALUE = re.compile(r"\d{4}(-?\d{2}){0,2}$|[\[{]")
_WORDISH = re.compile(r"[\w*?]")


@dataclass(frozen=True)
class PreparedQuery:
    """The text to give Whoosh, and what was read differently from how it could look."""

    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Token:
    kind: str
    """``term``, ``(``, ``)``, ``op`` (AND, OR ...) or ``not``."""
    text: str
    start: int


def prepare_query_text(text: str, *, fields: Collection[str]) -> PreparedQuery:
    """Check query ``text`` (already cleaned of control characters) and make it Whoosh's.

    ``fields`` are the field names a person may type before a colon. Raises
    ``QuerySyntaxError`` for what cannot be meant as written.
    """
    reader = _Reader(text, frozenset(fields))
    reader.read()
    _check_grammar(reader.tokens, text)
    notes = []
    if reader.question_words:
        words = ", ".join(repr(w) for w in reader.question_words)
        notes.append(
            f"read {words} without the final '?': a ? ending a word is punctuation "
            "(a ? inside a word, as in cl?sh, stands for one letter)"
        )
    if reader.damaged_quotes:
        notes.append(
            f"a quote inside a word at column {reader.damaged_quotes[0] + 1} was read as punctuation; "
            'to search a phrase, put quotes around it: "two words"'
        )
    return PreparedQuery(" ".join("".join(reader.out).split()), tuple(notes))


def literal_text(text: str) -> str:
    """The words of ``text`` with every syntax character and operator taken as plain text."""
    table = str.maketrans(dict.fromkeys(SYNTAX_CHARS, " "))
    words = []
    for word in text.translate(table).split():
        word = word.lstrip("-+")
        if word in (*BINARY_OPERATORS, NOT, "TO"):
            word = word.lower()
        if word:
            words.append(word)
    return " ".join(words)


SHOWN_QUERY_CHARS = 80


def refusal(problem: str, text: str, column: int, hint: str = "") -> QuerySyntaxError:
    """The error for a malformed query: the problem and where, what to do, the plain search."""
    shown = text if len(text) <= SHOWN_QUERY_CHARS else text[:SHOWN_QUERY_CHARS] + "\u2026"
    message = f"{problem} at column {column + 1} of {shown!r}"
    if hint:
        message += f": {hint}"
    literal = literal_text(text)
    if literal and literal != text and len(literal) <= SHOWN_QUERY_CHARS:
        message += f"; to search the words as written: {literal!r}"
    return QuerySyntaxError(message)


class _Reader:
    """One pass over the text: tokens for the grammar check and the text for Whoosh."""

    def __init__(self, text: str, fields: frozenset[str]) -> None:
        self.text = text
        self.fields = fields
        self.out = list(text)
        self.tokens: list[_Token] = []
        self.question_words: list[str] = []
        self.damaged_quotes: list[int] = []
        self.open_brackets: list[int] = []

    def read(self) -> None:
        text, i = self.text, 0
        while i < len(text):
            ch = text[i]
            if ch.isspace():
                i += 1
            elif ch == "(":
                self._open(i)
                i += 1
            elif ch == ")":
                if not self.open_brackets:
                    raise refusal("')' closes no bracket", text, i)
                self.open_brackets.pop()
                self.tokens.append(_Token(")", ch, i))
                i += 1
            else:
                i = self._word(i)
        if self.open_brackets:
            raise refusal("bracket never closed", text, self.open_brackets[-1])

    def _open(self, i: int) -> None:
        self.open_brackets.append(i)
        if len(self.open_brackets) > MAX_NESTING:
            raise refusal(f"brackets nested more than {MAX_NESTING} deep", self.text, i)
        self.tokens.append(_Token("(", "(", i))

    def _word(self, start: int) -> int:
        """Read one word (with its field, phrase or range) from ``start``; return where it ends."""
        text = self.text
        i = start
        if text[i] in "-+" and i + 1 < len(text) and (text[i + 1].isalpha() or text[i + 1] in '"('):
            if text[i] == "-":
                self.out[i] = "NOT "
                self.tokens.append(_Token("not", "-", i))
            else:
                self.out[i] = " "
            return i + 1
        field_match = _FIELD.match(text, i)
        if field_match and not text[i].isdigit():
            i = self._field(field_match)
            if i is None:  # not a field after all: its colon was punctuation
                self.out[field_match.end() - 1] = " "
                i = field_match.end() - 1
            elif i >= len(text) or text[i].isspace() or text[i] == ")":
                name = field_match.group(1)
                raise refusal(
                    f"'{name}:' has nothing after it",
                    text,
                    start,
                    f'write {name}:word or {name}:"two words", with no space after the colon',
                )
            elif text[i] == "(":
                return i
        value_start = i
        if i < len(text) and text[i] == '"':
            end = self._phrase(i)
            if end is None:  # a lone quote, already blanked
                return i + 1
            self.tokens.append(_Token("term", text[start:end], start))
            return self._rest_of_word(end)
        if i < len(text) and text[i] in "[{":
            end = self._range(i)
            if end is not None:
                self.tokens.append(_Token("term", text[start:end], start))
                return end
        end = self._rest_of_word(i)
        value = text[value_start:end]
        if value in (*BINARY_OPERATORS, NOT) and value_start == start:
            self.tokens.append(_Token("not" if value == NOT else "op", value, start))
        elif any(ch.isalnum() for ch in value) or (value_start > start and value):
            self._check_value(text[start:end], value, start, field_match is not None and value_start > start)
            self.tokens.append(_Token("term", text[start:end], start))
        else:  # a lone "*", "?" or "~" in pasted text: punctuation
            for offset in range(start, end):
                self.out[offset] = " "
        return end

    def _field(self, match: re.Match[str]) -> int | None:
        """Where a known field's value starts; None when the colon is punctuation; refuses unknown fields."""
        name = match.group(1)
        after = match.end()
        if name.lower() in self.fields:
            for offset, ch in enumerate(name.lower()):
                self.out[match.start() + offset] = ch
            return after
        if after >= len(self.text) or self.text[after].isspace() or self.text.startswith(("//", ")"), after):
            return None  # "Libya: the war", "http://", "(Libya:)": a colon in text
        if name.isdigit() or (not self.text[after].isalnum() and self.text[after] not in "\"'([{/"):
            return None
        known = ", ".join(sorted(self.fields & _SHOWN_FIELDS))
        raise refusal(f"unknown field '{name}'", self.text, match.start(), f"use one of {known}")

    def _phrase(self, i: int) -> int | None:
        """The end of the phrase opening at ``i``; None (a lone quote, punctuation) or refused."""
        close = self.text.find('"', i + 1)
        if close == -1:
            if i + 1 >= len(self.text) or self.text[i + 1].isspace():
                self.out[i] = " "  # a lone quote
                return None
            raise refusal("unclosed quote", self.text, i, 'close it with another "')
        end = close + 1
        slop = re.match(r"~\d*", self.text[end:])
        return end + (slop.end() if slop else 0)

    def _range(self, i: int) -> int | None:
        """The end of a ``[a TO b]`` range opening at ``i``; None when it is not a range."""
        closer = "]" if self.text[i] == "[" else "}"
        close = min((p for p in (self.text.find("]", i), self.text.find("}", i)) if p != -1), default=-1)
        inside = self.text[i + 1 : close if close != -1 else len(self.text)]
        if not re.search(r"(^|\s)TO(\s|$)", inside, re.I):
            return None
        if close == -1:
            raise refusal("range never closed", self.text, i, f"end it with {closer}")
        return close + 1

    def _rest_of_word(self, i: int) -> int:
        """Read to the end of a word, reading in-word quotes and a final ``?`` as punctuation."""
        text = self.text
        start = i
        while i < len(text) and not text[i].isspace() and text[i] not in "()":
            if text[i] == '"':
                self.out[i] = " "
                self.damaged_quotes.append(i)
            elif text[i] == "?" and not (i + 1 < len(text) and _WORDISH.match(text[i + 1])):
                self.out[i] = " "
                if i > start and text[i - 1].isalnum():
                    self.question_words.append(text[start:i] + "?")
            i += 1
        return i

    def _check_value(self, token: str, value: str, start: int, fielded: bool) -> None:
        """Refuse a fuzzy mark that is not ``~`` or ``~N``, and a date that is not a date."""
        if "~" in value and not _FUZZY.fullmatch(value):
            word = value.split("~", 1)[0]
            raise refusal(
                f"bad fuzzy word {token!r}",
                self.text,
                start,
                f"~ takes only a number of edits after it ({word}~ or {word}~1)",
            )
        name = token.split(":", 1)[0].lower() if fielded else ""
        if name in _DATE_NAMES and not _DATE_VALUE.match(value):
            raise refusal(
                f"{token!r} is not a date",
                self.text,
                start,
                "write date:2017, date:2017-02, date:2017-02-14 or a range date:[2017-01 TO 2017-03]",
            )


_SHOWN_FIELDS = frozenset(
    {"title", "body", "person", "org", "place", "misc", "entity", "source", "date", "year", "month"}
)
"""The field names an unknown field's message lists (others, like aliases, work too)."""
_DATE_NAMES = frozenset({"date", "indexed_at"})


def _check_grammar(tokens: list[_Token], text: str) -> None:
    """Refuse operators with nothing on one side, ``NOT NOT``, and empty brackets."""
    previous: _Token | None = None
    for token in tokens:
        if token.kind == "op" and (previous is None or previous.kind not in ("term", ")")):
            if previous is not None and previous.kind in ("op", "not"):
                raise _nothing_after(previous, text)
            raise refusal(f"{token.text} has nothing before it", text, token.start)
        if token.kind == "not" and previous is not None and previous.kind == "not":
            raise refusal(
                "NOT follows another NOT",
                text,
                token.start,
                "leave out both, or keep one to leave out articles with the words after it",
            )
        if token.kind == ")" and previous is not None:
            if previous.kind in ("op", "not"):
                raise _nothing_after(previous, text)
            if previous.kind == "(":
                raise refusal("empty brackets", text, previous.start)
        previous = token
    if previous is not None and previous.kind in ("op", "not"):
        raise _nothing_after(previous, text)


def _nothing_after(token: _Token, text: str) -> QuerySyntaxError:
    return refusal(f"{token.text} has nothing after it", text, token.start)
