"""Features built on queries for analysts: batch runs of many queries, exports (CSV, JSON Lines)
and saved searches that watch for new matches.

It may import every stage below (``querying``, ``indexing`` and down); ``cli`` and ``web`` sit above.
"""
