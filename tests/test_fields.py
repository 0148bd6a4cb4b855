"""The field map: which keys of a JSON object or CSV row hold an article's parts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from searchlib.articles.fields import FieldMap, as_text, parse_date_value, parse_fields, pick
from searchlib.errors import ArticleError, ConfigError


def test_default_keys_find_news_please_and_kaggle_names() -> None:
    fields = FieldMap()
    assert pick({"maintext": "Body.", "title": "T"}, fields.body) == "Body."
    assert pick({"Content": "Body.", "publication": "Breitbart"}, fields.body) == "Body."
    assert pick({"publication": "Breitbart"}, fields.source) == "Breitbart"
    assert pick({"date_publish": "2017-03-08 14:28:00"}, fields.date) == "2017-03-08 14:28:00"


def test_an_empty_value_falls_through_to_the_next_key() -> None:
    assert pick({"maintext": None, "text": "", "description": "The lede."}, FieldMap().body) == "The lede."


def test_spec_puts_the_named_key_first() -> None:
    fields = parse_fields("title=headline, body=story,date=published")
    assert fields.body[0] == "story"
    assert fields.title[0] == "headline"
    assert pick({"text": "other", "story": "Body."}, fields.body) == "Body."
    assert fields.spec == "title=headline,body=story,date=published"


def test_spec_from_a_toml_file(tmp_path: Path) -> None:
    config = tmp_path / "fields.toml"
    config.write_text('[fields]\ntitle = "headline"\nbody = "story"\n', encoding="utf-8")
    fields = parse_fields(str(config))
    assert (fields.title[0], fields.body[0]) == ("headline", "story")
    assert parse_fields(fields.spec) == fields


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("title", "write ROLE=KEY pairs"),
        ("heading=title", "unknown field 'heading'"),
    ],
)
def test_bad_specs_say_what_to_write(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_fields(spec)


def test_bad_toml_file_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "fields.toml"
    config.write_text("[fields\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_fields(str(config))
    with pytest.raises(ConfigError, match="cannot read"):
        parse_fields(str(tmp_path / "missing.toml"))


def test_missing_text_key_lists_the_keys_found() -> None:
    with pytest.raises(ArticleError) as caught:
        FieldMap().check_keys(["headline", "copy", "published"], what="x.jsonl line 1")
    message = str(caught.value)
    assert "keys found: 'headline', 'copy', 'published'" in message
    assert "--fields body=KEY" in message


def test_a_named_key_that_is_absent_is_reported() -> None:
    with pytest.raises(ArticleError, match="no key 'story' for the body; keys found: 'text'"):
        parse_fields("body=story").check_keys(["text"], what="x.csv's header row")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-03-08 14:28:00", datetime(2017, 3, 8, 14, 28)),
        ("2017-03-08T14:28:00+02:00", datetime(2017, 3, 8, 14, 28)),
        ("March 8, 2017", datetime(2017, 3, 8)),
        (1488983280, datetime(2017, 3, 8, 14, 28)),
        (1488983280000, datetime(2017, 3, 8, 14, 28)),
        (None, None),
    ],
)
def test_dates_in_common_shapes(value: object, expected: datetime | None) -> None:
    assert parse_date_value(value, []) == expected


def test_an_unreadable_date_is_a_warning() -> None:
    notes: list[str] = []
    assert parse_date_value("sometime last week", notes) is None
    assert notes == ["date 'sometime last week' not understood"]


def test_values_become_one_line_of_text() -> None:
    assert as_text(["Ann Lee", "Bo Chan"]) == "Ann Lee, Bo Chan"
    assert as_text({"id": "bbc-news", "name": "BBC News"}) == "BBC News"
    assert as_text("  Reuters \n") == "Reuters"
    assert as_text("") is None
