"""Deliveries now belong to the outbox app (its 0001 takes over the table and its rows);
this step only removes the model from the reminders app's state (no SQL runs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_deliveries_and_digest_preferences"),
        ("outbox", "0001_take_over_reminder_deliveries"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Delivery")],
            database_operations=[],
        ),
    ]
