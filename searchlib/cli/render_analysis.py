"""Terminal text for what analysts do after the first search: related articles and the like.

Kept apart from ``render`` (the search results page) so each stays short; it reuses its hit
layout, so a related article looks like a search hit.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from searchlib.cli.render import hit_text
from searchlib.controls import visible_record
from searchlib.models import Histogram, NameVariants, RelatedArticles, Suggestion, WatchReport
from searchlib.wording import counted

BAR_WIDTH = 50
INTERVAL_HEADINGS = {"year": "Years", "month": "Months", "week": "Weeks (from Monday)", "day": "Days"}
_EIGHTHS = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"
_FULL = "\u2588"


def histogram_text(histogram: Histogram, *, width: int = BAR_WIDTH) -> Text:
    """One line per bucket, oldest first: its key, a bar scaled to the largest, its count."""
    noun = INTERVAL_HEADINGS.get(histogram.interval, "Dates")
    text = Text(f"{noun}:", style="bold")
    peak = histogram.peak or 1
    for bucket in histogram.buckets:
        text.append(f"\n  {bucket.key:<10} ")
        text.append(bar(bucket.count / peak * width), style="cyan")
        text.append(f" {bucket.count:,}", style="dim" if not bucket.count else "")
    if histogram.undated:
        text.append(f"\n  {'undated':<10} {histogram.undated:,}", style="dim")
    return text


def bar(length: float) -> str:
    """A horizontal bar ``length`` characters long, to an eighth of a character."""
    eighths = round(length * 8)
    full, rest = divmod(eighths, 8)
    return _FULL * full + (_EIGHTHS[rest] if rest else "")


def print_related(console: Console, related: RelatedArticles) -> None:
    """``5 articles like ID (key terms: ...)``, then the hits, then the duplicates left out."""
    related = visible_record(related)
    line = Text(f"{counted(len(related.hits), 'article')} like {related.id}", style="bold")
    if related.title:
        line.append(f" \u201c{related.title}\u201d", style="bold")
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


def watch_report_text(report: WatchReport) -> Text:
    """``name: 2 new articles since ... ('query', 40 in all)`` and one line per new article."""
    report = visible_record(report)
    text = Text(f"{report.name}: {counted(len(report.new), 'new article')}", style="bold")
    text.append(f" since {report.since} ({report.query!r}, {report.total:,} in all)", style="dim")
    for hit in report.new:
        text.append("\n  ")
        text.append(hit.date.strftime("%Y-%m-%d") if hit.date else "(no date)  ", style="cyan")
        text.append("  ")
        text.append(hit.source or "(no source)", style="green")
        text.append(f"  {hit.id}  ", style="dim")
        text.append(hit.heading)
    return text


def suggestion_text(suggestion: Suggestion) -> Text:
    """``Did you mean: Tillerson  (71 articles)``."""
    suggestion = visible_record(suggestion)
    text = Text("Did you mean: ", style="bold")
    text.append(suggestion.query, style="bold yellow")
    text.append(f"  ({counted(suggestion.total, 'article')})", style="dim")
    return text


def variants_text(found: tuple[NameVariants, ...]) -> Text:
    """``Also matched: Kadhemi -> kadhimi, kazemi`` (spellings of names that matched too)."""
    found = visible_record(found)
    text = Text("Also matched spellings: ", style="bold")
    text.append("; ".join(f"{item.word} \u2192 {', '.join(item.variants)}" for item in found))
    text.append("  (--no-variants to match as typed)", style="dim")
    return text
