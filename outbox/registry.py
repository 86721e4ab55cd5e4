"""How the outbox builds each kind of email: apps above it register their kinds at start-up
(in ``AppConfig.ready``), so the outbox sends what it cannot import."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.mail import EmailMessage

if TYPE_CHECKING:
    from .models import Delivery


@dataclass(frozen=True)
class SendOutcome:
    """How one send ended: a DeliveryStatus value, or "not-claimed" (someone else has the
    row, or it is not pending); ``retry_in`` seconds when it should be tried again."""

    status: str
    retry_in: int | None = None


# A builder returns the email for a claimed row (its recipient and forum loaded), or a
# sentence saying why it is no longer sent ("The invitation was accepted.").
Builder = Callable[["Delivery", datetime.datetime], "EmailMessage | str"]


@dataclass(frozen=True)
class Kind:
    build: Builder | None = None
    # A kind that claims and sends its rows itself (the reminders' batch-tuned path).
    send: Callable[[int], SendOutcome] | None = None
    # Run after a row of this kind was sent (say, to mark an invitation sent).
    on_sent: Callable[[Delivery], None] | None = None


_kinds: dict[str, Kind] = {}


def register(
    kind: str,
    *,
    build: Builder | None = None,
    send: Callable[[int], SendOutcome] | None = None,
    on_sent: Callable[[Delivery], None] | None = None,
) -> None:
    _kinds[kind] = Kind(build=build, send=send, on_sent=on_sent)


def get(kind: str) -> Kind:
    """The registered handling of ``kind``; rows carrying their own content need none."""
    return _kinds.get(kind, Kind())
