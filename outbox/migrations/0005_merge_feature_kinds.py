# Joins the feature apps' changes, made side by side.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0004_agenda_rota"),
        ("outbox", "0004_decisions_review_due_kind"),
        ("outbox", "0004_doors_office_hours_and_visits"),
        ("outbox", "0004_setup_proposal_answers"),
        ("outbox", "0004_threads_delivery_kinds"),
    ]

    operations = []
