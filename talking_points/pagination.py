"""Keyset ("cursor") pagination for lists of learning entries, newest first.

A page is found by where it starts, not by its number: "the 20 entries older than this
one". So the database reads an index range (a deep page costs what the first one does) and
never counts the whole list. The position in the URL is the last (or first) entry's
``created_at`` and id, e.g. ``?older=1764547200000000-812345``; it names no entry that must
exist, so a crafted one can reveal nothing, and a malformed one is a ``BadCursor``.

A list may have several *segments* shown one after the other (the review queue: unread,
then read); each is newest first, and a cursor carries its segment's name as a prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
_CURSOR = re.compile(r"([a-z]{0,8})([0-9]{1,17})-([0-9]{1,18})")


class BadCursor(ValueError):
    """A ``newer``/``older`` value that is not a position this list made."""


@dataclass(frozen=True)
class Position:
    segment: str
    created_at: datetime
    pk: int

    def encode(self) -> str:
        return f"{self.segment}{(self.created_at - EPOCH) // ONE_MICROSECOND}-{self.pk}"

    @classmethod
    def decode(cls, text: str, segments: Sequence[str]) -> Position:
        match = _CURSOR.fullmatch(text)
        if match is None or match.group(1) not in segments:
            raise BadCursor(text)
        try:
            created_at = EPOCH + int(match.group(2)) * ONE_MICROSECOND
        except OverflowError as exc:
            raise BadCursor(text) from exc
        return cls(match.group(1), created_at, int(match.group(3)))

    @classmethod
    def of(cls, segment: str, entry: Any) -> Position:
        return cls(segment, entry.created_at, entry.pk)


def older_than(position: Position) -> Q:
    """Rows after ``position`` in newest-first order. The redundant ``created_at <=`` lets
    PostgreSQL start the index range there instead of filtering row by row."""
    at = position.created_at
    return Q(created_at__lte=at) & (Q(created_at__lt=at) | Q(pk__lt=position.pk))


def newer_than(position: Position) -> Q:
    at = position.created_at
    return Q(created_at__gte=at) & (Q(created_at__gt=at) | Q(pk__gt=position.pk))


# fetch(after, older, limit): up to ``limit`` rows beyond ``after`` (None: from the end),
# walking towards older rows (newest first) or towards newer ones (oldest first).
Fetch = Callable[[Position | None, bool, int], list[Any]]


def queryset_fetch(queryset: QuerySet[Any], segment: str = "") -> Fetch:
    """The plain way to walk a queryset in (-created_at, -pk) order."""

    def fetch(after: Position | None, older: bool, limit: int) -> list[Any]:
        rows = queryset
        if after is not None:
            rows = rows.filter(older_than(after) if older else newer_than(after))
        order = ("-created_at", "-pk") if older else ("created_at", "pk")
        return list(rows.order_by(*order)[:limit])

    return fetch


@dataclass
class KeysetPage:
    entries: list[Any]
    newer: str | None = None  # cursor for the "Newer" link; None on the newest page
    older: str | None = None  # cursor for the "Older" link; None on the oldest page
    segments: dict[int, str] = field(default_factory=dict)  # id(entry) -> segment name

    def __iter__(self) -> Iterator[Any]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def is_newest(self) -> bool:
        return self.newer is None

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None

    def segment_of(self, entry: Any) -> str:
        return self.segments[id(entry)]


def keyset_page(
    segments: Sequence[tuple[str, Fetch]],
    *,
    newer: str | None,
    older: str | None,
    size: int,
) -> KeysetPage:
    """One page of the concatenated ``segments`` (name, fetch), each newest first.

    One fetch per segment at most, so the number of queries is fixed. Raises ``BadCursor``
    for a malformed cursor or both cursors at once.
    """
    names = [name for name, _ in segments]
    if newer and older:
        raise BadCursor("both newer and older")
    cursor = older or newer
    position = Position.decode(cursor, names) if cursor else None
    going_older = not newer
    start = names.index(position.segment) if position else 0
    # Walk segments in reading order (older) or against it (newer) from the cursor's segment.
    order = range(start, len(segments)) if going_older else range(start, -1, -1)
    found: list[tuple[str, Any]] = []
    after = position
    for index in order:
        name, fetch = segments[index]
        found += [(name, row) for row in fetch(after, going_older, size + 1 - len(found))]
        if len(found) > size:
            break
        after = None  # the next segment is read from its own start
    more = len(found) > size
    found = found[:size]
    if not going_older:
        found.reverse()
    page = KeysetPage(
        entries=[row for _, row in found], segments={id(row): name for name, row in found}
    )
    if found:
        first, last = Position.of(*found[0]), Position.of(*found[-1])
        if going_older:
            page.newer = first.encode() if position is not None else None
            page.older = last.encode() if more else None
        else:
            page.newer = first.encode() if more else None
            page.older = last.encode()
    elif position is not None:
        # Nothing beyond this position: offer the way back.
        if going_older:
            page.newer = position.encode()
        else:
            page.older = position.encode()
    return page


def per_place_fetch(
    queryset: QuerySet[Any], place_ids: QuerySet[Any], *, show: QuerySet[Any]
) -> Fetch:
    """Like ``queryset_fetch`` for a list spread over a few places (a commissioner's).

    PostgreSQL cannot walk one (place, created_at) index in time order across several
    places, so it would sort every row of them all. Instead each place gives its own newest
    ``limit`` rows (an index range each, ``learning_place_newest``), and only those few are
    merged: the cost follows the page size times the number of places, not their size.
    ``place_ids`` is a ``values("place_id")`` queryset. The rows found are read again by
    primary key through ``show`` (the same model, with what a list row needs), so the
    planner starts from those few ids instead of re-filtering the places. One query.
    """
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db import connection
    from django.db.models import Func, OuterRef

    plain = queryset_fetch(queryset)

    def fetch(after: Position | None, older: bool, limit: int) -> list[Any]:
        if connection.vendor != "postgresql":
            return plain(after, older, limit)
        rows = queryset
        if after is not None:
            rows = rows.filter(older_than(after) if older else newer_than(after))
        order = ("-created_at", "-pk") if older else ("created_at", "pk")
        newest_each = rows.filter(place_id=OuterRef("place_id")).order_by(*order).values("pk")
        candidates = place_ids.annotate(
            entry_id=Func(ArraySubquery(newest_each[:limit]), function="unnest")
        ).values("entry_id")
        return list(show.filter(pk__in=candidates).order_by(*order)[:limit])

    return fetch
