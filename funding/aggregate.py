"""A place's funding mix in aggregate: the only way anyone but an organisation's own members
sees anything of its mix.

The average of each share across the latest mixes of the organisations working in the
place, shown only when at least ``MIN_ORGANISATIONS`` have given theirs. Fewer, and nothing
is returned (not even the count's exact number below the threshold is needed by a page).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from partnerships.models import Place

from .models import MIN_ORGANISATIONS, SHARES, FundingMix


@dataclass(frozen=True)
class PlaceMix:
    organisations: int
    shares: list[tuple[str, Decimal]]


def place_mix(place: Place) -> PlaceMix | None:
    """The place's aggregate mix, or None below the threshold. One query."""
    result = (
        FundingMix.objects.latest_per_organisation()
        .filter(organisation__places=place)
        .aggregate(n=Count("pk"), **{field: Avg(field) for field, _ in SHARES})
    )
    count = int(result["n"] or 0)
    if count < MIN_ORGANISATIONS:
        return None
    return PlaceMix(
        organisations=count,
        shares=[
            (
                label,
                Decimal(str(result[field] or 0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            )
            for field, label in SHARES
        ],
    )
