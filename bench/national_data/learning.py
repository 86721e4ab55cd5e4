"""The second stage of the generator: tags, learning entries and what follows from them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils.text import slugify

from bench.national_data.counts import cumulative
from bench.national_data.names import FIRST_NAMES, LAST_NAMES
from bench.national_data.who_and_where import WhoAndWhere
from bench.national_data.wording import SENTENCES, SUBJECTS, TITLES, TOPICS, fill_in


class Learning(WhoAndWhere):
    """Streams the learning log: entries, their tags, consents, changes and reviews."""

    def _tags(self) -> Iterator[tuple[Any, ...]]:
        n = max(20, round(300 * min(1.0, self.scale * 10)))
        self.n_tags = n
        for i in range(1, n + 1):
            base = TOPICS[(i - 1) % len(TOPICS)]
            name = (
                base
                if i <= len(TOPICS)
                else f"{base} {SUBJECTS[(i - 1) // len(TOPICS) % len(SUBJECTS)]}"[:40]
            )
            yield (i, name, f"{slugify(name)}-{i}")

    def _learning_entries(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("learning")
        n = self.counts["learning_entries"]
        kinds = ("reflection", "experiment", "breakthrough", "disappointment", "story")
        kind_cum = cumulative((30, 25, 15, 15, 15))
        visibilities = ("organisation", "commissioners", "place", "public")
        vis_cum = cumulative((40, 18, 30, 12))
        start = self.anchor - datetime.timedelta(days=5 * 365)
        span = 5 * 365 * 86400
        self.consents: list[tuple[int, str, int, datetime.datetime, bool]] = []
        self.reviewed: list[tuple[int, int, int, datetime.datetime]] = []  # entry, place, author
        self.visibility_changes: list[tuple[int, str, int | None, datetime.datetime]] = []
        self.shared_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        self.entry_counts: dict[str, int] = {}
        statuses = ("planned", "running", "finished")
        for entry in range(1, n + 1):
            place = rng.choices(self.place_ids, cum_weights=self.place_cum)[0]
            org = rng.choice(self.orgs_by_place[place])
            members = self.org_members[org]
            author = rng.choice(members) if members and rng.random() < 0.97 else None
            kind = rng.choices(kinds, cum_weights=kind_cum)[0]
            visibility = rng.choices(visibilities, cum_weights=vis_cum)[0]
            created = start + datetime.timedelta(
                seconds=span * entry // (n + 1) + rng.randrange(3600)
            )
            if kind == "story":
                if visibility != "organisation":
                    widest = visibilities[rng.randint(visibilities.index(visibility), 3)]
                    self.consents.append((entry, widest, author or 0, created, False))
                elif rng.random() < 0.4:
                    withdrawn = rng.random() < 0.25
                    widest = rng.choice(visibilities[1:])
                    self.consents.append((entry, widest, author or 0, created, withdrawn))
            if visibility != "organisation":
                if visibility in ("place", "public"):
                    self.shared_by_place[place].append(entry)
                if rng.random() < 0.05 and self.commissioners_by_place[place]:
                    self.reviewed.append((entry, place, author or 0, created))
                if rng.random() < 0.05:
                    self.visibility_changes.append((entry, visibility, author, created))
            self.entry_counts[f"{kind}/{visibility}"] = (
                self.entry_counts.get(f"{kind}/{visibility}", 0) + 1
            )
            title = fill_in(rng, rng.choice(TITLES))
            body = " ".join(fill_in(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(2, 4)))
            if kind == "experiment":
                tried = fill_in(rng, rng.choice(SENTENCES))
                happened = fill_in(rng, rng.choice(SENTENCES))
                learned = fill_in(rng, rng.choice(SENTENCES))
                next_steps = fill_in(rng, rng.choice(SENTENCES)) if rng.random() < 0.7 else ""
                status = rng.choice(statuses)
                review = (
                    (created + datetime.timedelta(days=90)).date() if status != "finished" else None
                )
            else:
                tried = happened = learned = next_steps = status = ""
                review = None
            yield (
                entry,
                place,
                org,
                author,
                kind,
                title,
                body,
                tried,
                happened,
                learned,
                next_steps,
                status,
                review,
                visibility,
                created,
                created,
            )

    def _entry_tags(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("entry-tags")
        tag_ids = list(range(1, self.n_tags + 1))
        tag_cum = cumulative([1 / (i + 3) for i in range(self.n_tags)])
        row = 0
        for entry in range(1, self.counts["learning_entries"] + 1):
            count = rng.choices((0, 1, 2, 3), weights=(15, 40, 30, 15))[0]
            chosen = sorted(set(rng.choices(tag_ids, cum_weights=tag_cum, k=count)))
            for tag in chosen:
                row += 1
                yield (row, entry, tag)

    def _story_consents(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("consents")
        for row, (entry, widest, recorder, created, withdrawn) in enumerate(self.consents, start=1):
            yield (
                row,
                entry,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}.",
                rng.choice(("verbal", "written")),
                created.date(),
                self.user_name[recorder] if recorder else "A worker",
                widest,
                recorder or None,
                created,
                created + datetime.timedelta(days=30) if withdrawn else None,
                (recorder or None) if withdrawn else None,
            )

    def _visibility_changes(self) -> Iterator[tuple[Any, ...]]:
        for row, (entry, to, by, created) in enumerate(self.visibility_changes, start=1):
            yield (row, entry, by, created + datetime.timedelta(hours=2), "organisation", to, "")

    def _reviews(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("reviews")
        self.review_reads: list[tuple[int, int, datetime.datetime]] = []
        row = 0
        for entry, place, author, created in self.reviewed:
            commissioner = rng.choice(self.commissioners_by_place[place])
            kind = rng.choice(("acknowledge", "acknowledge", "question", "support"))
            at = created + datetime.timedelta(days=rng.randint(1, 20))
            row += 1
            response = row
            text = (
                "" if kind == "acknowledge" else fill_in(rng, "Could you tell us more about {t}?")
            )
            yield (row, entry, None, commissioner, kind, text, at, at)
            self.review_reads.append((entry, commissioner, at))
            if kind != "acknowledge" and author and rng.random() < 0.5:
                row += 1
                later = at + datetime.timedelta(days=2)
                yield (
                    row,
                    entry,
                    response,
                    author,
                    "reply",
                    fill_in(rng, "Yes: {s} is going well."),
                    later,
                    later,
                )

    def _review_reads(self) -> Iterator[tuple[Any, ...]]:
        for row, (entry, user, at) in enumerate(self.review_reads, start=1):
            yield (row, entry, user, at)

    # -- sessions -----------------------------------------------------------------------
