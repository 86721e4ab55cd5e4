"""Writes to a place's records. Views check who may write (``records/permissions.py``)
before calling these; each runs in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from partnerships.models import Organisation, Place, User
from talking_points.models import LearningEntry

from .models import AgreementSignature, AgreementVersion, Fear, FearReview, Signal, SignalEvidence


class RecordError(Exception):
    """A write that cannot be made, with a reason to show the person."""


@transaction.atomic
def record_save(*, form: Any, place: Place, by: User) -> Any:
    """Save a valid ModelForm for one of ``place``'s records. A new row is the place's and
    remembers who added it; a changed row keeps its place whatever was posted."""
    row = form.save(commit=False)
    row.place = place
    if row.pk is None:
        row.added_by = by
    row.save()
    return row


@transaction.atomic
def evidence_link(*, signal: Signal, entry_id: int, by: User) -> SignalEvidence:
    """Link a learning entry of the signal's place as evidence. Only an entry ``by`` may read
    (``LearningEntry.objects.visible_to``) can be linked; linking twice keeps one link."""
    entry = (
        LearningEntry.objects.visible_to(by).filter(pk=entry_id, place_id=signal.place_id).first()
    )
    if entry is None:
        raise RecordError("Choose a learning entry from this place that you can read.")
    link, _ = SignalEvidence.objects.get_or_create(
        signal=signal, entry=entry, defaults={"linked_by": by}
    )
    return link


@transaction.atomic
def agreement_save(
    *, place: Place, by: User, will_do: str, wont_do: str, change_note: str
) -> AgreementVersion:
    """A new version of the place's agreement. Sign-ups belong to a version, so the new one
    starts with none: every organisation signs again. The place row is locked so two
    people saving at once get consecutive numbers."""
    Place.objects.select_for_update().filter(pk=place.pk).first()
    latest = AgreementVersion.objects.filter(place=place).aggregate(n=Max("number"))["n"] or 0
    return AgreementVersion.objects.create(
        place=place,
        number=latest + 1,
        will_do=will_do,
        wont_do=wont_do,
        change_note=change_note,
        added_by=by,
    )


def current_agreement(place: Place) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(place=place).order_by("-number").first()


@transaction.atomic
def agreement_sign(
    *, version: AgreementVersion, organisation: Organisation, by: User
) -> AgreementSignature:
    """``by`` (a lead of ``organisation``, checked by the view) signs it up to ``version``,
    which must still be the current one. Signing twice keeps the first sign-up."""
    current = current_agreement(version.place)
    if current is None or current.pk != version.pk:
        raise RecordError("The agreement has changed since you opened it. Read the new version.")
    try:
        with transaction.atomic():
            signature, _ = AgreementSignature.objects.get_or_create(
                version=version, organisation=organisation, defaults={"signed_by": by}
            )
    except IntegrityError as exc:  # a second click at the same moment
        raise RecordError(f"{organisation.name} has already signed up.") from exc
    return signature


@transaction.atomic
def agreement_withdraw(*, version: AgreementVersion, organisation: Organisation) -> None:
    AgreementSignature.objects.filter(version=version, organisation=organisation).delete()


@transaction.atomic
def fear_review_add(*, fear: Fear, form: Any, by: User) -> FearReview:
    """Log that ``fear`` was looked at again (a valid review form), and touch the fear so
    the register shows when it was last looked at."""
    review: FearReview = form.save(commit=False)
    review.fear = fear
    review.reviewed_by = by
    review.save()
    fear.save(update_fields=["updated_at"])
    return review
