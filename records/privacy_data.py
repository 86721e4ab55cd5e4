"""What a place's records hold about a person, for their copy of their data.

Rows point at people only to say who added, signed, looks for or sees to something; each
link is emptied (``SET_NULL``) when the account is deleted, and the row stays with the
place's partnership, so erasure needs no step of its own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from privacy import registry

from .models import AgreementSignature, AgreementVersion, ControlItem, Fear, PlaceAsset, Signal

Row = dict[str, Any]


def export_records(user: Any) -> list[Row]:
    """Rows of places' records the person added, looks for, sees to or signed."""
    rows: list[Row] = []
    for model, what in [
        (PlaceAsset, "asset"),
        (ControlItem, "control map item"),
        (AgreementVersion, "agreement version"),
    ]:
        for row in model.objects.filter(added_by=user).select_related("place").order_by("pk"):
            rows.append(
                {
                    "record": what,
                    "place": row.place.name,
                    "text": str(row),
                    "added_at": row.created_at,
                }
            )
    for signal in Signal.objects.filter(Q(added_by=user) | Q(watcher=user)).select_related("place"):
        rows.append(
            {
                "record": "signal of change",
                "place": signal.place.name,
                "text": signal.text,
                "added_at": signal.created_at,
            }
        )
    for fear in Fear.objects.filter(Q(added_by=user) | Q(owner=user)).select_related("place"):
        rows.append(
            {
                "record": "fear",
                "place": fear.place.name,
                "text": fear.text,
                "added_at": fear.created_at,
            }
        )
    for signature in AgreementSignature.objects.filter(signed_by=user).select_related(
        "version__place", "organisation"
    ):
        rows.append(
            {
                "record": "agreement sign-up",
                "place": signature.version.place.name,
                "text": f"{signature.organisation.name}, {signature.version}",
                "added_at": signature.signed_at,
            }
        )
    return rows


def register() -> None:
    registry.register_export_section(
        "place_records",
        export_records,
        description="What you added to places' records (assets, control maps, signals, "
        "the agreement, fears), signals you look for, fears you see to, and sign-ups.",
    )
