"""Benchmark code is installed only when ``BENCH=1`` says so: production has no bench URL,
app, command or middleware."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.test import Client
from django.urls import NoReverseMatch, reverse

from hls_forum.settings import BASE_DIR


@pytest.mark.django_db
def test_bench_ok_is_not_found_by_default() -> None:
    response = Client().get("/bench/ok")

    assert response.status_code == 404
    assert "X-Queries" not in response


def test_bench_app_command_and_middleware_are_absent_by_default() -> None:
    assert not apps.is_installed("bench")
    assert "generate_national_data" not in get_commands()
    assert not any(name.startswith("bench.") for name in settings.MIDDLEWARE)
    with pytest.raises(NoReverseMatch):
        reverse("bench:ok")


@pytest.mark.django_db
@pytest.mark.usefixtures("bench_installed")
def test_bench_ok_answers_with_a_query_count_when_installed() -> None:
    response = Client().get(reverse("bench:ok"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["X-Queries"] == "0"
    assert "generate_national_data" in get_commands()


def test_bench_setting_installs_the_app_its_urls_and_middleware() -> None:
    """The real settings and root URLconf, as a benchmark run starts them."""
    script = (
        "import django; django.setup()\n"
        "from django.apps import apps\n"
        "from django.conf import settings\n"
        "from django.urls import reverse\n"
        "print(apps.is_installed('bench'), settings.MIDDLEWARE[0], reverse('bench:ok'))\n"
    )
    env = {**os.environ, "BENCH": "1", "DJANGO_SETTINGS_MODULE": "hls_forum.settings"}
    env["HLS_TESTING"] = "1"

    output = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )

    assert output.stdout.split() == [
        "True",
        "bench.querycount.QueryCountHeaderMiddleware",
        "/bench/ok",
    ], output.stderr
