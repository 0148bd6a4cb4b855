"""Reading article files into ``Article`` records, and the page furniture found in them.

This stage owns everything that turns bytes on disk into clean text: the formats (``kinds``
names them; ``textfile`` for the archive's ``.txt`` articles, ``webpage`` for saved pages,
``jsonlines``, ``csvfile`` and ``warcfile`` for files of many articles, ``formats`` in front of
them all), the keys of JSON and CSV records (``fields``), record ids (``records``), header
parsing, encodings, size limits, walking a corpus folder. It knows nothing of entities or the
index, and imports only ``searchlib.models`` and ``searchlib.errors`` (and its readers'
libraries: trafilatura, warcio).
"""
