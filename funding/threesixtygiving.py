"""The transparency register in the 360Giving Data Standard: a JSON grant package and its
flat spreadsheet form, so a funder's data can join the national 360Giving picture.

Each commission is one grant:

- identifier: ``THREESIXTYGIVING_PREFIX`` + ``commission-<id>``: stable (the row's id never
  changes) and prefixed, as 360Giving's identifier guidance asks;
- recipients are the commission's providers; the funder is the commissioner's organisation.
  An organisation with an org-id (``GB-CHC-1234567``) is identified by it; one without gets a
  local identifier made of the prefix and ``org-<id>`` (the standard's guidance for
  organisations without a registered number). A commission with no providers has no
  recipient, so it is left out;
- the register records when a commission starts, not when it was decided, so the start date
  stands for the award date.

The JSON names every provider; the spreadsheet has room for one recipient per row and names
the first (A to Z). Only commissions the reader may see (``Commission.visible_to``) go in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from partnerships.models import Commission, Organisation

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
# The address the package schema uses for the grant schema; resolved to the vendored copy.
GRANT_SCHEMA_URL = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/master/schema/"
    "360-giving-schema.json"
)

# The flat form's column titles, as the standard's schema titles them (rolled-up
# organisations and planned dates as "<array title>:<field title>").
FLAT_HEADERS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "URL",
    "Last modified",
]


def prefix() -> str:
    return str(settings.THREESIXTYGIVING_PREFIX)


def organisation_identifier(organisation: Organisation) -> str:
    return organisation.org_id or f"{prefix()}org-{organisation.pk}"


def grant_identifier(commission: Commission) -> str:
    return f"{prefix()}commission-{commission.pk}"


def exportable(commissions: QuerySet[Commission]) -> QuerySet[Commission]:
    """Commissions with at least one provider, with what a grant needs fetched alongside."""
    return (
        commissions.filter(providers__isnull=False)
        .distinct()
        .select_related("commissioner__organisation")
        .prefetch_related(Prefetch("providers", queryset=Organisation.objects.order_by("name")))
        .order_by("pk")
    )


def _organisation(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation_identifier(organisation), "name": organisation.name}


def _amount(commission: Commission) -> int | float:
    budget = commission.budget
    return int(budget) if budget == int(budget) else float(budget)


def grant(commission: Commission) -> dict[str, Any]:
    planned: dict[str, Any] = {"startDate": commission.starts_on.isoformat()}
    if commission.ends_on:
        planned["endDate"] = commission.ends_on.isoformat()
    return {
        "id": grant_identifier(commission),
        "title": commission.title,
        "description": commission.why,
        "currency": "GBP",
        "amountAwarded": _amount(commission),
        "awardDate": commission.starts_on.isoformat(),
        "recipientOrganization": [_organisation(p) for p in commission.providers.all()],
        "fundingOrganization": [_organisation(commission.commissioner.organisation)],
        "plannedDates": [planned],
        "url": settings.SITE_URL + commission.get_absolute_url(),
        "dateModified": commission.updated_at.isoformat(),
    }


def package(commissions: Iterable[Commission]) -> dict[str, Any]:
    now = timezone.now().isoformat()
    return {
        "grants": [grant(c) for c in commissions],
        "title": "HLS Forum transparency register",
        "description": "What commissioners fund, where and why, from the HLS Forum "
        "transparency register.",
        "issued": now,
        "modified": now,
        "publisher": {"name": "HLS Forum", "website": settings.SITE_URL},
    }


def flat_row(commission: Commission) -> list[str]:
    data = grant(commission)
    recipient = data["recipientOrganization"][0]
    funder = data["fundingOrganization"][0]
    planned = data["plannedDates"][0]
    return [
        data["id"],
        data["title"],
        data["description"],
        data["currency"],
        f"{commission.budget:.2f}",
        data["awardDate"],
        recipient["id"],
        recipient["name"],
        funder["id"],
        funder["name"],
        planned["startDate"],
        planned.get("endDate", ""),
        data["url"],
        data["dateModified"],
    ]


def flat_rows(commissions: QuerySet[Commission]) -> Iterator[list[str]]:
    for commission in commissions.iterator(chunk_size=500):
        yield flat_row(commission)
