"""Writes for funding: an organisation's lead records its funding mix and its org-id."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from partnerships.models import Organisation

from .models import FundingMix


@transaction.atomic
def funding_mix_record(
    *,
    organisation: Organisation,
    by: Any,
    grants: int,
    contracts: int,
    donations: int,
    earned: int,
    as_of: datetime.date,
) -> FundingMix:
    """Record a new, dated mix for ``organisation``. Earlier ones are kept (the latest
    counts). Precondition: ``by`` may administer the organisation and the shares add up
    to 100 (the form checks; the database refuses otherwise)."""
    return FundingMix.objects.create(
        organisation=organisation,
        entered_by=by,
        grants_percent=grants,
        contracts_percent=contracts,
        donations_percent=donations,
        earned_percent=earned,
        as_of=as_of,
    )


@transaction.atomic
def organisation_org_id_set(*, organisation: Organisation, org_id: str) -> Organisation:
    """Set (or clear, with "") the organisation's org-id identifier. Precondition: the
    form has validated its format and that no other organisation holds it."""
    organisation.org_id = org_id
    organisation.save(update_fields=["org_id"])
    return organisation
