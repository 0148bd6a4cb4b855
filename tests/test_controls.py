"""Control characters in articles, file names and queries never reach a terminal or an export.

The property test writes random bytes into an article's source, title and body and its file
name, indexes it for real and reads every output of `search` (text with and without colour,
--csv, --jsonl, --json) for a control character other than tab and newline.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib import build_index
from searchlib.cli import ExitStatus, cli, search_command
from searchlib.controls import CONTROL, escape_json_controls, visible_controls, visible_record
from searchlib.entities.extract import EntityExtractor
from searchlib.models import Snippet

MARK = "zapword"
OSC8_LINK = "\x1b]8;;http://evil.invalid\x1b\\link\x1b]8;;\x1b\\"
ATTACKS = ("\x1b]0;PWNED\x07", "\x1b[2J", OSC8_LINK, "\r", "\x9b31m")
OUTPUTS = (["--color", "never"], ["--color", "always"], ["--csv"], ["--jsonl"], ["--json"])
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
"""The styles rich itself writes with --color always: the only escapes allowed out."""

control_text = st.text(
    alphabet=st.one_of(st.characters(min_codepoint=0, max_codepoint=0x9F), st.sampled_from("aé☃ ")),
    max_size=40,
)


def escaped(output: str, *, colour: bool = False) -> list[str]:
    """The control characters (but tab and newline) in ``output``; CSV's CRLF row ends and,
    with ``colour``, rich's own style sequences are allowed."""
    if colour:
        output = COLOUR.sub("", output)
    return CONTROL.findall(output.replace("\r\n", "\n"))


@pytest.fixture(scope="module")
def extractor() -> Iterator[EntityExtractor]:
    """The real extractor, loaded once for all the examples."""
    made = EntityExtractor(processes=1)
    yield made
    made.close()


def test_visible_controls_keeps_length_tab_and_newline() -> None:
    text = "a\x1b[2Jb\tc\nd\x07\x7f\x9b\r"
    shown = visible_controls(text)
    assert len(shown) == len(text)
    assert shown == "a\u241b[2Jb\tc\nd\u2407\u2421\ufffd\u240d"
    assert not escaped(shown)


def test_visible_record_keeps_highlight_offsets() -> None:
    snippet = Snippet("\x1b[2J zapword", ((5, 12),))
    shown = visible_record(snippet)
    assert shown.text[5:12] == MARK
    assert shown.highlights == snippet.highlights


def test_json_escapes_keep_the_exact_text() -> None:
    text = json.dumps({"t": "\x7f\x9b\x1b"}, ensure_ascii=False)
    assert json.loads(escape_json_controls(text)) == {"t": "\x7f\x9b\x1b"}
    assert not escaped(escape_json_controls(text))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    source=control_text,
    title=control_text,
    body=st.binary(max_size=200),
    name=st.binary(min_size=1, max_size=20).filter(lambda b: b"/" not in b and b"\0" not in b),
    query=control_text,
    attack=st.sampled_from(ATTACKS),
)
def test_no_control_character_escapes_any_output(
    extractor: EntityExtractor, source: str, title: str, body: bytes, name: bytes, query: str, attack: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "articles"
        corpus.mkdir()
        header = f" date 2021-03-04 - Source: {source.replace(chr(10), ' ')}{attack}\n\n".encode()
        text = f"{title.replace(chr(10), ' ')}{attack} {MARK}\n\n{MARK} {attack} ".encode() + body
        (corpus / os.fsdecode(name + attack.replace("/", "_").encode() + b".txt")).write_bytes(header + text)
        index = Path(folder) / "index"
        build_index(corpus, index_dir=index, extractor=extractor)
        for words in ([MARK], [MARK, query], [query]):
            for output in OUTPUTS:
                result = CliRunner().invoke(search_command, [*words, "--index", str(index), *output])
                assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
                colour = "always" in output
                assert not escaped(result.stdout, colour=colour), (output, result.stdout)
                assert not escaped(result.stderr), (output, result.stderr)
        listing = CliRunner().invoke(cli, ["entities", "--index", str(index)])
        assert not escaped(listing.output)


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_known_attack_is_shown_not_run(tmp_path: Path, attack: str) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / f"evil{attack.replace('/', '_')}.txt").write_text(
        f" date 2021-03-04 - Source: Evil{attack}Wire\n\nTitle{attack} {MARK}\n\nBody {MARK}{attack}.\n",
        encoding="utf-8",
    )
    build_index(corpus, index_dir=tmp_path / "index", extractor=EntityExtractor(processes=1))
    for output in OUTPUTS:
        result = CliRunner().invoke(search_command, [MARK, "--index", str(tmp_path / "index"), *output])
        assert result.exit_code == ExitStatus.SUCCESS, result.output
        assert not escaped(result.stdout, colour="always" in output), (output, result.stdout)
        assert MARK in result.stdout
