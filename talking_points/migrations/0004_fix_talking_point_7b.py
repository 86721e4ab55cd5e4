"""0002 stored the report's 7b as number "ab" with no parent (a typo in its data).

Make it "7b", a part of 7, as Appendix Three has it. Idempotent; reversing leaves it fixed.
"""

from django.db import migrations


def fix_7b(apps, schema_editor):
    TalkingPoint = apps.get_model("talking_points", "TalkingPoint")
    seven = TalkingPoint.objects.filter(forum=None, number="7").first()
    if seven is None:
        return
    TalkingPoint.objects.filter(forum=None, number="ab", text="What hinders us?").update(
        number="7b", parent=seven
    )
    TalkingPoint.objects.filter(forum=None, number="7a").update(parent=seven)


class Migration(migrations.Migration):
    dependencies = [("talking_points", "0003_forum_sessions")]

    operations = [migrations.RunPython(fix_7b, migrations.RunPython.noop)]
