"""Deciding in a session (consent, sense check, dot vote) and looking back at decisions and
experiments on their review date. Every write is here, inside one transaction."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships.models import Membership, User
from talking_points import services as sessions
from talking_points.models import (
    Attendance,
    Decision,
    LearningEntry,
    LearningKind,
    Session,
    SessionStatus,
)

from .models import (
    MAX_DOTS,
    MAX_OPTIONS,
    DecisionReviewDate,
    Dots,
    LookBack,
    Method,
    Option,
    Position,
    ReviewReminder,
    Round,
    RoundStatus,
    Stance,
    TakingPart,
)

# People are reminded this many days before a review date, and on the day itself.
REMIND_DAYS_BEFORE = 2


class DecisionError(Exception):
    """The change cannot be made; the message says why in plain English."""


# --- Rounds ------------------------------------------------------------------------------


def _lock_open_round(round_id: int) -> Round:
    locked = Round.objects.select_for_update().select_related("session").get(pk=round_id)
    if locked.session.status != SessionStatus.LIVE:
        raise DecisionError("Decisions are made while the session is live.")
    if not locked.is_open:
        raise DecisionError("This round has ended.")
    return locked


def round_start(
    *,
    session: Session,
    by: User,
    method: str,
    proposal: str,
    anonymous: bool = False,
    dots_each: int = 3,
    options: Iterable[str] = (),
) -> Round:
    """Start a consent round, sense check or dot vote in a live session.
    Precondition: ``by`` facilitates the session's forum (the view checks)."""
    proposal = proposal.strip()
    if method not in Method.values:
        raise DecisionError("Choose how to decide: consent, a sense check or a dot vote.")
    if not proposal:
        raise DecisionError("Write the proposal or question.")
    choices = [text.strip()[:300] for text in options if text.strip()]
    if method == Method.DOT_VOTE:
        if len(choices) < 2:
            raise DecisionError("A dot vote needs at least two options.")
        if len(choices) > MAX_OPTIONS:
            raise DecisionError(f"A dot vote can have at most {MAX_OPTIONS} options.")
        if len(set(choices)) != len(choices):
            raise DecisionError("Each option must be different.")
        if not 1 <= dots_each <= MAX_DOTS:
            raise DecisionError(f"Give each person between 1 and {MAX_DOTS} dots.")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.LIVE:
            raise DecisionError("Decisions are made while the session is live.")
        new = Round.objects.create(
            session=locked,
            method=method,
            proposal=proposal,
            anonymous=anonymous,
            dots_each=dots_each if method == Method.DOT_VOTE else 3,
            created_by=by,
        )
        if method == Method.DOT_VOTE:
            Option.objects.bulk_create(
                [Option(round=new, text=text, position=n) for n, text in enumerate(choices)]
            )
    return new


def position_give(
    *,
    round: Round,
    user: User,
    stance: str = "",
    reason: str = "",
    dots: Mapping[int, int] | None = None,
) -> None:
    """Record one person's position in a round, once per version of its proposal.

    Preconditions checked here: the round is open, its session live, and ``user`` is at
    the table (has an attendance). In an anonymous round the position is stored with no
    author; a separate ``TakingPart`` row (no position in it) stops a second one.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = _lock_open_round(round.pk)
        attendance = Attendance.objects.filter(session_id=locked.session_id, user=user).first()
        if attendance is None:
            raise DecisionError("Join the session to take part: only people at the table can.")
        placed: dict[int, int] = {}
        if locked.method == Method.DOT_VOTE:
            placed = _check_dots(locked, dots or {})
            stance = ""
        elif stance not in locked.stances:
            raise DecisionError("Choose your position.")
        if stance == Stance.OBJECTION and not reason:
            raise DecisionError("Say why you object, so the proposal can be changed to meet it.")
        try:
            with transaction.atomic():
                TakingPart.objects.create(
                    round=locked, version=locked.version, attendance=attendance
                )
        except IntegrityError:
            raise DecisionError("You have already given your position in this round.") from None
        position = Position.objects.create(
            round=locked,
            version=locked.version,
            attendance=None if locked.anonymous else attendance,
            is_anonymous=locked.anonymous,
            stance=stance,
            reason=reason,
        )
        Dots.objects.bulk_create(
            [Dots(position=position, option_id=pk, count=n) for pk, n in placed.items() if n]
        )
        if locked.anonymous:
            _shuffle_anonymous(locked)


def _shuffle_anonymous(locked: Round) -> None:
    """Write all of an anonymous round's positions (and dots) again, in a random order, in
    this transaction: afterwards their physical order and their writing transaction say
    nothing about who gave which, only that the latest person gave one of them."""
    positions = list(Position.objects.filter(round=locked))
    dots = list(Dots.objects.filter(position__round=locked))
    Position.objects.filter(round=locked).delete()  # and their dots
    random.shuffle(positions)
    random.shuffle(dots)
    Position.objects.bulk_create(positions)
    Dots.objects.bulk_create(dots)


def _check_dots(locked: Round, dots: Mapping[int, int]) -> dict[int, int]:
    options = set(locked.options.values_list("pk", flat=True))
    if not set(dots) <= options:
        raise DecisionError("Place your dots on the options of this vote.")
    if any(n < 0 for n in dots.values()):
        raise DecisionError("Dots cannot be fewer than none.")
    total = sum(dots.values())
    if total < 1:
        raise DecisionError("Place at least one dot.")
    if total > locked.dots_each:
        raise DecisionError(f"You have {locked.dots_each} dots; you placed {total}.")
    return dict(dots)


def objection_withdraw(*, position: Position, by: User, is_facilitator: bool) -> None:
    """Withdraw an objection: by the person who made it (a named round), or by the
    facilitator when that person says so at the table (the only way in an anonymous round,
    where nobody can tell whose it is)."""
    with transaction.atomic():
        locked = _lock_open_round(position.round_id)
        row = (
            Position.objects.select_for_update(of=("self",))
            .select_related("attendance")
            .get(pk=position.pk)
        )
        own = row.attendance is not None and row.attendance.user_id == by.pk
        if not (own or is_facilitator):
            raise DecisionError(
                "Only the person who objected, or the facilitator, can withdraw it."
            )
        if not row.is_objection or row.version != locked.version:
            raise DecisionError("That is not an objection to the proposal as it stands.")
        row.withdrawn = True
        row.save(update_fields=["withdrawn"])


def proposal_amend(*, round: Round, by: User, proposal: str) -> None:
    """Change a consent proposal to meet objections: everyone gives their position again."""
    proposal = proposal.strip()
    if not proposal:
        raise DecisionError("Write the changed proposal.")
    with transaction.atomic():
        locked = _lock_open_round(round.pk)
        if locked.method != Method.CONSENT:
            raise DecisionError("Only a consent proposal can be changed during its round.")
        if proposal == locked.proposal:
            raise DecisionError("The changed proposal is the same as before.")
        locked.proposal = proposal
        locked.version += 1
        locked.save(update_fields=["proposal", "version"])


@dataclass
class Tally:
    """What a round came to: counts of its current version, the objections (with earlier
    versions' too), the dots on each option, and who took part."""

    counts: dict[str, int] = field(default_factory=dict)
    objections: list[Position] = field(default_factory=list)
    standing: int = 0
    options: list[tuple[Option, int]] = field(default_factory=list)
    taking_part: list[Attendance] = field(default_factory=list)
    responses: int = 0

    @property
    def passes(self) -> bool:
        return self.standing == 0


def tally(round: Round) -> Tally:
    """What ``round`` came to, from its positions, options and taking-part rows (prefetched
    for a list: see ``reads.prefetch_rounds``; else four queries)."""
    positions = list(round.positions.all())
    current = [p for p in positions if p.version == round.version]
    counts = Counter(p.stance for p in current if p.stance)
    result = Tally(
        counts={s: counts.get(s, 0) for s in round.stances},
        objections=sorted(
            (p for p in positions if p.is_objection),
            key=lambda p: (-p.version, p.withdrawn, p.reason),
        ),
        standing=sum(1 for p in current if p.stands),
        responses=len(current),
    )
    if round.method == Method.DOT_VOTE:
        on: Counter[int] = Counter()
        for p in current:
            for d in p.dots.all():
                on[d.option_id] += d.count
        result.options = sorted(
            ((o, on.get(o.pk, 0)) for o in round.options.all()),
            key=lambda pair: (-pair[1], pair[0].position),
        )
    seen: dict[int, Attendance] = {}
    for part in sorted(round.taking_part.all(), key=lambda t: t.attendance_id):
        seen.setdefault(part.attendance_id, part.attendance)
    result.taking_part = sorted(seen.values(), key=lambda a: (a.name, a.pk))
    return result


def _outcome(round: Round, result: Tally) -> tuple[str, str, str]:
    """(status, what was decided, why) for the session's decision."""
    if round.method == Method.CONSENT:
        if result.passes:
            return RoundStatus.PASSED, round.proposal, _consent_why(result, "No objection stood.")
        return (
            RoundStatus.NOT_AGREED,
            f"Not agreed: {round.proposal}",
            _consent_why(result, f"{result.standing} objection(s) still stood."),
        )
    if round.method == Method.SENSE_CHECK:
        c = result.counts
        return (
            RoundStatus.DONE,
            f"Sense check: {round.proposal}",
            f"{c.get('agree', 0)} agree, {c.get('unsure', 0)} unsure, "
            f"{c.get('disagree', 0)} disagree.",
        )
    top = result.options[0] if result.options else None
    scores = "; ".join(f"{o.text}: {n}" for o, n in result.options)
    chosen = f"{top[0].text} ({top[1]} dots)" if top else "nothing"
    return RoundStatus.DONE, f"{round.proposal}: {chosen}", f"Dots placed: {scores}."


def _consent_why(result: Tally, verdict: str) -> str:
    c = result.counts
    return (
        f"Decided by consent. {c.get('consent', 0)} consent, {c.get('concern', 0)} concern, "
        f"{c.get('objection', 0)} objection. {verdict}"
    )


def round_end(*, round: Round, by: User, review_on: datetime.date | None = None) -> Decision:
    """End the round and record its outcome as the session's decision (with everyone at
    the table), linked to the round. A consent proposal passes when no objection stands;
    otherwise it is recorded as not agreed. Precondition: ``by`` facilitates the forum."""
    with transaction.atomic():
        locked = _lock_open_round(round.pk)
        result = tally(locked)
        if result.responses == 0:
            raise DecisionError("Nobody has given a position yet.")
        status, text, why = _outcome(locked, result)
        decision = sessions.decision_record(session=locked.session, by=by, text=text, why=why)
        locked.status = status
        locked.decision = decision
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "decision", "ended_at"])
        if review_on is not None:
            review_date_set(decision=decision, by=by, review_on=review_on)
    return decision


# --- Reviews ---------------------------------------------------------------------------


def review_date_set(*, decision: Decision, by: User, review_on: datetime.date | None) -> None:
    """Set, change or clear when a decision will be looked at again."""
    with transaction.atomic():
        if review_on is None:
            DecisionReviewDate.objects.filter(decision=decision).delete()
            return
        DecisionReviewDate.objects.update_or_create(
            decision=decision, defaults={"review_on": review_on, "set_by": by}
        )


def look_back_record(
    *,
    by: User,
    learned: str,
    decision: Decision | None = None,
    entry: LearningEntry | None = None,
    learning: Iterable[LearningEntry] = (),
    next_review_on: datetime.date | None = None,
) -> LookBack:
    """Record what was learned when a decision or an experiment was looked at again, and
    when to look again (if anyone wants to). Precondition: ``learning`` holds only entries
    ``by`` may see (the form's choices are ``LearningEntry.objects.visible_to(by)``)."""
    learned = learned.strip()
    if not learned:
        raise DecisionError("Say what you learned.")
    if (decision is None) == (entry is None):
        raise DecisionError("A review is of one decision or one experiment.")
    with transaction.atomic():
        look_back = LookBack.objects.create(
            decision=decision, entry=entry, learned=learned, recorded_by=by
        )
        look_back.learning.set(list(learning))
        if decision is not None:
            review_date_set(decision=decision, by=by, review_on=next_review_on)
        elif entry is not None:
            entry.review_date = next_review_on
            entry.save(update_fields=["review_date", "updated_at"])
    return look_back


def reminders_dispatch(*, today: datetime.date | None = None) -> int:
    """Queue a reminder to each person for every decision and experiment whose review
    date is today or within ``REMIND_DAYS_BEFORE`` days: the people at the table for a
    decision, the organisation's members for an experiment. Returns the rows queued.

    Guarantee: idempotent. Each (thing, review date) is one ``ReviewReminder`` (unique),
    and its outbox rows are one per person (the outbox's unique rows), so running this
    again, from any number of workers, queues nothing twice. A changed review date is a
    new occasion and is reminded again.
    """
    today = today or timezone.localdate()
    window = Q(review_on__gte=today, review_on__lte=today + datetime.timedelta(REMIND_DAYS_BEFORE))
    queued = 0
    for plan in DecisionReviewDate.objects.filter(window).select_related("decision__session"):
        people = Attendance.objects.filter(
            decisions=plan.decision_id, user__isnull=False
        ).values_list("user_id", flat=True)
        queued += _remind(
            {"decision": plan.decision}, plan.review_on, people, plan.decision.session.forum_id
        )
    experiments = LearningEntry.objects.filter(
        kind=LearningKind.EXPERIMENT,
        review_date__gte=today,
        review_date__lte=today + datetime.timedelta(REMIND_DAYS_BEFORE),
    )
    for entry in experiments:
        members = Membership.objects.filter(organisation_id=entry.organisation_id).values_list(
            "user_id", flat=True
        )
        assert entry.review_date is not None
        queued += _remind({"entry": entry}, entry.review_date, members, None)
    return queued


def _remind(
    about: dict[str, Any], due_on: datetime.date, people: Iterable[int], forum_id: int | None
) -> int:
    with transaction.atomic():
        reminder, made = ReviewReminder.objects.get_or_create(due_on=due_on, **about)
        if not made:  # its rows were made with it; the outbox sweep requeues any lost
            return 0
        ids = outbox.deliveries_queue(
            kind=DeliveryKind.REVIEW_DUE,
            recipient_ids=[pk for pk in people if pk is not None],
            about_id=reminder.pk,
            forum_id=forum_id,
        )
    return len(ids)
