"""Where each app plugs its data into a person's data rights.

An app registers, usually from its ``AppConfig.ready()``:

- **export sections** — ``register_export_section("learning_entries", fn, description=...)``;
  ``fn(user)`` returns rows (flat dicts) that go into the copy as
  ``learning_entries.json`` and ``learning_entries.csv``;
- **erasure steps** — ``register_erasure_step(fn, name=..., description=...)``;
  ``fn(user)`` runs inside the erasure's transaction, before the account row is deleted,
  and returns how many rows it removed or changed (for example: contributions become
  "a former member", private drafts are deleted);
- **retention rules** — ``register_retention_rule("stories_of_change", fn, description=...)``;
  ``fn(cutoff=..., now=...)`` removes what is older than the category's period in
  ``settings.PRIVACY_RETENTION`` and returns how many rows it changed. It must be
  idempotent: a second run changes nothing;
- **erasure warnings** — ``register_erasure_warning(fn, name=...)``; ``fn(user)`` returns
  sentences shown on the delete-account page about what others rely on that would be
  left without the person (for example: the only lead of an organisation).

Registering the same name again replaces the earlier entry (so reloading is harmless).
Descriptions are shown to people on their data page, the delete-account page and the
privacy notice, so write them in plain English.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Rows = Iterable[Mapping[str, Any]]
ExportFn = Callable[[Any], Rows]
ErasureFn = Callable[[Any], int]
WarningFn = Callable[[Any], list[str]]
RetentionFn = Callable[..., int]


@dataclass(frozen=True)
class ExportSection:
    name: str
    fn: ExportFn
    description: str


@dataclass(frozen=True)
class ErasureStep:
    name: str
    fn: ErasureFn
    description: str


@dataclass(frozen=True)
class RetentionRule:
    name: str
    category: str
    fn: RetentionFn
    description: str


_export_sections: dict[str, ExportSection] = {}
_erasure_steps: dict[str, ErasureStep] = {}
_retention_rules: dict[str, RetentionRule] = {}
_erasure_warnings: dict[str, WarningFn] = {}


def _check_name(name: str) -> None:
    if not name or not name.replace("_", "").isalnum() or not name.islower():
        raise ImproperlyConfigured(f"{name!r}: use a lower-case name like 'forum_memberships'.")


def register_export_section(name: str, fn: ExportFn, *, description: str = "") -> None:
    _check_name(name)
    _export_sections[name] = ExportSection(name=name, fn=fn, description=description)


def register_erasure_step(fn: ErasureFn, *, name: str | None = None, description: str = "") -> None:
    step_name = name or fn.__name__
    _check_name(step_name)
    _erasure_steps[step_name] = ErasureStep(name=step_name, fn=fn, description=description)


def register_retention_rule(
    category: str, fn: RetentionFn, *, name: str | None = None, description: str = ""
) -> None:
    if category not in settings.PRIVACY_RETENTION:
        raise ImproperlyConfigured(
            f"Retention category {category!r} has no period in settings.PRIVACY_RETENTION."
        )
    rule_name = name or category
    _check_name(rule_name)
    _retention_rules[rule_name] = RetentionRule(
        name=rule_name, category=category, fn=fn, description=description
    )


def register_erasure_warning(fn: WarningFn, *, name: str | None = None) -> None:
    warning_name = name or fn.__name__
    _check_name(warning_name)
    _erasure_warnings[warning_name] = fn


def export_sections() -> list[ExportSection]:
    return list(_export_sections.values())


def erasure_steps() -> list[ErasureStep]:
    return list(_erasure_steps.values())


def erasure_warnings(user: Any) -> list[str]:
    """What every app says would be left without ``user`` if they deleted their account."""
    return [warning for fn in _erasure_warnings.values() for warning in fn(user)]


def retention_rules() -> list[RetentionRule]:
    return list(_retention_rules.values())


def retention_days(category: str) -> int | None:
    return settings.PRIVACY_RETENTION.get(category)


def retention_cutoff(category: str, now: datetime.datetime) -> datetime.datetime | None:
    days = retention_days(category)
    return None if days is None else now - datetime.timedelta(days=days)
