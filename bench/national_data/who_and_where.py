"""The first stage of the generator: places, organisations, people, commissioners and
forums.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.utils.text import slugify

from bench.national_data.counts import EMAIL_DOMAIN, PASSWORD, cumulative, plan
from bench.national_data.names import (
    COUNTIES,
    FIRST_NAMES,
    LAST_NAMES,
    NAME_PREFIXES,
    PLACE_ENDS,
    PLACE_STARTS,
    SECTOR_NOUNS,
    SECTOR_WEIGHTS,
)
from bench.national_data.wording import SPECIALISMS, SUBJECTS, TOPICS


class WhoAndWhere:
    """Plans who is where, and streams the partnership tables. Each later stage builds on
    the rows of the stage before, so the stages inherit in order."""

    def __init__(
        self, *, seed: int, scale: float, anchor: datetime.datetime, talking_points: list[int]
    ):
        if not talking_points:
            raise CommandError("The report's talking points are missing: run migrate first.")
        self.seed = seed
        self.scale = scale
        self.anchor = anchor
        self.talking_points = talking_points
        self.counts = plan(scale)
        self.password = make_password(PASSWORD, salt=f"national{seed:08d}")
        self.personas: dict[str, str] = {}
        self.targets: dict[str, Any] = {}

    def rng(self, name: str) -> random.Random:
        return random.Random(f"hls-national:{self.seed}:{name}")

    def _plan_people_and_places(self) -> None:
        from partnerships.models import Sector

        rng = self.rng("places")
        n_places = self.counts["places"]
        combos = [a + b for a in PLACE_STARTS for b in PLACE_ENDS]
        rng.shuffle(combos)
        self.place_names = [
            combos[i % len(combos)] + ("" if i < len(combos) else f" {i // len(combos) + 1}")
            for i in range(n_places)
        ]
        self.place_ids = list(range(1, n_places + 1))
        # A national skew: a few big cities, a long tail of small towns. Place 1 is biggest.
        self.place_weights = [1 / (i + 20) for i in range(n_places)]
        self.place_cum = cumulative(self.place_weights)
        self.place_slugs = [
            f"{slugify(name)}-{pid}"
            for pid, name in zip(self.place_ids, self.place_names, strict=True)
        ]

        # Organisations: the first ones make sure every place has a few.
        n_orgs = self.counts["organisations"]
        sectors = list(SECTOR_WEIGHTS)
        sector_cum = cumulative(list(SECTOR_WEIGHTS.values()))
        self.org_sector: list[str] = [""]
        self.org_name: list[str] = [""]
        self.org_places: list[list[int]] = [[]]
        self.orgs_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        seen: set[str] = set()
        for org in range(1, n_orgs + 1):
            if org <= n_places:
                primary = org
                sector = Sector.VCS.value if org % 2 else Sector.STATUTORY.value
            else:
                primary = rng.choices(self.place_ids, cum_weights=self.place_cum)[0]
                sector = rng.choices(sectors, cum_weights=sector_cum)[0]
            if org <= 2 * n_places and org > n_places:
                primary = org - n_places
                sector = Sector.FUNDER.value if org % 2 else Sector.HEALTH.value
            places = [primary]
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
                other = rng.choice(self.place_ids)
                if other not in places:
                    places.append(other)
            base = f"{self.place_names[primary - 1]} {rng.choice(SECTOR_NOUNS[sector])}"
            name = base
            attempt = 0
            while name in seen:
                prefix = NAME_PREFIXES[attempt % len(NAME_PREFIXES)]
                name = f"{prefix} {base}" + (
                    f" {attempt // len(NAME_PREFIXES) + 2}" if attempt >= len(NAME_PREFIXES) else ""
                )
                attempt += 1
            seen.add(name)
            self.org_sector.append(sector)
            self.org_name.append(name)
            self.org_places.append(places)
            for place in places:
                self.orgs_by_place[place].append(org)

        # People: one lead per organisation first, then everyone else, commissioners last.
        n_people = self.counts["people"]
        n_commissioners = min(self.counts["commissioners"], n_people - n_orgs - 2)
        if n_commissioners < 1:
            raise CommandError("Too few people for the organisations at this scale.")
        self.user_name = [""]
        self.user_email = [""]
        self.user_org = [0]  # primary organisation
        self.user_role = [""]
        self.memberships: list[tuple[int, int, str, bool]] = []  # user, org, role, is_admin
        self.org_members: list[list[int]] = [[] for _ in range(n_orgs + 1)]
        org_weights = [0.0] + [
            self.place_weights[self.org_places[o][0] - 1] * (0.3 + rng.random())
            for o in range(1, n_orgs + 1)
        ]
        org_ids = list(range(1, n_orgs + 1))
        org_cum = cumulative(org_weights[1:])
        first_commissioner = n_people - n_commissioners + 1
        self.commissioner_users = list(range(first_commissioner, n_people + 1))
        funders = [o for o in org_ids if self.org_sector[o] in ("statutory", "funder", "health")]
        for user in range(1, n_people + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            self.user_name.append(f"{first} {last}")
            self.user_email.append(f"{first}.{last}.{user}@{EMAIL_DOMAIN}".lower().replace("'", ""))
            if user <= n_orgs:
                org, role, admin = user, "lead", True
            elif user >= first_commissioner:
                org, role, admin = rng.choice(funders), "staff", False
            else:
                org = rng.choices(org_ids, cum_weights=org_cum)[0]
                role = rng.choices(("staff", "volunteer", "lead"), weights=(70, 25, 5))[0]
                admin = role == "lead" and rng.random() < 0.5
            self.user_org.append(org)
            self.user_role.append(role)
            self.memberships.append((user, org, role, admin))
            self.org_members[org].append(user)
            if user < first_commissioner and rng.random() < 0.08:
                # Some people work for a second organisation in the same place.
                neighbours = self.orgs_by_place[self.org_places[org][0]]
                second = rng.choice(neighbours)
                if second != org:
                    self.memberships.append((user, second, "volunteer", False))
                    self.org_members[second].append(user)
        self.staff_user = n_orgs + 1  # an ordinary member who is also site staff

        # Commissioners cover 1-3 places; every place is covered when there are enough.
        self.commissioner_places: dict[int, list[int]] = {}
        self.commissioners_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        for i, user in enumerate(self.commissioner_users):
            places = [self.place_ids[i % n_places]]
            for _ in range(rng.choice((0, 1, 1, 2))):
                other = rng.choices(self.place_ids, cum_weights=self.place_cum)[0]
                if other not in places:
                    places.append(other)
            self.commissioner_places[user] = places
            for place in places:
                self.commissioners_by_place[place].append(user)

        # Forums: one per place, a second for the biggest fifth.
        self.forums: list[tuple[int, int, str]] = []  # id, place, name
        for pid in self.place_ids:
            self.forums.append(
                (len(self.forums) + 1, pid, f"{self.place_names[pid - 1]} Alliance Forum")
            )
        for pid in self.place_ids[: max(1, n_places // 5)]:
            self.forums.append(
                (len(self.forums) + 1, pid, f"{self.place_names[pid - 1]} Neighbourhood Forum")
            )
        forums_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        for fid, pid, _name in self.forums:
            forums_by_place[pid].append(fid)
        self.forum_weekday = {fid: rng.randrange(5) for fid, _p, _n in self.forums}
        self.forum_hour = {fid: rng.choice((9, 10, 10, 14, 18)) for fid, _p, _n in self.forums}

        # Forum members: most people join a forum of their organisation's place.
        rng_f = self.rng("forum-members")
        self.forum_members: dict[int, list[int]] = {fid: [] for fid, _p, _n in self.forums}
        self.forum_membership_rows: list[tuple[int, int, str, bool]] = []
        member_sets: dict[int, set[int]] = {fid: set() for fid in self.forum_members}
        for user in range(1, n_people + 1):
            if user >= first_commissioner:
                places = self.commissioner_places[user]
                chance = 0.3
            else:
                places = self.org_places[self.user_org[user]]
                chance = 0.75 if user <= n_orgs else 0.55
            if rng_f.random() >= chance:
                continue
            joined = [rng_f.choice(forums_by_place[places[0]])]
            if rng_f.random() < 0.15:
                joined.append(rng_f.choice(forums_by_place[rng_f.choice(places)]))
            for fid in joined:
                if user not in member_sets[fid]:
                    member_sets[fid].add(user)
                    self.forum_members[fid].append(user)
        # Two facilitators per forum (leads first), everyone else a participant.
        self.facilitators: dict[int, list[int]] = {}
        for fid, pid, _name in self.forums:
            members = self.forum_members[fid]
            if len(members) < 3:
                extra = [
                    u
                    for u in self.org_members[self.orgs_by_place[pid][0]]
                    if u not in member_sets[fid]
                ]
                for u in extra[: 3 - len(members)]:
                    member_sets[fid].add(u)
                    members.append(u)
            leads = [u for u in members if u <= n_orgs and u < first_commissioner]
            chosen = (leads or members)[:2]
            self.facilitators[fid] = chosen
            for user in members:
                role = "facilitator" if user in chosen else "participant"
                self.forum_membership_rows.append((fid, user, role, rng_f.random() < 0.9))

    def _places(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("place-rows")
        levels = ("high", "medium", "low")
        for pid, name, slug in zip(self.place_ids, self.place_names, self.place_slugs, strict=True):
            yield (
                pid,
                name,
                slug,
                COUNTIES[(pid * 7) % len(COUNTIES)],
                levels[rng.randrange(3)],
                f"In {name}, partners meet weekly to learn about {rng.choice(TOPICS)}.",
                "Europe/London",
            )

    def _organisations(self) -> Iterator[tuple[Any, ...]]:
        for org in range(1, len(self.org_name)):
            name = self.org_name[org]
            yield (
                org,
                name,
                f"{slugify(name)}-{org}",
                self.org_sector[org],
                f"We bring local knowledge of {TOPICS[org % len(TOPICS)]}.",
                "",
                "",
            )

    def _organisation_places(self) -> Iterator[tuple[Any, ...]]:
        row = 0
        for org in range(1, len(self.org_places)):
            for place in self.org_places[org]:
                row += 1
                yield (row, org, place)

    def _users(self) -> Iterator[tuple[Any, ...]]:
        start = self.anchor - datetime.timedelta(days=5 * 365)
        span = 5 * 365 * 86400
        n = len(self.user_name) - 1
        for user in range(1, n + 1):
            joined = start + datetime.timedelta(seconds=span * user // (n + 1))
            staff = user == self.staff_user
            yield (
                user,
                self.password,
                None,
                False,
                self.user_email[user],
                self.user_name[user],
                staff,
                True,
                joined,
            )

    def _email_addresses(self) -> Iterator[tuple[Any, ...]]:
        for user in range(1, len(self.user_email)):
            yield (user, user, self.user_email[user], True, True)

    def _authenticators(self) -> Iterator[tuple[Any, ...]]:
        """A TOTP authenticator for commissioners and staff: they must use two-step sign-in."""
        rng = self.rng("totp")
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        for row, user in enumerate([self.staff_user, *self.commissioner_users], start=1):
            secret = "".join(rng.choice(alphabet) for _ in range(32))
            yield (row, user, "totp", json.dumps({"secret": secret}), self.anchor, None)

    def _memberships(self) -> Iterator[tuple[Any, ...]]:
        start = self.anchor - datetime.timedelta(days=4 * 365)
        for row, (user, org, role, admin) in enumerate(self.memberships, start=1):
            yield (row, user, org, role, admin, start + datetime.timedelta(minutes=row))

    def _specialisms(self) -> Iterator[tuple[Any, ...]]:
        for i, name in enumerate(SPECIALISMS, start=1):
            yield (i, name, slugify(name))

    def _commissioners(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("commissioner-rows")
        for row, user in enumerate(self.commissioner_users, start=1):
            yield (
                row,
                user,
                self.user_org[user],
                rng.choice(("Commissioning Manager", "Head of Commissioning", "Grants Officer")),
                self.user_email[user],
                "",
                "Weekdays, 9 to 5",
                f"I fund work on {rng.choice(TOPICS)} and {rng.choice(TOPICS)}.",
            )

    def _commissioner_places(self) -> Iterator[tuple[Any, ...]]:
        row = 0
        for i, user in enumerate(self.commissioner_users, start=1):
            for place in self.commissioner_places[user]:
                row += 1
                yield (row, i, place)

    def _commissioner_specialisms(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("commissioner-specialisms")
        row = 0
        for i in range(1, len(self.commissioner_users) + 1):
            for spec in sorted(rng.sample(range(1, len(SPECIALISMS) + 1), rng.randint(1, 3))):
                row += 1
                yield (row, i, spec)

    def _forums(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("forum-rows")
        for fid, pid, name in self.forums:
            online = rng.random() < 0.4
            yield (
                fid,
                pid,
                name,
                f"{slugify(name)}-{fid}",
                f"A weekly space for partners in {self.place_names[pid - 1]} to learn together.",
                self.forum_weekday[fid],
                datetime.time(self.forum_hour[fid], 0),
                90,
                f"{self.place_names[pid - 1]} Community Centre",
                f"https://meet.example.org/{fid}" if online else "",
                "open" if rng.random() < 0.8 else "invite",
                1,
                9,
                self.anchor - datetime.timedelta(days=3 * 365),
            )

    def _forum_memberships(self) -> Iterator[tuple[Any, ...]]:
        start = self.anchor - datetime.timedelta(days=3 * 365)
        for row, (fid, user, role, reminders) in enumerate(self.forum_membership_rows, start=1):
            yield (row, fid, user, role, reminders, start + datetime.timedelta(minutes=row))

    def _champions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("champions")
        row = 0
        for pid in self.place_ids:
            members = [u for o in self.orgs_by_place[pid][:4] for u in self.org_members[o][:2]]
            for user in sorted(set(members))[:2]:
                row += 1
                yield (
                    row,
                    pid,
                    user,
                    f"Happy to talk about {rng.choice(TOPICS)} and how we started.",
                    self.anchor - datetime.timedelta(days=200),
                )

    def _commissions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("commissions")
        self.commission_providers: list[tuple[int, int, int]] = []
        row = 0
        for i, user in enumerate(self.commissioner_users, start=1):
            for place in self.commissioner_places[user][: rng.choice((1, 1, 2))]:
                row += 1
                starts = (self.anchor - datetime.timedelta(days=rng.randint(30, 900))).date()
                subject = rng.choice(SUBJECTS)
                for org in sorted(
                    set(
                        rng.sample(
                            self.orgs_by_place[place], min(2, len(self.orgs_by_place[place]))
                        )
                    )
                ):
                    self.commission_providers.append((len(self.commission_providers) + 1, row, org))
                yield (
                    row,
                    place,
                    i,
                    f"{subject[:1].upper()}{subject[1:]} in {self.place_names[place - 1]}",
                    f"Because people told us {rng.choice(TOPICS)} matters most.",
                    f"{rng.randint(5, 400) * 1000}.00",
                    starts,
                    starts + datetime.timedelta(days=365 * rng.randint(1, 3)),
                    "Agreed with partners at the forum.",
                    rng.random() < 0.6,
                    rng.random() < 0.7,
                    "",
                    rng.random() < 0.9,
                    self.anchor - datetime.timedelta(days=10),
                    self.anchor - datetime.timedelta(days=10),
                )

    # -- learning -----------------------------------------------------------------------
