import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("talking_points", "0009_learning_search_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="is_guest",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="contribution",
            name="is_guest",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="attendance",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="attendances",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
