"""Every named URL, requested as every persona, answers the status code we expect.

HOW TO KEEP THIS TEST HONEST: ``ROUTES`` below must have an entry for every named URL in
our own URL namespaces (``partnerships``, ``talking_points``, any app namespace added
later, and the names defined directly in ``hls_forum/urls.py``). When you add a URL, add
its entry here: how to build its kwargs from the ``world`` fixture, and what each persona
gets. ``test_every_named_url_is_registered`` FAILS for any URL without an entry, so a new
page cannot ship without saying who may see it.

Expectations are an HTTP status, or ``LOGIN`` (a redirect to the sign-in page), or
``redirect("/prefix")`` (a redirect whose target starts with that prefix).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnerships import services
from partnerships.models import CommissionerProfile, Membership
from tests.conftest import PERSONAS, World, client_for

LOGIN = "login"

# Namespaces that are not ours: Django admin is checked through a few EXTRA_ROUTES below.
IGNORED_NAMESPACES = {"admin"}

Expectation = int | str
Kwargs = Callable[[World], dict[str, Any]]


def redirect(prefix: str) -> str:
    return f"redirect:{prefix}"


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


def everyone(status: int) -> dict[str, Expectation]:
    return dict.fromkeys(PERSONAS, status)


def signed_in(status: int = 200) -> dict[str, Expectation]:
    return {**everyone(status), "anonymous": LOGIN}


def only(allowed: dict[str, Expectation], others: int = 403) -> dict[str, Expectation]:
    """Signed-in personas get ``others`` unless listed; anonymous visitors are sent to sign in."""
    return {**signed_in(others), **allowed}


@dataclass(frozen=True)
class Route:
    get: dict[str, Expectation]
    kwargs: Kwargs = no_kwargs
    # For URLs that change something: what a POST (with ``post_data``) answers per persona.
    post: dict[str, Expectation] = field(default_factory=dict)
    post_data: dict[str, str] = field(default_factory=dict)


# --- kwargs builders -------------------------------------------------------------------------


def forum_slug(world: World) -> dict[str, Any]:
    return {"slug": world.forum.slug}


def org_a_slug(world: World) -> dict[str, Any]:
    return {"slug": world.org_a.slug}


def place_slug(world: World) -> dict[str, Any]:
    return {"slug": world.place.slug}


def commissioner_pk(world: World) -> dict[str, Any]:
    return {"pk": CommissionerProfile.objects.get(user=world.commissioner).pk}


def member_a_membership(world: World) -> dict[str, Any]:
    membership = Membership.objects.get(user=world.member_a, organisation=world.org_a)
    return {"slug": world.org_a.slug, "pk": membership.pk}


def invitation_token(world: World) -> dict[str, Any]:
    invitation = services.invitation_create(
        invited_by=world.lead_a, email="invited@example.org", organisation=world.org_a
    )
    return {"token": invitation.token}


def pending_join_request(world: World) -> dict[str, Any]:
    from tests import factories

    asker = factories.UserFactory()
    join_request = services.forum_join_request_create(forum=world.forum, user=asker)
    return {"slug": world.forum.slug, "pk": join_request.pk}


# --- The registry -------------------------------------------------------------------------------

ROUTES: dict[str, Route] = {
    "home": Route(get=everyone(200)),
    "healthz": Route(get=everyone(200)),
    "privacy": Route(get=everyone(200)),
    "talking_points:talking_point_list": Route(get=everyone(200)),
    "partnerships:dashboard": Route(get=signed_in(200)),
    "partnerships:invitation_accept": Route(
        # Anyone signed in sees the invitation; accepting checks the email address.
        get=signed_in(200),
        kwargs=invitation_token,
        post={**only({"anonymous": LOGIN}, others=400)},
    ),
    "partnerships:place_list": Route(get=everyone(200)),
    "partnerships:place_detail": Route(get=everyone(200), kwargs=place_slug),
    "partnerships:organisation_detail": Route(get=everyone(200), kwargs=org_a_slug),
    "partnerships:organisation_invite": Route(
        get=only({"lead_a": 200}),
        kwargs=org_a_slug,
        post=only({"lead_a": 302}),
        post_data={"email": "colleague@example.org", "role": "staff"},
    ),
    "partnerships:membership_remove": Route(
        get=only({"lead_a": 200}),
        kwargs=member_a_membership,
        post=only({"lead_a": 302}),
    ),
    "partnerships:commissioner_detail": Route(get=everyone(200), kwargs=commissioner_pk),
    "partnerships:commissioner_edit": Route(
        get=only({"commissioner": 200}),
        kwargs=commissioner_pk,
        post=only({"commissioner": 200}),  # an empty form re-renders with its errors
    ),
    "partnerships:forum_detail": Route(get=everyone(200), kwargs=forum_slug),
    "partnerships:forum_edit": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 200}),  # an empty form re-renders with its errors
    ),
    "partnerships:forum_join": Route(
        # Members are sent back to the forum; everyone else signed in may ask.
        get={**signed_in(200), "facilitator": 302},
        kwargs=forum_slug,
        post={**signed_in(302)},
    ),
    "partnerships:join_request_decide": Route(
        get=signed_in(405),
        kwargs=pending_join_request,
        post=only({"facilitator": 302}),
        post_data={"decision": "accept"},
    ),
    "partnerships:forum_invite": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 302}),
        post_data={"email": "guest@example.org"},
    ),
    "partnerships:forum_leave": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 409}),  # the only facilitator may not leave
    ),
    "partnerships:forum_reminders": Route(
        get=signed_in(405),
        kwargs=forum_slug,
        post=only({"facilitator": 302}),
        post_data={"reminders": "off"},
    ),
}

# Not in our namespaces, but part of the access story: admin and sign-in.
EXTRA_ROUTES: dict[str, Route] = {
    "admin:index": Route(
        get={
            **everyone(302),
            "anonymous": redirect("/admin/login/"),
            "staff": redirect("/accounts/2fa/totp/activate/"),
        }
    ),
    "admin:login": Route(get={**only({"staff": 302}), "anonymous": LOGIN}),
    "account_login": Route(get={**everyone(302), "anonymous": 200}),
    "account_signup": Route(get={**everyone(302), "anonymous": 200}),
    "mfa_index": Route(get=signed_in(200)),
}


# --- Walking the URL resolver ---------------------------------------------------------------------


def is_project_module(module: Any) -> bool:
    path = Path(getattr(module, "__file__", "") or "/").resolve()
    base = Path(settings.BASE_DIR).resolve()
    return base in path.parents and not any(
        part in {".venv", "site-packages"} for part in path.parts
    )


def our_url_names() -> set[str]:
    """Every named URL in our namespaces and in our own (namespace-free) URL modules."""
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                if namespace in IGNORED_NAMESPACES:
                    continue
                if namespace is None and not is_project_module(pattern.urlconf_module):
                    continue  # a third-party app's URLs (allauth)
                walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_named_url_is_registered() -> None:
    names = our_url_names()

    missing = sorted(names - set(ROUTES))
    stale = sorted(set(ROUTES) - names)

    assert missing == [], (
        "These named URLs have no entry in ROUTES in tests/test_url_access.py. Add one that "
        f"says what each persona gets: {missing}"
    )
    assert stale == [], f"ROUTES lists URLs that no longer exist: {stale}"


def test_the_walk_finds_our_namespaces() -> None:
    names = our_url_names()

    assert {"home", "partnerships:dashboard", "talking_points:talking_point_list"} <= names
    assert not any(name.startswith(("admin:", "account_", "mfa_")) for name in names)


# --- Requesting them ------------------------------------------------------------------------------


def check(response: Any, expected: Expectation, what: str) -> None:
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302, what
        assert location.startswith(reverse("account_login") + "?next="), (what, location)
    elif isinstance(expected, str):
        prefix = expected.removeprefix("redirect:")
        assert response.status_code == 302, what
        assert location.startswith(prefix), (what, location)
    else:
        assert response.status_code == expected, (what, location)


ALL_ROUTES = {**ROUTES, **EXTRA_ROUTES}


@pytest.mark.parametrize("name", sorted(ALL_ROUTES))
def test_get_every_url_as_every_persona(
    world: World, persona: str, persona_client: Client, name: str
) -> None:
    route = ALL_ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))

    response = persona_client.get(url)

    check(response, route.get[persona], f"GET {url} as {persona}")


POST_ROUTES = sorted(name for name, route in ALL_ROUTES.items() if route.post)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_to_every_changing_url_as_every_persona(world: World, persona: str, name: str) -> None:
    route = ALL_ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))

    response = client_for(world.user(persona)).post(url, route.post_data)

    check(response, route.post[persona], f"POST {url} as {persona}")


def test_registry_covers_every_persona() -> None:
    for name, route in ALL_ROUTES.items():
        assert set(route.get) == set(PERSONAS), name
        assert not route.post or set(route.post) == set(PERSONAS), name
