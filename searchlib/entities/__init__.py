"""Finding the people, organisations and places an article names.

This stage owns NER (spaCy, in local processes or on a Dask cluster), the span rules that clean
its output, gazetteers, the aliases file, the per-article mention cache and canonical names. It
may import ``searchlib.articles``, ``searchlib.models`` and ``searchlib.errors``; it knows
nothing of Whoosh.
"""
