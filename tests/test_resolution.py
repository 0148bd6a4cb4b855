"""The resolution pass on a real index: build, update, search, filters and the entity list."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner

from searchlib import Searcher, build_index, update_index
from searchlib.cli import cli
from searchlib.entities.extract import EntityExtractor
from searchlib.indexing.name_counts_table import NAME_COUNTS_FILE, load_counts
from searchlib.indexing.posting_tables import PostingTable
from searchlib.indexing.resolution import count_names
from searchlib.indexing.store import open_current
from searchlib.models import Entity


class ContextExtractor:
    """A real, if crude, entity finder: a run of capitalised words is a place after "in", a
    person before "said", an organisation otherwise. Types then vary from article to article
    as NER's do, which is what the archive-level vote is for."""

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        found = []
        for text in texts:
            entities: dict[tuple[str, str], Entity] = {}
            for match in re.finditer(r"(?<=[a-z] )([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)( said)?", text):
                before = text[max(0, match.start() - 3) : match.start()]
                kind = "place" if before == "in " else "person" if match.group(2) else "org"
                name = match.group(1)
                entities.setdefault((name, kind), Entity(name, kind))
            found.append(tuple(entities.values()))
        return found


def write(corpus: Path, number: int, body: str) -> None:
    header = f" date 2017-03-{number:02d} 2017/03/{number:02d} | 10:00 - Source: Test Wire\n\n"
    text = f"{header}report number {number}\n\n{body}\n"
    (corpus / f"{number:03d}_{number:016x}.txt").write_text(text, encoding="utf-8")


def build(corpus: Path) -> Path:
    """An index of ``corpus`` beside it, its entities found by ``ContextExtractor``."""
    index = corpus.parent / "ix"
    build_index(corpus, index_dir=index, extractor=ContextExtractor())
    return index


def entities_by_article(index_dir: Path) -> dict[str, list[tuple[str, str]]]:
    with Searcher(index_dir) as searcher:
        hits = searcher.iter_hits("", snippets=0)
        return {hit.id: sorted((e.name, e.type) for e in hit.entities) for hit in hits}


def lavrov_corpus(corpus: Path) -> Path:
    corpus.mkdir()
    for number in range(1, 4):
        write(corpus, number, f"on the day Sergey Lavrov said talks {number} went on in Moscow.")
    write(corpus, 4, "later Sergei Lavrov said talks went on in Moscow.")
    write(corpus, 5, "nothing happened in Geneva that day.")
    return corpus


def test_spellings_are_one_entity_in_the_index_and_its_filters(tmp_path: Path) -> None:
    ix = build(lavrov_corpus(tmp_path / "corpus"))
    assert ("Sergey Lavrov", "person") in entities_by_article(ix)["004_0000000000000004"]
    with Searcher(ix) as searcher:
        for spelling in ("Sergey Lavrov", "Sergei Lavrov"):
            assert searcher.search(person=spelling).total == 4
            assert searcher.search(entity=spelling).total == 4
        listing = {e.name: e for e in searcher.entities(type="person").entities}
        assert {v.name for v in listing["Sergey Lavrov"].variants} == {"Sergei Lavrov"}
        assert "Sergei Lavrov" not in listing


def test_a_query_naming_an_entity_matches_its_other_names(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(1, 4):
        write(corpus, number, f"on the day Michael Flynn said talks {number} went on in Moscow.")
    write(corpus, 4, "later Mike Flynn said talks went on in Moscow.")
    ix = build(corpus)
    with Searcher(ix) as searcher:
        results = searcher.search('"Mike Flynn"')
        assert results.total == 4
        assert [(v.word, v.variants) for v in results.variants] == [("Mike Flynn", ("Michael Flynn",))]
        assert searcher.search('"Mike Flynn"', variants=False).total == 1
        assert searcher.search('"Michael Flynn"').total == 4


def test_an_update_resolves_as_a_rebuild_of_the_same_corpus_does(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    kefraya_corpus(corpus)
    ix = build(corpus)
    assert ("Kefraya", "org") in entities_by_article(ix)["003_0000000000000003"]
    for number in range(4, 7):  # three more articles make it a place: a new vote changes old articles
        write(corpus, number, f"shelling went on in Kefraya on day {number}.")
    update_index(index_dir=ix, extractor=ContextExtractor())
    updated = entities_by_article(ix)
    assert all(("Kefraya", "place") in entities for entities in updated.values())
    rebuilt = tmp_path / "rebuilt"
    build_index(corpus, index_dir=rebuilt, extractor=ContextExtractor())
    assert updated == entities_by_article(rebuilt)
    with Searcher(ix) as searcher:
        places = {v.value: v.count for v in searcher.search("", facets=["place"]).facets[0].values}
        assert places == {"Kefraya": 6}
    for number in range(4, 7):  # and removing them makes it an organisation again
        (corpus / f"{number:03d}_{number:016x}.txt").unlink()
    update_index(index_dir=ix, extractor=ContextExtractor())
    assert all(("Kefraya", "org") in entities for entities in entities_by_article(ix).values())


def test_an_update_that_reads_no_old_file_rewrites_the_old_articles_a_new_vote_changes(
    tmp_path: Path,
) -> None:
    """The kept articles naming a name whose entity changed are found by the words of its
    spellings and written again; each file has its own lines, so no old file is read again."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    stories = [
        ("Quiet morning", "yesterday Tal-Kefraya answered no."),
        ("Late answer", "today Tal-Kefraya answered yes."),
        ("Fighting news", "fighting went on in Tal-Kefraya all day."),
        ("Other matters", "the council of Geneva met twice."),
    ]

    def story(number: int, headline: str, body: str) -> None:
        header = f" date 2017-03-{number:02d} 2017/03/{number:02d} | 10:00 - Source: Test Wire\n\n"
        (corpus / f"{number:03d}_{number:016x}.txt").write_text(
            f"{header}{headline}\n\n{body}\n", encoding="utf-8"
        )

    for number, (headline, body) in enumerate(stories, start=1):
        story(number, headline, body)
    ix = build(corpus)
    assert ("Tal-Kefraya", "org") in entities_by_article(ix)["001_0000000000000001"]
    story(5, "Shelling overnight", "shelling went on in Tal-Kefraya again.")
    story(6, "Dawn raid", "a raid went on in Tal-Kefraya at dawn.")
    report = update_index(index_dir=ix, extractor=ContextExtractor())
    assert (report.added, report.changed) == (2, 0)
    updated = entities_by_article(ix)
    assert {ids for ids, entities in updated.items() if ("Tal-Kefraya", "place") in entities} == {
        f"{n:03d}_{n:016x}" for n in (1, 2, 3, 5, 6)
    }
    rebuilt = tmp_path / "rebuilt"
    build_index(corpus, index_dir=rebuilt, extractor=ContextExtractor())
    assert updated == entities_by_article(rebuilt)


def saved_and_counted(index_dir: Path) -> tuple[dict[str, object] | None, dict[str, object]]:
    """The name counts saved beside the index, and those counted afresh from its column."""
    ix, manifest = open_current(index_dir, memory_map=False)
    saved = load_counts(index_dir / manifest.generation, generation=ix.latest_generation())
    with ix.reader() as reader:
        return (saved.state() if saved else None), count_names(reader).state()


def test_the_saved_name_counts_are_those_of_the_articles_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    kefraya_corpus(corpus)
    ix = build(corpus)
    saved, counted = saved_and_counted(ix)
    assert saved == counted and counted["documents"] == 3
    for number in range(4, 7):  # added, changed and removed articles: each update keeps them true
        write(corpus, number, f"shelling went on in Kefraya on day {number}, said Sergei Lavrov.")
    update_index(index_dir=ix, extractor=ContextExtractor())
    write(corpus, 4, "Kefraya answered nothing at all.")
    (corpus / "005_0000000000000005.txt").unlink()
    update_index(index_dir=ix, extractor=ContextExtractor())
    saved, counted = saved_and_counted(ix)
    assert saved == counted and counted["documents"] == 5


def test_an_update_without_usable_saved_counts_counts_the_index_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    kefraya_corpus(corpus)
    ix = build(corpus)
    _, manifest = open_current(ix, memory_map=False)
    (ix / manifest.generation / NAME_COUNTS_FILE).write_bytes(b"not a pickle")
    for number in range(4, 7):
        write(corpus, number, f"shelling went on in Kefraya on day {number}.")
    update_index(index_dir=ix, extractor=ContextExtractor())
    rebuilt = tmp_path / "rebuilt"
    build_index(corpus, index_dir=rebuilt, extractor=ContextExtractor())
    assert entities_by_article(ix) == entities_by_article(rebuilt)
    saved, counted = saved_and_counted(ix)
    assert saved == counted


def commits(index_dir: Path) -> int:
    """The Whoosh commit the current generation is at (0: created empty)."""
    ix, _manifest = open_current(index_dir, memory_map=False)
    return int(ix.latest_generation())


def segments_without_table(index_dir: Path) -> int:
    ix, manifest = open_current(index_dir, memory_map=False)
    with ix.reader() as reader:
        segments = [leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()]
    return sum(PostingTable.open(index_dir / manifest.generation, s) is None for s in segments)


def kefraya_corpus(corpus: Path) -> Path:
    corpus.mkdir()
    write(corpus, 1, "yesterday Kefraya answered no.")
    write(corpus, 2, "today Kefraya answered yes.")
    write(corpus, 3, "fighting went on in Kefraya all day.")
    return corpus


def test_a_build_writes_each_article_once_under_the_archive_entities(tmp_path: Path) -> None:
    ix = build(kefraya_corpus(tmp_path / "corpus"))
    assert all(("Kefraya", "org") in entities for entities in entities_by_article(ix).values())
    assert commits(ix) == 1  # no second commit rewrote the article the vote overruled
    assert segments_without_table(ix) == 0


def test_an_update_writes_new_articles_and_rewritten_old_ones_in_one_commit(tmp_path: Path) -> None:
    ix = build(kefraya_corpus(tmp_path / "corpus"))
    before = commits(ix)
    for number in range(4, 7):  # the new votes change the old articles' Kefraya to a place
        write(tmp_path / "corpus", number, f"shelling went on in Kefraya on day {number}.")
    report = update_index(index_dir=ix, extractor=ContextExtractor())
    assert report.added == 3
    assert commits(ix) == before + 1  # never a commit showing new articles beside old entities
    assert all(("Kefraya", "place") in entities for entities in entities_by_article(ix).values())
    assert segments_without_table(ix) == 0


def test_the_entity_list_shows_the_type_votes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, 1, "yesterday Kefraya said no.")
    for number in range(2, 5):
        write(corpus, number, f"fighting went on in Kefraya on day {number}.")
    ix = build(corpus)
    result = CliRunner().invoke(cli, ["entities", "--json", "--index", str(ix)], catch_exceptions=False)
    (kefraya,) = [e for e in json.loads(result.output)["entities"] if e["name"] == "Kefraya"]
    assert kefraya["type"] == "place" and kefraya["articles"] == 4
    assert kefraya["votes"] == [{"type": "place", "articles": 3}, {"type": "person", "articles": 1}]
    text = CliRunner().invoke(cli, ["entities", "--index", str(ix)], catch_exceptions=False).output
    assert "typed: place 3 \u00b7 person 1" in text


def test_an_update_with_nothing_new_rewrites_nothing(tmp_path: Path) -> None:
    ix = build(lavrov_corpus(tmp_path / "corpus"))
    before = entities_by_article(ix)
    report = update_index(index_dir=ix, extractor=ContextExtractor())
    assert (report.added, report.changed, report.unchanged) == (0, 0, 5)
    assert entities_by_article(ix) == before


def test_an_index_of_no_article_resolves_to_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    ix = tmp_path / "ix"
    report = build_index(corpus, index_dir=ix, extractor=ContextExtractor())
    assert report.added == 0
    with Searcher(ix) as searcher:
        assert searcher.search(person="Sergei Lavrov").total == 0


def test_a_surname_that_two_people_of_an_article_share_lists_no_third_person(
    tmp_path: Path, spacy_extractor: EntityExtractor
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(
        corpus,
        1,
        "North Korean leader Kim Jong-un was not in Malaysia when his half-brother Kim Jong-nam died "
        "at the airport, police said. Kim had lived in Macau for years.",
    )
    write(corpus, 2, "North Korean leader Kim Jong-un watched a launch. Kim smiled, state media said.")
    index = tmp_path / "ix"
    build_index(corpus, index_dir=index, extractor=spacy_extractor)
    write(corpus, 3, "The body of Kim Jong-nam lay in Kuala Lumpur. Kim had criticised the regime.")
    update_index(index_dir=index, extractor=spacy_extractor)  # the archive's evidence about "Kim" changes
    found = entities_by_article(index)
    rebuilt = tmp_path / "rebuilt"
    build_index(corpus, index_dir=rebuilt, extractor=spacy_extractor)
    assert found == entities_by_article(rebuilt)
    assert "Kim" not in {name for name, _kind in found["001_0000000000000001"]}  # nor a town of Kim
    people = {
        article: [name for name, kind in entities if kind == "person"] for article, entities in found.items()
    }
    assert people == {
        "001_0000000000000001": ["Kim Jong-nam", "Kim Jong-un"],
        "002_0000000000000002": ["Kim Jong-un"],
        "003_0000000000000003": ["Kim Jong-nam"],
    }
