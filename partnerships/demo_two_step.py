"""Two-step sign-in for the demo commissioners and site staff.

Commissioners and staff must use two-step sign-in (hls_forum.middleware.MFARequiredMiddleware),
demo people included. So that they can be tried locally straight away, the demo gives each of
them an authenticator-app (TOTP) key: one public secret, like the public demo password.
``manage.py demo_code`` prints its current six-digit code, or add the secret to any
authenticator app. Runs last in ``load_demo`` so it covers every demo commissioner, whichever
loader made them. Idempotent, and never replaces an authenticator someone set up themselves.
"""

from __future__ import annotations

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from .models import User
from .permissions import mfa_required_for

DEMO_EMAIL_DOMAIN = "@demo.hls-forum.localhost"
# Base32, 20 bytes. Public on purpose: local demo only (load_demo refuses to run with DEBUG off).
DEMO_TOTP_SECRET = "HLSFORUMDEMOTWOSTEPSIGNINKEYABCD"  # noqa: S105


def demo_people_needing_two_step() -> list[User]:
    people = User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).order_by("email")
    return [person for person in people if mfa_required_for(person)]


def load() -> None:
    for person in demo_people_needing_two_step():
        if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(person, DEMO_TOTP_SECRET)


def demo_totp_code(now: float) -> str:
    """The six-digit code an authenticator app holding DEMO_TOTP_SECRET shows at ``now``."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // mfa_settings.TOTP_PERIOD))


def sign_in_help() -> str:
    """What ``load_demo`` and ``make run`` print under the list of demo people."""
    return (
        "Commissioners and site staff also need a two-step code: run\n"
        "  DEBUG=1 .venv/bin/python manage.py demo_code\n"
        f"or add the key {DEMO_TOTP_SECRET} to an authenticator app."
    )
