"""Office hours: who sees and books a commissioner's times, one booking per time (also
when two people press at once), the calendar invites, cancelling, and reminders."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from doors import services
from doors.models import Booking, OfficeHourSlot
from outbox.models import Delivery, DeliveryKind
from tests import factories
from tests.conftest import World, client_for

from .conftest import calendar_of, make_slot, profile_of, send_all


def book_url(slot: OfficeHourSlot) -> str:
    return reverse("doors:slot_book", kwargs={"pk": slot.pk})


# --- Seeing and booking --------------------------------------------------------------------


def test_profile_lists_slots_for_the_partnership_only(world: World) -> None:
    make_slot(world, note="Bring your questions")
    url = profile_of(world).get_absolute_url()

    assert "Bring your questions" in client_for(world.member_a).get(url).content.decode()
    assert "Bring your questions" in client_for(world.commissioner).get(url).content.decode()
    for outsider in (None, world.staff, factories.UserFactory()):
        page = client_for(outsider).get(url)
        assert page.status_code == 200
        assert "Bring your questions" not in page.content.decode()


def test_slots_on_the_profile_are_paginated_and_past_ones_hidden(world: World, settings) -> None:
    settings.PAGE_SIZE = 2
    make_slot(world, days=-1, note="Yesterday")
    for day in (1, 2, 3):
        make_slot(world, days=day, note=f"Day {day}")
    url = profile_of(world).get_absolute_url()

    first = client_for(world.member_a).get(url).content.decode()
    second = client_for(world.member_a).get(url, {"slots": 2}).content.decode()

    assert "Day 1" in first and "Day 2" in first and "Day 3" not in first
    assert "Day 3" in second and "Page 2 of 2" in second
    assert "Yesterday" not in first + second


def test_partner_books_a_free_slot_and_both_get_an_invite(world: World) -> None:
    slot = make_slot(world)

    response = client_for(world.member_a).post(book_url(slot), {"topic": "Our new grant"})

    assert response.status_code == 302
    booking = Booking.objects.get(slot=slot)
    assert (booking.partner, booking.topic) == (world.member_a, "Our new grant")
    sent = send_all()
    assert sorted(m.to[0] for m in sent) == sorted([world.member_a.email, world.commissioner.email])
    for message in sent:
        ics = calendar_of(message)
        assert "METHOD:REQUEST" in ics
        assert "ORGANIZER;CN=" in ics
        assert f"UID:office-hours-{booking.pk}@" in ics
        assert "Our new grant" in message.body


def test_a_taken_slot_is_refused(world: World) -> None:
    slot = make_slot(world)
    services.booking_create(slot_id=slot.pk, partner=world.member_a, topic="First")

    with pytest.raises(services.SlotNotBookable):
        services.booking_create(slot_id=slot.pk, partner=world.member_b, topic="Second")
    response = client_for(world.member_b).post(book_url(slot), {"topic": "Second"})

    assert response.status_code == 409
    assert "already booked" in response.content.decode()
    assert Booking.objects.filter(slot=slot).count() == 1


def test_the_database_refuses_a_second_live_booking(world: World) -> None:
    slot = make_slot(world)
    Booking.objects.create(slot=slot, partner=world.member_a, topic="First")

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, partner=world.member_b, topic="Second")


@pytest.mark.django_db(transaction=True)
def test_two_partners_booking_at_once_get_one_booking(world: World) -> None:
    slot = make_slot(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(partner_id: int) -> None:
        from partnerships.models import User

        try:
            partner = User.objects.get(pk=partner_id)
            barrier.wait(timeout=10)
            services.booking_create(slot_id=slot.pk, partner=partner, topic="Me first")
            outcomes.append("booked")
        except services.SlotNotBookable:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(user.pk,)) for user in (world.member_a, world.member_b)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["booked", "refused"]
    assert Booking.objects.filter(slot=slot).count() == 1
    assert Delivery.objects.filter(kind=DeliveryKind.OFFICE_HOURS_BOOKED).count() == 2


def test_a_past_slot_is_not_bookable(world: World) -> None:
    slot = make_slot(world, days=-1)

    response = client_for(world.member_a).post(book_url(slot), {"topic": "Too late"})

    assert response.status_code == 409
    assert "has passed" in response.content.decode()
    with pytest.raises(services.SlotNotBookable):
        services.booking_create(slot_id=slot.pk, partner=world.member_a, topic="Too late")
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member_a", 200),
        ("member_b", 200),
        ("commissioner", 403),  # their own time
        ("facilitator", 403),  # in the partnership, but not for a voluntary organisation
        ("staff", 404),
    ],
)
def test_who_may_book(world: World, persona: str, status: int) -> None:
    slot = make_slot(world)

    assert client_for(world.user(persona)).get(book_url(slot)).status_code == status


def test_a_partner_elsewhere_does_not_see_the_slot(world: World) -> None:
    elsewhere = factories.OrganisationFactory(places=[world.other_place])
    partner = factories.MembershipFactory(organisation=elsewhere).user
    slot = make_slot(world)

    assert client_for(partner).get(book_url(slot)).status_code == 404
    assert client_for(partner).post(book_url(slot), {"topic": "Hi"}).status_code == 404


def test_booking_needs_a_topic(world: World) -> None:
    slot = make_slot(world)

    response = client_for(world.member_a).post(book_url(slot), {"topic": ""})

    assert response.status_code == 200
    assert "Enter what you want to talk about" in response.content.decode()
    assert not Booking.objects.exists()


# --- Cancelling -------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["member_a", "commissioner"])
def test_either_side_cancels_and_the_other_is_told(world: World, by: str) -> None:
    slot = make_slot(world)
    booking = services.booking_create(slot_id=slot.pk, partner=world.member_a, topic="Grant")
    send_all()
    url = reverse("doors:booking_cancel", kwargs={"pk": booking.pk})
    client = client_for(world.user(by))

    confirm = client.get(url)
    response = client.post(url)

    assert "Cancel this booking" in confirm.content.decode()
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    [message] = send_all()
    other = world.commissioner if by == "member_a" else world.member_a
    assert message.to == [other.email]
    ics = calendar_of(message)
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics
    assert f"UID:office-hours-{booking.pk}@" in ics
    # The time is free again.
    assert client_for(world.member_b).post(book_url(slot), {"topic": "Mine"}).status_code == 302


@pytest.mark.parametrize("persona", ["member_b", "facilitator", "staff"])
def test_others_cannot_see_or_cancel_a_booking(world: World, persona: str) -> None:
    booking = services.booking_create(
        slot_id=make_slot(world).pk, partner=world.member_a, topic="Grant"
    )
    url = reverse("doors:booking_cancel", kwargs={"pk": booking.pk})

    assert client_for(world.user(persona)).get(url).status_code == 404
    assert client_for(world.user(persona)).post(url).status_code == 404
    assert (
        "Grant"
        not in client_for(world.user(persona)).get(reverse("doors:bookings")).content.decode()
    )


def test_each_side_sees_their_bookings(world: World) -> None:
    services.booking_create(slot_id=make_slot(world).pk, partner=world.member_a, topic="Grant")

    for person in (world.member_a, world.commissioner):
        assert "Grant" in client_for(person).get(reverse("doors:bookings")).content.decode()


# --- Reminders ------------------------------------------------------------------------


def test_reminders_go_once_the_day_before(world: World) -> None:
    slot = make_slot(world, days=3)
    booking = services.booking_create(slot_id=slot.pk, partner=world.member_a, topic="Grant")
    late = services.booking_create(
        slot_id=make_slot(world, days=0.5).pk, partner=world.member_b, topic="Soon"
    )
    send_all()
    too_early = slot.starts_at - datetime.timedelta(hours=30)
    day_before = slot.starts_at - datetime.timedelta(hours=20)

    assert services.reminders_queue(now=too_early) == 0
    assert services.reminders_queue(now=day_before) == 2
    services.reminders_queue(now=day_before)
    services.reminders_queue(now=day_before + datetime.timedelta(hours=1))

    rows = Delivery.objects.filter(kind=DeliveryKind.OFFICE_HOURS_REMINDER)
    assert list(rows.values_list("about_id", flat=True)) == [booking.pk, booking.pk]
    assert late.pk not in rows.values_list("about_id", flat=True)
    sent = send_all()
    assert sorted(m.to[0] for m in sent) == sorted([world.member_a.email, world.commissioner.email])
    assert all("METHOD:REQUEST" in calendar_of(m) for m in sent)
    assert services.reminders_queue(now=day_before) == 0


def test_a_cancelled_booking_gets_no_reminder(world: World) -> None:
    slot = make_slot(world, days=3)
    booking = services.booking_create(slot_id=slot.pk, partner=world.member_a, topic="Grant")
    services.booking_cancel(booking=booking, by=world.member_a)

    assert services.reminders_queue(now=slot.starts_at - datetime.timedelta(hours=20)) == 0


def test_the_beat_task_is_scheduled(settings) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["doors-booking-reminders"]["task"] == (
        "doors.booking_reminders"
    )


# --- Publishing times ---------------------------------------------------------------------


def test_commissioner_publishes_a_time(world: World) -> None:
    when = timezone.localtime() + datetime.timedelta(days=2)

    response = client_for(world.commissioner).post(
        reverse("doors:slot_new"),
        {
            "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
            "length_minutes": "45",
            "mode": "in_person",
            "address": "Town hall",
            "online_link": "",
            "note": "",
        },
    )

    assert response.status_code == 302
    slot = OfficeHourSlot.objects.get()
    assert (slot.length_minutes, slot.address, slot.online_link) == (45, "Town hall", "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_at": "2001-01-01T10:00"}, "Choose a time in the future"),
        ({"mode": "in_person", "address": ""}, "Say where you will meet"),
        ({"mode": "online", "online_link": ""}, "Give the link to the online meeting"),
        ({"online_link": "not a link"}, "Enter a full web address"),
        ({"length_minutes": "5"}, "must be 10 or more"),
        ({"starts_at": "tomorrow"}, "must be a real date and time"),
        ({"mode": "by pigeon"}, "from the options given"),
    ],
)
def test_bad_times_are_explained(world: World, data: dict[str, str], message: str) -> None:
    when = timezone.localtime() + datetime.timedelta(days=2)
    form = {
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "length_minutes": "30",
        "mode": "online",
        "online_link": "https://meet.example.org/x",
        **data,
    }

    response = client_for(world.commissioner).post(reverse("doors:slot_new"), form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OfficeHourSlot.objects.exists()


@pytest.mark.parametrize("persona", ["member_a", "facilitator", "staff"])
def test_only_commissioners_publish_times(world: World, persona: str) -> None:
    assert client_for(world.user(persona)).get(reverse("doors:slot_new")).status_code == 403


def test_commissioner_removes_a_free_time_but_not_a_booked_one(world: World) -> None:
    free, booked = make_slot(world), make_slot(world, days=4)
    services.booking_create(slot_id=booked.pk, partner=world.member_a, topic="Grant")
    client = client_for(world.commissioner)

    removed = client.post(reverse("doors:slot_remove", kwargs={"pk": free.pk}))
    refused = client.post(reverse("doors:slot_remove", kwargs={"pk": booked.pk}))

    assert removed.status_code == 302 and not OfficeHourSlot.objects.filter(pk=free.pk).exists()
    assert refused.status_code == 409 and OfficeHourSlot.objects.filter(pk=booked.pk).exists()
    remove_url = reverse("doors:slot_remove", kwargs={"pk": booked.pk})
    assert client_for(world.member_a).post(remove_url).status_code == 403
