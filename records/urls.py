"""URLs of a place's records: /places/<slug>/keep/..."""

from django.urls import path

from .kinds import KINDS
from .views import agreement, extras, items, overview

app_name = "records"

urlpatterns = [
    path("places/<slug:slug>/keep/", overview.keep, name="keep"),
    path("places/<slug:slug>/keep/vcs-at-the-table/", overview.vcs_trend, name="vcs_trend"),
    path(
        "places/<slug:slug>/keep/vcs-at-the-table.csv",
        overview.vcs_trend_csv,
        name="vcs_trend_csv",
    ),
    path("places/<slug:slug>/keep/agreement/", agreement.agreement, name="agreement"),
    path(
        "places/<slug:slug>/keep/agreement/edit/", agreement.agreement_edit, name="agreement_edit"
    ),
    path(
        "places/<slug:slug>/keep/agreement/history/",
        agreement.agreement_history,
        name="agreement_history",
    ),
    path(
        "places/<slug:slug>/keep/agreement/sign/", agreement.agreement_sign, name="agreement_sign"
    ),
    path("places/<slug:slug>/keep/agreement.csv", agreement.agreement_csv, name="agreement_csv"),
    path(
        "places/<slug:slug>/keep/signals/<int:pk>/evidence/",
        extras.signal_evidence,
        name="signal_evidence",
    ),
    path(
        "places/<slug:slug>/keep/evidence/<int:pk>/remove/",
        extras.evidence_remove,
        name="evidence_remove",
    ),
    path("places/<slug:slug>/keep/fears/<int:pk>/review/", extras.fear_review, name="fear_review"),
    path("sessions/<int:pk>/keeps/<slug:number>/", overview.from_session, name="from_session"),
]

# The records kept as lists share their views: records:assets, records:assets_edit, ...
for key, kind in KINDS.items():
    name = kind.name
    urlpatterns += [
        path(f"places/<slug:slug>/keep/{key}/", items.record_list, {"kind": key}, name=name),
        path(
            f"places/<slug:slug>/keep/{key}/<int:pk>/edit/",
            items.record_edit,
            {"kind": key},
            name=f"{name}_edit",
        ),
        path(
            f"places/<slug:slug>/keep/{key}/<int:pk>/remove/",
            items.record_remove,
            {"kind": key},
            name=f"{name}_remove",
        ),
        path(
            f"places/<slug:slug>/keep/{key}.csv",
            items.record_csv,
            {"kind": key},
            name=f"{name}_csv",
        ),
    ]
