"""The outbox takes over the reminders app's delivery table, rows and all: this step only
tells Django's model state that the table now belongs here (no SQL runs)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("partnerships", "0001_initial"),
        ("reminders", "0001_deliveries_and_digest_preferences"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Delivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("reminder", "Meeting reminder"),
                                    ("digest", "Weekly digest"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "occasion_date",
                            models.DateField(
                                help_text="The meeting's local date, or the digest's date."
                            ),
                        ),
                        (
                            "occasion_at",
                            models.DateTimeField(
                                help_text="When the meeting starts, or the digest was due."
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to send"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                    ("unknown", "Unknown: sending stopped part-way"),
                                    ("skipped", "Not sent"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "detail",
                            models.CharField(
                                blank=True, max_length=500, verbose_name="what happened"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("queued_at", models.DateTimeField(blank=True, null=True)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "forum",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="partnerships.forum",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "deliveries",
                        "ordering": ["-occasion_date", "pk"],
                        "db_table": "reminders_delivery",
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status", "pending")),
                                fields=["queued_at"],
                                name="delivery_pending_idx",
                            ),
                            models.Index(
                                condition=models.Q(("status", "sending")),
                                fields=["claimed_at"],
                                name="delivery_sending_idx",
                            ),
                            models.Index(
                                fields=["forum", "-occasion_date"], name="delivery_forum_date_idx"
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("kind", "reminder")),
                                fields=("forum", "recipient", "occasion_date"),
                                name="one_reminder_per_person_per_meeting",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("kind", "digest")),
                                fields=("recipient", "occasion_date"),
                                name="one_digest_per_person_per_day",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("kind", "digest"), ("forum__isnull", False), _connector="OR"
                                ),
                                name="reminder_has_forum",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
