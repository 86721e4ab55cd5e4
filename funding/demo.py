"""Demo funding: commissions marked grant, contract or alliance; some org-ids; funding
mixes enough for Plymouth's and Preston's aggregates, and too few for Scarborough's (whose
page explains why nothing is shown). Running it twice changes nothing."""

from __future__ import annotations

import datetime

from partnerships.models import Commission, Membership, Organisation

from .models import FundingMix

# Commission title -> (how it is given, how flexible, reporting asked for)
COMMISSIONS = {
    "Drug and alcohol treatment alliance": (
        "alliance",
        "by_agreement",
        "One shared learning review each quarter with the whole alliance; no separate returns.",
    ),
    "Peer mentors in the emergency department": (
        "contract",
        "fixed",
        "Monthly numbers seen, and a story of change each quarter.",
    ),
    "Community mental health drop-ins": ("contract", "fixed", "Quarterly activity returns."),
    "Early help for families, through community groups": (
        "grant",
        "by_agreement",
        "A learning conversation twice a year.",
    ),
    "Unrestricted grants for advice and food": (
        "grant",
        "unrestricted",
        "Once a year: what you learned, in your own words.",
    ),
    "Coastal community connectors": ("contract", "by_agreement", "Six-monthly reflection."),
    "Learning fund for coastal groups": ("grant", "unrestricted", "None beyond a thank-you."),
}

# Fictional identifiers for the demo: real org-ids name real registered bodies.
ORG_IDS = {
    "Harbour Recovery Project": "GB-CHC-9990001",
    "Preston Community Kitchen": "GB-CHC-9990002",
    "Northern Lights Trust": "GB-CHC-9990003",
    "Plymouth City Council": "GB-LAE-PLY",
}

# Organisation -> (grants, contracts, donations, earned income). Scarborough has only two.
MIXES = {
    "Harbour Recovery Project": (30, 55, 10, 5),
    "Plymouth Street Outreach": (50, 20, 25, 5),
    "Devon Families Together": (45, 30, 15, 10),
    "Preston Community Kitchen": (40, 0, 35, 25),
    "Lancashire Young People's Network": (60, 25, 10, 5),
    "Preston Advice Hub": (35, 45, 15, 5),
    "Scarborough Coastal Connect": (70, 10, 15, 5),
    "Scarborough Men's Shed": (20, 0, 40, 40),
}
AS_OF = datetime.date(2026, 3, 31)


def load() -> None:
    for title, (kind, flexibility, reporting) in COMMISSIONS.items():
        Commission.objects.filter(title=title).update(
            funding_kind=kind, flexibility=flexibility, reporting_asks=reporting
        )
    for name, org_id in ORG_IDS.items():
        Organisation.objects.filter(name=name).update(org_id=org_id)
    for name, (grants, contracts, donations, earned) in MIXES.items():
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            continue
        lead = Membership.objects.filter(organisation=organisation).leads().first()
        FundingMix.objects.update_or_create(
            organisation=organisation,
            as_of=AS_OF,
            defaults={
                "grants_percent": grants,
                "contracts_percent": contracts,
                "donations_percent": donations,
                "earned_percent": earned,
                "entered_by": lead.user if lead else None,
            },
        )
