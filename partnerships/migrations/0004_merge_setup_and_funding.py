# Joins the feature apps' changes, made side by side.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_funding_commission_kind"),
        ("partnerships", "0003_setup_organisation_profile"),
    ]

    operations = []
