"""Control characters in text bound for a terminal or an export file.

An article is untrusted input: a source, title, body or file name can carry ``ESC ] 0;...BEL``
(which retitles a terminal window), ``ESC [2J`` (which clears it), an OSC 8 link or a carriage
return that overwrites what was printed before it. Every control character except tab and
newline (C0, DEL and C1) is therefore shown as a visible stand-in wherever searchlib writes
text for people (the terminal, CSV), and escaped as ``\\u00XX`` in JSON, which keeps the exact
text for programs. The stand-in is one character for one (ESC becomes ``␛``, U+241B), so the
offsets of highlighted matches in a snippet stay true.

The index keeps the text as the file had it: what is shown is decided here, at the way out.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

T = TypeVar("T")

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Every control character (Unicode category Cc) but tab and newline."""

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
"""U+2400-U+241F "control pictures" for C0 and U+2421 for DEL; C1 has no pictures."""
_NO_PICTURE = "\ufffd"


def visible_controls(text: str) -> str:
    """``text`` with each control character but tab and newline replaced by a visible stand-in."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda found: _PICTURES.get(ord(found.group()), _NO_PICTURE), text)


def visible_record(value: T) -> T:
    """A record (or tuple, list, dict of them) with ``visible_controls`` applied to every string.

    For the CLI's text output, which draws many fields of many records: one call at the way
    out instead of one per field, so no field can be forgotten.
    """
    if isinstance(value, str):
        return visible_controls(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: visible_record(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    if isinstance(value, tuple):
        return tuple(visible_record(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [visible_record(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {visible_record(k): visible_record(v) for k, v in value.items()}  # type: ignore[return-value]
    return value


def escape_json_controls(json_text: str) -> str:
    """JSON text with the control characters ``json.dumps`` leaves raw (DEL, C1) as ``\\u00XX``.

    ``json.dumps`` escapes C0 itself; outside strings JSON has no control characters, so every
    one found is inside a string, where the escape means exactly the same character.
    """
    if not CONTROL.search(json_text):
        return json_text
    return CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", json_text)


def json_dumps_safe(value: Any, **options: Any) -> str:
    """``json.dumps`` (non-ASCII kept as is) with every control character escaped."""
    import json

    return escape_json_controls(json.dumps(value, ensure_ascii=False, **options))
