from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from partnerships.models import CommissionerProfile, Forum, Organisation, Place, User
from tests import factories


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_home_explains_the_product_in_plain_english(client: Client, demo: None) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "trust over contracts" in content
    for place in ("Plymouth", "Preston", "Scarborough"):
        assert place in content


def test_place_shows_commissioners_with_named_contacts(client: Client, demo: None) -> None:
    response = client.get(reverse("talking_points:place_detail", kwargs={"slug": "plymouth"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sam Okafor" in content
    assert "Drug and Alcohol Treatment Commissioner" in content
    assert "mailto:commissioner@demo.hls-forum.localhost" in content
    assert "Plymouth Alliance Forum" in content
    assert "Meets every Tuesday at 10:00 am" in content
    assert "Harbour Recovery Project" in content


def test_demo_data_is_complete_and_loading_twice_changes_nothing(demo: None) -> None:
    counts = [
        Place.objects.count(),
        Organisation.objects.count(),
        CommissionerProfile.objects.count(),
        Forum.objects.count(),
        User.objects.count(),
    ]
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == [
        Place.objects.count(),
        Organisation.objects.count(),
        CommissionerProfile.objects.count(),
        Forum.objects.count(),
        User.objects.count(),
    ]
    assert counts[0] == 3
    assert counts[1] >= 12
    assert counts[2] >= 4
    assert set(Organisation.objects.values_list("sector", flat=True)) >= {
        "vcs",
        "statutory",
        "health",
        "funder",
    }
    dat = CommissionerProfile.objects.get(job_title__icontains="Drug and Alcohol")
    assert "integrated budget" in dat.about
    assert list(dat.places.values_list("name", flat=True)) == ["Plymouth"]
    assert set(Forum.objects.values_list("place__name", flat=True)) == {
        "Plymouth",
        "Preston",
        "Scarborough",
    }


def test_unknown_place_is_404(client: Client, db: None) -> None:
    response = client.get(reverse("talking_points:place_detail", kwargs={"slug": "nowhere"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_names_are_shown_escaped(client: Client, db: None) -> None:
    place = factories.PlaceFactory(name="<script>alert(1)</script>", slug="xss")
    response = client.get(reverse("talking_points:place_detail", kwargs={"slug": place.slug}))
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_talking_points_are_the_reports_sixteen(client: Client, db: None) -> None:
    response = client.get(reverse("talking_points:talking_point_list"))
    content = response.content.decode()
    assert "What do we value most about this place?" in content
    assert "What do we most fear? How can we mitigate against that?" in content
    assert "What hinders us?" in content
