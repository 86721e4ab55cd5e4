"""The outbox: one row per automatic email and recipient, the single record of whether it
went out.

A row is created before anything is queued, under a unique constraint, so a second
dispatcher, a retry or a crash can never produce a second row for the same occasion and
person. The row's status says what happened; ``smtp_step`` says where in the SMTP
conversation a send stopped, for the staff who decide about "unknown" rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DeliveryKind(models.TextChoices):
    REMINDER = "reminder", "Meeting reminder"
    DIGEST = "digest", "Weekly digest"
    SUMMARY = "summary", "Session summary"
    REVIEW = "review", "Response or reply to learning"
    INVITATION = "invitation", "Invitation"
    JOIN_REQUEST = "join_request", "Request to join a forum"
    JOIN_DECISION = "join_decision", "Answer to a request to join"
    ACTION = "action", "Action agreed in a session"
    ACCOUNT = "account", "Account email (sign-in, password, address)"
    OFFICE_HOURS_BOOKED = "booking", "Office hours booked"
    OFFICE_HOURS_REMINDER = "booking_reminder", "Office hours tomorrow"
    OFFICE_HOURS_CANCELLED = "booking_cancelled", "Office hours cancelled"
    VISIT = "visit", "Invitation to visit"
    VISIT_ANSWER = "visit_answer", "Answer to an invitation to visit"
    PLACE_PROPOSAL = "place_proposal", "Answer to a proposed place"
    ORG_PROPOSAL = "org_proposal", "Answer to a proposed organisation"
    STORY_LINK = "story_link", "Private link for a story someone told"
    STORY_CHOSEN = "story_chosen", "A told story chosen by a panel"
    REVIEW_DUE = "review_due", "A decision or experiment due for review"
    THREAD_POST = "thread_post", "New post in a conversation"
    THREAD_REFUSED = "thread_refused", "Reply by email refused"
    ROTA = "rota", "Your turn to facilitate"


# Kinds whose row carries a secret (a code, a private link): its words are deleted once sent.
SECRET_KINDS = [DeliveryKind.ACCOUNT, DeliveryKind.STORY_LINK]


# Kinds whose row is about one thing (a session, a review, an invitation…), named by
# ``about_id``: one row per (kind, thing, person) or, with no account, per (kind, thing).
ABOUT_KINDS = [
    DeliveryKind.SUMMARY,
    DeliveryKind.REVIEW,
    DeliveryKind.INVITATION,
    DeliveryKind.JOIN_REQUEST,
    DeliveryKind.JOIN_DECISION,
    DeliveryKind.ACTION,
    DeliveryKind.REVIEW_DUE,
    DeliveryKind.OFFICE_HOURS_BOOKED,
    DeliveryKind.OFFICE_HOURS_REMINDER,
    DeliveryKind.OFFICE_HOURS_CANCELLED,
    DeliveryKind.VISIT,
    DeliveryKind.VISIT_ANSWER,
    DeliveryKind.THREAD_POST,
    DeliveryKind.THREAD_REFUSED,
    DeliveryKind.PLACE_PROPOSAL,
    DeliveryKind.ORG_PROPOSAL,
    DeliveryKind.ROTA,
]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown: sending stopped part-way"
    SKIPPED = "skipped", "Not sent"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def reminders(self) -> DeliveryQuerySet:
        return self.filter(kind=DeliveryKind.REMINDER)

    def needing_attention(self) -> DeliveryQuerySet:
        return self.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN])


class Delivery(models.Model):
    """One email to one person about one occasion (a meeting, a digest, a session's
    summary, a response, an invitation…).

    Lifecycle: pending → sending → sent. A failure before the server took the message
    (connection, greeting, sender, recipient or DATA refused with a 4xx) puts it back to
    pending for a retry with backoff; a 5xx, or too many attempts, makes it failed. A send
    that stopped after the message body went out, before the server's reply, is marked
    unknown and never resent automatically: the email may have arrived, and staff decide.
    So is a row found in sending for longer than ``REMINDERS_SENDING_TIMEOUT``.
    """

    kind = models.CharField(max_length=20, choices=DeliveryKind.choices)
    forum = models.ForeignKey(
        "partnerships.Forum",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="The forum the email is about, if any (for facilitators' oversight).",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    address = models.EmailField(
        blank=True, help_text="Where it goes when the person has no account (an invitation)."
    )
    about_id = models.BigIntegerField(
        null=True, blank=True, help_text="The session, response, invitation… it is about."
    )
    occasion_date = models.DateField(help_text="The meeting's local date, or the digest's date.")
    occasion_at = models.DateTimeField(help_text="When the meeting starts, or the digest was due.")
    # Content written when the row is made, for emails that cannot be rebuilt later (an
    # account email carries a one-time code); cleared once sent.
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    detail = models.CharField("what happened", max_length=500, blank=True)
    smtp_step = models.CharField(
        "where sending stopped",
        max_length=200,
        blank=True,
        help_text="The point in the SMTP conversation where the last attempt stopped.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-occasion_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "recipient", "occasion_date"],
                condition=Q(kind="reminder"),
                name="one_reminder_per_person_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["recipient", "occasion_date"],
                condition=Q(kind="digest"),
                name="one_digest_per_person_per_day",
            ),
            models.UniqueConstraint(
                fields=["kind", "about_id", "recipient"],
                condition=Q(about_id__isnull=False, recipient__isnull=False),
                name="one_email_per_person_per_thing",
            ),
            models.UniqueConstraint(
                fields=["kind", "about_id"],
                condition=Q(about_id__isnull=False, recipient__isnull=True),
                name="one_email_per_thing_without_account",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reminder") | Q(forum__isnull=False),
                name="reminder_has_forum",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(address=""),
                name="delivery_has_somewhere_to_go",
            ),
        ]
        indexes = [
            # The dispatcher's two sweeps: pending rows to (re)queue, stuck sending rows.
            models.Index(
                fields=["queued_at"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="delivery_sending_idx",
            ),
            models.Index(fields=["forum", "-occasion_date"], name="delivery_forum_date_idx"),
            # Staff's list of what needs attention.
            models.Index(
                fields=["-created_at"],
                condition=Q(status__in=["failed", "unknown"]),
                name="delivery_attention_idx",
            ),
        ]

    def __str__(self) -> str:
        who = self.recipient_id or self.address
        return f"{self.get_kind_display()} for {who} on {self.occasion_date}"

    @property
    def can_resend(self) -> bool:
        return self.status in {DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN}
