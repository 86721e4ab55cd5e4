"""The transparency register: commissions, their visibility, filters, CSV export, editing."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from partnerships.models import Commission, CommissionerProfile
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.picture_fixtures import Outsider, outsider_fixture  # noqa: F401


def commission_post(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "place": world.place.pk,
        "title": "Peer support in the hospital",
        "why": "People trust someone who has been there.",
        "budget": "125000",
        "starts_on": "2026-04-01",
        "ends_on": "2028-03-31",
        "providers": [world.org_a.pk],
        "outcomes_agreed": "With providers.",
        "designed_with_vcs": "on",
        "funding_kind": "grant",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def profile(world: World) -> CommissionerProfile:
    return world.commissioner.commissioner_profile


def test_commissioner_records_a_commission(world: World) -> None:
    client = client_for(world.commissioner)
    response = client.post(reverse("talking_points:commission_create"), commission_post(world))
    commission = Commission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == commission.get_absolute_url()
    assert commission.commissioner == profile(world)
    assert commission.budget == Decimal("125000")
    assert list(commission.providers.all()) == [world.org_a]
    assert commission.is_public is True


def test_budget_accepts_pounds_sign_and_commas(world: World) -> None:
    client = client_for(world.commissioner)
    client.post(
        reverse("talking_points:commission_create"), commission_post(world, budget="£1,250.50")
    )
    assert Commission.objects.get().budget == Decimal("1250.50")


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("-1", "The budget cannot be negative."),
        ("lots", "Enter the budget in pounds, as a number, for example 125000."),
        ("", "Enter the budget"),
    ],
)
def test_bad_budget_is_refused_and_nothing_stored(world: World, budget: str, message: str) -> None:
    client = client_for(world.commissioner)
    response = client.post(
        reverse("talking_points:commission_create"), commission_post(world, budget=budget)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert Commission.objects.count() == 0


def test_negative_budget_is_refused_by_the_database_too(world: World) -> None:
    with pytest.raises(IntegrityError):
        factories.CommissionFactory(place=world.place, commissioner=profile(world), budget=-1)


def test_end_before_start_is_refused(world: World) -> None:
    client = client_for(world.commissioner)
    response = client.post(
        reverse("talking_points:commission_create"), commission_post(world, ends_on="2020-01-01")
    )
    assert "The end date must be on or after the start date." in response.content.decode()
    assert Commission.objects.count() == 0


def test_provider_outside_the_place_is_refused(world: World, outsider: Outsider) -> None:
    profile(world).places.add(world.other_place)
    client = client_for(world.commissioner)
    response = client.post(
        reverse("talking_points:commission_create"),
        commission_post(world, providers=[outsider.organisation.pk]),
    )
    assert "These do not work in Testford: Far Away Trust." in response.content.decode()
    assert Commission.objects.count() == 0


def test_commission_for_a_place_not_covered_is_refused(world: World) -> None:
    client = client_for(world.commissioner)
    response = client.post(
        reverse("talking_points:commission_create"),
        commission_post(world, place=world.other_place.pk, providers=[]),
    )
    assert "Choose a place you cover as a commissioner." in response.content.decode()
    assert Commission.objects.count() == 0


@pytest.mark.parametrize("persona", ["member_a", "facilitator", "staff"])
def test_only_commissioners_record_commissions(world: World, persona: str) -> None:
    response = client_for(world.user(persona)).post(
        reverse("talking_points:commission_create"), commission_post(world)
    )
    assert response.status_code == 403
    assert "Only commissioners can record" in response.content.decode()
    assert Commission.objects.count() == 0


def test_anonymous_is_sent_to_sign_in_to_record(client: Client, world: World) -> None:
    response = client.get(reverse("talking_points:commission_create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_commissioner_edits_their_own_commission(world: World) -> None:
    commission = factories.CommissionFactory(place=world.place, commissioner=profile(world))
    response = client_for(world.commissioner).post(
        reverse("talking_points:commission_edit", kwargs={"pk": commission.pk}),
        commission_post(world, title="A better title"),
    )
    commission.refresh_from_db()
    assert response.status_code == 302
    assert commission.title == "A better title"


def test_another_commissioner_cannot_edit_or_remove(world: World) -> None:
    commission = factories.CommissionFactory(place=world.place, commissioner=profile(world))
    other = factories.CommissionerProfileFactory(places=[world.place]).user
    factories.give_mfa(other)  # commissioners must use two-step sign-in
    client = client_for(other)
    edit = client.post(
        reverse("talking_points:commission_edit", kwargs={"pk": commission.pk}),
        commission_post(world, title="Hijacked"),
    )
    remove = client.post(reverse("talking_points:commission_delete", kwargs={"pk": commission.pk}))
    commission.refresh_from_db()
    assert edit.status_code == 403
    assert remove.status_code == 403
    assert commission.title != "Hijacked"


def test_remove_asks_first_then_removes(world: World) -> None:
    commission = factories.CommissionFactory(place=world.place, commissioner=profile(world))
    client = client_for(world.commissioner)
    url = reverse("talking_points:commission_delete", kwargs={"pk": commission.pk})
    confirm = client.get(url)
    assert "Remove “" in confirm.content.decode()
    assert Commission.objects.count() == 1
    response = client.post(url)
    assert response.status_code == 302
    assert Commission.objects.count() == 0


def test_public_commission_is_seen_by_anyone(client: Client, world: World) -> None:
    commission = factories.CommissionFactory(
        place=world.place, commissioner=profile(world), title="Open book"
    )
    listing = client.get(reverse("talking_points:commission_list"))
    detail = client.get(commission.get_absolute_url())
    assert "Open book" in listing.content.decode()
    assert detail.status_code == 200


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("anonymous", False),
        ("staff", False),
        ("member_a", True),
        ("member_b", True),
        ("facilitator", True),
        ("commissioner", True),
    ],
)
def test_unpublished_commission_is_for_the_partnership_only(
    world: World, persona: str, sees: bool
) -> None:
    commission = factories.CommissionFactory(
        place=world.place, commissioner=profile(world), title="Quiet money", is_public=False
    )
    client = client_for(world.user(persona))
    listing = client.get(reverse("talking_points:commission_list"))
    detail = client.get(commission.get_absolute_url())
    export = b"".join(client.get(reverse("talking_points:commission_export")).streaming_content)
    assert ("Quiet money" in listing.content.decode()) is sees
    assert detail.status_code == (200 if sees else 404)
    assert (b"Quiet money" in export) is sees


def test_outsider_does_not_see_unpublished_commission(world: World, outsider: Outsider) -> None:
    commission = factories.CommissionFactory(
        place=world.place, commissioner=profile(world), is_public=False
    )
    response = client_for(outsider.user).get(commission.get_absolute_url())
    assert response.status_code == 404


def test_register_filters_by_place_commissioner_and_specialism(world: World) -> None:
    housing = factories.SpecialismFactory(name="Housing", slug="housing")
    other_profile = factories.CommissionerProfileFactory(places=[world.other_place])
    factories.CommissionFactory(
        place=world.place, commissioner=profile(world), title="Alpha", specialisms=[housing]
    )
    factories.CommissionFactory(place=world.place, commissioner=profile(world), title="Bravo")
    factories.CommissionFactory(
        place=world.other_place, commissioner=other_profile, title="Charlie"
    )
    client = Client()
    url = reverse("talking_points:commission_list")

    def titles(query: str) -> set[str]:
        content = client.get(f"{url}?{query}").content.decode()
        return {t for t in ("Alpha", "Bravo", "Charlie") if f">{t}</a>" in content}

    assert titles("") == {"Alpha", "Bravo", "Charlie"}
    assert titles("place=testford") == {"Alpha", "Bravo"}
    assert titles(f"commissioner={other_profile.pk}") == {"Charlie"}
    assert titles("specialism=housing") == {"Alpha"}
    assert titles("place=elsewhere&specialism=housing") == set()


def test_csv_export_has_every_field_and_neutralises_formulas(world: World) -> None:
    factories.CommissionFactory(
        place=world.place,
        commissioner=profile(world),
        title='=HYPERLINK("http://evil")',
        budget=Decimal("1500.5"),
        providers=[world.org_a, world.org_b],
    )
    response = Client().get(reverse("talking_points:commission_export") + "?place=testford")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert rows[0][:4] == ["place", "what is funded", "why", "budget (GBP)"]
    assert rows[1][0] == "Testford"
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][3] == "1500.50"
    assert rows[1][6] == "Org A; Org B"


def test_register_query_count_does_not_grow(
    world: World, django_assert_num_queries: object
) -> None:
    client = Client()
    url = reverse("talking_points:commission_list")
    factories.CommissionFactory(
        place=world.place, commissioner=profile(world), providers=[world.org_a]
    )
    with django_assert_num_queries(8):  # type: ignore[operator]
        client.get(url)
    for _ in range(6):
        factories.CommissionFactory(
            place=world.place, commissioner=profile(world), providers=[world.org_a, world.org_b]
        )
    with django_assert_num_queries(8):  # type: ignore[operator]
        client.get(url)
