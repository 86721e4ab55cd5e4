"""What funding holds about a person: which funding mixes they entered for their
organisation. The mixes are the organisation's and stay when the person goes (the link to
them is cleared by ``on_delete=SET_NULL``)."""

from __future__ import annotations

from typing import Any

from privacy import registry

from .models import FundingMix


def export_funding_mixes(user: Any) -> list[dict[str, Any]]:
    mixes = FundingMix.objects.filter(entered_by=user).select_related("organisation")
    return [
        {
            "organisation": m.organisation.name,
            "describes": m.as_of,
            "grants_percent": m.grants_percent,
            "contracts_percent": m.contracts_percent,
            "donations_percent": m.donations_percent,
            "earned_percent": m.earned_percent,
            "entered_at": m.created_at,
        }
        for m in mixes
    ]


def register() -> None:
    registry.register_export_section(
        "funding_mixes",
        export_funding_mixes,
        description="Funding mixes you gave for your organisation.",
    )
