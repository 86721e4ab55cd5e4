"""Demo learning data, and the review email through a real Celery worker and SMTP server."""

from __future__ import annotations

from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from partnerships.models import User
from talking_points.models import (
    LearningEntry,
    LearningKind,
    LearningLink,
    Review,
    StoryConsent,
    Visibility,
)
from tests import factories
from tests.conftest import client_for
from tests.services import plain_text, wait_until


def load_demo() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_every_kind_and_visibility_with_reviews_and_loads_idempotently(
    db: None,
) -> None:
    load_demo()
    counts = [m.objects.count() for m in (LearningEntry, Review, StoryConsent, LearningLink)]

    load_demo()

    assert counts == [
        m.objects.count() for m in (LearningEntry, Review, StoryConsent, LearningLink)
    ]
    entries = LearningEntry.objects.all()
    assert {e.kind for e in entries} == set(LearningKind.values)
    assert {e.visibility for e in entries} == set(Visibility.values)
    assert {e.place.name for e in entries} == {"Plymouth", "Preston", "Scarborough"}
    for place in ("Plymouth", "Preston", "Scarborough"):
        assert Review.objects.filter(entry__place__name=place).exists(), place
    assert Review.objects.filter(kind="reply").exists()
    withdrawn = StoryConsent.objects.get(withdrawn_at__isnull=False)
    assert withdrawn.entry.visibility == "organisation"
    for consent in StoryConsent.objects.filter(withdrawn_at__isnull=True):
        assert consent.allows(consent.entry.visibility)


def test_demo_commissioner_has_a_review_queue(db: None) -> None:
    load_demo()
    sam = User.objects.get(email="commissioner@demo.hls-forum.localhost")
    body = client_for(sam).get(reverse("talking_points:review_queue") + "?show=all").content
    assert b"Evening drop-in run by peer mentors" in body
    assert b"Preston" not in body.split(b"<main")[1]


def test_demo_public_feed_lists_public_learning(client: Client, db: None) -> None:
    load_demo()
    body = client.get(reverse("talking_points:learning_feed", args=["plymouth"])).content
    assert b"Shared caseload with the hostel" in body
    assert b"peer mentors" not in body  # shared with commissioners only


@pytest.mark.services
def test_response_is_emailed_to_the_organisation_by_a_real_worker(
    celery_worker: Any, smtp_server: Any, transactional_db: None
) -> None:
    place = factories.PlaceFactory(slug="testford")
    org = factories.OrganisationFactory(places=[place])
    worker_person = factories.MembershipFactory(organisation=org).user
    colleague = factories.MembershipFactory(organisation=org).user
    commissioner = factories.CommissionerProfileFactory(places=[place]).user
    factories.give_mfa(commissioner)  # commissioners must use two-step sign-in
    outsider = factories.MembershipFactory(
        organisation=factories.OrganisationFactory(places=[place])
    ).user
    entry = factories.LearningEntryFactory(
        place=place,
        organisation=org,
        author=worker_person,
        title="Evening drop-in",
        visibility="commissioners",
    )

    response = client_for(commissioner).post(
        reverse("talking_points:review_create", args=[entry.pk]),
        {"kind": "question", "text": "What would help the mentors?"},
    )
    assert response.status_code == 302

    wait_until(lambda: len(smtp_server.messages) >= 2, timeout=30)
    review = Review.objects.get()
    wait_until(lambda: Review.objects.filter(pk=review.pk, notified_at__isnull=False).exists())
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == sorted([worker_person.email, colleague.email])
    assert outsider.email not in recipients
    assert commissioner.email not in recipients
    message = smtp_server.messages[0]
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == f"{commissioner} asked a question on “Evening drop-in”"
    body = plain_text(message)
    assert "What would help the mentors?" in body
    assert entry.get_absolute_url() in body

    # The organisation replies; the commissioner is emailed in turn.
    client_for(worker_person).post(
        reverse("talking_points:review_reply", args=[review.pk]), {"text": "Paid debriefs."}
    )
    wait_until(lambda: any(m["To"] == commissioner.email for m in smtp_server.messages))
    assert len(smtp_server.messages) == 4  # commissioner + colleague, each once
