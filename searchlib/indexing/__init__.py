"""Writing the index and keeping it current: the schema, analysers, build and update, the
on-disk store with its manifest, locks and generations, and the derived tables beside it
(file table, facet tables, near-duplicate clusters, story codes).

It may import ``searchlib.articles`` and ``searchlib.entities``; queries live a stage above.
"""

from __future__ import annotations

import sys

from searchlib.indexing import analysis, schema

# An index's table of contents holds its schema pickled with the module path of each analyser
# class. Indexes written while these modules sat at the top of the package name
# ``searchlib.analysis`` and ``searchlib.schema``; both names keep resolving so those indexes open.
sys.modules.setdefault("searchlib.analysis", analysis)
sys.modules.setdefault("searchlib.schema", schema)
