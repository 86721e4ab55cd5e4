"""Django admin covers every model of our apps, with search and filters, and each list
page works (searched and filtered) for staff who have set up two-step sign-in."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from tests import factories

OUR_APPS = ["partnerships", "talking_points"]

# Individual answers that nobody may see, site staff included: only aggregates of at least
# three people are ever shown, so these stay out of admin on purpose.
NEVER_IN_ADMIN = {
    "partnerships.PropositionRating",
    "talking_points.WellbeingCheckIn",
    "talking_points.WellbeingCheckInMark",
}


def our_models() -> list[type[Model]]:
    return [
        model
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.auto_created and model._meta.label not in NEVER_IN_ADMIN
    ]


@pytest.mark.parametrize("label", sorted(NEVER_IN_ADMIN))
def test_individual_answers_are_never_in_admin(label: str) -> None:
    assert not admin.site.is_registered(apps.get_model(label))


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_every_model_is_in_admin_with_search_and_filters(model: type[Model]) -> None:
    assert admin.site.is_registered(model), f"{model._meta.label} has no admin"
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields, f"{model._meta.label} admin has no search"
    assert model_admin.list_filter or model_admin.date_hierarchy, (
        f"{model._meta.label} admin has no filters"
    )


@pytest.fixture
def staff_client(world: object) -> Client:
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff)
    return client


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_every_admin_list_page_searches_and_adds(staff_client: Client, model: type[Model]) -> None:
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    listed = staff_client.get(changelist)
    searched = staff_client.get(changelist, {"q": "<script>Testford"})
    add = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

    assert listed.status_code == 200
    assert searched.status_code == 200
    assert "<script>Testford" not in searched.content.decode()
    assert add.status_code in {200, 403}  # 403 where adding by hand makes no sense


def test_invitation_tokens_are_not_shown_in_admin(staff_client: Client) -> None:
    from partnerships import services
    from partnerships.models import Organisation

    organisation = Organisation.objects.get(slug="org-a")
    lead = organisation.memberships.get(role="lead").user
    invitation = services.invitation_create(
        invited_by=lead, email="x@example.org", organisation=organisation
    )

    page = staff_client.get(
        reverse("admin:partnerships_invitation_change", kwargs={"object_id": invitation.pk})
    )

    assert page.status_code == 200
    assert invitation.token not in page.content.decode()
