"""What each talking point keeps: who may see and change each record, bad input, CSV files,
the VCS trend's queries, and the record offered on the live page.

In ``world`` only the facilitator is in a forum of the place, so only they change the
records; lead_a leads Org A; member_b (Org B) and the commissioner are in the partnership
and only read; staff and people of other places are outsiders (404)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from records import services, trend
from records.models import (
    AgreementSignature,
    AgreementVersion,
    ControlItem,
    Fear,
    PlaceAsset,
    Signal,
    SignalEvidence,
)
from talking_points import services as session_services
from talking_points.models import Attendance
from tests import factories
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def url(name: str, world: World, **kwargs: Any) -> str:
    return reverse(f"records:{name}", kwargs={"slug": world.place.slug, **kwargs})


# --- Who sees what ---------------------------------------------------------------------------


def test_an_outsider_gets_404_and_a_reader_cannot_change(world: World) -> None:
    outsider = factories.MembershipFactory(
        organisation=factories.OrganisationFactory(places=[world.other_place])
    ).user
    ControlItem.objects.create(place=world.place, text="Secret referral route")

    assert client_for(outsider).get(url("control_map", world)).status_code == 404
    assert client_for(world.staff).get(url("keep", world)).status_code == 404
    page = client_for(world.member_b).get(url("control_map", world))
    assert page.status_code == 200
    assert "Secret referral route" in page.content.decode()
    refused = client_for(world.member_b).post(
        url("control_map", world), {"text": "Mine", "ring": "control"}
    )
    assert refused.status_code == 403
    assert ControlItem.objects.filter(text="Mine").count() == 0


def test_rows_are_read_through_visible_to(world: World) -> None:
    PlaceAsset.objects.create(place=world.place, name="Library")
    PlaceAsset.objects.create(place=world.other_place, name="Pier")

    assert [a.name for a in PlaceAsset.objects.visible_to(world.member_b)] == ["Library"]
    assert list(PlaceAsset.objects.visible_to(world.staff)) == []


# --- Talking point 1: assets -----------------------------------------------------------------


def test_a_lead_adds_their_own_organisations_asset_but_not_anothers(world: World) -> None:
    lead = client_for(world.lead_a)

    added = lead.post(url("assets", world), {"name": "Old library", "organisation": world.org_a.pk})
    other = lead.post(url("assets", world), {"name": "Their hall", "organisation": world.org_b.pk})
    none = lead.post(url("assets", world), {"name": "Nobody's"})

    assert added.status_code == 302
    assert PlaceAsset.objects.get(name="Old library").organisation == world.org_a
    assert other.status_code == 400
    assert none.status_code == 400
    assert not PlaceAsset.objects.filter(name__in=["Their hall", "Nobody's"]).exists()


def test_a_lead_changes_only_their_organisations_assets(world: World) -> None:
    own = PlaceAsset.objects.create(place=world.place, name="Ours", organisation=world.org_a)
    shared = PlaceAsset.objects.create(place=world.place, name="Everyone's")
    lead = client_for(world.lead_a)

    assert lead.get(url("assets_edit", world, pk=own.pk)).status_code == 200
    assert lead.get(url("assets_edit", world, pk=shared.pk)).status_code == 403
    facilitator = client_for(world.facilitator)
    response = facilitator.post(
        url("assets_edit", world, pk=shared.pk), {"name": "Everyone's hall", "description": ""}
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.name == "Everyone's hall"


# --- Talking point 5: the control map -------------------------------------------------------


def test_the_control_map_draws_three_rings_and_a_table(world: World) -> None:
    facilitator = client_for(world.facilitator)
    for text, ring in [("Referrals", "control"), ("Contracts", "influence"), ("Policy", "concern")]:
        assert (
            facilitator.post(url("control_map", world), {"text": text, "ring": ring}).status_code
            == 302
        )

    page = facilitator.get(url("control_map", world)).content.decode()

    assert page.index("ring-concern") < page.index("ring-influence") < page.index("ring-control")
    assert '<caption id="control-caption">' in page
    assert "<td>We can influence</td>" in page


def test_a_ring_that_does_not_exist_is_refused(world: World) -> None:
    response = client_for(world.facilitator).post(
        url("control_map", world), {"text": "Weather", "ring": "orbit"}
    )

    assert response.status_code == 400
    assert not ControlItem.objects.exists()


# --- Talking point 9: signals and evidence --------------------------------------------------


def test_a_signal_needs_exactly_one_watcher(world: World) -> None:
    facilitator = client_for(world.facilitator)

    neither = facilitator.post(url("signals", world), {"text": "Fewer crises"})
    both = facilitator.post(
        url("signals", world),
        {
            "text": "Fewer crises",
            "watcher": world.member_a.pk,
            "watcher_organisation": world.org_b.pk,
        },
    )
    stranger = factories.UserFactory()
    outside = facilitator.post(url("signals", world), {"text": "X", "watcher": stranger.pk})
    good = facilitator.post(
        url("signals", world), {"text": "Fewer crises", "watcher_organisation": world.org_b.pk}
    )

    assert [neither.status_code, both.status_code, outside.status_code] == [400, 400, 400]
    assert good.status_code == 302
    assert Signal.objects.get().watched_by == "Org B"


def test_only_learning_the_linker_can_read_is_linked_and_only_readers_see_it(
    world: World,
) -> None:
    signal = Signal.objects.create(place=world.place, text="Fewer crises")
    secret = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, visibility="organisation", title="B only"
    )
    shared = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="place", title="For all"
    )

    with pytest.raises(services.RecordError):
        services.evidence_link(signal=signal, entry_id=secret.pk, by=world.facilitator)
    refused = client_for(world.facilitator).post(
        url("signal_evidence", world, pk=signal.pk), {"entry": secret.pk}
    )
    linked = client_for(world.facilitator).post(
        url("signal_evidence", world, pk=signal.pk), {"entry": shared.pk}
    )
    # Linked by someone who could read it, then narrowed: readers who cannot see it no more.
    SignalEvidence.objects.create(signal=signal, entry=secret)

    assert refused.status_code == 400
    assert linked.status_code == 302
    member_a_page = client_for(world.member_a).get(url("signals", world)).content.decode()
    member_b_page = client_for(world.member_b).get(url("signals", world)).content.decode()
    assert "For all" in member_a_page
    assert "B only" not in member_a_page
    assert "B only" in member_b_page
    csv_a = client_for(world.member_a).get(url("signals_csv", world))
    assert "B only" not in b"".join(csv_a.streaming_content).decode()


# --- Talking point 15: the agreement --------------------------------------------------------


def test_a_new_version_asks_first_then_clears_sign_ups(world: World) -> None:
    facilitator = client_for(world.facilitator)
    first = {"will_do": "Share what we learn.", "wont_do": "", "change_note": ""}
    assert facilitator.post(url("agreement_edit", world), first).status_code == 302
    lead = client_for(world.lead_a)
    signed = lead.post(
        url("agreement_sign", world),
        {"organisation": world.org_a.pk, "version": "1", "action": "sign"},
    )
    assert signed.status_code == 302
    assert AgreementSignature.objects.filter(organisation=world.org_a).count() == 1

    form_page = facilitator.get(url("agreement_edit", world)).content.decode()
    unconfirmed = facilitator.post(url("agreement_edit", world), {**first, "will_do": "More."})
    confirmed = facilitator.post(
        url("agreement_edit", world), {**first, "will_do": "More.", "clear_sign_ups": "on"}
    )

    assert "Saving a new version clears every sign-up" in form_page
    assert unconfirmed.status_code == 400
    assert confirmed.status_code == 302
    assert list(
        AgreementVersion.objects.filter(place=world.place).values_list("number", flat=True)
    ) == [2, 1]
    assert not AgreementSignature.objects.filter(version__number=2).exists()
    history = facilitator.get(url("agreement_history", world)).content.decode()
    assert "Share what we learn." in history
    assert "More." in history


def test_only_a_lead_signs_and_only_the_current_version(world: World) -> None:
    services.agreement_save(
        place=world.place, by=world.facilitator, will_do="A", wont_do="", change_note=""
    )
    services.agreement_save(
        place=world.place, by=world.facilitator, will_do="B", wont_do="", change_note=""
    )

    not_lead = client_for(world.member_a).post(
        url("agreement_sign", world), {"organisation": world.org_a.pk, "version": "2"}
    )
    stale = client_for(world.lead_a).post(
        url("agreement_sign", world), {"organisation": world.org_a.pk, "version": "1"}
    )
    other_org = client_for(world.lead_a).post(
        url("agreement_sign", world), {"organisation": world.org_b.pk, "version": "2"}
    )

    assert not_lead.status_code == 403
    assert stale.status_code == 302
    assert other_org.status_code == 302
    assert not AgreementSignature.objects.exists()


# --- Talking point 16: fears ---------------------------------------------------------------


def test_a_fear_is_reviewed_with_a_date_and_a_note(world: World) -> None:
    fear = Fear.objects.create(place=world.place, text="Losing funding", owner=world.member_a)
    facilitator = client_for(world.facilitator)

    bad = facilitator.post(
        url("fear_review", world, pk=fear.pk), {"reviewed_on": "31/02/2026", "note": ""}
    )
    good = facilitator.post(
        url("fear_review", world, pk=fear.pk), {"reviewed_on": "2026-11-30", "note": "Less now."}
    )
    reader = client_for(world.member_b).post(
        url("fear_review", world, pk=fear.pk), {"reviewed_on": "2026-11-30", "note": "Mine"}
    )

    assert bad.status_code == 400
    assert good.status_code == 302
    assert reader.status_code == 403
    page = facilitator.get(url("fears", world)).content.decode()
    assert "30 November 2026: Less now." in page


# --- CSV ------------------------------------------------------------------------------------


def test_csv_files_hold_the_rows_with_formulas_defused(world: World) -> None:
    PlaceAsset.objects.create(
        place=world.place, name='=HYPERLINK("http://x")', description='A, with "quotes"'
    )

    response = client_for(world.member_b).get(url("assets_csv", world))
    text = b"".join(response.streaming_content).decode()

    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "asset,why it matters,organisation,added by,added on"
    assert text.splitlines()[1].startswith('"\'=HYPERLINK(""http://x"")","A, with ""quotes"""')


# --- Talking point 6: the VCS at the table --------------------------------------------------


def _met(world: World, days_ago: int, sectors: list[str]) -> Any:
    session = factories.SessionFactory(
        forum=world.forum,
        status="closed",
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    people = [
        Attendance(session=session, user=factories.UserFactory(), name=f"P{i}", sector=sector)
        for i, sector in enumerate(sectors)
    ]
    Attendance.objects.bulk_create(people)
    decision = factories.DecisionFactory(session=session)
    decision.at_the_table.set(people)
    return session


def test_the_vcs_share_is_counted_and_hidden_below_three_people(world: World) -> None:
    _met(world, 14, ["vcs", "vcs", "statutory", "health"])
    _met(world, 7, ["vcs", "statutory"])

    shares = trend.session_shares(world.place, world.facilitator)
    decisions = trend.decision_shares(world.place, world.facilitator)

    assert [(s.at_table, s.percent) for s in shares] == [(4, 50), (2, None)]
    assert [d.percent for d in decisions] == [50, None]
    # Sessions the reader may not read are not counted: members' summaries are not for B.
    assert trend.session_shares(world.place, world.member_b) == []


def test_the_trend_page_runs_the_same_queries_however_many_sessions(
    world: World, django_assert_num_queries: Any
) -> None:
    client = client_for(world.facilitator)
    _met(world, 21, ["vcs", "vcs", "health"])
    client.get(url("vcs_trend", world))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url("vcs_trend", world)).status_code == 200
    for days in range(1, 8):
        _met(world, days, ["vcs", "statutory", "health"])

    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url("vcs_trend", world))
    assert page.content.decode().count('<tr><th scope="row">') == 16


# --- Offered where people look ----------------------------------------------------------------


def test_the_live_page_offers_the_record_of_the_point_being_discussed(world: World) -> None:
    session = session_services.session_plan(
        forum=world.forum,
        by=world.facilitator,
        starts_at=timezone.now(),
        venue="Hall",
        talking_points=[factories.report_point("5"), factories.report_point("2")],
        time_box_minutes=15,
    )
    session_services.session_open(session=session, by=world.facilitator, present=[])
    facilitator = client_for(world.facilitator)

    page = facilitator.get(session.get_absolute_url()).content.decode()
    followed = facilitator.get(reverse("records:from_session", args=[session.pk, "5"]))
    no_record = facilitator.get(reverse("records:from_session", args=[session.pk, "2"]))

    assert reverse("records:from_session", args=[session.pk, "5"]) in page
    assert followed["Location"] == url("control_map", world)
    assert no_record.status_code == 404


def test_the_place_picture_links_to_what_we_keep_for_the_partnership_only(world: World) -> None:
    picture = reverse("talking_points:place_picture", kwargs={"slug": world.place.slug})

    partner = client_for(world.member_b).get(picture).content.decode()
    public = client_for(None).get(picture).content.decode()

    assert url("keep", world) in partner
    assert url("keep", world) not in public
