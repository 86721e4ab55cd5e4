# Joins the feature apps' changes, made side by side.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0005_merge_feature_kinds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reminder", "Meeting reminder"),
                    ("digest", "Weekly digest"),
                    ("summary", "Session summary"),
                    ("review", "Response or reply to learning"),
                    ("invitation", "Invitation"),
                    ("join_request", "Request to join a forum"),
                    ("join_decision", "Answer to a request to join"),
                    ("action", "Action agreed in a session"),
                    ("account", "Account email (sign-in, password, address)"),
                    ("booking", "Office hours booked"),
                    ("booking_reminder", "Office hours tomorrow"),
                    ("booking_cancelled", "Office hours cancelled"),
                    ("visit", "Invitation to visit"),
                    ("visit_answer", "Answer to an invitation to visit"),
                    ("place_proposal", "Answer to a proposed place"),
                    ("org_proposal", "Answer to a proposed organisation"),
                    ("story_link", "Private link for a story someone told"),
                    ("story_chosen", "A told story chosen by a panel"),
                    ("review_due", "A decision or experiment due for review"),
                    ("thread_post", "New post in a conversation"),
                    ("thread_refused", "Reply by email refused"),
                    ("rota", "Your turn to facilitate"),
                ],
                max_length=20,
            ),
        ),
    ]
