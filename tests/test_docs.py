"""The documentation and the code stay in step.

docs/cli.md has an entry for every command and every option (and none for an option that is
gone), docs/python-api.md for every public name; every relative link between the README and the
docs pages (anchors included) resolves; the Python examples run against a real index; the
README's commands run as written; the Quickstart holds the two commands CI runs.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

import searchlib
from searchlib import build_index
from searchlib.cli import cli, search_command

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
CLI_PAGE = DOCS / "cli.md"
API_PAGE = DOCS / "python-api.md"
EXAMPLE_PAGES = (README, API_PAGE, DOCS / "exports.md")
"""Pages whose ```python blocks run as written in a folder holding ``corpus/`` and ``index/``."""
EXAMPLE_ARTICLES = (ROOT / "tests" / "data" / "corpus", ROOT / "tests" / "data" / "analyst", ROOT / "corpus")
README_MAX_LINES = 250
SKIPPED_OPTIONS = {"--help"}


def markdown_pages() -> list[Path]:
    """The README, the changelog and every page under docs/, whoever wrote it."""
    return [README, ROOT / "CHANGELOG.md", *sorted(DOCS.rglob("*.md"))]


# --- Markdown structure -------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    text: str


FENCE = re.compile(r"^(```|~~~)")


def without_code_blocks(text: str) -> str:
    """The text with fenced code blocks blanked, so their lines are neither headings nor links."""
    kept: list[str] = []
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            kept.append("")
        else:
            kept.append("" if fenced else line)
    return "\n".join(kept)


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.S | re.M)


def sections(text: str) -> list[Section]:
    """Each heading with the text under it, down to the next heading of the same or a higher level."""
    lines = text.splitlines()
    prose = without_code_blocks(text).splitlines()
    headings = [
        (number, len(match.group(1)), match.group(2).strip())
        for number, line in enumerate(prose)
        if (match := re.match(r"^(#{1,6})\s+(.*)$", line))
    ]
    found = []
    for position, (number, level, title) in enumerate(headings):
        end = next((n for n, lvl, _ in headings[position + 1 :] if lvl <= level), len(lines))
        found.append(Section(level, title, "\n".join(lines[number:end])))
    return found


def plain_title(title: str) -> str:
    return title.replace("`", "").strip()


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to
    hyphens, a repeated one numbered."""
    seen: dict[str, int] = {}
    found = set()
    for section in sections(text):
        slug = "".join(
            ch
            for ch in plain_title(section.title).lower()
            if ch in " -_" or unicodedata.category(ch)[0] in "LN"
        ).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


# --- Commands and options -----------------------------------------------------------------


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def documented_title(path: tuple[str, ...]) -> str:
    """The heading of a command's entry in docs/cli.md; ``searchlib search`` is ``search``'s."""
    return "search" if path == ("search",) else "searchlib " + " ".join(path)


def cli_section(title: str) -> Section | None:
    text = CLI_PAGE.read_text(encoding="utf-8")
    return next((s for s in sections(text) if plain_title(s.title) == title), None)


def documented_options(section: Section) -> set[str]:
    """Every ``--option`` named inside backticks in a section (``--facets/--no-facets`` gives both)."""
    spans = re.findall(r"`([^`]+)`", section.text)
    return {option for span in spans for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", span)}


def option_cases() -> list[tuple[str, str]]:
    cases = []
    commands = [("search", search_command)] + [
        (documented_title(path), command_at(path)) for path in command_paths() if path != ("search",)
    ]
    for title, command in commands:
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                for option in (*param.opts, *param.secondary_opts):
                    if option.startswith("--") and option not in SKIPPED_OPTIONS:
                        cases.append((title, option))
    return cases


@pytest.mark.parametrize("path", list(command_paths()), ids=" ".join)
def test_every_command_has_help_and_a_docs_entry(path: tuple[str, ...]) -> None:
    command = command_at(path)
    assert command.help, f"searchlib {' '.join(path)} has no help"
    title = documented_title(path)
    assert cli_section(title) is not None, f"docs/cli.md has no heading for {title}"


@pytest.mark.parametrize(("title", "option"), option_cases())
def test_every_option_is_in_its_commands_docs_entry(title: str, option: str) -> None:
    section = cli_section(title)
    assert section is not None, f"docs/cli.md has no heading for {title}"
    assert option in documented_options(section), f"docs/cli.md, {title}: no entry for `{option}`"


def command_options(command: click.Command) -> set[str]:
    return {
        option
        for param in command.params
        if isinstance(param, click.Option)
        for option in (*param.opts, *param.secondary_opts)
    } | {"--help"}


def own_entries(section: Section) -> set[str]:
    """The options a command's entry lists (backtick spans that start with ``--``), above any
    subheading: what the command must still accept."""
    own = re.split(r"\n#{1,6}\s", section.text.split("\n", 1)[-1], maxsplit=1)[0]
    spans = re.findall(r"`(--[^`]+)`", own)
    return {option for span in spans for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", span)}


@pytest.mark.parametrize("path", list(command_paths()), ids=" ".join)
def test_every_documented_option_exists(path: tuple[str, ...]) -> None:
    command = search_command if path == ("search",) else command_at(path)
    section = cli_section(documented_title(path))
    assert section is not None
    stale = own_entries(section) - command_options(command)
    assert not stale, f"docs/cli.md, {documented_title(path)}: no such option {sorted(stale)}"


def test_the_option_check_reads_backticks_only() -> None:
    section = Section(2, "x", "## x\n`--limit N`, `--facets/--no-facets` and --bare, `-o FILE`")
    assert documented_options(section) == {"--limit", "--facets", "--no-facets"}
    listed = Section(2, "x", "## x\n| `--wait S` | `searchlib index X --rebuild` |\n### y\n`--peek`")
    assert own_entries(listed) == {"--wait"}


# --- Links --------------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def relative_links(text: str) -> list[str]:
    """The targets of a page's links that are not web addresses (code and images left out)."""
    prose = re.sub(r"`[^`\n]*`", "", without_code_blocks(text))
    return [target for target in LINK.findall(prose) if not re.match(r"^[a-z][a-z0-9+.-]*:", target)]


def link_cases() -> list[tuple[str, str]]:
    return [
        (page.relative_to(ROOT).as_posix(), target)
        for page in markdown_pages()
        for target in relative_links(page.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize(("page", "target"), link_cases())
def test_relative_links_and_anchors_resolve(page: str, target: str) -> None:
    path_part, _, anchor = target.partition("#")
    source = ROOT / page
    linked = (source.parent / path_part).resolve() if path_part else source
    assert linked.exists(), f"{page}: link to {target}: no file {path_part}"
    if anchor:
        assert linked.suffix == ".md", f"{page}: anchor into a file that is not Markdown: {target}"
        assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{page}: no heading for #{anchor}"


def test_the_link_check_finds_links_and_anchors() -> None:
    assert {"query-syntax", "what-is-refused-and-why", "searchlib-watch-add"} <= anchors(
        "# Query syntax\n## What is refused, and why\n### `searchlib watch add`\n```\n# not a heading\n```"
    )
    assert "near-duplicates-one-story-several" in anchors("## Near-duplicates: one story, several")
    page = "See [cli](docs/cli.md#search), [web](https://x.org), `[no](a.md)`, ![i](i.png)\n```\n[no](b)\n```"
    assert relative_links(page) == ["docs/cli.md#search"]


def test_every_docs_page_is_reachable_from_the_index_page() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    linked = {target.partition("#")[0] for target in LINK.findall(index)}
    assert {"cli.md", "python-api.md", "query-syntax.md", "benchmark.md"} <= linked


# --- The Python API -----------------------------------------------------------------------


def api_entry(name: str) -> Section | None:
    """The section of docs/python-api.md whose heading names ``name`` in backticks."""
    text = API_PAGE.read_text(encoding="utf-8")
    return next((s for s in sections(text) if f"`{name}`" in s.title), None)


@pytest.mark.parametrize("name", sorted(searchlib.__all__))
def test_every_public_name_has_an_entry_with_an_example(name: str) -> None:
    section = api_entry(name)
    assert section is not None, f"docs/python-api.md has no heading for `{name}`"
    examples = code_blocks(section.text, "python")
    assert any(re.search(rf"\b{re.escape(name)}\b", code) for code in examples), (
        f"docs/python-api.md: the entry for `{name}` has no ```python example using it"
    )


def python_examples() -> list[pytest.param]:
    cases = []
    for page in EXAMPLE_PAGES:
        for number, code in enumerate(code_blocks(page.read_text(encoding="utf-8"), "python"), start=1):
            cases.append(pytest.param(code, id=f"{page.relative_to(ROOT).as_posix()}-{number}"))
    return cases


@pytest.fixture(scope="module")
def example_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with ``corpus/`` (the fixture articles) and ``index/`` built from it, as the
    examples expect; each example runs in a copy of it."""
    folder = tmp_path_factory.mktemp("examples")
    corpus = folder / "corpus"
    corpus.mkdir()
    for articles in EXAMPLE_ARTICLES:
        for article in articles.glob("*.txt"):
            shutil.copy(article, corpus / article.name)
    build_index(corpus, index_dir=folder / "index")
    return folder


@pytest.mark.parametrize("code", python_examples())
def test_python_examples_run(
    code: str, example_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    shutil.copytree(example_folder, work)
    monkeypatch.chdir(work)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<example>", "exec"), {"__name__": "__example__"})
    assert printed.getvalue().strip(), "the example printed nothing"


# --- The README ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsoleCommand:
    command: str
    first_line: str


def readme_console_commands() -> list[ConsoleCommand]:
    """The ``$`` commands of the README's ```console blocks, each with the first line shown after it."""
    found = []
    for block in code_blocks(README.read_text(encoding="utf-8"), "console"):
        lines = block.splitlines()
        for number, line in enumerate(lines):
            if line.startswith("$ "):
                following = next((rest for rest in lines[number + 1 :] if rest.strip()), "")
                found.append(ConsoleCommand(line[2:], "" if following.startswith("$ ") else following))
    return found


def runs_here(command: str) -> bool:
    """Commands on ``corpus/`` or the default index run as written; others name an index of
    a larger archive that a checkout does not have."""
    return "--index" not in command or "corpus" in command


def first_line(output: str) -> str:
    return next((line for line in output.splitlines() if line.strip()), "")


def shape(line: str) -> str:
    """A line with its figures (counts, times, dates) made alike."""
    return re.sub(r"\d[\d,.:]*", "9", line.strip())


@pytest.mark.parametrize(
    "example", [c for c in readme_console_commands() if runs_here(c.command)], ids=lambda c: c.command
)
def test_readme_commands_run_as_written(example: ConsoleCommand, tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "corpus", checkout / "corpus")
    scripts = str(Path(sys.executable).parent)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SEARCHLIB_")},
        "PATH": scripts + os.pathsep + os.environ.get("PATH", ""),
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        example.command, shell=True, cwd=checkout, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    shown = {shape(first_line(out)) for out in (done.stdout, done.stderr)}
    assert shape(example.first_line) in shown, (example.first_line, done.stdout[:300], done.stderr[:300])


def test_readme_runs_at_least_the_quickstart_search() -> None:
    assert any(c.command == 'search "Kataeb Hezbollah"' for c in readme_console_commands())


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines: move the reference into docs/"


def test_quickstart_has_exactly_two_commands() -> None:
    section = README.read_text(encoding="utf-8").split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert 'search "Kataeb Hezbollah"' in commands[0]
    assert "pytest" in commands[1] and ".[test]" in commands[1]


# --- The documents speak of the product ---------------------------------------------------

# A letter in brackets keeps this file from matching its own pattern when the repository is grepped.
MAKING_OF = re.compile(
    r"session [0-9]|other de[v]elopers|another de[v]eloper|\bissue [0-9]|\bthe [l]ead\b|[h]elper", re.I
)


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_documents_speak_only_of_the_product(page: Path) -> None:
    hits = [line for line in page.read_text(encoding="utf-8").splitlines() if MAKING_OF.search(line)]
    assert not hits, f"{page.name} speaks of how it was made: {hits[:3]}"
