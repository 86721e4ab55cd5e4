"""Pages: choices, one-click unsubscribe, calendar feeds and the facilitator's oversight."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from partnerships.models import ForumMembership
from reminders import services, tokens
from reminders.models import Delivery, DeliveryKind, DeliveryStatus, DigestPreference
from tests import factories
from tests.conftest import World, client_for
from tests.reminders.conftest import due_moment


def unsubscribe_path(user_id: int, forum_id: int | None) -> str:
    token = tokens.unsubscribe_token(user_id=user_id, forum_id=forum_id)
    return reverse("reminders:unsubscribe", kwargs={"token": token})


@pytest.fixture
def member_a_in_forum(world: World) -> ForumMembership:
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    return ForumMembership.objects.get(forum=world.forum, user=world.member_a)


def reminders_on(user: Any, world: World) -> bool:
    return ForumMembership.objects.get(user=user, forum=world.forum).reminders_enabled


# --- One-click unsubscribe -------------------------------------------------------------


def test_one_click_unsubscribe_post_needs_no_cookie_or_csrf_token_and_answers_200(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    client = Client(enforce_csrf_checks=True)  # and no cookies: never signed in

    response = client.post(
        unsubscribe_path(world.member_a.pk, world.forum.pk),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert reminders_on(world.member_a, world) is False
    assert reminders_on(world.facilitator, world) is True


def test_one_click_unsubscribe_twice_still_answers_200(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    client = Client(enforce_csrf_checks=True)
    path = unsubscribe_path(world.member_a.pk, world.forum.pk)

    statuses = [client.post(path).status_code, client.post(path).status_code]

    assert statuses == [200, 200]
    assert reminders_on(world.member_a, world) is False


def test_unsubscribe_get_shows_a_confirmation_and_changes_nothing(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    response = Client().get(unsubscribe_path(world.member_a.pk, world.forum.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Stop reminders for Testford Forum?" in content
    assert '<form method="post">' in content
    assert reminders_on(world.member_a, world) is True
    assert response["X-Robots-Tag"] == "noindex"


def test_unsubscribe_with_a_forged_token_is_refused(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    path = unsubscribe_path(world.member_a.pk, world.forum.pk)
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    response = Client(enforce_csrf_checks=True).post(forged)

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert reminders_on(world.member_a, world) is True


def test_unsubscribe_after_leaving_the_forum_says_nothing_to_stop(world: World) -> None:
    response = Client().post(unsubscribe_path(world.member_b.pk, world.forum.pk))

    assert response.status_code == 200
    assert "Nothing to stop" in response.content.decode()


def test_digest_one_click_unsubscribe(world: World) -> None:
    DigestPreference.objects.create(user=world.commissioner, frequency="weekly", weekday=1)

    response = Client(enforce_csrf_checks=True).post(unsubscribe_path(world.commissioner.pk, None))

    assert response.status_code == 200
    assert DigestPreference.objects.get(user=world.commissioner).frequency == "off"


# --- Preferences ------------------------------------------------------------------------


def test_preferences_refuse_anonymous_people(world: World) -> None:
    response = Client().get(reverse("reminders:preferences"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_preferences_list_forums_with_reminder_state_and_personal_calendar(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    response = client_for(world.member_a).get(reverse("reminders:preferences"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Testford Forum" in content
    assert "1 day before, at 9:00" in content
    assert "/forums/testford-forum/calendar.ics?token=" in content
    assert "Weekly digest" in content


def test_preferences_for_someone_in_no_forum_show_an_empty_state(world: World) -> None:
    response = client_for(world.staff).get(reverse("reminders:preferences"))

    content = response.content.decode()
    assert "You are not in a forum yet" in content
    assert "Weekly digests are for commissioners" in content


def test_member_turns_reminders_off_and_on(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    client = client_for(world.member_a)
    path = reverse("reminders:forum_reminders_toggle", kwargs={"slug": world.forum.slug})

    off = client.post(path, {"enabled": "0"})
    state_after_off = reminders_on(world.member_a, world)
    on = client.post(path, {"enabled": "1"}, follow=True)

    assert off.status_code == 302
    assert state_after_off is False
    assert reminders_on(world.member_a, world) is True
    assert "Reminders for Testford Forum are on." in on.content.decode()


def test_turning_reminders_off_on_the_forum_page_stops_the_waiting_reminder(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    meeting = due_moment(world.forum).meeting
    waiting = Delivery.objects.create(
        kind=DeliveryKind.REMINDER,
        forum=world.forum,
        recipient=world.member_a,
        occasion_date=meeting.date(),
        occasion_at=meeting,
        status=DeliveryStatus.PENDING,
    )

    # The "Turn reminders off" button on the forum's own page: the same switch.
    response = client_for(world.member_a).post(
        reverse("reminders:forum_reminders_toggle", kwargs={"slug": world.forum.slug}),
        {"enabled": "0", "next": world.forum.get_absolute_url()},
    )

    waiting.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == world.forum.get_absolute_url()
    assert reminders_on(world.member_a, world) is False
    assert waiting.status == DeliveryStatus.SKIPPED


def test_reminder_toggle_with_htmx_returns_just_the_row(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    path = reverse("reminders:forum_reminders_toggle", kwargs={"slug": world.forum.slug})

    response = client_for(world.member_a).post(path, {"enabled": "0"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith(f'<tr id="forum-row-{world.forum.pk}">')
    assert "Reminders for Testford Forum are off." in content
    assert "<h1>" not in content


def test_reminder_toggle_by_a_non_member_is_refused(world: World) -> None:
    path = reverse("reminders:forum_reminders_toggle", kwargs={"slug": world.forum.slug})

    response = client_for(world.member_b).post(path, {"enabled": "0"})

    assert response.status_code == 403
    assert "not a member of this forum" in response.content.decode()


def test_commissioner_chooses_a_weekly_digest_on_a_day(world: World) -> None:
    response = client_for(world.commissioner).post(
        reverse("reminders:preferences"), {"frequency": "weekly", "weekday": "3"}
    )

    preference = DigestPreference.objects.get(user=world.commissioner)
    assert response.status_code == 302
    assert (preference.frequency, preference.weekday) == ("weekly", 3)


def test_digest_form_with_a_bad_choice_shows_the_error_summary(world: World) -> None:
    response = client_for(world.member_a).post(
        reverse("reminders:preferences"), {"frequency": "daily", "weekday": "9"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert not DigestPreference.objects.filter(user=world.member_a).exists()


def test_digest_choice_by_someone_not_eligible_is_refused(world: World) -> None:
    response = client_for(world.staff).post(
        reverse("reminders:preferences"), {"frequency": "weekly", "weekday": "1"}
    )

    assert response.status_code == 403


# --- Calendar feed ----------------------------------------------------------------------


def feed_path(world: World, **query: str) -> str:
    path = reverse("reminders:forum_calendar", kwargs={"slug": world.forum.slug})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_open_forum_calendar_is_public_without_the_online_link(world: World) -> None:
    world.forum.online_link = "https://meet.example.org/secret-room"
    world.forum.save(update_fields=["online_link"])

    response = Client().get(feed_path(world))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 12
    assert events[0]["dtstart"].params["TZID"] == "Europe/London"
    assert events[0].decoded("dtstart").time() == datetime.time(10, 0)
    assert str(events[0]["uid"]).startswith(f"forum-{world.forum.pk}-")
    assert b"secret-room" not in response.content


def test_member_sees_the_online_link_in_the_feed(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    world.forum.online_link = "https://meet.example.org/secret-room"
    world.forum.save(update_fields=["online_link"])

    response = client_for(world.member_a).get(feed_path(world))

    assert response.status_code == 200
    assert b"secret-room" in response.content


def test_invite_only_forum_calendar_is_refused_to_outsiders(world: World) -> None:
    world.forum.access = "invite"
    world.forum.save(update_fields=["access"])

    assert Client().get(feed_path(world)).status_code == 404
    assert client_for(world.member_b).get(feed_path(world)).status_code == 404


def test_invite_only_forum_calendar_works_with_a_members_personal_token(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    world.forum.access = "invite"
    world.forum.save(update_fields=["access"])
    token = tokens.calendar_token(user_id=world.member_a.pk, forum_id=world.forum.pk)

    response = Client().get(feed_path(world, token=token))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"


def test_calendar_token_stops_working_when_the_member_leaves(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    token = tokens.calendar_token(user_id=world.member_a.pk, forum_id=world.forum.pk)
    member_a_in_forum.delete()

    assert Client().get(feed_path(world, token=token)).status_code == 404


def test_calendar_token_for_another_forum_is_refused(world: World) -> None:
    other = factories.ForumFactory(place=world.place, access="invite")
    factories.ForumMembershipFactory(forum=other, user=world.member_a)
    token = tokens.calendar_token(user_id=world.member_a.pk, forum_id=other.pk)

    assert Client().get(feed_path(world, token=token)).status_code == 404


# --- Oversight ---------------------------------------------------------------------------


def make_deliveries(world: World, meetings: int, per_meeting: int) -> list[Delivery]:
    rows = []
    base = due_moment(world.forum).meeting
    people = [factories.UserFactory() for _ in range(per_meeting)]
    statuses = [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN]
    for week in range(meetings):
        start = base - datetime.timedelta(days=7 * week)
        for index, person in enumerate(people):
            rows.append(
                Delivery(
                    kind=DeliveryKind.REMINDER,
                    forum=world.forum,
                    recipient=person,
                    occasion_date=start.date(),
                    occasion_at=start,
                    status=statuses[index % 3],
                    detail="SMTPDataError: 550 No such mailbox" if index % 3 == 1 else "",
                )
            )
    return Delivery.objects.bulk_create(rows)


@pytest.mark.parametrize("persona", ["anonymous", "member_a", "member_b", "commissioner"])
def test_oversight_pages_refuse_everyone_but_facilitators(
    world: World, persona: str, member_a_in_forum: ForumMembership
) -> None:
    delivery = make_deliveries(world, 1, 2)[1]
    client = client_for(world.user(persona))
    paths = [
        reverse("reminders:forum_deliveries", kwargs={"slug": world.forum.slug}),
        reverse(
            "reminders:meeting_deliveries",
            kwargs={"slug": world.forum.slug, "day": delivery.occasion_date.isoformat()},
        ),
        reverse("reminders:delivery_resend", kwargs={"pk": delivery.pk}),
    ]

    statuses = [client.get(path).status_code for path in paths]

    assert statuses == ([302] * 3 if persona == "anonymous" else [403] * 3)


def test_facilitator_sees_each_meetings_reminders_with_failures(world: World) -> None:
    make_deliveries(world, 2, 3)

    response = client_for(world.facilitator).get(
        reverse("reminders:forum_deliveries", kwargs={"slug": world.forum.slug})
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("1 of 3") == 2
    assert "<strong>1</strong>" in content


def test_facilitator_sees_who_was_sent_it_when_and_what_went_wrong(world: World) -> None:
    rows = make_deliveries(world, 1, 3)
    Delivery.objects.filter(pk=rows[0].pk).update(
        sent_at=datetime.datetime(2026, 3, 29, 8, 1, tzinfo=datetime.UTC)
    )

    response = client_for(world.facilitator).get(
        reverse(
            "reminders:meeting_deliveries",
            kwargs={"slug": world.forum.slug, "day": rows[0].occasion_date.isoformat()},
        )
    )

    content = response.content.decode()
    assert response.status_code == 200
    for row in rows:
        assert str(row.recipient) in content
    assert "29 Mar, 09:01" in content  # shown in UK time
    assert "550 No such mailbox" in content
    assert "Unknown: sending stopped part-way" in content
    assert content.count("Send again") == 2
    assert "2 need your attention" in content


def test_meeting_page_with_a_bad_date_is_404(world: World) -> None:
    response = client_for(world.facilitator).get(
        reverse(
            "reminders:meeting_deliveries", kwargs={"slug": world.forum.slug, "day": "not-a-day"}
        )
    )

    assert response.status_code == 404


def test_oversight_query_counts_do_not_grow_with_data(
    world: World, django_assert_num_queries: Any
) -> None:
    client = client_for(world.facilitator)
    forum_path = reverse("reminders:forum_deliveries", kwargs={"slug": world.forum.slug})
    few = make_deliveries(world, 1, 2)
    meeting_path = reverse(
        "reminders:meeting_deliveries",
        kwargs={"slug": world.forum.slug, "day": few[0].occasion_date.isoformat()},
    )

    client.get(forum_path)  # warm: the signed-in person is cached from now on
    with django_assert_num_queries(5):
        client.get(forum_path)
    with django_assert_num_queries(5):
        client.get(meeting_path)
    make_deliveries(world, 8, 12)
    with django_assert_num_queries(5):
        client.get(forum_path)
    with django_assert_num_queries(5):
        client.get(meeting_path)


def test_facilitator_resends_an_unknown_reminder_after_a_warning(world: World) -> None:
    unknown = make_deliveries(world, 1, 3)[2]
    client = client_for(world.facilitator)
    path = reverse("reminders:delivery_resend", kwargs={"pk": unknown.pk})

    warning = client.get(path)
    response = client.post(path)

    unknown.refresh_from_db()
    assert "may already have arrived" in warning.content.decode()
    assert response.status_code == 302
    assert (unknown.status, unknown.attempts) == (DeliveryStatus.PENDING, 0)


def test_resending_a_sent_reminder_changes_nothing(world: World) -> None:
    sent = make_deliveries(world, 1, 1)[0]

    response = client_for(world.facilitator).post(
        reverse("reminders:delivery_resend", kwargs={"pk": sent.pk}), follow=True
    )

    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.SENT
    assert "nothing changed" in response.content.decode()


def test_resend_request_succeeds_with_the_broker_down_and_the_dispatcher_catches_up(
    world: World, broker_down: str, django_capture_on_commit_callbacks: Any
) -> None:
    failed = make_deliveries(world, 1, 2)[1]
    client = client_for(world.facilitator)  # signing in has after-commit work of its own

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reminders:delivery_resend", kwargs={"pk": failed.pk}))

    failed.refresh_from_db()
    assert response.status_code == 302
    assert len(callbacks) == 1  # the queueing was attempted, and failed quietly
    assert (failed.status, failed.queued_at) == (DeliveryStatus.PENDING, None)
    assert services.reminders_dispatch().queued == 1


def test_digest_choice_with_htmx_returns_just_the_form_with_a_saved_notice(
    world: World,
) -> None:
    response = client_for(world.commissioner).post(
        reverse("reminders:preferences"),
        {"frequency": "weekly", "weekday": "2"},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith('<form method="post"')
    assert "Your digest choice is saved." in content
    assert DigestPreference.objects.get(user=world.commissioner).weekday == 2


# --- The forum page's links ----------------------------------------------------------------


def test_forum_page_links_members_to_the_calendar_and_their_reminder_choices(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    page = reverse("talking_points:forum_detail", kwargs={"slug": world.forum.slug})
    calendar = reverse("reminders:forum_calendar", kwargs={"slug": world.forum.slug})
    choices = f"{reverse('reminders:preferences')}#forum-row-{world.forum.pk}"
    oversight = reverse("reminders:forum_deliveries", kwargs={"slug": world.forum.slug})

    member = client_for(world.member_a).get(page).content.decode()
    facilitator = client_for(world.facilitator).get(page).content.decode()
    outsider = client_for(world.member_b).get(page).content.decode()

    assert f'href="{calendar}"' in member
    assert f'href="{choices}"' in member
    assert f'href="{oversight}"' not in member
    assert f'href="{oversight}"' in facilitator
    assert f'href="{calendar}"' not in outsider
    assert f'href="{choices}"' not in outsider


def test_turning_reminders_off_on_the_forum_page_stops_a_waiting_reminder(
    world: World, member_a_in_forum: ForumMembership
) -> None:
    services.reminders_dispatch(now=due_moment(world.forum).now)
    waiting = Delivery.objects.get(forum=world.forum, recipient=world.member_a)

    response = client_for(world.member_a).post(
        reverse("reminders:forum_reminders_toggle", kwargs={"slug": world.forum.slug}),
        {"enabled": "0", "next": world.forum.get_absolute_url()},
    )

    waiting.refresh_from_db()
    assert response.status_code == 302
    assert waiting.status == DeliveryStatus.SKIPPED
    assert not reminders_on(world.member_a, world)


def test_facilitators_reminders_page_is_reachable_beside_the_forum_pages_toggle(
    world: World,
) -> None:
    page = reverse("reminders:forum_deliveries", kwargs={"slug": world.forum.slug})
    toggle = reverse("reminders:forum_reminders_toggle", kwargs={"slug": world.forum.slug})

    response = client_for(world.facilitator).get(page)

    assert page != toggle
    assert response.status_code == 200
