"""The fourth stage of the generator: reminder and digest deliveries."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from bench.national_data.counts import LONDON, cumulative
from bench.national_data.sessions import Sessions


class Deliveries(Sessions):
    """Streams reminder and digest deliveries, and the digest preferences behind them."""

    def _deliveries(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("deliveries")
        total = self.counts["deliveries"]
        n_reminders = total * 4 // 5
        subscribed = [(fid, user) for fid, user, _role, on in self.forum_membership_rows if on]
        statuses = ("sent", "failed", "skipped", "unknown", "pending")
        status_cum = cumulative((94, 2, 3, 0.5, 0.5))
        n_people = len(self.user_name) - 1
        self.digest_users: list[int] = []
        for row in range(1, total + 1):
            status = rng.choices(statuses, cum_weights=status_cum)[0]
            if row <= n_reminders:
                fid, user = subscribed[(row - 1) % len(subscribed)]
                week = (row - 1) // len(subscribed) + 1
                local = self.anchor.astimezone(LONDON).date()
                day = local - datetime.timedelta(
                    days=7 * week + (local.weekday() - self.forum_weekday[fid]) % 7
                )
                occasion = datetime.datetime.combine(
                    day, datetime.time(self.forum_hour[fid]), tzinfo=LONDON
                )
                kind, forum = "reminder", fid
                due = occasion - datetime.timedelta(days=1)
            else:
                i = row - n_reminders - 1
                user = i % n_people + 1
                if i < n_people:
                    self.digest_users.append(user)
                day = self.anchor.date() - datetime.timedelta(days=7 * (i // n_people + 1))
                occasion = datetime.datetime.combine(day, datetime.time(8), tzinfo=LONDON)
                kind, forum, due = "digest", None, occasion
            sent = due + datetime.timedelta(minutes=1) if status == "sent" else None
            yield (
                row,
                kind,
                forum,
                user,
                day,
                occasion,
                status,
                1 if status in ("sent", "skipped") else 3 if status == "failed" else 0,
                "Mailbox unavailable (550)"
                if status == "failed"
                else "Reminders are off"
                if status == "skipped"
                else "",
                due - datetime.timedelta(minutes=5),
                due if status != "pending" else None,
                due if status in ("sent", "failed", "unknown") else None,
                sent,
            )

    def _digest_preferences(self) -> Iterator[tuple[Any, ...]]:
        for row, user in enumerate(sorted(self.digest_users), start=1):
            yield (row, user, "weekly", user % 5, self.anchor)

    # -- the list of tables, in load order -------------------------------------------------
