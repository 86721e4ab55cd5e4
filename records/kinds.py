"""The records kept as lists of rows (assets, control map, signals, fears): what each is
called, which talking point it answers, its form, and its CSV columns. The views for
listing, adding, changing, removing and exporting them are shared (``records/views/items.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

from partnerships.models import Place
from talking_points.models import LearningEntry

from . import forms, permissions
from .models import ControlItem, Fear, FearReview, PlaceAsset, Signal, SignalEvidence


@dataclass(frozen=True)
class Kind:
    key: str  # in URLs and URL names
    point: str  # the talking point's number
    question: str  # the talking point, as the report asks it
    title: str  # what the record is called
    noun: str  # one row, for buttons: "Add an asset"
    model: type[Model]
    make_form: Callable[..., Any]
    csv_header: list[str]
    csv_row: Callable[[Any], list[Any]]
    rows: Callable[[QuerySet[Any], Any], QuerySet[Any]]
    add_label: str = ""

    @property
    def name(self) -> str:
        """Its URL name in the ``records`` namespace, and its template's name."""
        return self.key.replace("-", "_")

    def can_add(self, user: Any, place: Place) -> bool:
        if self.key == "assets":
            return permissions.can_add_asset(user, place)
        return permissions.can_edit(user, place)

    def require_add(self, user: Any, place: Place) -> None:
        if self.key == "assets":
            permissions.require_asset_add(user, place)
        else:
            permissions.require_editor(user, place)

    def can_change(self, user: Any, row: Any) -> bool:
        if self.key == "assets":
            return permissions.can_change_asset(user, row)
        return permissions.can_edit(user, row.place)

    def require_change(self, user: Any, row: Any) -> None:
        if self.key == "assets":
            permissions.require_asset_change(user, row)
        else:
            permissions.require_editor(user, row.place)


def _name(user: Any) -> str:
    return str(user) if user else ""


def _signal_rows(rows: QuerySet[Any], user: Any) -> QuerySet[Any]:
    # Evidence only for entries the reader may read, checked per link by key.
    evidence = SignalEvidence.objects.filter(
        LearningEntry.objects.visible_at(user, "entry_id")
    ).select_related("entry__organisation")
    return rows.select_related("watcher", "watcher_organisation").prefetch_related(
        Prefetch("evidence", queryset=evidence, to_attr="visible_evidence")
    )


def _fear_rows(rows: QuerySet[Any], user: Any) -> QuerySet[Any]:
    reviews = FearReview.objects.select_related("reviewed_by")
    return rows.select_related("owner").prefetch_related(
        Prefetch("reviews", queryset=reviews, to_attr="review_log")
    )


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind(
            key="assets",
            point="1",
            question="What do we value most about this place?",
            title="What we value about this place",
            noun="asset",
            add_label="Add an asset",
            model=PlaceAsset,
            make_form=lambda data, place, user, instance=None: forms.PlaceAssetForm(
                data, place=place, user=user, instance=instance
            ),
            csv_header=["asset", "why it matters", "organisation", "added by", "added on"],
            csv_row=lambda a: [
                a.name,
                a.description,
                a.organisation.name if a.organisation else "",
                _name(a.added_by),
                a.created_at.date(),
            ],
            rows=lambda rows, user: rows.select_related("organisation", "added_by"),
        ),
        Kind(
            key="control-map",
            point="5",
            question="What is in and out of our control here?",
            title="What is and isn't in our control",
            noun="item",
            add_label="Add to the map",
            model=ControlItem,
            make_form=lambda data, place, user, instance=None: forms.ControlItemForm(
                data, instance=instance
            ),
            csv_header=["item", "ring", "added by", "added on"],
            csv_row=lambda c: [
                c.text,
                c.get_ring_display(),
                _name(c.added_by),
                c.created_at.date(),
            ],
            rows=lambda rows, user: rows.select_related("added_by"),
        ),
        Kind(
            key="signals",
            point="9",
            question="When it is different, how will we know?",
            title="How we will know things are changing",
            noun="signal",
            add_label="Add a signal",
            model=Signal,
            make_form=lambda data, place, user, instance=None: forms.SignalForm(
                data, place=place, instance=instance
            ),
            csv_header=["signal", "how we look for it", "who looks for it", "evidence"],
            csv_row=lambda s: [
                s.text,
                s.how,
                s.watched_by,
                "; ".join(e.entry.title for e in s.visible_evidence),
            ],
            rows=_signal_rows,
        ),
        Kind(
            key="fears",
            point="16",
            question="What do we most fear? How can we mitigate against that?",
            title="Our fears about working together",
            noun="fear",
            add_label="Add a fear",
            model=Fear,
            make_form=lambda data, place, user, instance=None: forms.FearForm(
                data, place=place, instance=instance
            ),
            csv_header=["fear", "how we will meet it", "who sees to it", "last reviewed", "note"],
            csv_row=lambda f: [
                f.text,
                f.mitigation,
                _name(f.owner),
                f.review_log[0].reviewed_on if f.review_log else "",
                f.review_log[0].note if f.review_log else "",
            ],
            rows=_fear_rows,
        ),
    ]
}
