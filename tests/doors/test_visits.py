"""Visits: an organisation invites a commissioner or funder to see its practice, they
answer, the organisation keeps what it learned; the place picture counts visits."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from doors.models import Visit, VisitStatus
from doors.templatetags.doors_panels import quarter_label
from tests import factories
from tests.conftest import World, client_for

from .conftest import profile_of, send_all


def invite(world: World) -> Visit:
    response = client_for(world.lead_a).post(
        reverse("doors:visit_new"),
        {
            "organisation": world.org_a.pk,
            "place": world.place.pk,
            "guest": profile_of(world).pk,
            "proposed_dates": "Any Tuesday in March",
            "note": "Our morning drop-in",
        },
    )
    assert response.status_code == 302
    return Visit.objects.get()


def test_invitation_answer_and_learning(world: World) -> None:
    visit = invite(world)
    [invitation] = send_all()
    assert invitation.to == [world.commissioner.email]
    assert "Any Tuesday in March" in invitation.body

    detail = reverse("doors:visit_detail", kwargs={"pk": visit.pk})
    assert "Send your answer" in client_for(world.commissioner).get(detail).content.decode()
    answered = client_for(world.commissioner).post(
        reverse("doors:visit_answer", kwargs={"pk": visit.pk}),
        {"accept": "yes", "visit_date": "2027-03-09", "answer": ""},
    )
    assert answered.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.visit_date) == (VisitStatus.ACCEPTED, datetime.date(2027, 3, 9))
    [answer] = send_all()
    assert answer.to == [world.lead_a.email]
    assert "accepted" in answer.body

    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="organisation", title="Visit"
    )
    learned = client_for(world.member_a).post(
        reverse("doors:visit_learning", kwargs={"pk": visit.pk}),
        {"learned": "They saw the queue at nine.", "learning_entry": entry.pk},
    )
    assert learned.status_code == 302
    visit.refresh_from_db()
    assert (visit.learned, visit.learning_entry) == ("They saw the queue at nine.", entry)
    page = client_for(world.member_a).get(detail).content.decode()
    assert "They saw the queue at nine." in page and entry.get_absolute_url() in page


def test_only_entries_the_person_sees_can_be_linked(world: World) -> None:
    visit = invite(world)
    Visit.objects.filter(pk=visit.pk).update(status="accepted", visit_date="2027-03-09")
    hidden = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, visibility="organisation"
    )

    response = client_for(world.member_a).post(
        reverse("doors:visit_learning", kwargs={"pk": visit.pk}),
        {"learned": "Something", "learning_entry": hidden.pk},
    )

    assert response.status_code == 200
    assert "from the options given" in response.content.decode()
    assert Visit.objects.get().learning_entry is None


def test_declining_needs_a_line_and_accepting_a_date(world: World) -> None:
    visit = invite(world)
    url = reverse("doors:visit_answer", kwargs={"pk": visit.pk})
    client = client_for(world.commissioner)

    no_line = client.post(url, {"accept": "no", "answer": ""})
    no_date = client.post(url, {"accept": "yes", "visit_date": ""})
    bad_date = client.post(url, {"accept": "yes", "visit_date": "31 February"})
    declined = client.post(url, {"accept": "no", "answer": "Our budget year is closing."})

    assert "Say in a line why you cannot visit" in no_line.content.decode()
    assert "Give the date you will visit" in no_date.content.decode()
    assert bad_date.status_code == 200
    assert declined.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.visit_date) == (VisitStatus.DECLINED, None)


@pytest.mark.parametrize(
    ("persona", "detail", "answer", "learned"),
    [
        ("member_a", 200, 403, 302),
        ("lead_a", 200, 403, 302),
        ("commissioner", 200, 302, 403),
        ("member_b", 404, 404, 404),
        ("facilitator", 404, 404, 404),
        ("staff", 404, 404, 404),
    ],
)
def test_who_sees_and_does_what(
    world: World, persona: str, detail: int, answer: int, learned: int
) -> None:
    visit = invite(world)
    client = client_for(world.user(persona))

    assert client.get(reverse("doors:visit_detail", kwargs={"pk": visit.pk})).status_code == detail
    answered = client.post(
        reverse("doors:visit_answer", kwargs={"pk": visit.pk}),
        {"accept": "yes", "visit_date": "2027-03-09"},
    )
    assert answered.status_code == answer
    Visit.objects.filter(pk=visit.pk).update(status="accepted", visit_date="2027-03-09")
    recorded = client.post(
        reverse("doors:visit_learning", kwargs={"pk": visit.pk}), {"learned": "A lot"}
    )
    assert recorded.status_code == learned


def test_the_invite_form_offers_only_your_organisations(world: World) -> None:
    page = client_for(world.member_a).get(reverse("doors:visit_new")).content.decode()

    assert "Org A" in page and "Org B" not in page
    refused = client_for(world.member_a).post(
        reverse("doors:visit_new"),
        {
            "organisation": world.org_b.pk,
            "place": world.place.pk,
            "guest": profile_of(world).pk,
            "proposed_dates": "Soon",
        },
    )
    assert refused.status_code == 200
    assert not Visit.objects.exists()
    assert client_for(world.commissioner).get(reverse("doors:visit_new")).status_code == 403


def test_a_place_the_organisation_is_not_in_is_refused(world: World) -> None:
    world.org_a.places.add(world.other_place)
    factories.OrganisationFactory(places=[world.other_place])

    response = client_for(world.member_b).post(
        reverse("doors:visit_new"),
        {
            "organisation": world.org_b.pk,
            "place": world.other_place.pk,
            "guest": profile_of(world).pk,
            "proposed_dates": "Soon",
        },
    )

    assert response.status_code == 200
    assert not Visit.objects.exists()


def accepted(world: World, day: datetime.date) -> Visit:
    return Visit.objects.create(
        organisation=world.org_a,
        place=world.place,
        guest=profile_of(world),
        proposed_dates="Any",
        status=VisitStatus.ACCEPTED,
        visit_date=day,
    )


def test_place_picture_counts_visits_by_quarter(world: World, django_assert_num_queries) -> None:
    for day in ("2026-01-05", "2026-03-30", "2026-04-01"):
        accepted(world, datetime.date.fromisoformat(day))
    Visit.objects.create(
        organisation=world.org_a, place=world.place, guest=profile_of(world), proposed_dates="x"
    )
    template = Template("{% load doors_panels %}{% visits_by_quarter place as q %}{{ q }}")

    with django_assert_num_queries(1):
        template.render(Context({"place": world.place}))
    page = client_for(None).get(reverse("talking_points:place_picture", args=[world.place.slug]))

    html = page.content.decode()
    assert '<th scope="row">April to June 2026</th><td>1</td>' in html
    assert '<th scope="row">January to March 2026</th><td>2</td>' in html


def test_quarter_labels() -> None:
    assert quarter_label(datetime.date(2026, 10, 1)) == "October to December 2026"


def test_lists_show_only_your_visits(world: World) -> None:
    invite(world)

    assert "Org A" in client_for(world.commissioner).get(reverse("doors:visits")).content.decode()
    assert "Org A" in client_for(world.member_a).get(reverse("doors:visits")).content.decode()
    assert "Org A" not in client_for(world.member_b).get(reverse("doors:visits")).content.decode()
