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
    ]
