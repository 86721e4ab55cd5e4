"""Organisation leads invite colleagues by email and remove them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Invitation, Membership
from tests import factories
from tests.conftest import World, client_for


def invite_url(world: World) -> str:
    return reverse("partnerships:organisation_invite", kwargs={"slug": world.org_a.slug})


def remove_url(world: World, membership: Membership) -> str:
    return reverse(
        "partnerships:membership_remove",
        kwargs={"slug": world.org_a.slug, "pk": membership.pk},
    )


def test_lead_sees_invite_form_and_remove_links_on_organisation_page(world: World) -> None:
    response = client_for(world.lead_a).get(world.org_a.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Invite a colleague" in content
    assert invite_url(world) in content
    member = Membership.objects.get(user=world.member_a)
    assert remove_url(world, member) in content


@pytest.mark.parametrize("persona", ["member_a", "member_b", "facilitator", "commissioner"])
def test_organisation_page_shows_no_invite_form_to_non_leads(world: World, persona: str) -> None:
    response = client_for(world.user(persona)).get(world.org_a.get_absolute_url())

    assert response.status_code == 200
    assert invite_url(world) not in response.content.decode()


def test_lead_invites_a_colleague_and_an_invitation_is_stored(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.lead_a)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            invite_url(world), {"email": "New.Person@Example.org", "role": "volunteer"}
        )

    assert response.status_code == 302
    assert response["Location"] == world.org_a.get_absolute_url()
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert invitation.organisation == world.org_a
    assert invitation.organisation_role == "volunteer"
    assert invitation.invited_by == world.lead_a
    assert len(callbacks) == 1  # the email task is queued after commit
    page = client.get(world.org_a.get_absolute_url()).content.decode()
    assert "We have emailed an invitation to new.person@example.org." in page
    assert "Invitations waiting for a reply" in page


@pytest.mark.parametrize(
    "email",
    ["not-an-email", "two@@example.org", "name@", "", "a b@example.org", "x" * 250 + "@e.org"],
)
def test_invite_with_malformed_email_shows_error_summary_and_stores_nothing(
    world: World, email: str
) -> None:
    response = client_for(world.lead_a).post(invite_url(world), {"email": email, "role": "staff"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert 'href="#id_email"' in content
    assert Invitation.objects.count() == 0


def test_invite_refuses_someone_already_in_the_organisation(world: World) -> None:
    response = client_for(world.lead_a).post(
        invite_url(world), {"email": world.member_a.email.upper(), "role": "staff"}
    )

    assert response.status_code == 200
    assert "is already a member of Org A" in response.content.decode()
    assert Invitation.objects.count() == 0


def test_invite_refuses_a_second_invitation_to_the_same_address(world: World) -> None:
    client = client_for(world.lead_a)
    client.post(invite_url(world), {"email": "twice@example.org", "role": "staff"})

    response = client.post(invite_url(world), {"email": "twice@example.org", "role": "staff"})

    assert "already has an invitation waiting" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_invite_refuses_an_unknown_role(world: World) -> None:
    response = client_for(world.lead_a).post(
        invite_url(world), {"email": "ok@example.org", "role": "owner"}
    )

    assert "There is a problem" in response.content.decode()
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["member_a", "member_b", "facilitator", "commissioner", "staff"]
)
def test_invite_by_a_non_lead_is_refused_with_a_plain_english_page(
    world: World, persona: str
) -> None:
    response = client_for(world.user(persona)).post(
        invite_url(world), {"email": "sneaky@example.org", "role": "lead"}
    )

    assert response.status_code == 403
    assert "Only a lead of this organisation can invite or remove colleagues." in (
        response.content.decode()
    )
    assert Invitation.objects.count() == 0


def test_invite_by_an_anonymous_visitor_goes_to_sign_in(world: World) -> None:
    response = client_for(None).post(invite_url(world), {"email": "a@example.org"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Invitation.objects.count() == 0


def test_lead_of_org_b_cannot_invite_to_org_a(world: World) -> None:
    lead_b = factories.MembershipFactory(organisation=world.org_b, role="lead").user

    response = client_for(lead_b).post(invite_url(world), {"email": "a@example.org"})

    assert response.status_code == 403


def test_invite_to_unknown_organisation_is_404(world: World) -> None:
    url = reverse("partnerships:organisation_invite", kwargs={"slug": "no-such-org"})

    assert client_for(world.lead_a).get(url).status_code == 404


def test_remove_asks_for_confirmation_before_removing(world: World) -> None:
    member = Membership.objects.get(user=world.member_a)

    response = client_for(world.lead_a).get(remove_url(world, member))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Remove from Org A</button>" in content
    assert 'method="post"' in content
    assert Membership.objects.filter(pk=member.pk).exists()


def test_lead_removes_a_colleague(world: World) -> None:
    member = Membership.objects.get(user=world.member_a)

    response = client_for(world.lead_a).post(remove_url(world, member))

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert world.member_a.__class__.objects.filter(pk=world.member_a.pk).exists()


def test_lead_cannot_remove_the_last_lead(world: World) -> None:
    lead = Membership.objects.get(user=world.lead_a, organisation=world.org_a)

    response = client_for(world.lead_a).post(remove_url(world, lead))

    content = response.content.decode()
    assert response.status_code == 409
    assert "You cannot remove the only lead" in content
    assert "There is a problem" in content
    assert Membership.objects.filter(pk=lead.pk).exists()


def test_a_lead_can_be_removed_when_another_lead_remains(world: World) -> None:
    second = factories.MembershipFactory(organisation=world.org_a, role="lead")
    lead = Membership.objects.get(user=world.lead_a, organisation=world.org_a)

    response = client_for(second.user).post(remove_url(world, lead))

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=lead.pk).exists()


def test_membership_remove_service_refuses_last_lead(world: World) -> None:
    lead = Membership.objects.get(user=world.lead_a, organisation=world.org_a)

    with pytest.raises(services.MembershipError):
        services.membership_remove(membership=lead, removed_by=world.lead_a)

    assert Membership.objects.filter(pk=lead.pk).exists()


@pytest.mark.parametrize("persona", ["member_a", "member_b", "facilitator", "commissioner"])
def test_remove_by_a_non_lead_is_refused(world: World, persona: str) -> None:
    member = Membership.objects.get(user=world.member_a)

    get = client_for(world.user(persona)).get(remove_url(world, member))
    post = client_for(world.user(persona)).post(remove_url(world, member))

    assert get.status_code == 403
    assert post.status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()


def test_remove_a_membership_of_another_organisation_is_404(world: World) -> None:
    other = Membership.objects.get(user=world.member_b)

    response = client_for(world.lead_a).post(remove_url(world, other))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_organisation_members_list_is_paginated_with_fixed_queries(
    world: World, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.PAGE_SIZE = 5
    client = client_for(world.lead_a)
    client.get(world.org_a.get_absolute_url())  # warm the session

    with django_assert_num_queries(8) as few:
        client.get(world.org_a.get_absolute_url())
    factories.MembershipFactory.create_batch(12, organisation=world.org_a)
    for n in range(4):
        services.invitation_create(
            invited_by=world.lead_a, email=f"p{n}@example.org", organisation=world.org_a
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(world.org_a.get_absolute_url())

    assert "Page 1 of 3" in response.content.decode()


def test_organisation_names_and_people_are_escaped(world: World) -> None:
    world.org_a.name = "<b>Bold</b> & Co"
    world.org_a.save()
    world.member_a.full_name = "<script>alert('x')</script>"
    world.member_a.save()

    content = client_for(world.lead_a).get(world.org_a.get_absolute_url()).content.decode()

    assert "<b>Bold</b>" not in content
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in content
    assert "<script>alert('x')</script>" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
