"""What a search asks of the archive's entity resolution, and the resolution as a record.

``resolve`` makes a ``Resolution`` when an index is written; a search only looks names up in
it (``EntityLookup``), mostly from the table saved beside the index. These classes live apart
from the resolution pass so that a search process does not import the pass, its gazetteer
and name rules (50 ms of a cold ``search``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from searchlib.entities.aliases import fold_name
from searchlib.models import EntityType


@dataclass(frozen=True)
class ResolvedName:
    """An entity of the archive that more than one name or type was found for."""

    name: str
    type: EntityType
    names: tuple[str, ...]
    """Its other names, commonest first."""
    votes: tuple[tuple[str, int], ...]
    """Articles typing it each way, most first."""


class EntityLookup:
    """What a search asks of the archive's resolution, whether held in memory (``Resolution``)
    or read name by name from the table saved beside the index (``indexing.resolution_table``)."""

    def target(self, name: str) -> tuple[str, EntityType] | None:
        """The canonical name and type of the entity ``name`` stands for, if the archive says."""
        raise NotImplementedError

    def entity(self, kind: str, name: str) -> ResolvedName | None:
        """What resolution found for a canonical entity, if it merged names or types."""
        raise NotImplementedError

    def empty(self) -> bool:
        """Whether no name of the archive stands for another entity (nothing to expand)."""
        raise NotImplementedError

    def other_names(self, name: str) -> tuple[str, ...]:
        """Every other name of the entity ``name`` is a name of (empty if none is known)."""
        found = self.target(name)
        entity = self.entity(found[1], found[0]) if found else None
        if entity is None:
            return ()
        key = fold_name(name)
        return tuple(n for n in (entity.name, *entity.names) if fold_name(n) != key)

    def close(self) -> None:
        """Let go of the file it reads, if any."""


@dataclass(frozen=True)
class Resolution(EntityLookup):
    """Which entity each name of the archive stands for: ``target`` of a folded name."""

    targets: dict[str, tuple[str, EntityType]] = field(default_factory=dict)
    entities: tuple[ResolvedName, ...] = ()
    generation: int | None = None
    """The index commit it was made for, once saved (see ``indexing.resolution``)."""
    _by_name: dict[tuple[str, str], ResolvedName] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {(e.type, e.name): e for e in self.entities})

    def target(self, name: str) -> tuple[str, EntityType] | None:
        return self.targets.get(fold_name(name))

    def entity(self, kind: str, name: str) -> ResolvedName | None:
        return self._by_name.get((kind, name))

    def empty(self) -> bool:
        return not self.targets

    def to_json(self, *, generation: int | None = None) -> str:
        return json.dumps(
            {
                "generation": generation,
                "entities": [
                    {"name": e.name, "type": e.type, "names": list(e.names), "votes": dict(e.votes)}
                    for e in self.entities
                ],
                "targets": {k: list(v) for k, v in sorted(self.targets.items())},
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Resolution:
        data = json.loads(text)
        entities = tuple(
            ResolvedName(e["name"], e["type"], tuple(e["names"]), tuple(e["votes"].items()))
            for e in data.get("entities", ())
        )
        targets = {k: (v[0], v[1]) for k, v in data.get("targets", {}).items()}
        return cls(targets=targets, entities=entities, generation=data.get("generation"))
