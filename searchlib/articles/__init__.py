"""Reading article files into ``Article`` records, and the page furniture found in them.

This stage owns everything that turns bytes on disk into clean text: header parsing, encodings,
size limits, walking a corpus folder. It knows nothing of entities or the index, and imports
only ``searchlib.models`` and ``searchlib.errors``.
"""
