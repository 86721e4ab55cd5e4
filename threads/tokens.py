"""Reply-by-email addresses: ``reply+<follower id>-<signature>@<REPLY_DOMAIN>``.

The signature is an HMAC (keyed by SECRET_KEY) over the follower row and its own random
``reply_key``, so an address is unique to one person and one thread, cannot be guessed,
and stops working when that row's key changes or replies by email are turned off. The
address carries no secret the database holds in the clear: the key alone is not the
signature. Lower-case hex only, because mail systems may change a local part's case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Follower

SALT = "threads.reply-address"
ADDRESS = re.compile(r"^reply\+(?P<pk>[0-9]{1,18})-(?P<signature>[0-9a-f]{32})@(?P<domain>.+)$")


def reply_domain() -> str:
    configured = getattr(settings, "REPLY_DOMAIN", "")
    return configured or urlsplit(settings.SITE_URL).hostname or "hls-forum.localhost"


def _signature(follower_pk: int, reply_key: str) -> str:
    return salted_hmac(SALT, f"{follower_pk}:{reply_key}", algorithm="sha256").hexdigest()[:32]


def reply_address(follower: Follower) -> str:
    return f"reply+{follower.pk}-{_signature(follower.pk, follower.reply_key)}@{reply_domain()}"


@dataclass(frozen=True)
class ReplyTarget:
    follower: Follower
    revoked: bool


def resolve(address: str) -> ReplyTarget | None:
    """The follower row a reply address names, or None if it is not one of ours (wrong
    domain, malformed, or a signature that does not match: forged, or from a key that
    was replaced). ``revoked`` when the person turned replies by email off."""
    match = ADDRESS.match(address.strip().lower())
    if match is None or match["domain"] != reply_domain().lower():
        return None
    follower = (
        Follower.objects.filter(pk=int(match["pk"]))
        .select_related("user", "thread", "thread__forum", "thread__entry")
        .first()
    )
    if follower is None:
        return None
    if not constant_time_compare(match["signature"], _signature(follower.pk, follower.reply_key)):
        return None
    return ReplyTarget(follower=follower, revoked=not follower.reply_by_email)
