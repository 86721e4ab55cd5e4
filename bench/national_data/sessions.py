"""The third stage of the generator: forum sessions and what happens in them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from bench.national_data.counts import LONDON, split_unevenly
from bench.national_data.learning import Learning
from bench.national_data.wording import (
    ACTIONS,
    DECISIONS,
    SENTENCES,
    STATUSES_CLOSED,
    TOPICS,
    fill_in,
)


class Sessions(Learning):
    """Plans sessions, their agenda and attendance, and streams contributions and decisions."""

    def _plan_sessions(self) -> None:
        rng = self.rng("sessions")
        per_forum = split_unevenly(self.counts["sessions"], len(self.forums), rng, low=0.8)
        self.sessions: list[tuple[Any, ...]] = []
        self.agenda: list[tuple[Any, ...]] = []
        self.attendance: list[tuple[Any, ...]] = []
        self.held: list[
            tuple[int, int, int, datetime.datetime, list[int], list[tuple[int, int]]]
        ] = []
        self.live_sessions: list[tuple[int, int]] = []  # session, forum
        points = self.talking_points
        for (fid, pid, _name), count in zip(self.forums, per_forum, strict=True):
            facilitator = self.facilitators[fid][0]
            members = self.forum_members[fid]
            weekday, hour = self.forum_weekday[fid], self.forum_hour[fid]
            local_anchor = self.anchor.astimezone(LONDON)
            days = (weekday - local_anchor.weekday()) % 7 or 7
            next_date = local_anchor.date() + datetime.timedelta(days=days)
            planned = min(2, count)
            live = 1 if count - planned >= 1 and (fid % 4 == 1) else 0
            closed = count - planned - live
            for k in range(count):
                sid = len(self.sessions) + 1
                if k < closed:
                    status = "closed"
                    day = next_date - datetime.timedelta(days=7 * (closed - k))
                    starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)
                elif k < closed + live:
                    status = "live"
                    starts = self.anchor - datetime.timedelta(minutes=25)
                else:
                    status = "planned"
                    day = next_date + datetime.timedelta(days=7 * (k - closed - live))
                    starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)
                n_items = rng.randint(3, 5)
                items = []
                current = None
                for position in range(n_items):
                    aid = len(self.agenda) + 1
                    if status == "closed":
                        item_status = rng.choice(STATUSES_CLOSED)
                    elif status == "live":
                        item_status = (
                            "done" if position == 0 else "current" if position == 1 else "pending"
                        )
                    else:
                        item_status = "pending"
                    started = (
                        starts + datetime.timedelta(minutes=20 * position)
                        if item_status != "pending"
                        else None
                    )
                    ended = (
                        started + datetime.timedelta(minutes=20)
                        if item_status in ("done", "carried") and started
                        else None
                    )
                    if item_status == "current":
                        current = aid
                    self.agenda.append(
                        (
                            aid,
                            sid,
                            points[(sid + position) % len(points)],
                            position,
                            rng.choice((10, 15, 20, 30)),
                            item_status,
                            started,
                            ended,
                            None,
                        )
                    )
                    if item_status != "pending":
                        items.append(aid)
                attendees: list[tuple[int, int]] = []
                if status != "planned" and members:
                    chosen = {
                        facilitator,
                        *rng.sample(members, min(len(members), rng.randint(4, 12))),
                    }
                    for user in sorted(chosen):
                        att = len(self.attendance) + 1
                        org = self.user_org[user]
                        late = rng.random() < 0.1
                        self.attendance.append(
                            (
                                att,
                                sid,
                                user,
                                self.user_name[user],
                                org,
                                self.org_name[org],
                                self.org_sector[org],
                                starts + datetime.timedelta(minutes=12 if late else -3),
                                late,
                                starts + datetime.timedelta(hours=3)
                                if status == "closed"
                                else None,
                            )
                        )
                        attendees.append((att, user))
                    self.held.append((sid, fid, pid, starts, items, attendees))
                if status == "live":
                    self.live_sessions.append((sid, fid))
                summary = (
                    rng.choices(("members", "place", "public"), weights=(40, 35, 25))[0]
                    if status == "closed"
                    else "members"
                )
                self.sessions.append(
                    (
                        sid,
                        fid,
                        starts,
                        status,
                        f"{self.place_names[pid - 1]} Community Centre",
                        "",
                        starts - datetime.timedelta(days=7),
                        facilitator,
                        starts if status != "planned" else None,
                        starts + datetime.timedelta(minutes=90) if status == "closed" else None,
                        current,
                        rng.randint(1, 60) if status != "planned" else 0,
                        False,
                        None,
                        summary,
                        starts + datetime.timedelta(hours=2)
                        if status == "closed" and summary != "members"
                        else None,
                    )
                )

    def _contributions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("contributions")
        held = [h for h in self.held if h[4] and h[5]]
        per_session = split_unevenly(self.counts["contributions"], len(held), rng)
        row = 0
        for (sid, fid, _pid, starts, items, attendees), count in zip(
            held, per_session, strict=True
        ):
            for i in range(count):
                row += 1
                item = items[i * len(items) // count]
                at = starts + datetime.timedelta(seconds=20 + i * 5400 // count)
                text = fill_in(rng, rng.choice(SENTENCES))
                hidden = rng.random() < 0.004
                if rng.random() < 0.08:
                    yield (
                        row,
                        sid,
                        item,
                        text,
                        True,
                        None,
                        "",
                        None,
                        "",
                        "",
                        at,
                        at + datetime.timedelta(minutes=5) if hidden else None,
                        "Named someone who was not there." if hidden else "",
                        self.facilitators[fid][0] if hidden else None,
                    )
                    continue
                _att, user = rng.choice(attendees)
                org = self.user_org[user]
                yield (
                    row,
                    sid,
                    item,
                    text,
                    False,
                    user,
                    self.user_name[user],
                    org,
                    self.org_name[org],
                    self.org_sector[org],
                    at,
                    at + datetime.timedelta(minutes=5) if hidden else None,
                    "Named someone who was not there." if hidden else "",
                    self.facilitators[fid][0] if hidden else None,
                )

    def _decisions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("decisions")
        self.decision_table: list[tuple[int, int]] = []  # decision, attendance
        self.decision_entries: list[tuple[int, int]] = []
        self.actions: list[tuple[Any, ...]] = []
        row = 0
        for sid, fid, pid, starts, items, attendees in self.held:
            if not items or not attendees:
                continue
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                row += 1
                at = starts + datetime.timedelta(minutes=80)
                for att, _user in attendees[:6]:
                    self.decision_table.append((row, att))
                shared = self.shared_by_place[pid]
                if shared and rng.random() < 0.25:
                    for entry in sorted(set(rng.sample(shared, min(2, len(shared))))):
                        self.decision_entries.append((row, entry))
                yield (
                    row,
                    sid,
                    rng.choice(items),
                    fill_in(rng, rng.choice(DECISIONS)),
                    f"Because what we learned about {rng.choice(TOPICS)} pointed that way.",
                    self.facilitators[fid][0],
                    at,
                )
                for _ in range(rng.choice((0, 1, 2))):
                    _att, owner = rng.choice(attendees)
                    due = (starts + datetime.timedelta(days=rng.randint(7, 60))).date()
                    done = rng.random() < 0.6
                    self.actions.append(
                        (
                            len(self.actions) + 1,
                            sid,
                            row,
                            fill_in(rng, rng.choice(ACTIONS)),
                            owner,
                            self.user_name[owner],
                            due,
                            "done" if done else "open",
                            self.facilitators[fid][0],
                            at,
                            at + datetime.timedelta(days=5) if done else None,
                            owner if done else None,
                        )
                    )
