"""Reminders and digests: dispatch what is due (dispatch.py), send one delivery
(sending.py), record people's choices (choices.py). Their rows live in the outbox with
every other automatic email (outbox/services.py: sending, sweeping, resending).

Guarantees, in one place:
- one ``Delivery`` row per (forum, person, meeting date) and per (person, digest date),
  enforced by unique constraints; the dispatcher inserts with ``ignore_conflicts``, so two
  dispatchers, or one run twice, create each row once;
- at most one email per row: a send claims its row with a conditional update
  (pending → sending) and stops unless it won; a send that stopped after the message
  went out, before the server's reply, and a row left in "sending" by a crash, are
  marked "unknown" and never resent automatically;
- no row is lost: rows still pending (never queued, queue lost, worker killed before the
  claim) are queued again by a later dispatcher run;
- tasks carry ids only, and are queued after the transaction commits.
"""

from outbox.services import SendOutcome, deliveries_publish, delivery_resend, retry_delay
from reminders.services.choices import (
    digest_preference_set,
    forum_reminders_set,
    unsubscribe,
)
from reminders.services.dispatch import DispatchResult, reminders_dispatch
from reminders.services.sending import delivery_send

__all__ = [
    "DispatchResult",
    "SendOutcome",
    "deliveries_publish",
    "delivery_resend",
    "delivery_send",
    "digest_preference_set",
    "forum_reminders_set",
    "reminders_dispatch",
    "retry_delay",
    "unsubscribe",
]
