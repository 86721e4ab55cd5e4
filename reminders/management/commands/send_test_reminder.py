"""Send the reminder for a forum's next meeting now, without waiting for its moment.

For trying reminders locally: with `make run` (embedded defaults) the worker sends it and
the email lands in var/mail/. Sends go through the same rows, claim and task as the real
dispatcher, so a reminder already sent is not sent twice unless you pass --again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from partnerships.models import Forum, ForumMembership
from reminders import scheduling, services
from reminders.models import Delivery, DeliveryKind, DeliveryStatus


class Command(BaseCommand):
    help = "Send the reminder for a forum's next meeting now (for trying reminders locally)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--forum", required=True, help="The forum's slug.")
        parser.add_argument("--to", default="", help="Only this member's email address.")
        parser.add_argument(
            "--again", action="store_true", help="Send again even if already sent or failed."
        )
        parser.add_argument(
            "--sync",
            action="store_true",
            help="Send from this process instead of through the Celery worker.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        forum = Forum.objects.select_related("place").filter(slug=options["forum"]).first()
        if forum is None:
            slugs = ", ".join(Forum.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No forum '{options['forum']}'. Forums: {slugs}")
        meeting = scheduling.next_meeting(scheduling.Rhythm.of(forum), timezone.now())
        day = meeting.astimezone(forum.place.tz).date()
        members = ForumMembership.objects.filter(forum=forum, reminders_enabled=True)
        if options["to"]:
            members = members.filter(user__email__iexact=options["to"])
        user_ids = list(members.values_list("user_id", flat=True))
        if not user_ids:
            raise CommandError("Nobody to remind: no member with reminders on matches.")
        with transaction.atomic():
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        kind=DeliveryKind.REMINDER,
                        forum=forum,
                        recipient_id=user_id,
                        occasion_date=day,
                        occasion_at=meeting,
                    )
                    for user_id in user_ids
                ],
                ignore_conflicts=True,
            )
            rows = Delivery.objects.filter(
                kind=DeliveryKind.REMINDER,
                forum=forum,
                occasion_date=day,
                recipient_id__in=user_ids,
            )
            if options["again"]:
                rows.exclude(status=DeliveryStatus.SENDING).update(
                    status=DeliveryStatus.PENDING, attempts=0, queued_at=None, detail=""
                )
            ids = list(rows.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))
            if not options["sync"]:
                rows.filter(pk__in=ids).update(queued_at=timezone.now())
                transaction.on_commit(lambda: services.deliveries_publish(ids))
        skipped = len(user_ids) - len(ids)
        if skipped:
            self.stdout.write(f"{skipped} already sent or in progress (use --again to resend).")
        if options["sync"]:
            for pk in ids:
                outcome = services.delivery_send(delivery_id=pk)
                self.stdout.write(f"Delivery {pk}: {outcome.status}")
        else:
            self.stdout.write(f"Queued {len(ids)} reminder(s) for the worker.")
        if "filebased" in settings.EMAIL_BACKEND:
            self.stdout.write(f"Read them in {settings.EMAIL_FILE_PATH}/ (newest .log files).")
