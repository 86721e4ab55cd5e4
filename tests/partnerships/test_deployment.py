"""Production settings pass Django's deployment checks, and the docker-compose stack is
valid. Nothing here needs a Docker engine."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import missing

ROOT = Path(__file__).resolve().parent.parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "forum.example.org",
    "SITE_URL": "https://forum.example.org",
}


# Set by the test run itself (the browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for
# Playwright), never in production.
TEST_ONLY = {"HLS_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "REQUIRE_SERVICES"}


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return {**env, **PRODUCTION_ENV, **overrides}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = production_env()
    del env["SECRET_KEY"]

    result = run([sys.executable, "manage.py", "check"], env)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_settings_are_secure_by_default() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS)"
    )
    result = run(
        [sys.executable, "-c", f"import django, os; django.setup(); {code}"],
        production_env(DJANGO_SETTINGS_MODULE="hls_forum.settings"),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True True ['forum.example.org']"


def test_make_check_deploy_works() -> None:
    if not shutil.which("make"):
        missing("make")
    bin_dir = str(Path(sys.executable).parent)
    # -o: treat the virtualenv as installed, so the target runs with this interpreter.
    result = run(
        ["make", "-o", ".venv/.installed", "check-deploy", f"BIN={bin_dir}"],
        production_env(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- docker-compose -----------------------------------------------------------------------------

COMPOSE_ENV = {
    "SECRET_KEY": "not-a-real-secret",
    "ALLOWED_HOSTS": "forum.example.org",
    "SITE_URL": "https://forum.example.org",
    "POSTGRES_PASSWORD": "not-a-real-password",
    "EMAIL_HOST": "smtp.example.org",
}


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if not shutil.which("docker-compose"):
        missing("docker-compose (apt-get install docker-compose)")
    clean = {k: v for k, v in os.environ.items() if k not in COMPOSE_ENV}
    return run(["docker-compose", *args], {**clean, **env})


def test_docker_compose_config_is_valid() -> None:
    result = compose("config", "-q", env=COMPOSE_ENV)

    assert result.returncode == 0, result.stderr


def test_docker_compose_has_the_five_services() -> None:
    result = compose("config", "--services", env=COMPOSE_ENV)

    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"web", "worker", "beat", "db", "redis"}


def test_docker_compose_web_migrates_collects_static_and_runs_gunicorn() -> None:
    result = compose("config", env=COMPOSE_ENV)
    rendered = result.stdout

    assert result.returncode == 0, result.stderr
    assert "manage.py migrate --no-input" in rendered
    assert "manage.py collectstatic --no-input" in rendered
    assert "gunicorn hls_forum.wsgi:application" in rendered
    assert "celery -A hls_forum worker" in rendered
    assert "celery -A hls_forum beat" in rendered
    assert "pg_isready" in rendered
    assert "redis-cli" in rendered


@pytest.mark.parametrize("variable", sorted(COMPOSE_ENV))
def test_docker_compose_refuses_to_run_without_each_secret(variable: str) -> None:
    env = {k: v for k, v in COMPOSE_ENV.items() if k != variable}

    result = compose("config", "-q", env=env)

    assert result.returncode != 0
    assert variable in result.stderr


def test_dockerfile_installs_the_project_on_python_3_11_slim() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "FROM python:3.11-slim" in dockerfile.splitlines()
    assert "RUN pip install ." in dockerfile
    assert "USER hls" in dockerfile
