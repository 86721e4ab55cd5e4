"""The office-hours and visits lists, and the commissioner's profile with its times, run the
same number of queries however many rows they show."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doors import services
from tests import factories
from tests.conftest import World, client_for

from .conftest import make_slot, profile_of


def count(client, url: str) -> int:
    client.get(url)  # the signed-in person is cached after the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_rows(world: World, n: int) -> None:
    for i in range(n):
        slot = make_slot(world, days=2 + i)
        partner = factories.MembershipFactory(organisation=world.org_a).user
        services.booking_create(slot_id=slot.pk, partner=partner, topic=f"Topic {i}")
        make_slot(world, days=2.5 + i)
        services.visit_invite(
            organisation=world.org_a,
            place=world.place,
            guest=profile_of(world),
            by=world.member_a,
            proposed_dates="Any",
        )


def test_pages_do_not_grow_with_the_data(world: World) -> None:
    pages = [
        (world.member_a, profile_of(world).get_absolute_url()),
        (world.commissioner, profile_of(world).get_absolute_url()),
        (world.commissioner, reverse("doors:bookings")),
        (world.commissioner, reverse("doors:visits")),
        (world.member_a, reverse("doors:visits")),
    ]
    add_rows(world, 1)
    before = [count(client_for(user), url) for user, url in pages]
    add_rows(world, 4)
    after = [count(client_for(user), url) for user, url in pages]

    assert after == before
