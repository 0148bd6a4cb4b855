"""A corpus of hostile files: each is indexed or skipped with its reason, and nothing is lost.

The files are made in tmp_path by the tests. The same expectations hold for a full build and
for an update of an index of the clean corpus, so a bad file can never cost an article that was
already indexed.
"""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import BuildReport, Searcher, build_index, update_index
from searchlib.cli import cli
from searchlib.entities.extract import EntityExtractor
from searchlib.models import SkippedFile

HEADER = " date 2021-03-04 - Source: Hostile Wire"
FIFTY_MB = 50 * 1024 * 1024
LONG_LINE_WORDS = 150_000  # 1.05 million characters on one line: more than spaCy accepts
CHILD = Path(__file__).with_name("writer_child.py")

SKIPPED = {
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "binary.txt": "binary file, not text",
    "fifty_mb.txt": f"too large ({FIFTY_MB + len(HEADER) + 2:,} bytes; the limit is 20,971,520)",
    "header_only.txt": "no text after the header",
    "loop.txt": "cannot read: Too many levels of symbolic links",
    "dangling.txt": "cannot read: No such file or directory",
    "pipe.txt": "cannot read: not a regular file",
}
"""File -> why it is not an article."""

INDEXED = {
    "invalid_utf8": ("3 undecodable byte sequence(s) replaced", "mojibake"),
    "utf16_bom": (None, "zurich"),
    "utf8_bom": (None, "bomword"),
    "crlf": (None, "crlfword"),
    "lone_cr": (None, "crword"),
    "no_header": ("no header line; date and source unknown", "headerless"),
    "impossible_date": ("impossible date '2020-13-45' ignored", "impossibledate"),
    "far_future": ("date '2999-01-01' is in the future", "futureword"),
    "long_line": (None, "needleword"),
    "nul_bytes": ("NUL bytes removed", "nulword"),
    "inside_dir": (None, "insideword"),
}
"""Article id -> (the warning it carries, a word that finds it)."""


def make_hostile_files(corpus: Path) -> None:
    def article(name: str, body: str, header: str = HEADER) -> None:
        (corpus / name).write_text(f"{header}\n\n{body}\n", encoding="utf-8")

    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_bytes(b"  \n\r\n\t\n")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with (corpus / "fifty_mb.txt").open("wb") as handle:
        handle.write(f"{HEADER}\n\n".encode())
        handle.write(b"hugeword " * (FIFTY_MB // 9) + b"x" * (FIFTY_MB % 9))
    (corpus / "invalid_utf8.txt").write_bytes(f"{HEADER}\n\nA mojibake story \xff\xfe\xc3(".encode("latin-1"))
    (corpus / "utf16_bom.txt").write_bytes(
        codecs.BOM_UTF16_LE + f"{HEADER}\n\nA story from Zürich.\n".encode("utf-16-le")
    )
    (corpus / "utf8_bom.txt").write_bytes(codecs.BOM_UTF8 + f"{HEADER}\n\nA bomword story.\n".encode())
    (corpus / "crlf.txt").write_bytes(f"{HEADER}\r\n\r\nCRLF title\r\n\r\nA crlfword story.\r\n".encode())
    (corpus / "lone_cr.txt").write_bytes(f"{HEADER}\r\rCR title\r\rA crword story.\r".encode())
    (corpus / "no_header.txt").write_text("A headerless story with no date line at all.\n")
    article("impossible_date.txt", "An impossibledate story.", " date 2020-13-45 - Source: Hostile Wire")
    article("far_future.txt", "A futureword story.", " date 2999-01-01 - Source: Hostile Wire")
    article("header_only.txt", "")
    article("long_line.txt", "filler " * LONG_LINE_WORDS + "needleword")
    (corpus / "nul_bytes.txt").write_bytes(f"{HEADER}\n\nA nulword\x00 story.\n".encode())
    (corpus / "loop.txt").symlink_to("loop.txt")
    (corpus / "dangling.txt").symlink_to("nowhere/at-all.txt")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "folder.txt").mkdir()
    article("folder.txt/inside_dir.txt", "An insideword story.")
    (corpus / "notes.md").write_text(f"{HEADER}\n\nmarkdownword\n")
    (corpus / "photo.jpg").write_bytes(bytes(range(256)))
    (corpus / ".hidden.txt").write_text(f"{HEADER}\n\nhiddenword\n")


@pytest.fixture()
def hostile_corpus(fresh_corpus: Path) -> Iterator[Path]:
    yield fresh_corpus
    (fresh_corpus / "pipe.txt").unlink(missing_ok=True)


def by_name(report: BuildReport, kind: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in getattr(report, kind):
        found.setdefault(Path(item.path).name, []).append(item.reason)
    return found


def check(report: BuildReport, index: Path, clean_ids: set[str], *, files_read: bool = True) -> None:
    """Skips and warnings as expected (warnings come only from files read in this run)."""
    assert {name: reasons[0] for name, reasons in by_name(report, "skipped").items()} == SKIPPED
    warnings = by_name(report, "warnings")
    for doc_id, (warning, _word) in INDEXED.items():
        if warning and files_read:
            assert warning in warnings[f"{doc_id}.txt"], doc_id
    with Searcher(index) as searcher:
        everything = searcher.search("", page_size=1000, facets=None, snippets=0)
        assert {hit.id for hit in everything.hits} == clean_ids | set(INDEXED)
        for doc_id, (_warning, word) in INDEXED.items():
            assert [hit.id for hit in searcher.search(word, facets=None).hits] == [doc_id], word
        assert searcher.search("OPEC").total == 1
        for word in ("hugeword", "markdownword", "hiddenword"):
            assert searcher.search(word, facets=None).total == 0
        assert searcher.article("impossible_date").date is None
        assert searcher.article("far_future").date.year == 2999
        assert searcher.article("crlf").title == "CRLF title"
        assert searcher.article("lone_cr").title == "CR title"
        assert searcher.article("utf8_bom").source == "Hostile Wire"


def test_a_build_indexes_or_skips_each_hostile_file(
    hostile_corpus: Path, tmp_path: Path, spacy_extractor: EntityExtractor
) -> None:
    clean_ids = {p.stem for p in hostile_corpus.glob("*.txt")}
    make_hostile_files(hostile_corpus)
    report = build_index(hostile_corpus, index_dir=tmp_path / "ix", extractor=spacy_extractor)
    check(report, tmp_path / "ix", clean_ids)


def test_an_update_with_hostile_files_loses_nothing_and_repeats_nothing(
    hostile_corpus: Path, tmp_path: Path, spacy_extractor: EntityExtractor
) -> None:
    index = tmp_path / "ix"
    clean_ids = {p.stem for p in hostile_corpus.glob("*.txt")}
    build_index(hostile_corpus, index_dir=index, extractor=spacy_extractor)
    make_hostile_files(hostile_corpus)
    report = update_index(index_dir=index, extractor=spacy_extractor)
    assert (report.added, report.changed, report.removed) == (len(INDEXED), 0, 0)
    check(report, index, clean_ids)
    again = update_index(index_dir=index, extractor=spacy_extractor)
    assert (again.indexed, again.removed) == (0, 0)
    check(again, index, clean_ids, files_read=False)


def test_the_cli_size_limit_applies_to_index_and_update(hostile_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    big = hostile_corpus / "big.txt"
    big.write_text(f"{HEADER}\n\n" + "bigword " * 2000)
    runner = CliRunner()
    built = runner.invoke(cli, ["index", str(hostile_corpus), "--index", str(index), "--max-bytes", "5000"])
    assert built.exit_code == 0 and "big.txt: too large" in built.stdout
    updated = runner.invoke(cli, ["update", "--index", str(index), "--max-bytes", "20000"])
    assert updated.exit_code == 0 and "1 added" in updated.stdout


def drop_file_permission_override() -> None:
    """Run the child as root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH, so modes apply."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def write_in_child(command: str, index: Path, corpus: Path) -> BuildReport:
    """Build or update in a process for which file permissions are enforced, even as root."""
    as_root = os.geteuid() == 0
    result = subprocess.run(
        [sys.executable, str(CHILD), command, str(index), str(corpus)],
        capture_output=True,
        text=True,
        preexec_fn=drop_file_permission_override if as_root else None,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.splitlines()[-2])
    return BuildReport(
        **{
            **data,
            "skipped": tuple(SkippedFile(**item) for item in data["skipped"]),
            "warnings": tuple(SkippedFile(**item) for item in data["warnings"]),
        }
    )


def test_a_file_without_read_permission(fresh_corpus: Path) -> None:
    """Skipped by a build; when an indexed file loses its permission, an update keeps it."""
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "ix"
        locked = fresh_corpus / "locked.txt"
        locked.write_text(f"{HEADER}\n\nA lockedword story.\n")
        locked.chmod(0)
        report = write_in_child("build", index, fresh_corpus)
        assert {name: reasons[0] for name, reasons in by_name(report, "skipped").items()} == {
            "locked.txt": "cannot read: Permission denied"
        }
        locked.chmod(0o644)
        write_in_child("update", index, fresh_corpus)
        with Searcher(index) as searcher:
            assert searcher.search("lockedword").total == 1
        locked.chmod(0)
        locked.write_bytes(locked.read_bytes() + b"More.\n")  # changed and unreadable
        report = write_in_child("update", index, fresh_corpus)
        assert by_name(report, "skipped") == {
            "locked.txt": ["cannot read: Permission denied; the indexed version is kept"]
        }
        assert (report.added, report.changed, report.removed) == (0, 0, 0)
        with Searcher(index) as searcher:
            assert searcher.search("lockedword").total == 1
        shutil.rmtree(index)


def test_a_folder_that_cannot_be_listed(fresh_corpus: Path) -> None:
    """Reported by name; an update keeps the articles indexed from it instead of dropping them."""
    folder = fresh_corpus / "2021"
    folder.mkdir()
    (folder / "inner.txt").write_text(f"{HEADER}\n\nAn innerword story.\n")
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "ix"
        write_in_child("build", index, fresh_corpus)
        folder.chmod(0)
        try:
            report = write_in_child("update", index, fresh_corpus)
            assert by_name(report, "skipped") == {"2021": ["cannot list folder: Permission denied"]}
            assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 9)
            with Searcher(index) as searcher:
                assert searcher.search("innerword").total == 1
        finally:
            folder.chmod(0o755)
        shutil.rmtree(index)
