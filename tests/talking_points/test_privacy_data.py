"""Sessions and learning in the person's data rights (copy, erasure, retention), the audit
trail of stories and exports, and consent withdrawal deleting a story's words."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy import registry
from privacy import services as privacy_services
from privacy.models import AuditEvent
from talking_points import privacy_data, services
from talking_points.models import (
    Attendance,
    Contribution,
    LearningEntry,
    Review,
    StoryConsent,
)
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import open_session

NOW = timezone.now()
STORY_WORDS = "Quillmaster harbour allotment"


def _story(world: World, **kwargs: Any) -> Any:
    kwargs.setdefault("visibility", "commissioners")
    entry = factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_a,
        author=world.member_a,
        kind="story",
        title=f"D.'s story: {STORY_WORDS}",
        body=f"D. told us about the {STORY_WORDS} and her year.",
        **kwargs,
    )
    factories.StoryConsentFactory(entry=entry, widest_visibility="public")
    return entry


def _events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind).order_by("pk"))


# --- Consent withdrawal removes the words -------------------------------------------------


def test_consent_withdrawal_deletes_the_storys_words_from_the_database(world: World) -> None:
    entry = _story(world)
    entry.tags.add(factories.TagFactory(name="allotment"))
    review = factories.ReviewFactory(
        entry=entry, author=world.commissioner, text=f"Thank you for the {STORY_WORDS}."
    )
    LogEntry.objects.create(
        user=world.staff,
        content_type=ContentType.objects.get_for_model(LearningEntry),
        object_id=str(entry.pk),
        object_repr=entry.title,
        action_flag=CHANGE,
        change_message="Changed body.",
    )

    services.story_consent_withdraw(entry=entry, by=world.member_a)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, body, tried, happened, learned, next_steps, visibility "
            "FROM talking_points_learningentry WHERE id = %s",
            [entry.pk],
        )
        row = cursor.fetchone()
    assert row is not None
    assert all("Quillmaster" not in str(value) for value in row)
    assert row[0] == services.WITHDRAWN_STORY_TITLE
    assert row[1].startswith("Consent for this story was withdrawn on ")
    assert row[2:6] == ("", "", "", "")
    assert row[6] == "organisation"
    assert list(entry.tags.all()) == []
    assert Review.objects.get(pk=review.pk).text == ""
    assert "Quillmaster" not in LogEntry.objects.get(object_id=str(entry.pk)).object_repr
    consent = StoryConsent.objects.get(entry=entry)
    assert consent.withdrawn_at is not None
    assert consent.given_by == "R. (pseudonym)"


def test_a_withdrawn_story_cannot_be_found_by_its_words_even_by_its_organisation(
    world: World,
) -> None:
    entry = _story(world)
    before = list(LearningEntry.objects.visible_to(world.member_a).search("Quillmaster"))

    services.story_consent_withdraw(entry=entry, by=world.member_a)

    after = list(LearningEntry.objects.visible_to(world.member_a).search("Quillmaster"))
    page = client_for(world.member_a).get(entry.get_absolute_url()).content.decode()
    assert before == [entry]
    assert after == []
    assert "Quillmaster" not in page
    assert "words were deleted" in page


def test_withdrawal_is_audited_as_consent_withdrawn_and_a_visibility_change(
    world: World,
) -> None:
    entry = _story(world)

    services.story_consent_withdraw(entry=entry, by=world.member_a)

    withdrawn = _events("consent_withdrawn")
    narrowed = _events("visibility_changed")
    assert [(e.actor_id, e.target_id) for e in withdrawn] == [(world.member_a.pk, str(entry.pk))]
    assert [e.meta for e in narrowed] == [
        {"kind": "story", "old": "commissioners", "new": "organisation"}
    ]


# --- Audit hooks ----------------------------------------------------------------------


def test_sharing_an_entry_records_who_changed_its_visibility(world: World) -> None:
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, title="Our breakthrough"
    )

    services.entry_share(entry=entry, by=world.lead_a, visibility="place")
    services.entry_share(entry=entry, by=world.lead_a, visibility="place")  # no change

    events = _events("visibility_changed")
    assert len(events) == 1
    assert events[0].actor_id == world.lead_a.pk
    assert (events[0].target_type, events[0].target_id) == (
        "talking_points.learningentry",
        str(entry.pk),
    )
    assert events[0].meta == {"kind": "breakthrough", "old": "organisation", "new": "place"}


def test_recording_consent_is_audited_without_the_persons_name(world: World) -> None:
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, kind="story"
    )

    services.story_consent_record(
        entry=entry,
        by=world.member_a,
        consent={
            "given_by": "Bea (pseudonym)",
            "method": "written",
            "given_on": NOW.date(),
            "obtained_by": "A caseworker",
            "widest_visibility": "place",
        },
    )

    events = _events("consent_given")
    assert [(e.actor_id, e.target_id, e.meta) for e in events] == [
        (world.member_a.pk, str(entry.pk), {"method": "written", "widest": "place"})
    ]
    assert "Bea" not in str(events[0].meta)


def test_opening_a_story_is_audited_for_commissioners_and_staff_only(world: World) -> None:
    entry = _story(world)
    other_kind = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="commissioners"
    )

    for person in (world.commissioner, world.member_a, world.staff):
        client_for(person).get(entry.get_absolute_url())
    client_for(world.commissioner).get(other_kind.get_absolute_url())

    opened = _events("story_opened")
    assert [(e.actor_id, e.target_id) for e in opened] == [(world.commissioner.pk, str(entry.pk))]


def test_staff_opening_a_story_they_may_see_is_audited(world: World) -> None:
    entry = _story(world, visibility="public")

    response = client_for(world.staff).get(entry.get_absolute_url())

    assert response.status_code == 200
    assert [e.actor_id for e in _events("story_opened")] == [world.staff.pk]


def test_learning_csv_export_is_audited_for_signed_in_people(world: World) -> None:
    url = reverse("talking_points:learning_export_csv", args=[world.place.slug])

    Client().get(url)
    response = client_for(world.member_a).get(f"{url}?kind=story")

    assert response.status_code == 200
    events = _events("list_exported")
    assert [(e.actor_id, e.target_id, e.meta) for e in events] == [
        (world.member_a.pk, str(world.place.pk), {"what": "learning_entries", "filtered": True})
    ]


def test_session_contributions_export_is_audited(world: World) -> None:
    sw = open_session(world)

    response = client_for(sw.member_a).get(
        reverse("talking_points:session_export", kwargs={"pk": sw.session.pk})
    )

    assert response.status_code == 200
    assert [(e.actor_id, e.target_id, e.meta) for e in _events("list_exported")] == [
        (sw.member_a.pk, str(sw.session.pk), {"what": "session_contributions"})
    ]


# --- A copy of a person's data --------------------------------------------------------


def test_copy_holds_their_entries_named_contributions_and_responses(world: World) -> None:
    sw = open_session(world)
    for text, anonymous in (("Said with my name.", False), ("Said anonymously.", True)):
        services.contribution_add(
            session=sw.session,
            agenda_item_id=sw.first.pk,
            user=sw.member_a,
            text=text,
            anonymous=anonymous,
        )
    factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, author=world.member_a, title="Mine"
    )
    factories.LearningEntryFactory(place=world.place, organisation=world.org_a, title="Not mine")
    shared = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, visibility="commissioners", title="Theirs"
    )
    factories.ReviewFactory(entry=shared, author=world.commissioner, text="My response.")
    sections = {s.name: s for s in registry.export_sections()}

    entries = list(sections["learning_entries"].fn(world.member_a))
    said = list(sections["session_contributions"].fn(world.member_a))
    responses = list(sections["learning_responses"].fn(world.commissioner))

    assert [e["title"] for e in entries] == ["Mine"]
    assert [c["contribution"] for c in said] == ["Said with my name."]
    assert said[0]["as_organisation"] == "Org A"
    assert [(r["entry"], r["text"]) for r in responses] == [("Theirs", "My response.")]


# --- Erasure --------------------------------------------------------------------------


def test_erasure_makes_named_contributions_a_former_members_and_keeps_entries(
    world: World,
) -> None:
    sw = open_session(world)
    for text, anonymous in (("With my name.", False), ("Anonymously.", True)):
        services.contribution_add(
            session=sw.session,
            agenda_item_id=sw.first.pk,
            user=sw.member_a,
            text=text,
            anonymous=anonymous,
        )
    services.action_add(
        session=sw.session, by=sw.facilitator, text="Do it.", owner=sw.member_a, due_on=None
    )
    drafts_for_org = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, author=world.member_a, title="Org only"
    )
    shared = factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_a,
        author=world.member_a,
        visibility="place",
        title="Shared",
    )
    name = world.member_a.full_name

    counts = privacy_services.account_erase(user=world.member_a)

    named = Contribution.objects.get(text="With my name.")
    unnamed = Contribution.objects.get(text="Anonymously.")
    assert (named.author_id, named.author_name, named.organisation_name) == (
        None,
        "A former member",
        "Org A",
    )
    assert named.byline == "A former member, Org A"
    assert (unnamed.is_anonymous, unnamed.author_name) == (True, "")
    assert not Attendance.objects.filter(name=name).exists()
    assert sw.session.actions.get().owner_name == "A former member"
    for entry in (drafts_for_org, shared):
        entry.refresh_from_db()
        assert (entry.author_id, entry.organisation_id) == (None, world.org_a.pk)
    assert counts["erase_contributions"] == 3  # one contribution, one attendance, one action
    assert counts["erase_learning_authorship"] == 2
    summary = client_for(sw.facilitator).get(sw.session.get_absolute_url()).content.decode()
    assert name not in summary


# --- Retention ------------------------------------------------------------------------


def test_stories_past_their_period_are_deleted_and_a_second_run_changes_nothing(
    world: World, settings: Any
) -> None:
    days = 6 * 365
    settings.PRIVACY_RETENTION = {**settings.PRIVACY_RETENTION, "stories_of_change": days}
    old_story = _story(world)
    new_story = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, kind="story"
    )
    old_breakthrough = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, kind="breakthrough"
    )
    LearningEntry.objects.filter(pk__in=[old_story.pk, old_breakthrough.pk]).update(
        created_at=NOW - datetime.timedelta(days=days + 1)
    )

    first = privacy_services.retention_apply(now=NOW)
    second = privacy_services.retention_apply(now=NOW)

    remaining = set(LearningEntry.objects.values_list("pk", flat=True))
    assert remaining == {new_story.pk, old_breakthrough.pk}
    assert not StoryConsent.objects.filter(entry_id=old_story.pk).exists()
    assert first["stories_of_change"] == 2  # the entry and its consent record
    assert second["stories_of_change"] == 0


def test_the_retention_rule_is_registered_for_its_category() -> None:
    rules = {rule.name: rule for rule in registry.retention_rules()}

    assert rules["stories_of_change"].fn is privacy_data.purge_old_stories
    assert rules["stories_of_change"].category == "stories_of_change"
