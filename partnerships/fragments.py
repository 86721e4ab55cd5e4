"""A generation per place, part of the key of every cached fragment of its picture.

The fragments are short-lived anyway (``PICTURE_CACHE_SECONDS``); a write that narrows who may
see something on the picture (a commission taken off the public register, a session summary
shared with fewer people) moves the place to a new generation, so no cached fragment shows it
to someone who may no longer see it, not even for those seconds.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Exists,
    OuterRef,
    Subquery,
    Value,
)
from django.http import Http404

from hls_forum import compiled
from hls_forum.compiled import CompiledQuery
from hls_forum.page_cache import current_generations, data_changed


def _name(place_id: int) -> str:
    return f"picture:{place_id}"


def place_generation(place_id: int) -> str:
    """``place_id``'s current fragment generation (hls_forum/page_cache.py's generations:
    random, renewed at once and after commit)."""
    try:
        return current_generations([_name(place_id)])[0]
    except Exception:  # no cache: no fragment is reused either
        return secrets.token_hex(8)


def place_changed(place_id: int) -> None:
    """Start a new generation for ``place_id``'s cached fragments."""
    data_changed(_name(place_id))


class JoinedIds(Aggregate):
    """``"3,17,42"``: the ids aggregated, joined with commas (PostgreSQL ``string_agg``,
    SQLite ``group_concat``), for a cache key that names a set of ids in the same query."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',' ORDER BY %(expressions)s)"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(CAST(%(expressions)s AS TEXT), ',')",
            **extra_context,
        )


def joined_ids(rows: Any, *, by: str, ids: str) -> Subquery:
    """A subquery of ``rows``' ``ids`` joined (``"3,17,42"``), grouped by ``by``, which has
    one value in ``rows`` (the person, the place): one column for a cache key or scope."""
    return Subquery(rows.order_by().values(by).annotate(ids=JoinedIds(ids)).values("ids"))


def own_organisation_ids(user: Any) -> Subquery:
    """The ids of ``user``'s organisations, joined: what decides which entries are their
    own (``LearningEntry.objects.visible_to``)."""
    from partnerships.models import Membership

    return joined_ids(Membership.objects.filter(user=user), by="user_id", ids="organisation_id")


def reader_scope_annotations(user: Any) -> dict[str, Any]:
    """Annotations on Place holding what decides which of the place's learning entries
    ``user`` may see (``LearningEntry.objects.visible_to``) and may write: their
    organisations (``own_org_ids``, ``"3,17"``), whether they cover the place as a
    commissioner (``covers_place``), whether they are in its partnership
    (``in_partnership``) and whether one of their organisations works there (``can_write``).
    Part of the key of every cached page or fragment of the place's learning."""
    from partnerships.models import CommissionerProfile, Membership
    from partnerships.permissions import in_partnership_expression

    if not user.is_authenticated:
        no = Value(False, output_field=BooleanField())
        return {
            "own_org_ids": Value("", output_field=CharField()),
            "covers_place": no,
            "in_partnership": no,
            "can_write": no,
        }
    return {
        "own_org_ids": own_organisation_ids(user),
        "covers_place": Exists(
            CommissionerProfile.places.through.objects.filter(
                place_id=OuterRef("pk"), commissionerprofile__user=user
            )
        ),
        "in_partnership": in_partnership_expression(user),
        "can_write": Exists(
            Membership.objects.filter(user=user, organisation__places=OuterRef("pk"))
        ),
    }


def reader_scope(place: Any) -> str:
    """The scope string of a place annotated with ``reader_scope_annotations``."""
    return (
        f"orgs={place.own_org_ids or ''};covers={place.covers_place};"
        f"partnership={place.in_partnership};write={place.can_write}"
    )


def _scoped_place(signed_in: bool) -> CompiledQuery:
    from django.contrib.auth.models import AnonymousUser

    from partnerships.models import Place, User

    def build(slug: str, user_id: int | None = None) -> Any:
        reader = User(pk=user_id) if signed_in else AnonymousUser()
        return Place.objects.annotate(**reader_scope_annotations(reader)).filter(slug=slug)

    if signed_in:
        return CompiledQuery(build, slug=compiled.SLUG, user_id=compiled.READER)
    return CompiledQuery(build, slug=compiled.SLUG)


# Compiled once per process (hls_forum/compiled.py): every cached learning page runs it.
_SCOPED_PLACE: dict[bool, CompiledQuery] = {}


def place_with_reader_scope(user: Any, slug: str) -> Any:
    """The place with ``slug``, annotated with ``reader_scope_annotations(user)``; 404 if
    there is none. One query."""
    signed_in = bool(user.is_authenticated)
    query = _SCOPED_PLACE.get(signed_in) or _SCOPED_PLACE.setdefault(
        signed_in, _scoped_place(signed_in)
    )
    found = query.objects(slug=slug, user_id=user.pk) if signed_in else query.objects(slug=slug)
    if not found:
        raise Http404("No such place.")
    return found[0]
