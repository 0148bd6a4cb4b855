"""A link in the corpus to a file outside it is never indexed (nor searchable, nor served).

A corpus is untrusted input: ``ln -s /etc/passwd corpus/passwd.txt`` must not put the
password file into the index. Links that stay inside the article folder are followed, and
``follow_links`` (``--follow-links``) follows the others too, for a folder of links on purpose.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURE_CORPUS

from searchlib import Searcher, build_index, corpus_changed, update_index
from searchlib.cli import ExitStatus, cli


def corpus_with_links(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus of one article, a link out to a secret file and a link to its own article."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(" date 2021-01-01 - Source: Secrets\n\nroot:x:0:0 passwordword\n", encoding="utf-8")
    corpus = tmp_path / "articles"
    corpus.mkdir()
    shutil.copy(FIXTURE_CORPUS / "101_a1b2c3d4e5f60001.txt", corpus)
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "relative.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (corpus / "inner.txt").symlink_to("101_a1b2c3d4e5f60001.txt")
    return corpus, secret


def test_a_link_out_of_the_corpus_is_skipped_with_its_reason(tmp_path: Path) -> None:
    corpus, secret = corpus_with_links(tmp_path)
    report = build_index(corpus, index_dir=tmp_path / "index")
    reasons = {Path(item.path).name: item.reason for item in report.skipped}
    outside = f"a link to {secret.resolve()}, outside the article folder"
    assert reasons == {"passwd.txt": outside, "relative.txt": outside}
    assert report.added == 2  # the article and its link inside the corpus
    with Searcher(tmp_path / "index") as searcher:
        assert searcher.search("passwordword").total == 0
        assert {h.id for h in searcher.search("", collapse=False).hits} == {"101_a1b2c3d4e5f60001", "inner"}


def test_an_update_skips_a_link_out_added_later(tmp_path: Path) -> None:
    corpus, secret = corpus_with_links(tmp_path)
    build_index(corpus, index_dir=tmp_path / "index")
    (corpus / "later.txt").symlink_to(secret)
    report = update_index(corpus, index_dir=tmp_path / "index")
    assert "later.txt" in {Path(item.path).name for item in report.skipped}
    assert report.added == 0
    with Searcher(tmp_path / "index") as searcher:
        assert searcher.search("passwordword").total == 0


def test_the_build_report_names_the_link_and_the_web_page_does_not_serve_it(tmp_path: Path) -> None:
    from searchlib.web import create_app

    corpus, _secret = corpus_with_links(tmp_path)
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index", str(tmp_path / "index")])
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert "passwd.txt: a link to" in result.output
    client = create_app(tmp_path / "index").test_client()
    assert client.get("/article/passwd").status_code == 404
    assert client.get("/api/search?q=passwordword").get_json()["total"] == 0


def linked_ids(index_dir: Path) -> set[str]:
    with Searcher(index_dir) as searcher:
        return {hit.id for hit in searcher.search("passwordword", collapse=False).hits}


def test_follow_links_indexes_the_files_links_lead_to(tmp_path: Path) -> None:
    corpus, _secret = corpus_with_links(tmp_path)
    report = build_index(corpus, index_dir=tmp_path / "index", follow_links=True)
    assert report.skipped == () and report.added == 4
    assert linked_ids(tmp_path / "index") == {"passwd", "relative"}
    assert not corpus_changed(tmp_path / "index")  # the freshness check follows them too


def test_an_update_keeps_the_index_choice_until_told_otherwise(tmp_path: Path) -> None:
    corpus, secret = corpus_with_links(tmp_path)
    build_index(corpus, index_dir=tmp_path / "index", follow_links=True)
    (corpus / "later.txt").symlink_to(secret)
    assert update_index(corpus, index_dir=tmp_path / "index").added == 1
    assert linked_ids(tmp_path / "index") == {"passwd", "relative", "later"}
    report = update_index(corpus, index_dir=tmp_path / "index", follow_links=False)
    assert report.removed == 3 and {Path(item.path).name for item in report.skipped} == {
        "passwd.txt",
        "relative.txt",
        "later.txt",
    }
    assert linked_ids(tmp_path / "index") == set()
    assert update_index(corpus, index_dir=tmp_path / "index").added == 0  # off is now the choice


def test_a_touched_folder_with_a_link_out_is_not_a_change(tmp_path: Path) -> None:
    """The quick freshness check lists a folder whose mtime moved as the build's scan did."""
    corpus, _secret = corpus_with_links(tmp_path)
    build_index(corpus, index_dir=tmp_path / "index")
    os.utime(corpus, ns=(1_000_000_000, 1_000_000_000))
    assert not corpus_changed(tmp_path / "index")


def test_the_cli_follows_links_when_asked(tmp_path: Path) -> None:
    corpus, _secret = corpus_with_links(tmp_path)
    index = str(tmp_path / "index")
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index", index, "--follow-links"])
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert "a link to" not in result.output and "Indexed 4 articles" in result.output
    assert linked_ids(tmp_path / "index") == {"passwd", "relative"}
    result = CliRunner().invoke(cli, ["update", "--index", index, "--no-follow-links"])
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert "passwd.txt: a link to" in result.output
    assert linked_ids(tmp_path / "index") == set()
