"""Fixed personas and the real services (worker, SMTP, browser) that tests talk to.

Personas, as CONVENTIONS.md names them: anonymous, member of organisation A, lead of A,
member of B, facilitator, commissioner, staff. They all live in one place, ``world.place``,
where organisations A and B both work and ``world.forum`` meets.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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
def fast_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2 is deliberately slow (and memory-hungry); tests create many users. The one
    place for this: a test marked ``production_password_hashers`` keeps the real setting."""
    if request.node.get_closest_marker("production_password_hashers") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def empty_the_cache() -> None:
    """Remove every cache entry, but nothing else: in CI the Celery broker's queues and
    bindings live in the same Redis database, and a FLUSHDB would drop them under a running
    worker (whose tasks would then never arrive)."""
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def empty_shared_cache() -> None:
    """The shared cache holds signed-in people (partnerships/auth_backends.py) and live
    pages' parts by id; each test database starts its ids again, so every test starts with an
    empty cache, as a new deployment would."""
    empty_the_cache()


def _flushes_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional_marker = marker is not None and bool(marker.kwargs.get("transaction"))
    names = set(getattr(item, "fixturenames", ()))
    return transactional_marker or bool(names & {"transactional_db", "live_server"})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """The report's talking points are rows from a data migration. A transactional test
    (browser, worker, live server) ends by flushing every table, rows included; put them
    back straight after, so every later test (and a later run with --reuse-db) finds them.

    A hook, not a fixture: it must run after pytest-django's own fixtures have flushed.
    After the last test the test database is already gone, and nothing needs the rows.
    """
    yield
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        from talking_points.report import ensure_report_talking_points

        with item.config.stash[blocking_manager_key].unblock():
            ensure_report_talking_points()


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
