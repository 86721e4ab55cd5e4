"""Set-up services: proposals decided once, in one transaction, with the proposer told."""

from __future__ import annotations

import pytest
from django.core import mail

from outbox import services as outbox
from outbox.models import Delivery, DeliveryKind
from partnerships.models import Forum, ForumMembership, Membership, Organisation, Place
from setup import services
from setup.models import EngagementAssessment, PlaceProposal, ProposalStatus
from tests.conftest import World
from tests.setup.helpers import organisation_proposal, place_proposal


def test_approving_a_place_makes_the_place_its_forum_and_the_proposer_facilitator(
    world: World,
) -> None:
    proposal = place_proposal(world)

    place = services.place_proposal_decide(proposal=proposal, by=world.staff, approve=True)

    assert place is not None
    assert (place.name, place.slug, place.county) == ("Newtown", "newtown", "Devon")
    forum = Forum.objects.get(place=place)
    assert (forum.name, forum.weekday, forum.purpose) == (
        "Newtown Forum",
        3,
        "Partners want to meet.",
    )
    forum.full_clean()  # a venue, as every forum needs
    membership = ForumMembership.objects.get(forum=forum)
    assert (membership.user, membership.role) == (world.member_a, "facilitator")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.place, proposal.decided_by) == (
        ProposalStatus.APPROVED,
        place,
        world.staff,
    )


def test_a_place_is_decided_once(world: World) -> None:
    proposal = place_proposal(world)
    services.place_proposal_decide(proposal=proposal, by=world.staff, approve=True)
    stale = PlaceProposal.objects.get(pk=proposal.pk)
    stale.status = ProposalStatus.PENDING

    with pytest.raises(services.SetupError, match="already decided"):
        services.place_proposal_decide(proposal=stale, by=world.staff, approve=True)

    assert Place.objects.filter(name="Newtown").count() == 1


def test_approval_rolls_back_whole_when_the_place_appeared_meanwhile(world: World) -> None:
    proposal = place_proposal(world, name="Later")
    Place.objects.create(name="Later", slug="later-by-hand")

    with pytest.raises(services.SetupError, match="already exists"):
        services.place_proposal_decide(proposal=proposal, by=world.staff, approve=True)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not Forum.objects.filter(name="Later Forum").exists()
    assert not Delivery.objects.filter(kind=DeliveryKind.PLACE_PROPOSAL).exists()


def test_declining_needs_a_reason_and_the_proposer_is_emailed_it(world: World) -> None:
    proposal = place_proposal(world)
    with pytest.raises(services.SetupError, match="reason"):
        services.place_proposal_decide(proposal=proposal, by=world.staff, approve=False)

    services.place_proposal_decide(
        proposal=proposal, by=world.staff, approve=False, reason="It is part of Testford."
    )
    outbox.deliveries_send_now(Delivery.objects.values_list("pk", flat=True))

    [message] = mail.outbox
    assert message.to == [world.member_a.email]
    assert "not approved" in str(message.subject)
    assert "It is part of Testford." in message.body
    assert not Place.objects.filter(name="Newtown").exists()


def test_a_place_already_listed_cannot_be_proposed(world: World) -> None:
    with pytest.raises(services.SetupError, match="already on HLS Forum"):
        place_proposal(world, name="testford")


def test_confirming_an_organisation_makes_the_proposer_its_lead(world: World) -> None:
    proposal = organisation_proposal(world)

    organisation = services.organisation_proposal_decide(
        proposal=proposal, by=world.lead_a, approve=True
    )
    outbox.deliveries_send_now(Delivery.objects.values_list("pk", flat=True))

    assert organisation is not None
    assert list(organisation.places.all()) == [world.place]
    assert organisation.what_we_do == "We run a food bank."
    lead = Membership.objects.get(organisation=organisation)
    assert (lead.user, lead.role, lead.is_admin) == (world.member_b, "lead", True)
    [message] = mail.outbox
    assert message.to == [world.member_b.email]
    assert organisation.get_absolute_url() in message.body


def test_organisation_names_are_unique_in_a_place(world: World) -> None:
    with pytest.raises(services.SetupError, match="already listed"):
        organisation_proposal(world, name="org a")


def test_slugs_do_not_clash(world: World) -> None:
    Organisation.objects.create(name="Fresh", slug="fresh")

    organisation = services.organisation_proposal_decide(
        proposal=organisation_proposal(world, name="Fresh"), by=world.staff, approve=True
    )

    assert organisation is not None
    assert organisation.slug == "fresh-2"


def test_the_latest_assessment_is_the_places_level(world: World) -> None:
    services.engagement_assess(
        place=world.place, by=world.facilitator, level="low", practice="Early.", reasons="A"
    )
    services.engagement_assess(
        place=world.place, by=world.facilitator, level="high", practice="Shared.", reasons="B"
    )

    world.place.refresh_from_db()
    assert (world.place.engagement_level, world.place.current_practice) == ("high", "Shared.")
    assert [a.reasons for a in EngagementAssessment.objects.filter(place=world.place)] == [
        "B",
        "A",
    ]


def test_assessments_are_seen_by_the_partnership_only(world: World) -> None:
    services.engagement_assess(
        place=world.place, by=world.facilitator, level="low", practice="Early.", reasons="A"
    )
    outsider = Forum.objects.create(
        place=world.other_place, name="Far", slug="far", purpose="x", venue="Hall"
    )
    stranger = ForumMembership.objects.create(forum=outsider, user=world.staff).user

    assert EngagementAssessment.objects.visible_to(world.member_b).count() == 1
    assert EngagementAssessment.objects.visible_to(stranger).count() == 0
