"""Forums: ask to join, accept or decline, invite, leave, reminders, edit details."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Forum, ForumJoinRequest, ForumMembership, Invitation
from tests import factories
from tests.conftest import World, client_for


def url(name: str, world: World, **kwargs: Any) -> str:
    return reverse(f"partnerships:{name}", kwargs={"slug": world.forum.slug, **kwargs})


# --- Asking to join ----------------------------------------------------------------------


def test_signed_in_non_member_sees_ask_to_join_form_on_open_forum(world: World) -> None:
    response = client_for(world.member_b).get(world.forum.get_absolute_url())

    content = response.content.decode()
    assert "Ask to join" in content
    assert url("forum_join", world) in content


def test_anonymous_visitor_is_offered_sign_in_to_ask_to_join(world: World) -> None:
    content = client_for(None).get(world.forum.get_absolute_url()).content.decode()

    assert "Sign in to ask to join" in content


def test_person_asks_to_join_with_a_message(world: World) -> None:
    client = client_for(world.member_b)

    response = client.post(url("forum_join", world), {"message": "I run the food bank."})

    assert response.status_code == 302
    join_request = ForumJoinRequest.objects.get()
    assert (join_request.user, join_request.forum, join_request.status) == (
        world.member_b,
        world.forum,
        "pending",
    )
    assert join_request.message == "I run the food bank."
    page = client.get(world.forum.get_absolute_url()).content.decode()
    assert "You have asked to join. The facilitator will reply soon." in page


def test_asking_twice_stores_one_request(world: World) -> None:
    client = client_for(world.member_b)
    client.post(url("forum_join", world), {"message": ""})

    response = client.post(url("forum_join", world), {"message": "again"})

    assert response.status_code == 200
    assert "You asked to join on" in response.content.decode()
    assert ForumJoinRequest.objects.count() == 1


def test_join_request_service_refuses_a_second_pending_request(world: World) -> None:
    services.forum_join_request_create(forum=world.forum, user=world.member_b)

    with pytest.raises(services.ForumError):
        services.forum_join_request_create(forum=world.forum, user=world.member_b)

    assert ForumJoinRequest.objects.count() == 1


def test_join_request_message_over_1000_characters_is_refused(world: World) -> None:
    response = client_for(world.member_b).post(url("forum_join", world), {"message": "x" * 1001})

    assert "There is a problem" in response.content.decode()
    assert ForumJoinRequest.objects.count() == 0


def test_member_asking_to_join_is_told_they_are_already_a_member(world: World) -> None:
    response = client_for(world.facilitator).post(url("forum_join", world), {"message": ""})

    assert response.status_code == 302
    assert ForumJoinRequest.objects.count() == 0


def test_asking_to_join_an_invite_only_forum_is_refused(world: World) -> None:
    world.forum.access = "invite"
    world.forum.save()

    response = client_for(world.member_b).post(url("forum_join", world), {"message": "please"})

    assert response.status_code == 403
    assert "This forum is invite only" in response.content.decode()
    assert ForumJoinRequest.objects.count() == 0


def test_asking_to_join_an_unknown_forum_is_404(world: World) -> None:
    response = client_for(world.member_b).post(
        reverse("partnerships:forum_join", kwargs={"slug": "no-such-forum"})
    )

    assert response.status_code == 404


# --- Accepting and declining ---------------------------------------------------------------


@pytest.fixture
def join_request(world: World) -> ForumJoinRequest:
    return services.forum_join_request_create(
        forum=world.forum, user=world.member_b, message="<em>Hello</em> from B"
    )


def test_facilitator_sees_pending_requests_on_forum_page_and_dashboard(
    world: World, join_request: ForumJoinRequest
) -> None:
    client = client_for(world.facilitator)

    forum_page = client.get(world.forum.get_absolute_url()).content.decode()
    dashboard = client.get(reverse("talking_points:dashboard")).content.decode()

    decide = url("join_request_decide", world, pk=join_request.pk)
    for content in (forum_page, dashboard):
        assert world.member_b.full_name.replace("'", "&#x27;") in content
        assert decide in content
        assert "&lt;em&gt;Hello&lt;/em&gt; from B" in content
        assert "<em>Hello</em>" not in content


def test_facilitator_accepts_and_the_person_becomes_a_member(
    world: World, join_request: ForumJoinRequest
) -> None:
    response = client_for(world.facilitator).post(
        url("join_request_decide", world, pk=join_request.pk), {"decision": "accept"}
    )

    assert response.status_code == 302
    assert response["Location"] == world.forum.get_absolute_url()
    join_request.refresh_from_db()
    assert join_request.status == "accepted"
    assert join_request.decided_by == world.facilitator
    assert join_request.decided_at is not None
    membership = ForumMembership.objects.get(forum=world.forum, user=world.member_b)
    assert membership.role == "participant"


def test_facilitator_declines_and_no_membership_is_created(
    world: World, join_request: ForumJoinRequest
) -> None:
    response = client_for(world.facilitator).post(
        url("join_request_decide", world, pk=join_request.pk),
        {"decision": "decline", "next": reverse("talking_points:dashboard")},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("talking_points:dashboard")
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert not ForumMembership.objects.filter(user=world.member_b).exists()


def test_decision_redirect_ignores_an_offsite_next(
    world: World, join_request: ForumJoinRequest
) -> None:
    response = client_for(world.facilitator).post(
        url("join_request_decide", world, pk=join_request.pk),
        {"decision": "decline", "next": "https://evil.example.com/"},
    )

    assert response["Location"] == world.forum.get_absolute_url()


def test_a_request_is_decided_only_once(world: World, join_request: ForumJoinRequest) -> None:
    services.forum_join_request_decide(
        join_request=join_request, decided_by=world.facilitator, accept=False
    )

    with pytest.raises(services.ForumError):
        services.forum_join_request_decide(
            join_request=join_request, decided_by=world.facilitator, accept=True
        )

    assert not ForumMembership.objects.filter(user=world.member_b).exists()


def test_an_unknown_decision_is_a_400_and_changes_nothing(
    world: World, join_request: ForumJoinRequest
) -> None:
    response = client_for(world.facilitator).post(
        url("join_request_decide", world, pk=join_request.pk), {"decision": "maybe"}
    )

    assert response.status_code == 400
    join_request.refresh_from_db()
    assert join_request.status == "pending"


@pytest.mark.parametrize("persona", ["member_a", "lead_a", "member_b", "commissioner", "staff"])
def test_only_a_facilitator_can_decide(
    world: World, join_request: ForumJoinRequest, persona: str
) -> None:
    response = client_for(world.user(persona)).post(
        url("join_request_decide", world, pk=join_request.pk), {"decision": "accept"}
    )

    assert response.status_code == 403
    assert "Only a facilitator of this forum can do that." in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_facilitator_of_another_forum_cannot_decide(
    world: World, join_request: ForumJoinRequest
) -> None:
    other = factories.ForumMembershipFactory(role="facilitator")

    response = client_for(other.user).post(
        url("join_request_decide", world, pk=join_request.pk), {"decision": "accept"}
    )

    assert response.status_code == 403


def test_a_request_for_another_forum_is_404(world: World) -> None:
    other_forum = factories.ForumFactory(place=world.place)
    other_request = services.forum_join_request_create(forum=other_forum, user=world.member_a)

    response = client_for(world.facilitator).post(
        url("join_request_decide", world, pk=other_request.pk), {"decision": "accept"}
    )

    assert response.status_code == 404


# --- Invitations ---------------------------------------------------------------------------


def test_facilitator_invites_someone_to_an_invite_only_forum(world: World) -> None:
    world.forum.access = "invite"
    world.forum.save()
    client = client_for(world.facilitator)

    response = client.post(url("forum_invite", world), {"email": "Guest@Example.org"})

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.forum, invitation.organisation) == (
        "guest@example.org",
        world.forum,
        None,
    )


def test_invited_person_accepts_and_joins_the_forum(world: World) -> None:
    invitation = services.forum_invitation_create(
        invited_by=world.facilitator, forum=world.forum, email=world.member_b.email
    )

    response = client_for(world.member_b).post(
        reverse("partnerships:invitation_accept", kwargs={"token": invitation.token})
    )

    assert response.status_code == 302
    assert ForumMembership.objects.filter(forum=world.forum, user=world.member_b).exists()


def test_forum_invite_refuses_malformed_email_and_existing_members(world: World) -> None:
    client = client_for(world.facilitator)

    bad = client.post(url("forum_invite", world), {"email": "nope@"})
    member = client.post(url("forum_invite", world), {"email": world.facilitator.email})

    assert "Enter an email address in the right format" in bad.content.decode()
    assert "is already a member of Testford Forum" in member.content.decode()
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("persona", ["member_a", "lead_a", "member_b", "commissioner", "staff"])
def test_only_a_facilitator_can_invite_to_a_forum(world: World, persona: str) -> None:
    response = client_for(world.user(persona)).post(
        url("forum_invite", world), {"email": "x@example.org"}
    )

    assert response.status_code == 403
    assert Invitation.objects.count() == 0


# --- Leaving and reminders -------------------------------------------------------------------


@pytest.fixture
def participant(world: World) -> ForumMembership:
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    return ForumMembership.objects.get(forum=world.forum, user=world.member_a)


def test_leaving_asks_for_confirmation_first(world: World, participant: ForumMembership) -> None:
    response = client_for(world.member_a).get(url("forum_leave", world))

    assert response.status_code == 200
    assert "Leave this forum" in response.content.decode()
    assert ForumMembership.objects.filter(pk=participant.pk).exists()


def test_member_leaves_a_forum(world: World, participant: ForumMembership) -> None:
    response = client_for(world.member_a).post(url("forum_leave", world))

    assert response.status_code == 302
    assert not ForumMembership.objects.filter(pk=participant.pk).exists()


def test_only_facilitator_cannot_leave(world: World) -> None:
    response = client_for(world.facilitator).post(url("forum_leave", world))

    assert response.status_code == 409
    assert "only facilitator" in response.content.decode()
    assert ForumMembership.objects.filter(user=world.facilitator, forum=world.forum).exists()


def test_non_member_cannot_leave(world: World) -> None:
    response = client_for(world.member_b).post(url("forum_leave", world))

    assert response.status_code == 403
    assert "You are not a member of this forum." in response.content.decode()


def reminders_toggle(world: World) -> str:
    """The one reminders switch per forum (the reminders app's), also on the forum page."""
    return reverse("reminders:forum_reminders_toggle", kwargs={"slug": world.forum.slug})


def test_member_turns_reminders_off_and_on(world: World, participant: ForumMembership) -> None:
    client = client_for(world.member_a)

    off = client.post(reminders_toggle(world), {"enabled": "0"})
    participant.refresh_from_db()
    assert participant.reminders_enabled is False
    page = client.get(world.forum.get_absolute_url()).content.decode()
    assert "Turn reminders on" in page
    on = client.post(reminders_toggle(world), {"enabled": "1"})
    participant.refresh_from_db()

    assert (off.status_code, on.status_code) == (302, 302)
    assert participant.reminders_enabled is True


def test_non_member_cannot_change_reminders(world: World) -> None:
    response = client_for(world.member_b).post(reminders_toggle(world), {"enabled": "1"})

    assert response.status_code == 403


def test_reminders_are_post_only(world: World, participant: ForumMembership) -> None:
    assert client_for(world.member_a).get(reminders_toggle(world)).status_code == 405


# --- Editing forum details -------------------------------------------------------------------


def forum_data(**overrides: str) -> dict[str, str]:
    data = {
        "purpose": "To learn together.",
        "weekday": "3",
        "start_time": "18:30",
        "duration_minutes": "60",
        "venue": "The library",
        "online_link": "",
        "access": "invite",
        "reminder_days_before": "2",
        "reminder_hour": "8",
    }
    return {**data, **overrides}


def test_facilitator_edits_forum_details(world: World) -> None:
    response = client_for(world.facilitator).post(url("forum_edit", world), forum_data())

    assert response.status_code == 302
    forum = Forum.objects.get(pk=world.forum.pk)
    assert (forum.purpose, forum.weekday, forum.start_time) == (
        "To learn together.",
        3,
        datetime.time(18, 30),
    )
    assert (forum.venue, forum.access, forum.reminder_days_before, forum.reminder_hour) == (
        "The library",
        "invite",
        2,
        8,
    )


@pytest.mark.parametrize("bad_time", ["25:00", "24:00", "12:60", "noon", "-1:00", "1830"])
def test_forum_time_that_does_not_exist_is_refused_with_error_summary(
    world: World, bad_time: str
) -> None:
    before = Forum.objects.values().get(pk=world.forum.pk)

    response = client_for(world.facilitator).post(
        url("forum_edit", world), forum_data(start_time=bad_time, purpose="Changed")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert 'href="#id_start_time"' in content
    assert "Enter a real time between 00:00 and 23:59" in content
    assert Forum.objects.values().get(pk=world.forum.pk) == before


def test_forum_needs_a_venue_or_an_online_link(world: World) -> None:
    response = client_for(world.facilitator).post(
        url("forum_edit", world), forum_data(venue="", online_link="")
    )

    assert "Give a venue, an online link, or both." in response.content.decode()
    assert Forum.objects.get(pk=world.forum.pk).venue == world.forum.venue


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reminder_hour", "24"),
        ("reminder_days_before", "7"),
        ("weekday", "9"),
        ("duration_minutes", "5"),
        ("access", "secret"),
        ("online_link", "javascript:alert(1)"),
    ],
)
def test_forum_edit_refuses_out_of_range_values(world: World, field: str, value: str) -> None:
    before = Forum.objects.values().get(pk=world.forum.pk)

    response = client_for(world.facilitator).post(
        url("forum_edit", world), forum_data(**{field: value})
    )

    assert response.status_code == 200
    assert f'href="#id_{field}"' in response.content.decode()
    assert Forum.objects.values().get(pk=world.forum.pk) == before


@pytest.mark.parametrize("persona", ["member_a", "lead_a", "member_b", "commissioner", "staff"])
def test_only_a_facilitator_can_edit_a_forum(world: World, persona: str) -> None:
    before = Forum.objects.values().get(pk=world.forum.pk)

    response = client_for(world.user(persona)).post(url("forum_edit", world), forum_data())

    assert response.status_code == 403
    assert Forum.objects.values().get(pk=world.forum.pk) == before


def test_forum_page_escapes_purpose_and_venue(world: World) -> None:
    world.forum.purpose = "<script>alert(1)</script>"
    world.forum.venue = "<img src=x onerror=alert(1)>"
    world.forum.save()

    content = client_for(None).get(world.forum.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "<img src=x" not in content


def test_forum_page_query_count_does_not_grow_with_requests(
    world: World, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.PAGE_SIZE = 5
    client = client_for(world.facilitator)
    services.forum_join_request_create(forum=world.forum, user=world.member_a)
    client.get(world.forum.get_absolute_url())
    # A new member: the forum's page and its cached parts are rendered anew (their
    # generation is renewed by the write), as after the larger change below.
    factories.ForumMembershipFactory(forum=world.forum)

    # The scope, the forum, the page's summary and sessions panel, the requests and
    # invitations, and the forum's conversations.
    with django_assert_num_queries(13) as few:
        client.get(world.forum.get_absolute_url())
    for user in factories.UserFactory.create_batch(8):
        services.forum_join_request_create(forum=world.forum, user=user)
        factories.ForumMembershipFactory(forum=world.forum)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(world.forum.get_absolute_url())

    assert "Page 1 of 2" in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_requests(
    world: World, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.PAGE_SIZE = 5
    client = client_for(world.facilitator)
    services.forum_join_request_create(forum=world.forum, user=world.member_a)
    client.get(reverse("talking_points:dashboard"))

    with django_assert_num_queries(10) as few:
        client.get(reverse("talking_points:dashboard"))
    for user in factories.UserFactory.create_batch(8):
        services.forum_join_request_create(forum=world.forum, user=user)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("talking_points:dashboard"))

    assert "Page 1 of 2" in response.content.decode()
