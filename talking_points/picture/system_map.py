"""The system map: a place's organisations and how they relate, for the drawing and its table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from partnerships.models import Organisation, Place, Relationship, RelationshipKind, Sector

SECTOR_COLOURS = {
    Sector.VCS: "#00703c",
    Sector.STATUTORY: "#1d4f91",
    Sector.HEALTH: "#912b88",
    Sector.FUNDER: "#b35900",
    Sector.PRIVATE: "#505a5f",
    Sector.ACADEMIC: "#6f4e00",
}
KIND_DASHES = {
    RelationshipKind.FUNDS: "",
    RelationshipKind.COMMISSIONS: "8 4",
    RelationshipKind.REFERS_TO: "2 4",
    RelationshipKind.PARTNERS_WITH: "12 4 2 4",
}


@dataclass
class SystemMap:
    organisations: list[Organisation]
    relationships: list[Relationship]
    kinds: list[str]
    sectors: list[str]

    def as_data(self) -> dict[str, Any]:
        """What static/js/system-map.js draws."""
        return {
            "nodes": [
                {
                    "id": o.pk,
                    "name": o.name,
                    "sector": o.sector,
                    "sectorLabel": o.get_sector_display(),
                    "colour": SECTOR_COLOURS.get(Sector(o.sector), "#505a5f"),
                }
                for o in self.organisations
            ],
            "edges": [
                {
                    "source": r.source_id,
                    "target": r.target_id,
                    "kind": r.kind,
                    "kindLabel": r.get_kind_display(),
                    "dash": KIND_DASHES.get(RelationshipKind(r.kind), ""),
                }
                for r in self.relationships
            ],
            "kinds": [
                {"kind": k, "label": label, "dash": KIND_DASHES[RelationshipKind(k)]}
                for k, label in RelationshipKind.choices
            ],
            "sectors": [
                {"sector": s, "label": label, "colour": SECTOR_COLOURS[Sector(s)]}
                for s, label in Sector.choices
            ],
        }

    def summary(self) -> str:
        """One sentence for the picture's text alternative."""
        if not self.relationships:
            return f"The map shows {len(self.organisations)} organisations and no relationships."
        counts: dict[str, int] = defaultdict(int)
        for r in self.relationships:
            counts[r.get_kind_display()] += 1
        parts = ", ".join(f"{n} “{kind}”" for kind, n in sorted(counts.items()))
        return (
            f"The map shows {len(self.organisations)} organisations and "
            f"{len(self.relationships)} relationships ({parts}). The table below lists each one."
        )


def system_map(place: Place, *, kinds: list[str], sectors: list[str]) -> SystemMap:
    """The place's organisations and relationships, filtered by relationship kind and by
    sector (a relationship is kept when either end is in a chosen sector). Two queries."""
    relationships: QuerySet[Relationship] = Relationship.objects.filter(
        place=place, source__places=place, target__places=place
    ).select_related("source", "target", "created_by")
    if kinds:
        relationships = relationships.filter(kind__in=kinds)
    if sectors:
        relationships = relationships.filter(
            Q(source__sector__in=sectors) | Q(target__sector__in=sectors)
        )
    edge_list = list(relationships.distinct())
    organisations = place.organisations.order_by("name")
    if sectors:
        ends = {r.source_id for r in edge_list} | {r.target_id for r in edge_list}
        organisations = organisations.filter(Q(sector__in=sectors) | Q(pk__in=ends))
    return SystemMap(
        organisations=list(organisations),
        relationships=edge_list,
        kinds=kinds,
        sectors=sectors,
    )
