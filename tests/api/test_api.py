"""The API: tokens made and revoked on the account pages; every read through the same
``visible_to`` as the pages (an object a person may not see is a 404); writing needs a
write token. The whole schema is fuzzed by schemathesis for each persona's token."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.models import AccessToken, TokenScope, new_token, token_digest
from talking_points.models import LearningEntry
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def token_for(user: Any, scope: str = TokenScope.WRITE) -> str:
    token = new_token()
    AccessToken.objects.create(user=user, name="Ours", scope=scope, token_hash=token_digest(token))
    return token


def api(token: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(headers=headers)


def entry(world: World, visibility: str) -> LearningEntry:
    return LearningEntry.objects.create(
        place=world.place,
        organisation=world.org_a,
        author=world.member_a,
        visibility=visibility,
        kind="breakthrough",
        title=f"Shared with: {visibility}",
    )


def test_a_token_is_shown_once_works_and_stops_when_revoked(world: World) -> None:
    client = client_for(world.member_a)
    made = client.post(reverse("api:tokens"), {"name": "Case system", "scope": "read"}, follow=True)
    token = re.search(r"hlsf_[\w-]+", made.content.decode())
    assert token is not None
    assert token.group(0) not in client.get(reverse("api:tokens")).content.decode()
    assert AccessToken.objects.get().token_hash == token_digest(token.group(0))
    assert api(token.group(0)).get("/api/learning/").status_code == 200

    stored = AccessToken.objects.get()
    revoke = reverse("api:token_revoke", args=[stored.pk])
    assert "Revoke the token" in client.get(revoke).content.decode()  # asks first
    assert api(token.group(0)).get("/api/learning/").status_code == 200
    client.post(revoke)
    assert api(token.group(0)).get("/api/learning/").status_code == 401
    assert client_for(world.member_b).post(revoke).status_code == 404


def test_what_a_person_may_not_see_is_a_404_and_never_listed(world: World) -> None:
    private = entry(world, "organisation")
    shared = entry(world, "place")
    public = entry(world, "public")
    url = f"/api/learning/{private.pk}/"

    assert api(token_for(world.member_a)).get(url).status_code == 200
    assert api(token_for(world.member_b)).get(url).status_code == 404
    assert api().get(url).status_code == 404
    listed = api(token_for(world.member_b)).get("/api/learning/").json()["results"]
    assert {row["id"] for row in listed} == {shared.pk, public.pk}
    assert [row["id"] for row in api().get("/api/learning/").json()["results"]] == [public.pk]


def test_writing_needs_a_write_token_and_the_persons_own_organisation(world: World) -> None:
    new = {
        "place": world.place.slug,
        "organisation": world.org_a.slug,
        "kind": "breakthrough",
        "title": "Trust grew",
        "visibility": "place",
    }
    read_only = api(token_for(world.member_a, TokenScope.READ))
    assert read_only.post("/api/learning/", new, content_type="application/json").status_code == 403
    writer = api(token_for(world.member_a))
    made = writer.post("/api/learning/", new, content_type="application/json")
    assert made.status_code == 201, made.content
    assert LearningEntry.objects.get(pk=made.json()["id"]).author == world.member_a

    other = api(token_for(world.member_b))
    assert other.post("/api/learning/", new, content_type="application/json").status_code == 403
    story = {**new, "kind": "story"}
    assert writer.post("/api/learning/", story, content_type="application/json").status_code == 400
    assert api().post("/api/learning/", new, content_type="application/json").status_code == 401


# --- The whole schema, fuzzed as each persona ----------------------------------------------


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Calls through the WSGI app end with Django closing old database connections, which
    would close the test's own (its transaction holds the test data); Django's test client
    disconnects the same handler."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _api_schema() -> Any:
    """The schema the site serves at /api/schema/, called in-process through the WSGI app."""
    from drf_spectacular.generators import SchemaGenerator

    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _api_schema()
FUZZ_PERSONAS = ["anonymous", "member_b", "commissioner", "staff"]


@pytest.fixture
def wsgi_host(settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis' WSGI host


@pytest.fixture
def as_persona(world: World, persona: str) -> dict[str, Any]:
    """Something at every visibility, so lists are not empty; the persona's write token."""
    for visibility in ("organisation", "commissioners", "place", "public"):
        entry(world, visibility)
    user = world.user(persona)
    headers = {"Authorization": f"Bearer {token_for(user)}"} if user else {}
    return {"user": user, "headers": headers}


def only_what_visible_to_allows(user: Any) -> Any:
    def check(ctx: Any, response: Any, case: Any) -> bool | None:
        if not case.path.startswith("/api/learning/") or response.status_code != 200:
            return None
        body = response.json()
        rows = body.get("results", [body]) if isinstance(body, dict) else []
        ids = {row["id"] for row in rows if isinstance(row, dict) and "id" in row}
        visible = set(LearningEntry.objects.visible_to(user).values_list("pk", flat=True))
        hidden = ids - visible
        assert not hidden, f"{case.path} showed entries visible_to hides: {sorted(hidden)}"
        return None

    return check


@schema.parametrize()
@pytest.mark.parametrize("persona", FUZZ_PERSONAS)
@hypothesis_settings(
    max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
def test_no_5xx_no_schema_violation_nothing_hidden_shown(
    case: Any, as_persona: dict[str, Any], wsgi_host: None
) -> None:
    case.call_and_validate(
        # The in-process client does not unzip what GZipMiddleware compresses.
        headers={**as_persona["headers"], "Accept-Encoding": "identity"},
        checks=[
            not_a_server_error,
            response_schema_conformance,
            only_what_visible_to_allows(as_persona["user"]),
        ],
    )
