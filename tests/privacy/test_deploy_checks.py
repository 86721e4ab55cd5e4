"""`manage.py check --deploy --fail-level WARNING` guards production settings: it must
fail when DEBUG is on (the foundation's test proves it passes with production settings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    # Test-only variables (HLS_TESTING; DJANGO_ALLOW_ASYNC_UNSAFE, set by the browser fixture)
    # would themselves be deployment problems.
    skip = {"HLS_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        {
            "SECRET_KEY": "check-deploy-" + "x" * 60,
            "ALLOWED_HOSTS": "forum.example.org",
            "SITE_URL": "https://forum.example.org",
            **overrides,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_fails_with_debug_on() -> None:
    result = run_check_deploy(DEBUG="1")

    assert result.returncode != 0
    assert "security.W018" in result.stderr  # "You should not have DEBUG set to True"


def test_check_deploy_passes_with_production_settings() -> None:
    result = run_check_deploy(DEBUG="0")

    assert result.returncode == 0, result.stderr


def test_check_deploy_fails_when_production_links_are_not_https() -> None:
    result = run_check_deploy(DEBUG="0", SITE_URL="http://forum.example.org")

    assert result.returncode != 0
    assert "outbox.E001" in result.stderr
