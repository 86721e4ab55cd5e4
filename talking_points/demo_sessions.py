"""Demo forum sessions for the Plymouth Alliance Forum: last week's closed session (with
contributions, some anonymous, decisions and actions) and the next planned one.

Idempotent: it adds sessions only to a forum that has none, so running it twice changes
nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from partnerships.models import Forum, User

from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Contribution,
    Decision,
    LearningEntry,
    Session,
    SessionStatus,
    SummaryVisibility,
    TalkingPoint,
)
from .report import ensure_report_talking_points
from .services import attendance_add

DEMO = "@demo.hls-forum.localhost"

# (talking point number, minutes, [(who or None for anonymous, what they said)])
PAST_AGENDA = [
    (
        "6",
        20,
        [
            ("lead", "We are invited, but usually after the options have been written."),
            (None, "Smaller groups never hear about the meetings where money is decided."),
            (
                "commissioner",
                "Fair challenge. I can share the commissioning timetable here every quarter.",
            ),
            ("volunteer", "Could the forum hold one seat on the alliance board, rotating?"),
        ],
    ),
    (
        "4",
        15,
        [
            ("worker", "'Outcomes framework' means nothing to the people we support."),
            (None, "I nod along in meetings and look words up afterwards."),
            ("facilitator", "Let's keep a plain-words list and use it in every paper."),
        ],
    ),
]


def _user(name: str) -> User:
    return User.objects.get(email=f"{name}{DEMO}")


def load() -> None:
    forum = Forum.objects.filter(slug="plymouth-alliance-forum").select_related("place").first()
    if forum is None or Session.objects.filter(forum=forum).exists():
        return
    ensure_report_talking_points()
    facilitator = _user("facilitator")
    points = {p.number: p for p in TalkingPoint.objects.filter(forum__isnull=True)}
    now = timezone.now()
    starts_at = forum.next_meeting(after=now - datetime.timedelta(days=7))
    if starts_at > now:
        starts_at -= datetime.timedelta(days=7)

    past = Session.objects.create(
        forum=forum,
        starts_at=starts_at,
        venue=forum.venue,
        online_link=forum.online_link,
        created_by=facilitator,
    )
    for name in ["facilitator", "lead", "worker", "volunteer", "commissioner"]:
        attendance_add(session=past, user=_user(name), late=name == "volunteer")
    clock = starts_at
    for position, (number, minutes, said) in enumerate(PAST_AGENDA, start=1):
        item = AgendaItem.objects.create(
            session=past,
            talking_point=points[number],
            position=position,
            time_box_minutes=minutes,
            status=AgendaItemStatus.DONE,
            started_at=clock,
            ended_at=clock + datetime.timedelta(minutes=minutes),
        )
        clock += datetime.timedelta(minutes=minutes)
        for who, text in said:
            if who is None:
                Contribution.objects.create(
                    session=past, agenda_item=item, text=text, is_anonymous=True, created_at=clock
                )
                continue
            attendance = past.attendances.get(user=_user(who))
            Contribution.objects.create(
                session=past,
                agenda_item=item,
                text=text,
                author=attendance.user,
                author_name=attendance.name,
                organisation=attendance.organisation,
                organisation_name=attendance.organisation_name,
                sector=attendance.sector,
                created_at=clock,
            )
    carried = AgendaItem.objects.create(
        session=past,
        talking_point=points["16"],
        position=len(PAST_AGENDA) + 1,
        time_box_minutes=15,
        status=AgendaItemStatus.CARRIED_OVER,
    )
    seat = Decision.objects.create(
        session=past,
        agenda_item=past.agenda_items.get(position=1),
        text="The forum will ask for one rotating seat on the alliance board.",
        why="Smaller groups are not in the room when priorities are set; a rotating seat "
        "brings a different voice each quarter.",
        created_by=facilitator,
        created_at=clock,
    )
    seat.at_the_table.set(past.attendances.all())
    entries = LearningEntry.objects.filter(place=forum.place).order_by("-created_at")[:1]
    seat.rests_on.set(list(entries))
    words = Decision.objects.create(
        session=past,
        agenda_item=past.agenda_items.get(position=2),
        text="Every paper that comes to the forum uses our plain-words list.",
        created_by=facilitator,
        created_at=clock,
    )
    words.at_the_table.set(past.attendances.all())
    commissioner = _user("commissioner")
    lead = _user("lead")
    Action.objects.create(
        session=past,
        decision=seat,
        text="Write to the alliance board chair asking for a rotating forum seat.",
        owner=lead,
        owner_name=lead.get_full_name(),
        due_on=(starts_at + datetime.timedelta(days=14)).date(),
        created_by=facilitator,
    )
    Action.objects.create(
        session=past,
        text="Share the commissioning timetable for the next two quarters.",
        owner=commissioner,
        owner_name=commissioner.get_full_name(),
        due_on=(starts_at + datetime.timedelta(days=5)).date(),
        status=ActionStatus.DONE,
        done_at=starts_at + datetime.timedelta(days=3),
        done_by=commissioner,
        created_by=facilitator,
    )
    Session.objects.filter(pk=past.pk).update(
        status=SessionStatus.CLOSED,
        opened_at=starts_at,
        closed_at=clock,
        summary_visibility=SummaryVisibility.PLACE,
        summary_published_at=clock,
    )
    for attendance in past.attendances.all():
        attendance.summary_sent_at = clock
        attendance.save(update_fields=["summary_sent_at"])

    upcoming = Session.objects.create(
        forum=forum,
        starts_at=forum.next_meeting(after=now),
        venue=forum.venue,
        online_link=forum.online_link,
        created_by=facilitator,
    )
    AgendaItem.objects.create(
        session=upcoming,
        talking_point=points["16"],
        position=1,
        time_box_minutes=15,
        carried_from=carried,
    )
    AgendaItem.objects.create(
        session=upcoming, talking_point=points["1"], position=2, time_box_minutes=20
    )
    AgendaItem.objects.create(
        session=upcoming, talking_point=points["7"], position=3, time_box_minutes=25
    )
