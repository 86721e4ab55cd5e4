"""What reminders and digests say, read from the sessions and learning models through their
trust queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reminders import content, emails, services
from reminders.models import Delivery, DeliveryKind, DigestFrequency, DigestPreference
from talking_points.models import Review, TalkingPoint
from tests import factories
from tests.conftest import World
from tests.reminders.conftest import due_moment

NOW = timezone.now()


def _point(number: str) -> TalkingPoint:
    return factories.report_point(number)


# --- Talking points -------------------------------------------------------------------


def test_planned_talking_points_are_the_planned_sessions_agenda_in_order(world: World) -> None:
    meeting = world.forum.next_meeting()
    session = factories.SessionFactory(forum=world.forum, starts_at=meeting)
    factories.AgendaItemFactory(session=session, talking_point=_point("6"), position=2)
    factories.AgendaItemFactory(session=session, talking_point=_point("4"), position=1)
    factories.AgendaItemFactory(
        session=factories.SessionFactory(
            forum=world.forum, starts_at=meeting + datetime.timedelta(days=7)
        ),
        talking_point=_point("9"),
        position=1,
    )

    suggestion = content.planned_talking_points(forum=world.forum, meeting_start=meeting)

    assert suggestion.source == "planned"
    assert suggestion.session == session
    assert [p.number for p in suggestion.points] == ["4", "6"]


def test_without_an_agenda_the_least_recently_discussed_point_is_suggested(
    world: World,
) -> None:
    meeting = world.forum.next_meeting()
    candidates = list(TalkingPoint.objects.filter(forum__isnull=True, parent__isnull=True))
    for weeks_ago, point in enumerate(candidates, start=1):
        past = factories.SessionFactory(
            forum=world.forum,
            status="closed",
            starts_at=meeting - datetime.timedelta(weeks=weeks_ago),
        )
        factories.AgendaItemFactory(session=past, talking_point=point, status="done")
    # Only planned, never reached: does not count as discussed more recently.
    carried = factories.SessionFactory(
        forum=world.forum, status="closed", starts_at=meeting - datetime.timedelta(days=1)
    )
    factories.AgendaItemFactory(session=carried, talking_point=candidates[-1], status="carried")

    suggestion = content.planned_talking_points(forum=world.forum, meeting_start=meeting)

    assert suggestion.source == "least_recent"
    assert suggestion.points == [candidates[-1]]


# --- Actions --------------------------------------------------------------------------


def test_actions_falling_due_are_open_dated_and_visible_to_the_recipient(
    world: World,
) -> None:
    today = timezone.localdate()
    members_only = factories.SessionFactory(forum=world.forum, status="closed")
    other_forum = factories.SessionFactory(
        forum=factories.ForumFactory(place=world.place), status="closed"
    )
    soon = today + datetime.timedelta(days=3)
    factories.ActionFactory(session=members_only, text="Overdue", due_on=today, owner_name="")
    factories.ActionFactory(session=members_only, text="Soon", due_on=soon, owner_name="Ann")
    factories.ActionFactory(session=members_only, text="Done", due_on=soon, status="done")
    factories.ActionFactory(session=members_only, text="Undated", due_on=None)
    factories.ActionFactory(
        session=members_only, text="Later", due_on=today + datetime.timedelta(days=30)
    )
    factories.ActionFactory(session=other_forum, text="Elsewhere", due_on=soon)
    before = today + datetime.timedelta(days=7)

    for_member = content.actions_falling_due(
        forum=world.forum, recipient=world.facilitator, before=before
    )
    for_outsider = content.actions_falling_due(
        forum=world.forum, recipient=world.member_b, before=before
    )

    assert for_member == [
        content.ActionDue(text="Overdue", owner="Not assigned", due=today),
        content.ActionDue(text="Soon", owner="Ann", due=soon),
    ]
    assert for_outsider == []


def test_reminder_email_lists_the_planned_agenda_and_actions_falling_due(
    world: World,
) -> None:
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    due = due_moment(world.forum)
    session = factories.SessionFactory(forum=world.forum, starts_at=due.meeting)
    factories.AgendaItemFactory(session=session, talking_point=_point("6"))
    past = factories.SessionFactory(forum=world.forum, status="closed", starts_at=NOW)
    factories.ActionFactory(
        session=past,
        text="Write to the chair.",
        owner_name="Ann",
        due_on=due.meeting.date(),
    )
    services.reminders_dispatch(now=due.now)

    services.delivery_send(
        delivery_id=Delivery.objects.get(forum=world.forum, recipient=world.member_a).pk
    )

    body = str(mail.outbox[0].body)
    assert "Planned for this meeting:" in body
    assert f"- {_point('6')}" in body
    assert "ACTIONS FALLING DUE" in body
    assert "- Write to the chair. (Ann, by" in body


def test_reminder_bodies_rendered_once_per_meeting_are_a_full_render_for_each_member(
    world: World,
) -> None:
    """Members with nothing of their own listed get bodies rendered once per meeting with
    their name and unsubscribe link filled in; that must be exactly the full render."""
    tricky = factories.UserFactory(full_name='<b>Zoë&"O\'Brien"</b> Smith')
    for user in (world.member_a, tricky):
        factories.ForumMembershipFactory(forum=world.forum, user=user)
    due = due_moment(world.forum)
    services.reminders_dispatch(now=due.now)

    for user in (world.member_a, tricky, world.facilitator):
        services.delivery_send(
            delivery_id=Delivery.objects.get(forum=world.forum, recipient=user).pk
        )

    assert len(mail.outbox) == 3
    for message in mail.outbox:
        delivery = Delivery.objects.select_related("forum__place", "recipient").get(
            forum=world.forum, recipient__email=message.to[0]
        )
        _, context = emails.reminder_context(delivery, now=timezone.now())
        # The signed link carries the second it was made in: take the email's own.
        https_link = message.extra_headers["List-Unsubscribe"].split(", ")[0]
        context["unsubscribe_url"] = https_link.strip("<>")
        assert context["shared"].total == 0
        assert context["actions"] == []
        assert message.body == render_to_string("reminders/email/reminder.txt", context)
        assert message.alternatives[0][0] == render_to_string(
            "reminders/email/reminder.html", context
        )
    tricky_message = next(m for m in mail.outbox if m.to == [tricky.email])
    html = str(tricky_message.alternatives[0][0])
    assert """Hello <b>Zoë&"O'Brien"</b>,""" in str(tricky_message.body)
    assert "Hello &lt;b&gt;Zoë&amp;&quot;O&#x27;Brien&quot;&lt;/b&gt;," in html


# --- Digests --------------------------------------------------------------------------


def _thread(world: World, *, visibility: str = "commissioners", title: str = "Shared") -> Any:
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility=visibility, title=title
    )
    return factories.ReviewFactory(
        entry=entry,
        author=world.commissioner,
        kind="question",
        text="How did it go?",
        created_at=NOW,
    )


def _reply(review: Review, author: object, text: str, minutes: int) -> Any:
    return factories.ReviewFactory(
        entry=review.entry,
        in_reply_to=review,
        author=author,
        kind="reply",
        text=text,
        created_at=NOW + datetime.timedelta(minutes=minutes),
    )


def test_questions_awaiting_answer_are_threads_the_organisation_answered_last(
    world: World,
) -> None:
    waiting = _thread(world, title="Waiting for you")
    _reply(waiting, world.member_a, "Well, thank you. What do you think?", 1)
    answered = _thread(world, title="Already answered")
    _reply(answered, world.member_a, "A question back.", 1)
    _reply(answered, world.commissioner, "My answer.", 2)
    _thread(world, title="No reply yet")
    narrowed = _thread(world, title="Narrowed again")
    _reply(narrowed, world.member_a, "Now private.", 1)
    narrowed.entry.visibility = "organisation"
    narrowed.entry.save(update_fields=["visibility"])
    someone_else = factories.ReviewFactory(
        entry=waiting.entry, kind="question", text="From another commissioner."
    )
    _reply(someone_else, world.member_a, "To the other one.", 3)

    items = content.questions_awaiting_answer(user=world.commissioner)

    assert [item.title for item in items] == ["Waiting for you"]
    assert items[0].text == "Org A replied: Well, thank you. What do you think?"
    detail = reverse("talking_points:entry_detail", kwargs={"pk": waiting.entry_id})
    assert items[0].url == f"{settings.SITE_URL}{detail}#thread-{waiting.pk}"


def test_responses_to_organisation_entries_are_commissioners_messages_in_the_period(
    world: World,
) -> None:
    in_period = _thread(world, title="Ours")
    _reply(in_period, world.lead_a, "Our own reply.", 1)
    _reply(in_period, world.commissioner, "The commissioner again.", 2)
    old = _thread(world, title="Old")
    Review.objects.filter(pk=old.pk).update(created_at=NOW - datetime.timedelta(days=30))
    org_b_entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_b, visibility="commissioners", title="Theirs"
    )
    factories.ReviewFactory(entry=org_b_entry, author=world.commissioner)

    items = content.responses_to_organisation_entries(
        user=world.member_a,
        since=NOW - datetime.timedelta(days=7),
        until=NOW + datetime.timedelta(hours=1),
    )

    name = world.commissioner.full_name
    assert [(item.title, item.text) for item in items] == [
        ("Ours", f"{name} asked a question: “How did it go?”"),
        ("Ours", f"{name} replied: “The commissioner again.”"),
    ]


def test_vcs_digest_carries_responses_and_commissioner_digest_carries_questions(
    world: World,
) -> None:
    waiting = _thread(world, title="Our evening drop-in")
    _reply(waiting, world.member_a, "It went well. Could you fund a second night?", 1)
    Review.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    for user in (world.member_a, world.commissioner):
        DigestPreference.objects.create(user=user, frequency=DigestFrequency.WEEKLY, weekday=0)
    now = timezone.now()
    for delivery_user in (world.member_a, world.commissioner):
        delivery = Delivery.objects.create(
            kind=DeliveryKind.DIGEST,
            recipient=delivery_user,
            occasion_date=now.date(),
            occasion_at=now,
        )
        services.delivery_send(delivery_id=delivery.pk)

    to_member, to_commissioner = (str(m.body) for m in mail.outbox)
    assert "RESPONSES TO YOUR ORGANISATION'S LEARNING" in to_member
    assert "asked a question: “How did it go?”" in to_member
    assert "Our evening drop-in: Org A replied: It went well." in to_commissioner
    assert f"#thread-{waiting.pk}" in to_commissioner


def test_entry_link_is_the_entry_page(world: World) -> None:
    entry = factories.LearningEntryFactory(place=world.place, organisation=world.org_a)

    link = content.entry_link(entry)

    assert link == settings.SITE_URL + reverse(
        "talking_points:entry_detail", kwargs={"pk": entry.pk}
    )
