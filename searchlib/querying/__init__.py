"""Answering queries: parsing the query language, matching and scoring with arrays, snippets,
facets, date histograms, did-you-mean, name spellings and related articles, behind ``Searcher``.

It reads the index through ``searchlib.indexing`` (store, schema, derived tables) and may import
the stages below it; it never writes the index.
"""
