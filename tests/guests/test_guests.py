"""Guests at a live session: the link, joining without an account, contributions that wait
for the facilitator, attendance and the voice balance, rate limits and refusals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guests import limits, services
from guests.models import Guest, GuestLink, WaitingContribution
from privacy import services as privacy_services
from talking_points import services as session_services
from talking_points.models import Attendance, Contribution, Session
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import SessionWorld, open_session

pytestmark = pytest.mark.django_db


@pytest.fixture(name="live")
def live_session(world: World) -> SessionWorld:
    return open_session(world)


def make_link(sw: SessionWorld) -> GuestLink:
    return services.guest_link_make(session=sw.session, by=sw.facilitator)


def join(client: Client, link: GuestLink, **data: str) -> Any:
    return client.post(reverse("guests:join", kwargs={"token": link.token}), data)


def say(client: Client, link: GuestLink, sw: SessionWorld, text: str) -> Any:
    return client.post(
        reverse("guests:say", kwargs={"token": link.token}),
        {"agenda_item": str(sw.session.current_item_id), "text": text},
    )


def test_facilitator_makes_a_link_and_sees_its_qr_code(live: SessionWorld) -> None:
    facilitator = client_for(live.facilitator)

    response = facilitator.post(reverse("guests:link_make", kwargs={"pk": live.session.pk}))
    page = facilitator.get(live.session.get_absolute_url()).content.decode()

    assert response.status_code == 302
    link = GuestLink.objects.get(session=live.session)
    assert f"/g/{link.token}/" in page
    assert '<svg role="img" aria-labelledby="guest-qr-caption"' in page


def test_a_named_guest_joins_and_is_counted_in_attendance(live: SessionWorld) -> None:
    link = make_link(live)
    guest = Client()

    response = join(guest, link, name="  Sam ")
    page = guest.get(reverse("guests:live", kwargs={"token": link.token}))

    assert response.status_code == 302
    assert page.status_code == 200
    assert "You are here as a guest, Sam" in page.content.decode()
    attendance = Attendance.objects.get(session=live.session, is_guest=True)
    assert (attendance.name, attendance.organisation_name, attendance.user) == (
        "Sam",
        "Guests",
        None,
    )


def test_an_anonymous_guest_stores_no_name(live: SessionWorld) -> None:
    link = make_link(live)
    guest = Client()

    join(guest, link, name="Secret Name", anonymous="on")
    say(guest, link, live, "Nobody asked us.")
    services.guest_contribution_admit(waiting=WaitingContribution.objects.get())

    assert Guest.objects.get().name == ""
    assert not Attendance.objects.filter(name__icontains="Secret").exists()
    contribution = Contribution.objects.get(is_guest=True)
    assert (contribution.is_anonymous, contribution.author_name) == (True, "")
    assert contribution.byline == "Anonymous guest"


def test_a_guests_contribution_is_hidden_until_admitted(live: SessionWorld) -> None:
    link = make_link(live)
    guest, member = Client(), client_for(live.member_a)
    join(guest, link, name="Sam")

    say(guest, link, live, "The bus stops too early.")
    before = member.get(live.session.get_absolute_url()).content.decode()
    facilitator_page = client_for(live.facilitator).get(live.session.get_absolute_url())
    waiting = WaitingContribution.objects.get()
    admitted = client_for(live.facilitator).post(
        reverse("guests:waiting_admit", kwargs={"pk": live.session.pk, "waiting_pk": waiting.pk})
    )
    after = member.get(live.session.get_absolute_url()).content.decode()

    assert "The bus stops too early." not in before
    assert "The bus stops too early." in facilitator_page.content.decode()
    assert admitted.status_code == 302
    assert "The bus stops too early." in after
    assert "Sam (guest)" in after
    assert not WaitingContribution.objects.exists()


def test_declining_asks_first_then_deletes(live: SessionWorld) -> None:
    link = make_link(live)
    guest, facilitator = Client(), client_for(live.facilitator)
    join(guest, link, name="Sam")
    say(guest, link, live, "Spam spam spam.")
    waiting = WaitingContribution.objects.get()
    url = reverse(
        "guests:waiting_decline", kwargs={"pk": live.session.pk, "waiting_pk": waiting.pk}
    )

    confirm = facilitator.get(url)
    declined = facilitator.post(url)

    assert confirm.status_code == 200
    assert "Decline and delete it" in confirm.content.decode()
    assert declined.status_code == 302
    assert not WaitingContribution.objects.exists()
    assert not Contribution.objects.filter(text__contains="Spam").exists()


def test_only_the_facilitator_admits(live: SessionWorld) -> None:
    link = make_link(live)
    guest = Client()
    join(guest, link, name="Sam")
    say(guest, link, live, "Hello.")
    waiting = WaitingContribution.objects.get()
    url = reverse("guests:waiting_admit", kwargs={"pk": live.session.pk, "waiting_pk": waiting.pk})

    assert client_for(live.member_a).post(url).status_code == 403
    assert client_for(live.world.lead_a).post(url).status_code == 404
    assert guest.post(url).status_code == 302  # to sign in
    assert WaitingContribution.objects.exists()


def test_guests_count_in_the_voice_balance(live: SessionWorld) -> None:
    link = make_link(live)
    named, anonymous = Client(), Client()
    join(named, link, name="Sam")
    join(anonymous, link, anonymous="on")
    say(named, link, live, "One.")
    say(anonymous, link, live, "Two.")
    for waiting in WaitingContribution.objects.all():
        services.guest_contribution_admit(waiting=waiting)
    session_services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_a,
        text="Three.",
        anonymous=False,
    )

    balance = session_services.voice_balance(live.session)

    by_org = {row.label: row.count for row in balance.by_organisation}
    by_sector = {row.label: row.count for row in balance.by_sector}
    assert by_org["Guests"] == 2
    assert by_sector["Guests"] == 2
    assert balance.total == 3
    assert Attendance.objects.filter(session=live.session, is_guest=True).count() == 2


def test_a_guest_of_one_session_is_nobody_at_another(live: SessionWorld, world: World) -> None:
    link = make_link(live)
    guest = Client()
    join(guest, link, name="Sam")
    other_forum_session = _second_live_session(world)
    other = services.guest_link_make(session=other_forum_session, by=world.facilitator)

    response = guest.post(
        reverse("guests:say", kwargs={"token": other.token}),
        {"agenda_item": str(other_forum_session.current_item_id), "text": "Sneaking in."},
    )
    live_page = guest.get(reverse("guests:live", kwargs={"token": other.token}))

    assert response.status_code == 403
    assert live_page.status_code == 302
    assert live_page["Location"] == reverse("guests:join", kwargs={"token": other.token})
    assert not WaitingContribution.objects.exists()


def test_an_item_of_another_session_is_refused(live: SessionWorld, world: World) -> None:
    link = make_link(live)
    guest = Client()
    join(guest, link, name="Sam")
    other = _second_live_session(world)

    response = guest.post(
        reverse("guests:say", kwargs={"token": link.token}),
        {"agenda_item": str(other.current_item_id), "text": "Wrong place."},
    )

    assert response.status_code == 400
    assert "No talking point is open" in response.content.decode()
    assert not WaitingContribution.objects.exists()


def test_a_new_link_stops_the_old_one(live: SessionWorld) -> None:
    old_token = make_link(live).token

    make_link(live)

    assert Client().get(reverse("guests:join", kwargs={"token": old_token})).status_code == 404


def test_a_closed_session_refuses_guests_plainly(live: SessionWorld) -> None:
    link = make_link(live)
    guest = Client()
    join(guest, link, name="Sam")
    session_services.session_close(session=live.session, by=live.facilitator)

    pages = [
        Client().get(reverse("guests:join", kwargs={"token": link.token})),
        join(Client(), link, name="Late"),
        guest.get(reverse("guests:live", kwargs={"token": link.token})),
        say(guest, link, live, "Too late."),
    ]
    poll = guest.get(reverse("guests:live", kwargs={"token": link.token}), HTTP_HX_REQUEST="true")

    assert [page.status_code for page in pages] == [410, 410, 410, 410]
    assert "This guest link has stopped working" in pages[0].content.decode()
    assert poll.status_code == 200
    assert "The session has closed" in poll.content.decode()
    assert not WaitingContribution.objects.exists()


def test_a_link_cannot_be_made_for_a_closed_session(live: SessionWorld) -> None:
    session_services.session_close(session=live.session, by=live.facilitator)

    with pytest.raises(services.GuestError):
        make_link(live)


def test_guest_contributions_are_rate_limited_per_link(
    live: SessionWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "CONTRIBUTIONS", (2, 60))
    link = make_link(live)
    first, second = Client(), Client()
    join(first, link, name="Sam")
    join(second, link, name="Kim")

    answers = [
        say(first, link, live, "One.").status_code,
        say(second, link, live, "Two.").status_code,
        say(second, link, live, "Three.").status_code,
    ]
    refused = say(first, link, live, "Four.")

    assert answers == [302, 302, 429]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Please wait 1 minute and try again" in refused.content.decode()
    assert WaitingContribution.objects.count() == 2


def test_joining_is_rate_limited_per_link(
    live: SessionWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "JOINS", (1, 600))
    link = make_link(live)

    assert join(Client(), link, name="Sam").status_code == 302
    assert join(Client(), link, name="Kim").status_code == 429
    assert Guest.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ""},
        {"name": "x" * 41},
        {"name": "   "},
        {"name": "Sam", "anonymous": "maybe"},  # any non-empty tick chooses no name
    ],
)
def test_bad_join_input_is_a_plain_400(live: SessionWorld, data: dict[str, str]) -> None:
    link = make_link(live)

    response = join(Client(), link, **data)

    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "There is a problem" in response.content.decode()
    else:
        assert Guest.objects.get().name == ""


@pytest.mark.parametrize(
    "data",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 4001, "agenda_item": "1"},
        {"text": "Fine", "agenda_item": "not a number"},
        {"text": "Fine", "agenda_item": "999999"},
        {"text": "Fine"},
    ],
)
def test_bad_contribution_input_is_a_plain_400(live: SessionWorld, data: dict[str, str]) -> None:
    link = make_link(live)
    guest = Client()
    join(guest, link, name="Sam")

    response = guest.post(reverse("guests:say", kwargs={"token": link.token}), data)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not WaitingContribution.objects.exists()


def test_an_unknown_token_is_not_found() -> None:
    assert Client().get(reverse("guests:join", kwargs={"token": "nope"})).status_code == 404


def test_the_guest_poll_answers_304_when_nothing_changed(live: SessionWorld) -> None:
    link = make_link(live)
    guest = Client()
    join(guest, link, name="Sam")
    url = reverse("guests:live", kwargs={"token": link.token})
    first = guest.get(url, HTTP_HX_REQUEST="true")

    again = guest.get(url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=first["ETag"])
    say(guest, link, live, "Something new.")
    changed = guest.get(url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304
    assert changed.status_code == 200
    assert "Something new." in changed.content.decode()  # their own, waiting


def _second_live_session(world: World) -> Session:
    """A live session of another forum with the same facilitator."""
    forum = factories.ForumFactory(place=world.place, name="Second Forum")
    factories.ForumMembershipFactory(forum=forum, user=world.facilitator, role="facilitator")
    other_world = World(**{**world.__dict__, "forum": forum})
    return open_session(other_world).session


def test_guest_links_of_long_closed_sessions_are_deleted(live: SessionWorld) -> None:
    link = make_link(live)
    guest = Client()
    join(guest, link, name="Sam")
    say(guest, link, live, "Never let in.")
    session_services.session_close(session=live.session, by=live.facilitator)
    closed_at = Session.objects.get(pk=live.session.pk).closed_at
    assert closed_at is not None

    soon = privacy_services.retention_apply(now=closed_at + datetime.timedelta(hours=1))
    later = privacy_services.retention_apply(now=closed_at + datetime.timedelta(days=2))

    assert soon["guest_links"] == 0
    assert later["guest_links"] == 3  # the link, its guest and what waited
    assert not Guest.objects.exists()
    assert Attendance.objects.filter(session=live.session, is_guest=True).count() == 1
