"""A commissioner edits their own public profile, and nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from partnerships.models import CommissionerProfile
from tests import factories
from tests.conftest import World, client_for


@pytest.fixture
def profile(world: World) -> CommissionerProfile:
    return CommissionerProfile.objects.get(user=world.commissioner)


def edit_url(profile: CommissionerProfile) -> str:
    return reverse("partnerships:commissioner_edit", kwargs={"pk": profile.pk})


def profile_data(profile: CommissionerProfile, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "job_title": "Head of Community Commissioning",
        "public_email": "sam.okafor@council.example.org",
        "public_phone": "+44 (0)1752 000 999",
        "availability": "Mondays, 9am to 1pm",
        "specialisms": [],
        "places": [p.pk for p in profile.places.all()],
        "about": "We fund long-term, flexible grants because change takes time.",
    }
    return {**data, **overrides}


def test_commissioner_edits_their_public_profile(
    world: World, profile: CommissionerProfile
) -> None:
    specialism = factories.SpecialismFactory(name="Mental health", slug="mental-health")

    response = client_for(world.commissioner).post(
        edit_url(profile), profile_data(profile, specialisms=[specialism.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == profile.get_absolute_url()
    profile.refresh_from_db()
    assert profile.public_email == "sam.okafor@council.example.org"
    assert profile.public_phone == "+44 (0)1752 000 999"
    assert profile.availability == "Mondays, 9am to 1pm"
    assert profile.about == "We fund long-term, flexible grants because change takes time."
    assert list(profile.specialisms.all()) == [specialism]
    assert list(profile.places.all()) == [world.place]
    public = client_for(None).get(profile.get_absolute_url()).content.decode()
    assert "Mondays, 9am to 1pm" in public
    assert "Mental health" in public


def test_commissioner_can_add_a_place_their_organisation_works_in(
    world: World, profile: CommissionerProfile
) -> None:
    profile.organisation.places.add(world.other_place)

    client_for(world.commissioner).post(
        edit_url(profile), profile_data(profile, places=[world.place.pk, world.other_place.pk])
    )

    assert set(profile.places.all()) == {world.place, world.other_place}


def test_commissioner_cannot_claim_a_place_their_organisation_does_not_work_in(
    world: World, profile: CommissionerProfile
) -> None:
    response = client_for(world.commissioner).post(
        edit_url(profile), profile_data(profile, places=[world.place.pk, world.other_place.pk])
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert list(profile.places.all()) == [world.place]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("public_email", "sam at council"),
        ("public_email", ""),
        ("public_phone", "call me maybe"),
        ("job_title", ""),
        ("about", "x" * 4001),
        ("specialisms", ["999999"]),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_is_half_stored(
    world: World, profile: CommissionerProfile, field: str, value: Any
) -> None:
    before = CommissionerProfile.objects.values().get(pk=profile.pk)
    places_before = list(profile.places.all())

    response = client_for(world.commissioner).post(
        edit_url(profile), profile_data(profile, places=[], **{field: value})
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert CommissionerProfile.objects.values().get(pk=profile.pk) == before
    assert list(profile.places.all()) == places_before


def test_html_in_profile_is_shown_escaped(world: World, profile: CommissionerProfile) -> None:
    client_for(world.commissioner).post(
        edit_url(profile),
        profile_data(profile, availability="<b>Any time</b>", about="<script>x()</script>"),
    )

    content = client_for(None).get(profile.get_absolute_url()).content.decode()

    assert "&lt;b&gt;Any time&lt;/b&gt;" in content
    assert "<script>x()</script>" not in content


@pytest.mark.parametrize("persona", ["member_a", "lead_a", "member_b", "facilitator", "staff"])
def test_nobody_else_can_edit_a_commissioners_profile(
    world: World, profile: CommissionerProfile, persona: str
) -> None:
    before = CommissionerProfile.objects.values().get(pk=profile.pk)
    client = client_for(world.user(persona))

    get = client.get(edit_url(profile))
    post = client.post(edit_url(profile), profile_data(profile))

    assert (get.status_code, post.status_code) == (403, 403)
    assert "You can only edit your own commissioner profile." in post.content.decode()
    assert CommissionerProfile.objects.values().get(pk=profile.pk) == before


def test_another_commissioner_cannot_edit_the_profile(
    world: World, profile: CommissionerProfile
) -> None:
    other = factories.CommissionerProfileFactory(places=[world.place]).user
    factories.give_mfa(other)  # commissioners must use two-step sign-in

    response = client_for(other).post(edit_url(profile), profile_data(profile))

    assert response.status_code == 403


def test_unknown_profile_is_404(world: World) -> None:
    url = reverse("partnerships:commissioner_edit", kwargs={"pk": 987654})

    assert client_for(world.commissioner).get(url).status_code == 404


def test_commissioner_sees_edit_links_on_dashboard_and_profile(
    world: World, profile: CommissionerProfile
) -> None:
    client = client_for(world.commissioner)

    dashboard = client.get(reverse("talking_points:dashboard")).content.decode()
    public = client.get(profile.get_absolute_url()).content.decode()
    as_visitor = client_for(world.member_a).get(profile.get_absolute_url()).content.decode()

    assert edit_url(profile) in dashboard
    assert edit_url(profile) in public
    assert edit_url(profile) not in as_visitor
