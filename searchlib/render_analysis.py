"""Terminal text for what analysts do after the first search: related articles and the like.

Kept apart from ``render`` (the search results page) so each stays short; it reuses its hit
layout, so a related article looks like a search hit.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from searchlib.models import RelatedArticles
from searchlib.render import hit_text


def print_related(console: Console, related: RelatedArticles) -> None:
    """``5 articles like ID (key terms: ...)``, then the hits, then the duplicates left out."""
    noun = "article" if len(related.hits) == 1 else "articles"
    line = Text(f"{len(related.hits)} {noun} like {related.id}", style="bold")
    if related.key_terms:
        terms = ", ".join(related.key_terms[:8])
        line.append(f"  (key terms: {terms}; {related.elapsed_ms:.1f} ms)", style="dim")
    console.print(line)
    for number, hit in enumerate(related.hits, start=1):
        console.print()
        console.print(hit_text(number, hit))
    if related.duplicates:
        console.print()
        console.print(Text(f"Left out as near-duplicates: {', '.join(related.duplicates)}", style="dim"))
