"""Filter values no article has are said, with the closest values the index knows."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from searchlib import Searcher
from searchlib.cli import ExitStatus, search_command
from searchlib.querying.filter_check import closest_values
from searchlib.web import create_app


def test_a_mistyped_source_gets_the_closest_known_ones(searcher: Searcher) -> None:
    results = searcher.search("", source="Reuter")
    assert results.total == 0
    assert results.warnings == ("no article has the source 'Reuter': did you mean Reuters (2)?",)


def test_a_source_like_none_lists_the_sources_of_a_small_archive(searcher: Searcher) -> None:
    (warning,) = searcher.search("", source="Nonexistent").warnings
    assert warning.startswith("no article has the source 'Nonexistent': the sources are Iraq News (3)")
    assert "BBC (2)" in warning


def test_a_mistyped_person_suggests_the_person(searcher: Searcher) -> None:
    (warning,) = searcher.search("", person="Donald Trunp").warnings
    assert warning == "no article has the person 'Donald Trunp': did you mean Donald Trump (2)?"
    (short,) = searcher.search("", person="Kadhemy").warnings  # one word of a longer name
    assert "Mustafa al-Kadhemi" in short
    (place,) = searcher.search("", place="Bagdad").warnings
    assert "did you mean Baghdad" in place


def test_known_values_and_one_bad_value_of_several(searcher: Searcher) -> None:
    assert searcher.search("", source="Reuters", person="Donald Trump").warnings == ()
    results = searcher.search("", source=["Reuters", "Reutrs"])
    assert results.total == 2
    assert [w.split(":")[0] for w in results.warnings] == ["no article has the source 'Reutrs'"]


def test_commoner_close_values_come_first() -> None:
    known = [("Sputnik", 1), ("Vladimir Putin", 150), ("Put Option Fund", 2)]
    assert closest_values("Putn", known)[0] == ("Vladimir Putin", 150)


def test_cli_prints_the_warning_on_stderr_and_json_lists_it(index_dir: Path) -> None:
    result = CliRunner().invoke(search_command, ["--index", str(index_dir), "--source", "Reuter"])
    assert result.exit_code == ExitStatus.SUCCESS
    assert result.stderr.startswith("warning: no article has the source 'Reuter': did you mean Reuters (2)?")
    as_json = CliRunner().invoke(
        search_command, ["--index", str(index_dir), "--person", "Donald Trunp", "--json"]
    )
    assert json.loads(as_json.stdout)["warnings"] == [
        "no article has the person 'Donald Trunp': did you mean Donald Trump (2)?"
    ]
    exported = CliRunner().invoke(search_command, ["--index", str(index_dir), "--csv", "--source", "Reuter"])
    assert "did you mean Reuters" in exported.stderr


def test_the_web_page_shows_the_warning(index_dir: Path) -> None:
    html = create_app(index_dir).test_client().get("/?source=Reuter").get_data(as_text=True)
    warning = "no article has the source &#39;Reuter&#39;: did you mean Reuters (2)?"
    assert f'<p class="warning" role="status">{warning}</p>' in html


def test_dates_outside_the_archive_and_pages_past_the_end_are_said(searcher: Searcher) -> None:
    (warning,) = searcher.search("", date_from="2030").warnings
    assert warning == "no article is dated in the range asked: the articles run from 2019-03-01 to 2021-03-05"
    (past,) = searcher.search("election", page=9).warnings
    assert past == "page 9 is past the last page of these 3 matches"
