"""Each organisation's funding mix: recorded by its lead, seen whole only by its members,
and by everyone else only added together, from at least three organisations."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from funding.aggregate import place_mix
from funding.models import FundingMix
from partnerships.models import Organisation
from tests import factories
from tests.conftest import PERSONAS, World, client_for

pytestmark = pytest.mark.django_db

# Shares no aggregate of the test's organisations can produce: seeing one means a leak.
SECRET = (17, 29, 43, 11)


def give_mix(organisation: Organisation, shares: tuple[int, int, int, int] = SECRET) -> FundingMix:
    grants, contracts, donations, earned = shares
    return FundingMix.objects.create(
        organisation=organisation,
        grants_percent=grants,
        contracts_percent=contracts,
        donations_percent=donations,
        earned_percent=earned,
        as_of=datetime.date(2026, 3, 31),
    )


def third_organisation(world: World) -> Organisation:
    organisation: Any = factories.OrganisationFactory(
        name="Org C", slug="org-c", places=[world.place]
    )
    return organisation


def everything_shown(world: World, persona: str) -> str:
    """Every funding page and file a persona can open about the world's place."""
    client = client_for(world.user(persona))
    urls = [
        reverse("funding:place_funding", args=[world.place.slug]),
        reverse("funding:place_funding_export", args=[world.place.slug]),
        reverse("funding:open_data"),
        reverse("funding:register_json"),
        reverse("funding:register_csv"),
        reverse("talking_points:place_picture", args=[world.place.slug]),
        reverse("talking_points:commission_export"),
    ]
    return "".join(
        b"".join(r.streaming_content).decode() if r.streaming else r.content.decode()
        for r in (client.get(url) for url in urls)
    )


def test_two_organisations_reveal_nothing(world: World) -> None:
    give_mix(world.org_a)
    give_mix(world.org_b, (50, 50, 0, 0))

    assert place_mix(world.place) is None
    page = client_for(world.member_b).get(reverse("funding:place_funding", args=[world.place.slug]))
    assert "Not enough organisations have given their funding mix yet" in page.content.decode()
    exported = client_for(world.member_b).get(
        reverse("funding:place_funding_export", args=[world.place.slug])
    )
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[1][1].startswith("Not shown: fewer than 3 organisations")
    assert rows[1][2:] == ["", ""]


def test_three_organisations_show_the_average(world: World) -> None:
    give_mix(world.org_a, (30, 60, 10, 0))
    give_mix(world.org_b, (60, 30, 0, 10))
    give_mix(third_organisation(world), (30, 30, 20, 20))

    mix = place_mix(world.place)

    assert mix is not None
    assert mix.organisations == 3
    assert [(label, str(p)) for label, p in mix.shares] == [
        ("Grants", "40.0"),
        ("Contracts", "40.0"),
        ("Donations", "10.0"),
        ("Earned income", "10.0"),
    ]
    page = client_for(world.member_b).get(reverse("funding:place_funding", args=[world.place.slug]))
    assert "Average share of income across 3 organisations" in page.content.decode()


def test_only_the_latest_mix_counts_once_per_organisation(world: World) -> None:
    give_mix(world.org_a, (100, 0, 0, 0))
    FundingMix.objects.create(
        organisation=world.org_a,
        grants_percent=0,
        contracts_percent=100,
        donations_percent=0,
        earned_percent=0,
        as_of=datetime.date(2026, 6, 30),
    )
    give_mix(world.org_b, (0, 100, 0, 0))

    assert place_mix(world.place) is None  # still two organisations, not three mixes
    give_mix(third_organisation(world), (0, 100, 0, 0))
    mix = place_mix(world.place)
    assert mix is not None and mix.shares[1][1] == 100


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_or_file_shows_one_organisation_s_mix_to_others(world: World, persona: str) -> None:
    give_mix(world.org_a)
    give_mix(world.org_b, (40, 40, 10, 10))

    shown = everything_shown(world, persona)

    assert "17%" not in shown and "43%" not in shown
    own = client_for(world.user(persona)).get(
        reverse("funding:organisation_funding", args=[world.org_a.slug])
    )
    if persona in ("member_a", "lead_a"):
        assert "17%" in own.content.decode()
    else:
        assert own.status_code in (302, 404)
        assert b"17%" not in own.content


def test_visible_to_is_the_organisation_s_members_only(world: World) -> None:
    mix = give_mix(world.org_a)

    assert list(FundingMix.objects.visible_to(world.member_a)) == [mix]
    for user in (world.member_b, world.commissioner, world.facilitator, world.staff, None):
        assert list(FundingMix.objects.visible_to(user)) == []


def test_the_aggregate_is_for_the_partnership_only(world: World) -> None:
    for org in (world.org_a, world.org_b, third_organisation(world)):
        give_mix(org, (25, 25, 25, 25))
    url = reverse("funding:place_funding", args=[world.place.slug])

    assert "Average share of income" in client_for(world.commissioner).get(url).content.decode()
    for user in (None, world.staff):
        page = client_for(user).get(url).content.decode()
        assert "Average share of income" not in page
        assert "shared with Testford's partnership" in page


def test_lead_records_a_mix(world: World) -> None:
    client = client_for(world.lead_a)
    url = reverse("funding:organisation_funding", args=[world.org_a.slug])

    response = client.post(
        url,
        {
            "grants_percent": "40",
            "contracts_percent": "35",
            "donations_percent": "20",
            "earned_percent": "5",
            "as_of": "2026-03-31",
        },
    )

    assert response.status_code == 302
    mix = FundingMix.objects.get()
    assert (mix.organisation, mix.entered_by, mix.grants_percent) == (world.org_a, world.lead_a, 40)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"grants_percent": "50"}, "The shares add up to 50%; they must add up to 100%."),
        ({"grants_percent": "-5", "contracts_percent": "105"}, "cannot be less than 0%"),
        ({"grants_percent": "lots", "contracts_percent": "100"}, "Enter grants as a whole number"),
        ({"grants_percent": "100", "as_of": "2999-01-01"}, "The date cannot be in the future."),
        ({"grants_percent": "100", "as_of": "2026-02-30"}, "must be a real date"),
        ({"grants_percent": "\x00", "contracts_percent": "100"}, "whole number"),
    ],
)
def test_bad_mix_is_refused_and_nothing_stored(
    world: World, data: dict[str, str], message: str
) -> None:
    posted = {
        "grants_percent": "0",
        "contracts_percent": "0",
        "donations_percent": "0",
        "earned_percent": "0",
        "as_of": "2026-03-31",
        **data,
    }
    response = client_for(world.lead_a).post(
        reverse("funding:organisation_funding", args=[world.org_a.slug]), posted
    )

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
        assert message in response.content.decode()
    assert FundingMix.objects.count() == 0


def test_database_refuses_shares_that_do_not_add_up(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        give_mix(world.org_a, (50, 10, 0, 0))


def test_member_who_is_not_a_lead_may_not_record(world: World) -> None:
    response = client_for(world.member_a).post(
        reverse("funding:organisation_funding", args=[world.org_a.slug]),
        {"grants_percent": "100", "as_of": "2026-03-31"},
    )

    assert response.status_code == 403
    assert FundingMix.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("GB-CHC-1234567", True),
        ("GB-COH-01234567", True),
        ("GB-LAE-PLY", True),
        ("", True),
        ("1234567", False),
        ("gb-chc-1234567", False),
        ("GB-CHC-", False),
        ("GB-CHC-12 34", False),
        ("<script>", False),
    ],
)
def test_org_id_format_is_checked(world: World, value: str, ok: bool) -> None:
    response = client_for(world.lead_a).post(
        reverse("funding:organisation_org_id", args=[world.org_a.slug]), {"org_id": value}
    )

    world.org_a.refresh_from_db()
    if ok:
        assert response.status_code == 302
        assert world.org_a.org_id == value
    else:
        assert response.status_code == 200
        assert "Enter an org-id identifier such as GB-CHC-1234567" in response.content.decode()
        assert world.org_a.org_id == ""


def test_org_id_belongs_to_one_organisation(world: World) -> None:
    Organisation.objects.filter(pk=world.org_b.pk).update(org_id="GB-CHC-1234567")

    response = client_for(world.lead_a).post(
        reverse("funding:organisation_org_id", args=[world.org_a.slug]),
        {"org_id": "GB-CHC-1234567"},
    )

    assert "Another organisation here already has that org-id." in response.content.decode()


def test_place_picture_links_to_the_funding_page(world: World) -> None:
    page = client_for(None).get(reverse("talking_points:place_picture", args=[world.place.slug]))

    assert reverse("funding:place_funding", args=[world.place.slug]) in page.content.decode()


def test_commissions_by_kind_follow_visibility(world: World) -> None:
    profile = world.commissioner.commissioner_profile
    factories.CommissionFactory(
        place=world.place, commissioner=profile, funding_kind="alliance", budget=1000
    )
    factories.CommissionFactory(
        place=world.place, commissioner=profile, funding_kind="grant", is_public=False
    )
    url = reverse("funding:place_funding", args=[world.place.slug])

    public: Any = client_for(None).get(url).context["by_kind"]
    partner: Any = client_for(world.member_b).get(url).context["by_kind"]

    assert [row["label"] for row in public] == [
        "Alliance (providers share one budget and its risk)"
    ]
    assert [row["label"] for row in partner] == [
        "Grant",
        "Alliance (providers share one budget and its risk)",
    ]


@pytest.mark.parametrize(("point", "offered"), [("11", True), ("6", False)])
def test_live_session_offers_the_funding_record_on_talking_point_11(
    world: World, point: str, offered: bool
) -> None:
    from django.utils import timezone

    from talking_points import services as session_services

    session = session_services.session_plan(
        forum=world.forum,
        by=world.facilitator,
        starts_at=timezone.now(),
        venue="Hall",
        talking_points=[factories.report_point(point)],
        time_box_minutes=15,
    )
    session_services.session_open(session=session, by=world.facilitator, present=[])

    page = client_for(world.facilitator).get(session.get_absolute_url()).content.decode()

    link = reverse("funding:place_funding", args=[world.place.slug])
    assert (link in page) is offered
