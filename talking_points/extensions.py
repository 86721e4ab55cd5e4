"""Where apps above talking points plug into its sessions, so talking points never imports
them. Each app registers from its ``AppConfig.ready()``; registering again replaces.

- **session runners**: ``register_session_runner(name, fn)``; ``fn(session_id)`` returns a
  condition on ``ForumMembership`` rows (an ``Exists`` over ``OuterRef("user")``) that is
  true for the person who may run that one session as its facilitator without the forum's
  facilitator role (a rota's turn, say). Read in the same query as the membership.
- **publish holds**: ``register_publish_hold(name, fn)``; ``fn(session)`` returns a sentence
  saying why the summary cannot be shared beyond the forum yet, or ``""``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists

RunnerFn = Callable[[int], Exists]
HoldFn = Callable[[Any], str]

_runners: dict[str, RunnerFn] = {}
_holds: dict[str, HoldFn] = {}


def register_session_runner(name: str, fn: RunnerFn) -> None:
    _runners[name] = fn


def register_publish_hold(name: str, fn: HoldFn) -> None:
    _holds[name] = fn


def session_runner_conditions(session_id: int) -> list[Exists]:
    return [fn(session_id) for fn in _runners.values()]


def publish_hold(session: Any) -> str:
    """The first reason a registered app gives for holding the summary back, or ``""``."""
    for fn in _holds.values():
        reason = fn(session)
        if reason:
            return reason
    return ""
