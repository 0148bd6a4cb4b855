"""The schema's analysers."""

from __future__ import annotations

from searchlib.indexing.analysis import VALUE_SEPARATOR
from searchlib.indexing.schema import build_schema, join_values, keyword_value, name_analyzer, text_analyzer


def test_names_get_a_position_gap_between_values() -> None:
    tokens = [
        (t.text, t.pos)
        for t in name_analyzer()(join_values(["Donald Trump", "Vladimir Putin"]), positions=True)
    ]
    assert [t for t, _ in tokens] == ["donald", "trump", "vladimir", "putin"]
    assert tokens[2][1] - tokens[1][1] > 1


def test_names_fold_accents_but_do_not_stem() -> None:
    assert [t.text for t in name_analyzer()("Mosul Elections Sāmarrā")] == ["mosul", "elections", "samarra"]


def test_text_is_stemmed() -> None:
    assert [t.text for t in text_analyzer()("The elections")] == ["elect"]


def test_a_separator_inside_a_name_becomes_a_space() -> None:
    sep = VALUE_SEPARATOR
    assert join_values(["Donald Trump", "Vladimir Putin"]) == f"Donald Trump{sep}Vladimir Putin"
    assert join_values([f"Odd{sep}Name", "Putin"]) == f"Odd Name{sep}Putin"
    assert join_values([sep, sep]) == f" {sep} "
    assert join_values(["Alone"]) == "Alone" and join_values([]) == ""


def test_keyword_values_drop_commas_inside_names() -> None:
    assert keyword_value(["Smith, John", "Baghdad"]) == "Smith  John,Baghdad"


def test_schema_has_a_unique_id() -> None:
    assert build_schema()["id"].unique


def test_a_schema_pickled_under_the_former_module_names_still_loads() -> None:
    """Indexes written before the stage packages name ``searchlib.analysis`` in their table of contents."""
    import pickle

    import searchlib.indexing  # noqa: F401  (registers the former names)

    old = pickle.dumps(build_schema(), protocol=2).replace(
        b"searchlib.indexing.analysis", b"searchlib.analysis"
    )
    assert b"csearchlib.analysis\n" in old
    schema = pickle.loads(old)
    assert schema.names() == build_schema().names()
    assert [t.text for t in schema["title"].analyzer("The elections")] == ["elect"]
