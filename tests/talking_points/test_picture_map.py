"""The system map: who sees it, who draws it, bad input, filters and the data the JS draws."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from partnerships.models import Relationship
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.picture_fixtures import Outsider, outsider_fixture  # noqa: F401


def map_url(world: World) -> str:
    return reverse("talking_points:system_map", kwargs={"slug": world.place.slug})


def map_data(content: str) -> dict[str, list[dict[str, object]]]:
    match = re.search(
        r'<script id="system-map-data" type="application/json">(.*?)</script>', content, re.S
    )
    assert match is not None
    return json.loads(match.group(1))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member_a", 200),
        ("member_b", 200),
        ("facilitator", 200),
        ("commissioner", 200),
        ("staff", 404),
    ],
)
def test_map_is_for_the_places_partnership(world: World, persona: str, status: int) -> None:
    response = client_for(world.user(persona)).get(map_url(world))
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(map_url(world))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_outsider_is_refused(world: World, outsider: Outsider) -> None:
    response = client_for(outsider.user).get(map_url(world))
    assert response.status_code == 404


def test_forum_member_adds_a_relationship(world: World) -> None:
    response = client_for(world.facilitator).post(
        map_url(world),
        {"source": world.org_a.pk, "kind": "refers_to", "target": world.org_b.pk, "note": "Weekly"},
    )
    relationship = Relationship.objects.get()
    assert response.status_code == 302
    assert (relationship.source, relationship.kind, relationship.target) == (
        world.org_a,
        "refers_to",
        world.org_b,
    )
    assert relationship.place == world.place
    assert relationship.created_by == world.facilitator


def test_partner_who_is_not_in_a_forum_cannot_draw(world: World) -> None:
    response = client_for(world.member_a).post(
        map_url(world), {"source": world.org_a.pk, "kind": "funds", "target": world.org_b.pk}
    )
    assert response.status_code == 403
    assert "Only members of one of Testford's forums" in html.unescape(response.content.decode())
    assert Relationship.objects.count() == 0


def test_relationship_with_itself_is_refused(world: World) -> None:
    response = client_for(world.facilitator).post(
        map_url(world), {"source": world.org_a.pk, "kind": "funds", "target": world.org_a.pk}
    )
    assert response.status_code == 400
    assert "An organisation cannot have a relationship with itself." in response.content.decode()
    assert Relationship.objects.count() == 0


def test_relationship_with_itself_is_refused_by_the_database(world: World) -> None:
    with pytest.raises(IntegrityError):
        factories.RelationshipFactory(place=world.place, source=world.org_a, target=world.org_a)


def test_relationship_to_an_organisation_outside_the_place_is_refused(
    world: World, outsider: Outsider
) -> None:
    response = client_for(world.facilitator).post(
        map_url(world),
        {"source": world.org_a.pk, "kind": "funds", "target": outsider.organisation.pk},
    )
    assert response.status_code == 400
    assert "Choose an organisation that works in Testford." in response.content.decode()
    assert Relationship.objects.count() == 0


def test_duplicate_relationship_is_refused(world: World) -> None:
    factories.RelationshipFactory(
        place=world.place, source=world.org_a, target=world.org_b, kind="funds"
    )
    response = client_for(world.facilitator).post(
        map_url(world), {"source": world.org_a.pk, "kind": "funds", "target": world.org_b.pk}
    )
    assert response.status_code == 400
    assert "That relationship is already on the map." in response.content.decode()
    assert Relationship.objects.count() == 1


def test_remove_asks_first_then_removes(world: World) -> None:
    relationship = factories.RelationshipFactory(
        place=world.place, source=world.org_a, target=world.org_b
    )
    client = client_for(world.facilitator)
    url = reverse(
        "talking_points:relationship_remove",
        kwargs={"slug": world.place.slug, "pk": relationship.pk},
    )
    confirm = client.get(url)
    assert "Remove “Org A funds Org B” from the map?" in confirm.content.decode()
    assert Relationship.objects.count() == 1
    assert client.post(url).status_code == 302
    assert Relationship.objects.count() == 0


def test_partner_not_in_a_forum_cannot_remove(world: World) -> None:
    relationship = factories.RelationshipFactory(
        place=world.place, source=world.org_a, target=world.org_b
    )
    url = reverse(
        "talking_points:relationship_remove",
        kwargs={"slug": world.place.slug, "pk": relationship.pk},
    )
    assert client_for(world.member_b).post(url).status_code == 403
    assert Relationship.objects.count() == 1


def test_map_data_table_and_text_alternative_agree(world: World) -> None:
    factories.RelationshipFactory(
        place=world.place, source=world.org_a, target=world.org_b, kind="funds"
    )
    content = client_for(world.member_a).get(map_url(world)).content.decode()
    data = map_data(content)
    assert [n["name"] for n in data["nodes"]] == ["Org A", "Org B"]
    assert data["edges"] == [
        {
            "source": world.org_a.pk,
            "target": world.org_b.pk,
            "kind": "funds",
            "kindLabel": "funds",
            "dash": "",
        }
    ]
    assert "The map shows 2 organisations and 1 relationships (1 “funds”)" in content
    assert "<td>funds</td>" in content
    assert 'data-summary="The map shows 2 organisations' in content
    assert "/static/js/system-map.js" in content


def test_map_filters_by_kind_and_sector(world: World) -> None:
    council = factories.OrganisationFactory(
        name="Council", slug="council", sector="statutory", places=[world.place]
    )
    factories.RelationshipFactory(
        place=world.place, source=council, target=world.org_a, kind="funds"
    )
    factories.RelationshipFactory(
        place=world.place, source=world.org_a, target=world.org_b, kind="refers_to"
    )
    client = client_for(world.member_a)

    def edges(query: str) -> list[str]:
        data = map_data(client.get(f"{map_url(world)}?{query}").content.decode())
        return sorted(str(e["kind"]) for e in data["edges"])

    assert edges("") == ["funds", "refers_to"]
    assert edges("kind=funds") == ["funds"]
    assert edges("sector=statutory") == ["funds"]
    assert edges("sector=vcs") == ["funds", "refers_to"]
    assert edges("kind=refers_to&sector=statutory") == []


def test_map_query_count_does_not_grow(world: World, django_assert_num_queries: object) -> None:
    client = client_for(world.member_a)
    factories.RelationshipFactory(place=world.place, source=world.org_a, target=world.org_b)
    client.get(map_url(world))  # warm: the signed-in person is cached from now on
    with django_assert_num_queries(4):  # type: ignore[operator]
        client.get(map_url(world))
    for i in range(5):
        other = factories.OrganisationFactory(places=[world.place], name=f"Extra {i}")
        factories.RelationshipFactory(place=world.place, source=other, target=world.org_b)
    with django_assert_num_queries(4):  # type: ignore[operator]
        client.get(map_url(world))
