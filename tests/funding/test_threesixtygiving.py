"""The transparency register in the 360Giving Data Standard: the JSON grant package is
valid against the standard's own (vendored) schema, the flat CSV uses the standard's column
titles, identifiers are stable and prefixed, and only what the reader may see goes out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from funding import threesixtygiving
from partnerships.models import Commission, Organisation
from tests import factories
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(threesixtygiving.__file__).resolve().parent / "schema"


def validator() -> jsonschema.Draft4Validator:
    """The package schema, its grant schema resolved to the vendored copy (no network)."""
    grant_schema = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())
    package_schema = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text())
    registry: Registry[Any] = Registry().with_resource(
        threesixtygiving.GRANT_SCHEMA_URL,
        Resource.from_contents(grant_schema, default_specification=DRAFT4),
    )
    return jsonschema.Draft4Validator(
        package_schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def commission(world: World, **kwargs: Any) -> Commission:
    defaults: dict[str, Any] = {
        "place": world.place,
        "commissioner": world.commissioner.commissioner_profile,
        "providers": [world.org_a],
        "budget": "125000.50",
        "title": "Peer support",
        "why": "People trust someone who has been there.",
    }
    line: Any = factories.CommissionFactory(**{**defaults, **kwargs})
    return line


def get_json(client: Client, query: str = "") -> Any:
    return json.loads(client.get(reverse("funding:register_json") + query).content)


def get_csv(client: Client) -> list[list[str]]:
    response = client.get(reverse("funding:register_csv"))
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_vendored_schemas_require_the_standard_s_fields() -> None:
    grant_schema = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())

    assert grant_schema["required"] == [
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "recipientOrganization",
        "fundingOrganization",
    ]


def test_exported_package_is_valid_360giving(world: World) -> None:
    Organisation.objects.filter(pk=world.org_a.pk).update(org_id="GB-CHC-1234567")
    commission(world)
    commission(world, title="Alliance", providers=[world.org_a, world.org_b], ends_on=None)

    package = get_json(Client())

    errors = [e.message for e in validator().iter_errors(package)]
    assert errors == []
    assert len(package["grants"]) == 2


def test_the_validator_catches_a_grant_without_required_fields(world: World) -> None:
    commission(world)
    package = get_json(Client())
    del package["grants"][0]["fundingOrganization"]

    assert not validator().is_valid(package)


def test_grant_fields_and_identifiers(world: World, settings: Any) -> None:
    settings.THREESIXTYGIVING_PREFIX = "360G-testprefix-"
    Organisation.objects.filter(pk=world.org_a.pk).update(org_id="GB-CHC-1234567")
    line = commission(world)

    grant = get_json(Client())["grants"][0]

    funder = world.commissioner.commissioner_profile.organisation
    assert grant["id"] == f"360G-testprefix-commission-{line.pk}"
    assert (grant["currency"], grant["amountAwarded"], grant["awardDate"]) == (
        "GBP",
        125000.5,
        "2025-04-01",
    )
    assert grant["recipientOrganization"] == [{"id": "GB-CHC-1234567", "name": "Org A"}]
    # An organisation without an org-id gets a local identifier under the prefix.
    assert grant["fundingOrganization"] == [
        {"id": f"360G-testprefix-org-{funder.pk}", "name": funder.name}
    ]


def test_identifier_is_stable_when_the_commission_changes(world: World) -> None:
    line = commission(world)
    before = get_json(Client())["grants"][0]["id"]
    Commission.objects.filter(pk=line.pk).update(title="Renamed", budget=5)

    assert get_json(Client())["grants"][0]["id"] == before


def test_commission_without_providers_is_left_out(world: World) -> None:
    commission(world, providers=[])

    assert get_json(Client())["grants"] == []
    page = Client().get(reverse("funding:open_data"))
    assert "A commission with no named provider has no recipient, so it is left out: 1" in (
        page.content.decode()
    )


def test_flat_csv_uses_the_standard_s_column_titles(world: World) -> None:
    line = commission(world, providers=[world.org_b, world.org_a])

    rows = get_csv(Client())

    assert rows[0][:10] == [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Funding Org:Name",
    ]
    assert rows[1][0] == f"360G-hlsforum-commission-{line.pk}"
    assert rows[1][4:8] == [
        "125000.50",
        "2025-04-01",
        f"360G-hlsforum-org-{world.org_a.pk}",
        "Org A",
    ]


def test_only_commissions_the_reader_may_see_are_exported(world: World) -> None:
    commission(world, title="Open to all")
    commission(world, title="Partners only", is_public=False)
    outsider = factories.UserFactory()

    def titles(user: Any) -> set[str]:
        client = client_for(user)
        return {g["title"] for g in get_json(client)["grants"]} | {
            row[1] for row in get_csv(client)[1:]
        }

    assert titles(None) == {"Open to all"}
    assert titles(outsider) == {"Open to all"}
    assert titles(world.member_b) == {"Open to all", "Partners only"}


@pytest.mark.parametrize("query", ["?place=nowhere", "?place=%00", "?place=" + "x" * 5000])
def test_bad_place_filter_exports_nothing_and_never_fails(world: World, query: str) -> None:
    commission(world)

    response = Client().get(reverse("funding:register_json") + query)

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert json.loads(response.content)["grants"] == []
    assert Client().get(reverse("funding:open_data") + query).status_code in (200, 400)


def test_commission_form_records_kind_flexibility_and_reporting(world: World) -> None:
    client = client_for(world.commissioner)
    data = {
        "place": world.place.pk,
        "title": "Alliance",
        "why": "Shared risk.",
        "budget": "1000",
        "starts_on": "2026-04-01",
        "funding_kind": "alliance",
        "flexibility": "by_agreement",
        "reporting_asks": "A learning review each quarter.",
    }

    response = client.post(reverse("talking_points:commission_create"), data)

    line = Commission.objects.get()
    assert response.status_code == 302
    assert (line.funding_kind, line.flexibility) == ("alliance", "by_agreement")
    detail = client.get(line.get_absolute_url()).content.decode()
    assert "Alliance (providers share one budget and its risk)" in detail
    assert "A learning review each quarter." in detail
    exported = client.get(reverse("talking_points:commission_export"))
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0][-3:] == ["how it is given", "how flexible the money is", "reporting asked for"]
    assert rows[1][-3:] == [
        "Alliance (providers share one budget and its risk)",
        "Can change by agreement along the way",
        "A learning review each quarter.",
    ]


@pytest.mark.parametrize("kind", ["", "loan", "\x00"])
def test_commission_needs_a_real_kind(world: World, kind: str) -> None:
    response = client_for(world.commissioner).post(
        reverse("talking_points:commission_create"),
        {
            "place": world.place.pk,
            "title": "X",
            "why": "Y",
            "budget": "1",
            "starts_on": "2026-04-01",
            "funding_kind": kind,
        },
    )

    assert response.status_code in (200, 400)
    assert Commission.objects.count() == 0
