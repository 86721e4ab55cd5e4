"""The answer to a proposal, emailed to the person who made it through the outbox. Each
builder gets a claimed outbox row and returns the email, or a sentence saying why it is
no longer sent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from outbox import registry
from outbox.models import Delivery, DeliveryKind

from .models import OrganisationProposal, PlaceProposal, ProposalStatus


def _message(
    delivery: Delivery, proposal: PlaceProposal | OrganisationProposal | None, what: str, url: str
) -> EmailMessage | str:
    if proposal is None:
        return "The proposal was withdrawn."
    if proposal.status == ProposalStatus.PENDING:
        return "The proposal has not been decided."
    approved = proposal.status == ProposalStatus.APPROVED
    context = {
        "proposal": proposal,
        "what": what,
        "approved": approved,
        "recipient": delivery.recipient,
        "link": settings.SITE_URL + url,
    }
    answer = "approved" if approved else "not approved"
    return EmailMessage(
        subject=f"Your proposed {what} {proposal.name} was {answer}"[:200],
        body=render_to_string("setup/email/decision.txt", context),
    )


def _about(delivery: Delivery) -> int:
    assert delivery.about_id is not None  # these kinds are always about one proposal
    return delivery.about_id


def place_decision_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    proposal = PlaceProposal.objects.filter(pk=_about(delivery)).select_related("place").first()
    url = reverse("setup:place_proposal", kwargs={"pk": delivery.about_id})
    if proposal is not None and proposal.place is not None:
        url = proposal.place.get_absolute_url()
    return _message(delivery, proposal, "place", url)


def organisation_decision_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    proposal = (
        OrganisationProposal.objects.filter(pk=_about(delivery))
        .select_related("organisation")
        .first()
    )
    url = reverse("setup:organisation_proposal", kwargs={"pk": delivery.about_id})
    if proposal is not None and proposal.organisation is not None:
        url = proposal.organisation.get_absolute_url()
    return _message(delivery, proposal, "organisation", url)


def register() -> None:
    registry.register(DeliveryKind.PLACE_PROPOSAL, build=place_decision_message)
    registry.register(DeliveryKind.ORG_PROPOSAL, build=organisation_decision_message)
