"""Bad input gets a clear answer, never a 500, and nothing is stored half-done."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partnerships.models import Forum, ForumJoinRequest, Invitation
from tests.conftest import World, client_for


def test_oversized_post_gets_a_clear_400_page_and_stores_nothing(world: World) -> None:
    big = "x" * (600 * 1024)  # over the 512 KiB limit

    response = client_for(world.member_b).post(
        reverse("partnerships:forum_join", kwargs={"slug": world.forum.slug}),
        {"message": big},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "That was too much to send" in content
    assert "nothing was saved" in content
    assert ForumJoinRequest.objects.count() == 0


def test_oversized_post_with_csrf_checks_on_is_still_a_clear_400(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead_a)
    client.get(world.org_a.get_absolute_url())  # sets the CSRF cookie, as a browser would
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post(
        reverse("partnerships:organisation_invite", kwargs={"slug": world.org_a.slug}),
        {"csrfmiddlewaretoken": token, "email": "a@example.org", "padding": "x" * (600 * 1024)},
    )

    assert response.status_code == 400
    assert "That was too much to send" in response.content.decode()
    assert Invitation.objects.count() == 0


def test_too_many_fields_gets_a_clear_400(world: World) -> None:
    data = {f"f{n}": "1" for n in range(1200)}

    response = client_for(world.facilitator).post(
        reverse("partnerships:forum_edit", kwargs={"slug": world.forum.slug}), data
    )

    assert response.status_code == 400
    assert "That was too much to send" in response.content.decode()


def test_forum_time_of_25_00_is_refused_and_the_forum_is_unchanged(world: World) -> None:
    before = Forum.objects.values().get(pk=world.forum.pk)

    response = client_for(world.facilitator).post(
        reverse("partnerships:forum_edit", kwargs={"slug": world.forum.slug}),
        {
            "purpose": "A new purpose that must not be saved",
            "weekday": "1",
            "start_time": "25:00",
            "duration_minutes": "90",
            "venue": "Hall",
            "access": "open",
            "reminder_days_before": "1",
            "reminder_hour": "9",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Start time: Enter a real time between 00:00 and 23:59" in content
    assert Forum.objects.values().get(pk=world.forum.pk) == before


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("talking_points:place_detail", {"slug": "nowhere"}),
        ("partnerships:organisation_detail", {"slug": "no-such-org"}),
        ("partnerships:organisation_invite", {"slug": "no-such-org"}),
        ("partnerships:membership_remove", {"slug": "org-a", "pk": 999999}),
        ("partnerships:commissioner_detail", {"pk": 999999}),
        ("partnerships:commissioner_edit", {"pk": 999999}),
        ("talking_points:forum_detail", {"slug": "no-such-forum"}),
        ("partnerships:forum_edit", {"slug": "no-such-forum"}),
        ("partnerships:forum_join", {"slug": "no-such-forum"}),
        ("partnerships:forum_invite", {"slug": "no-such-forum"}),
        ("partnerships:forum_leave", {"slug": "no-such-forum"}),
        ("partnerships:invitation_accept", {"token": "not-a-token"}),
    ],
)
def test_unknown_slugs_and_ids_are_404(world: World, name: str, kwargs: dict[str, object]) -> None:
    response = client_for(world.lead_a).get(reverse(name, kwargs=kwargs))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_non_numeric_ids_do_not_match_any_page(world: World) -> None:
    response = client_for(world.lead_a).get("/commissioners/abc/edit/")

    assert response.status_code == 404


def test_html_in_a_persons_name_is_escaped_for_the_facilitator(world: World) -> None:
    world.member_b.full_name = '"><img src=x onerror=alert(1)>'
    world.member_b.save()
    client_for(world.member_b).post(
        reverse("partnerships:forum_join", kwargs={"slug": world.forum.slug}), {"message": "hi"}
    )

    content = client_for(world.facilitator).get(world.forum.get_absolute_url()).content.decode()

    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
