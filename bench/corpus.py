"""Synthetic archives of any size, made deterministically from the real news-dev articles.

Each synthetic article keeps a real headline and recombines real paragraphs (its own and a
few from other articles of the same source), so the vocabulary, entity density and article
lengths stay those of real news; dates move by whole weeks per copy and some copies move to
another source, so date and source facets spread out the way a long archive's do. The same
``count`` always gives the same files.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from searchlib.articles.textfile import iter_article_paths, read_article

EXTRA_SOURCES = (
    "Reuters",
    "AFP",
    "Associated Press",
    "The Guardian",
    "Iraq News",
    "Xinhua",
    "NPR",
    "France 24",
)
FILES_PER_FOLDER = 10_000


@dataclass(frozen=True)
class Seed:
    """One real article, split for recombination."""

    date: date
    source: str
    title: str
    paragraphs: tuple[str, ...]


def load_seeds(corpus_dir: Path) -> list[Seed]:
    """The real articles with a date, a source and a title, in file order."""
    seeds = []
    for path in iter_article_paths(corpus_dir):
        article = read_article(path)
        if article.date and article.source and article.title:
            paragraphs = tuple(p for p in article.body.split("\n\n") if p.strip())
            seeds.append(Seed(article.date.date(), article.source, article.title, paragraphs))
    return seeds


def generate(seeds: list[Seed], count: int, out_dir: Path, *, start: int = 0) -> Path:
    """Write articles number ``start`` to ``start + count - 1`` under ``out_dir`` (10,000 per sub-folder)."""
    rng = random.Random(f"{start}:{count}")
    by_source: dict[str, list[Seed]] = {}
    for seed in seeds:
        by_source.setdefault(seed.source, []).append(seed)
    sources = sorted(by_source) + list(EXTRA_SOURCES)
    for number in range(start, start + count):
        seed = seeds[number % len(seeds)]
        copy = number // len(seeds)
        text = _article_text(seed, copy, by_source[seed.source], sources, rng)
        digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
        folder = out_dir / f"{number // FILES_PER_FOLDER:03d}"
        if number == start or number % FILES_PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number:07d}_{digest}.txt").write_text(text, encoding="utf-8")
    return out_dir


def _article_text(
    seed: Seed, copy: int, same_source: list[Seed], sources: list[str], rng: random.Random
) -> str:
    """The seed itself for copy 0; later copies swap paragraphs, shift the date, maybe the source."""
    paragraphs = list(seed.paragraphs)
    source = seed.source
    day = seed.date
    if copy:
        for i in range(len(paragraphs)):
            if rng.random() < 0.4:
                other = rng.choice(same_source)
                paragraphs[i] = rng.choice(other.paragraphs)
        day = seed.date - timedelta(weeks=3 * copy, days=rng.randrange(7))
        if rng.random() < 0.3:
            source = rng.choice(sources)
    header = f" date {day.isoformat()} {day:%Y/%m/%d} | 00:00 - Source: {source}"
    return "\n\n".join([header, seed.title, *paragraphs]) + "\n"
