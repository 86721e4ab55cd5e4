"""The report's talking points (IVAR 2020, Appendix Three), word for word."""

from django.db import migrations

TALKING_POINTS = [
    {"number": "1", "text": "What do we value most about this place?", "parent": None},
    {
        "number": "2",
        "text": "How would you describe the relationships here between statutory and VCS sectors, and others? How are decisions about local priorities made?",
        "parent": None,
    },
    {
        "number": "3",
        "text": "In your view and experience, what are the characteristics that make up a good relationship in this context?",
        "parent": None,
    },
    {
        "number": "4",
        "text": "Are we speaking the same language? In local meetings and events, is the language used during discussions accessible? Is there better practice? Can you provide an example? (Using complex language and jargon can exclude people and hinders partnership working).",
        "parent": None,
    },
    {
        "number": "5",
        "text": "What is in and out of our control here? Explore local structures and partnerships and where control sits. Is it where you think it is? What can you affect/not affect (or influence)?",
        "parent": None,
    },
    {
        "number": "6",
        "text": "Is the VCS sector always at/invited to the table when important decisions are being made? How regularly?",
        "parent": None,
    },
    {
        "number": "7",
        "text": "What are our successes that we can learn from? What can we scale and replicate about what has worked already? How can we make that happen?",
        "parent": None,
    },
    {"number": "7a", "text": "What helps us?", "parent": "7"},
    {"number": "ab", "text": "What hinders us?", "parent": "a"},
    {
        "number": "8",
        "text": "Draw a picture of the local 'system'. What would a change in the 'system' look and feel like? (What would be happening? Not happening?)",
        "parent": None,
    },
    {
        "number": "9",
        "text": "When it is different, how will we know? What will be happening in a new picture? How will we know if the change is working?",
        "parent": None,
    },
    {
        "number": "10",
        "text": "What does the VCS sector already do that is intrinsically HLS? What still needs to be learnt?",
        "parent": None,
    },
    {
        "number": "11",
        "text": "What is our dependency structure? How are we funded? How does that affect our behaviour?",
        "parent": None,
    },
    {
        "number": "12",
        "text": "The difference we make – doing what's expected vs doing what matters – what is it? What drives it?",
        "parent": None,
    },
    {
        "number": "13",
        "text": "How are we using our voice – are we responding or leading? What do we need to say? Have to say?",
        "parent": None,
    },
    {"number": "14", "text": "What have we missed here?", "parent": None},
    {
        "number": "15",
        "text": "What are our parameters? What can we be clear on about what we will/will not do and join together?",
        "parent": None,
    },
    {
        "number": "16",
        "text": "What do we most fear? How can we mitigate against that?",
        "parent": None,
    },
]


def add_talking_points(apps, schema_editor):
    TalkingPoint = apps.get_model("talking_points", "TalkingPoint")
    by_number = {}
    for order, point in enumerate(TALKING_POINTS, start=1):
        obj, _ = TalkingPoint.objects.update_or_create(
            number=point["number"],
            forum=None,
            defaults={
                "text": point["text"],
                "sort_order": order,
                "parent": by_number.get(point["parent"]),
            },
        )
        by_number[point["number"]] = obj


def remove_talking_points(apps, schema_editor):
    TalkingPoint = apps.get_model("talking_points", "TalkingPoint")
    TalkingPoint.objects.filter(forum=None).delete()


class Migration(migrations.Migration):
    dependencies = [("talking_points", "0001_initial")]

    operations = [migrations.RunPython(add_talking_points, remove_talking_points)]
