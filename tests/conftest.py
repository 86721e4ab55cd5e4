"""Fixed personas and the real services (worker, SMTP, browser) that tests talk to.

Personas, as CONVENTIONS.md names them: anonymous, member of organisation A, lead of A,
member of B, facilitator, commissioner, staff. They all live in one place, ``world.place``,
where organisations A and B both work and ``world.forum`` meets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from partnerships.models import Forum, Organisation, Place, User
from tests import factories
from tests.services import (  # noqa: F401 - fixtures re-exported for every test module
    browser,
    celery_worker,
    chromium_browser,
    redis_url,
    smtp_server,
)

PERSONAS = [
    "anonymous",
    "member_a",
    "lead_a",
    "member_b",
    "facilitator",
    "commissioner",
    "staff",
]


@dataclass
class World:
    place: Place
    other_place: Place
    org_a: Organisation
    org_b: Organisation
    forum: Forum
    member_a: User
    lead_a: User
    member_b: User
    facilitator: User
    commissioner: User
    staff: User

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self, persona)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow (and memory-hungry); tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    place = factories.PlaceFactory(name="Testford", slug="testford")
    other_place = factories.PlaceFactory(name="Elsewhere", slug="elsewhere")
    org_a = factories.OrganisationFactory(name="Org A", slug="org-a", places=[place])
    org_b = factories.OrganisationFactory(name="Org B", slug="org-b", places=[place])
    member_a = factories.MembershipFactory(organisation=org_a, role="staff").user
    lead_a = factories.MembershipFactory(organisation=org_a, role="lead", is_admin=True).user
    member_b = factories.MembershipFactory(organisation=org_b, role="staff").user
    forum = factories.ForumFactory(place=place, name="Testford Forum", slug="testford-forum")
    facilitator = factories.ForumMembershipFactory(forum=forum, role="facilitator").user
    commissioner = factories.CommissionerProfileFactory(places=[place]).user
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    # Commissioners and staff must use two-step sign-in (hls_forum.middleware).
    factories.give_mfa(commissioner)
    factories.give_mfa(staff)
    return World(
        place=place,
        other_place=other_place,
        org_a=org_a,
        org_b=org_b,
        forum=forum,
        member_a=member_a,
        lead_a=lead_a,
        member_b=member_b,
        facilitator=facilitator,
        commissioner=commissioner,
        staff=staff,
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(params=PERSONAS)
def persona(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def persona_client(world: World, persona: str) -> Client:
    return client_for(world.user(persona))


@pytest.fixture
def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"
