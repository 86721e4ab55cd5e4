"""Objects the URL-access walk and set-up tests build in ``world``."""

from __future__ import annotations

from typing import Any

from partnerships.models import Weekday
from setup import services
from setup.models import OrganisationProposal, PlaceProposal
from tests.conftest import World


def place_proposal(world: World, name: str = "Newtown") -> PlaceProposal:
    """Proposed by member_a."""
    return services.place_proposal_create(
        proposer=world.member_a,
        data={
            "name": name,
            "county": "Devon",
            "forum_name": f"{name} Forum",
            "forum_weekday": Weekday.THURSDAY,
            "forum_venue": "Town hall",
            "why": "Partners want to meet.",
        },
    )


def organisation_proposal(world: World, name: str = "New Org") -> OrganisationProposal:
    """Proposed by member_b, in ``world.place`` (where lead_a leads org A)."""
    return services.organisation_proposal_create(
        proposer=world.member_b,
        data={
            "name": name,
            "sector": "vcs",
            "place": world.place,
            "what_we_do": "We run a food bank.",
        },
    )


def place_proposal_pk(world: World) -> dict[str, Any]:
    return {"pk": place_proposal(world).pk}


def organisation_proposal_pk(world: World) -> dict[str, Any]:
    return {"pk": organisation_proposal(world).pk}
