"""The aliases file: parsing, errors that name the line, merging, the fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib.cli import cli
from searchlib.cli.common import ExitStatus
from searchlib.entities.aliases import AliasEntry, AliasTable, fold_name, load_aliases, parse_aliases
from searchlib.errors import ConfigError

GOOD = """\
# a comment
[[entity]]
name = "Hashed al-Shaabi"
type = "org"
aliases = ["Hashd al-Shaabi", "PMF"]

[[entity]]
name = "Mustafa al-Kadhemi"
type = "person"
aliases = ["Kadhimi"]
"""


def test_a_good_file_parses() -> None:
    table = parse_aliases(GOOD)
    assert table.entries == (
        AliasEntry("Hashed al-Shaabi", "org", ("Hashd al-Shaabi", "PMF")),
        AliasEntry("Mustafa al-Kadhemi", "person", ("Kadhimi",)),
    )


@pytest.mark.parametrize("name", ["hashd al-shaabi", "HASHD AL-SHAABI", "P.M.F.", "Hashed  al-Shaabi"])
def test_lookup_ignores_case_dots_and_spacing(name: str) -> None:
    entry = parse_aliases(GOOD).lookup(name)
    assert entry is not None and entry.name == "Hashed al-Shaabi"


def test_fold_name_folds_accents_and_apostrophes() -> None:
    assert fold_name("Kata\u2019ib  Ḥezbollah") == fold_name("kata'ib hezbollah")


def test_a_syntax_error_names_the_line() -> None:
    broken = GOOD.replace('type = "person"', 'type "person"')
    with pytest.raises(ConfigError, match=r"my\.toml: .*line 9"):
        parse_aliases(broken, source="my.toml")


def test_an_unknown_type_is_rejected_with_its_line() -> None:
    wrong = GOOD.replace('type = "person"', 'type = "company"')
    with pytest.raises(
        ConfigError, match=r"line 9: 'Mustafa al-Kadhemi' has type 'company': use one of person"
    ):
        parse_aliases(wrong, source="my.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[entity]]\ntype = "org"\n', r"line 1: the entity has no name"),
        ('[[entity]]\nname = "X"\ntype = "org"\naliases = "Y"\n', r"line 4: aliases of 'X' must be a list"),
        ('[[entity]]\nname = "X"\ntype = "org"\ncolour = "red"\n', r"line 4: unknown key 'colour'"),
        ('name = "X"\n', r"unknown key 'name': an aliases file holds only \[\[entity\]\] tables"),
        (
            GOOD + '\n[[entity]]\nname = "PMF Media"\ntype = "org"\naliases = ["pmf"]\n',
            r"line 15: 'pmf' is already",
        ),
    ],
)
def test_other_mistakes_are_explained(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_aliases(text)


def test_the_starter_file_ships_and_loads() -> None:
    table = load_aliases()
    entry = table.lookup("Popular Mobilisation Forces")
    assert entry is not None and (entry.name, entry.type) == ("Hashed al-Shaabi", "org")
    assert table.lookup("Kata'ib Hezbollah").type == "org"  # type: ignore[union-attr]
    assert table.lookup("Daesh").name == "Islamic State"  # type: ignore[union-attr]
    assert table.user_file is None


def test_a_user_file_replaces_starter_entries_sharing_a_name(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[[entity]]\nname = "PMF"\ntype = "org"\naliases = ["Hashed al-Shaabi"]\n')
    table = load_aliases(path)
    assert table.lookup("Hashd al-Shaabi") is None
    assert table.lookup("Hashed al-Shaabi").name == "PMF"  # type: ignore[union-attr]
    assert table.user_file == str(path.resolve())


def test_a_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no aliases file at"):
        load_aliases(tmp_path / "nope.toml")


def test_the_fingerprint_follows_the_content() -> None:
    one = parse_aliases(GOOD)
    assert one.fingerprint == parse_aliases("# reordered\n" + GOOD).fingerprint
    assert one.fingerprint != parse_aliases(GOOD.replace('"PMF"', '"PMU"')).fingerprint
    assert AliasTable().fingerprint != one.fingerprint


def test_the_cli_reports_a_bad_aliases_file_as_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "aliases.toml"
    bad.write_text('[[entity]]\nname = "X"\ntype = "company"\n')
    corpus = Path(__file__).parent.parent / "corpus"
    result = CliRunner().invoke(
        cli, ["index", str(corpus), "--index", str(tmp_path / "ix"), "--aliases", str(bad)]
    )
    assert result.exit_code == ExitStatus.CONFIG_ERROR
    assert result.stderr.strip().startswith(f"error: {bad}, line 3: 'X' has type 'company'")
    assert not (tmp_path / "ix").exists()


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_an_empty_file_has_no_entries(text: str) -> None:
    assert parse_aliases(text).entries == ()
