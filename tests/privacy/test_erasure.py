"""Right to erasure: a person deletes their account after confirming and proving it is
them; their partnership data goes, their organisation's learning stays, and one audit
event records it without any personal content."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from partnerships.models import (
    CommissionerProfile,
    ForumJoinRequest,
    ForumMembership,
    Invitation,
    Membership,
    Organisation,
    User,
)
from privacy import registry, services
from privacy.models import AuditEvent
from tests import factories
from tests.conftest import World, client_for
from tests.factories import PASSWORD
from tests.privacy.conftest import sign_in

pytestmark = pytest.mark.django_db


def reauthenticated_client(user: User) -> Client:
    client = client_for(user)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    return client


def test_delete_page_explains_what_happens_and_warns_the_only_lead(world: World) -> None:
    response = client_for(world.lead_a).get(reverse("privacy:account_delete"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "You leave every organisation you belong to." in page
    assert "You are the only lead of Org A" in page
    assert "download a copy of your data" in page


def test_deleting_needs_recent_reauthentication_then_goes_ahead(world: World) -> None:
    client = client_for(world.member_a)  # signed in long ago, as far as allauth knows

    asked = client.post(reverse("privacy:account_delete"), {"confirm": "on"})
    resumed = client.post(asked["Location"], {"password": PASSWORD})  # the page's own form

    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert resumed.status_code == 302
    assert not User.objects.filter(pk=world.member_a.pk).exists()


def test_deleting_needs_the_confirmation_box(world: World) -> None:
    client = reauthenticated_client(world.member_a)

    response = client.post(reverse("privacy:account_delete"), {})

    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert User.objects.filter(pk=world.member_a.pk).exists()


def test_erasure_removes_partnership_data_and_keeps_organisation_learning(world: World) -> None:
    person = world.commissioner
    person_id, email = person.pk, person.email
    factories.MembershipFactory(user=person, organisation=world.org_b)
    ForumMembership.objects.create(user=person, forum=world.forum)
    ForumJoinRequest.objects.create(user=person, forum=factories.ForumFactory(), message="Hi")
    Invitation.objects.create(
        email=email, organisation=world.org_a, token="t1", invited_by=world.lead_a
    )
    Invitation.objects.create(
        email="friend@example.org", forum=world.forum, token="t2", invited_by=person
    )
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, author=person
    )
    other_sessions = Client()
    sign_in(other_sessions, person)
    client = reauthenticated_client(person)

    response = client.post(reverse("privacy:account_delete"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=person_id).exists()
    assert not Membership.objects.filter(user_id=person_id).exists()
    assert not ForumMembership.objects.filter(user_id=person_id).exists()
    assert not ForumJoinRequest.objects.filter(user_id=person_id).exists()
    assert not CommissionerProfile.objects.filter(user_id=person_id).exists()
    assert not Invitation.objects.filter(email=email).exists()
    assert not Invitation.objects.filter(invited_by_id=person_id).exists()
    assert not EmailAddress.objects.filter(user_id=person_id).exists()
    assert not Authenticator.objects.filter(user_id=person_id).exists()
    entry.refresh_from_db()
    assert entry.author_id is None
    assert entry.organisation == world.org_b
    assert Organisation.objects.filter(pk=world.org_b.pk).exists()
    assert "_auth_user_id" not in client.session
    assert other_sessions.get("/me/").status_code == 302


def test_erasure_is_audited_with_counts_and_no_personal_content(world: World) -> None:
    person_id, email, name = world.member_a.pk, world.member_a.email, world.member_a.full_name
    client = reauthenticated_client(world.member_a)

    client.post(reverse("privacy:account_delete"), {"confirm": "on"})

    event = AuditEvent.objects.get(event="account_erased")
    assert event.actor_id == person_id
    assert event.subject_user_id == person_id
    assert set(event.meta) == {"steps", "rows"}
    assert email not in str(event.meta) and name not in str(event.meta)
    # One erasure event, not one "role removed" per membership.
    assert not AuditEvent.objects.filter(event="role_removed", subject_user_id=person_id)


def test_later_apps_plug_in_erasure_steps_inside_the_same_transaction(
    world: World, monkeypatch: Any
) -> None:
    monkeypatch.setattr(registry, "_erasure_steps", dict(registry._erasure_steps))
    seen = []

    def anonymise_contributions(user: Any) -> int:
        seen.append(user.pk)
        return 3

    registry.register_erasure_step(
        anonymise_contributions, description='Your contributions become "a former member".'
    )

    person_id = world.member_a.pk

    counts = services.account_erase(user=world.member_a)

    assert seen == [person_id]
    assert counts["anonymise_contributions"] == 3
    page = client_for(world.member_b).get(reverse("privacy:account_delete")).content.decode()
    assert "a former member" in page


def test_a_failing_step_leaves_the_account_whole(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(registry, "_erasure_steps", dict(registry._erasure_steps))

    def broken(user: Any) -> int:
        raise RuntimeError("disk on fire")

    registry.register_erasure_step(broken)

    with pytest.raises(RuntimeError):
        services.account_erase(user=world.member_a)

    assert User.objects.filter(pk=world.member_a.pk).exists()
    assert Membership.objects.filter(user=world.member_a).exists()
    assert not AuditEvent.objects.filter(event="account_erased").exists()


def test_visitor_is_asked_to_sign_in_to_delete_an_account(db: None) -> None:
    response = Client().get(reverse("privacy:account_delete"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
