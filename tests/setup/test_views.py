"""Set-up pages: who may see and do each thing, and what bad input gets."""

from __future__ import annotations

from django.urls import reverse

from partnerships.models import Forum, ForumMembership, Organisation, Place
from setup.models import EngagementAssessment, OrganisationProposal, PlaceProposal
from tests.conftest import World, client_for
from tests.setup.helpers import organisation_proposal, place_proposal

PLACE_FORM = {
    "name": "Seaton",
    "county": "Devon",
    "forum_name": "Seaton Forum",
    "forum_weekday": "2",
    "forum_venue": "Seaton library",
    "why": "Partners along the coast want to meet.",
}


def test_a_proposed_place_is_approved_from_the_queue_and_the_proposer_sees_it(
    world: World,
) -> None:
    proposer, staff = client_for(world.member_a), client_for(world.staff)

    response = proposer.post(reverse("setup:place_propose"), PLACE_FORM)
    assert response.status_code == 302
    proposal = PlaceProposal.objects.get(name="Seaton")
    assert "Seaton" in staff.get(reverse("setup:review_queue")).content.decode()

    url = reverse("setup:place_proposal", kwargs={"pk": proposal.pk})
    assert staff.post(url, {"decision": "approve"}).status_code == 302

    place = Place.objects.get(name="Seaton")
    forum = Forum.objects.get(place=place)
    assert ForumMembership.objects.get(forum=forum, user=world.member_a).is_facilitator
    page = proposer.get(reverse("setup:my_proposals")).content.decode()
    assert "Approved" in page
    assert place.get_absolute_url() in page


def test_the_proposer_cannot_decide_their_own_place_and_others_cannot_see_it(
    world: World,
) -> None:
    proposal = place_proposal(world)
    url = reverse("setup:place_proposal", kwargs={"pk": proposal.pk})

    assert client_for(world.member_a).post(url, {"decision": "approve"}).status_code == 403
    assert client_for(world.lead_a).get(url).status_code == 404
    assert client_for(world.lead_a).get(reverse("setup:review_queue")).status_code == 404
    assert not Place.objects.filter(name="Newtown").exists()


def test_declining_without_a_reason_shows_an_error_and_changes_nothing(world: World) -> None:
    proposal = place_proposal(world)
    url = reverse("setup:place_proposal", kwargs={"pk": proposal.pk})
    staff = client_for(world.staff)

    response = staff.post(url, {"decision": "decline", "reason": "  "})

    assert response.status_code == 200
    assert "Give a reason for declining." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending

    staff.post(url, {"decision": "decline", "reason": "Already part of Testford."})
    page = client_for(world.member_a).get(url).content.decode()
    assert "Already part of Testford." in page


def test_bad_input_is_refused_plainly(world: World) -> None:
    client = client_for(world.member_a)

    response = client.post(
        reverse("setup:place_propose"), {**PLACE_FORM, "forum_weekday": "9", "name": ""}
    )
    too_long = client.post(
        reverse("setup:organisation_propose"),
        {"name": "x" * 500, "sector": "vcs", "place": "999999", "what_we_do": "y"},
    )

    assert response.status_code == 200
    assert too_long.status_code == 200
    assert not PlaceProposal.objects.exists()
    assert not OrganisationProposal.objects.exists()


def test_a_lead_in_the_place_confirms_an_organisation_and_others_cannot(world: World) -> None:
    proposal = organisation_proposal(world)
    url = reverse("setup:organisation_proposal", kwargs={"pk": proposal.pk})

    assert client_for(world.member_a).get(url).status_code == 404  # not a lead
    assert client_for(world.member_b).post(url, {"decision": "approve"}).status_code == 403
    lead = client_for(world.lead_a)
    assert "New Org" in lead.get(reverse("setup:my_proposals")).content.decode()
    assert lead.post(url, {"decision": "approve"}).status_code == 302

    organisation = Organisation.objects.get(name="New Org")
    assert organisation.memberships.get().user == world.member_b


def test_a_lead_elsewhere_cannot_see_the_proposal(world: World) -> None:
    proposal = organisation_proposal(world)
    elsewhere = Organisation.objects.create(name="Far Org", slug="far-org")
    elsewhere.places.add(world.other_place)
    far_lead = elsewhere.memberships.create(user=world.commissioner, role="lead").user

    url = reverse("setup:organisation_proposal", kwargs={"pk": proposal.pk})
    assert client_for(far_lead).get(url).status_code == 404


def test_a_facilitator_adds_a_forum_and_becomes_its_facilitator(world: World) -> None:
    url = reverse("setup:forum_create", kwargs={"slug": world.place.slug})
    data = {
        "name": "Testford Youth Forum",
        "purpose": "Young people's voice.",
        "weekday": "4",
        "start_time": "17:30",
        "venue": "Library",
        "online_link": "",
        "access": "invite",
    }

    assert client_for(world.member_a).post(url, data).status_code == 403
    no_venue = client_for(world.facilitator).post(url, {**data, "venue": ""})
    assert no_venue.status_code == 200
    response = client_for(world.facilitator).post(url, data)

    forum = Forum.objects.get(name="Testford Youth Forum")
    assert response.status_code == 302
    assert (forum.place, forum.access, forum.weekday) == (world.place, "invite", 4)
    assert ForumMembership.objects.get(forum=forum).user == world.facilitator


def test_a_lead_edits_the_profile_shown_on_the_public_page(world: World) -> None:
    url = reverse("setup:organisation_profile", kwargs={"slug": world.org_a.slug})
    data = {
        "sector": "health",
        "what_we_do": "We run clinics.",
        "distinctive_contribution": "Trusted by families.",
        "website": "org-a.example.org",
    }

    assert client_for(world.member_a).post(url, data).status_code == 403
    assert client_for(world.lead_a).post(url, data).status_code == 302

    page = client_for(None).get(world.org_a.get_absolute_url()).content.decode()
    assert "We run clinics." in page
    assert "Trusted by families." in page
    world.org_a.refresh_from_db()
    assert world.org_a.website == "https://org-a.example.org"


def test_forum_members_assess_the_place_and_the_partnership_reads_the_history(
    world: World,
) -> None:
    url = reverse("setup:engagement_assess", kwargs={"slug": world.place.slug})
    data = {"level": "high", "practice": "We share budgets.", "reasons": "Three pooled funds."}

    assert client_for(world.member_a).post(url, data).status_code == 403
    assert client_for(world.facilitator).post(url, {**data, "level": "top"}).status_code == 200
    assert client_for(world.facilitator).post(url, data).status_code == 302

    assert EngagementAssessment.objects.get().level == "high"
    place_page = world.place.get_absolute_url()
    assert "Three pooled funds." in client_for(world.member_b).get(place_page).content.decode()
    public = client_for(None).get(place_page).content.decode()
    assert "Three pooled funds." not in public
    assert "We share budgets." in public  # the current practice is public, as before
