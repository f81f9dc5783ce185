"""A company created before the phrase library existed gets the default phrases once.

A new company gets them from relaydesk.setup when it is created; a database without a company
(a fresh one, the tests') gets nothing here.
"""

from django.db import migrations

from relaydesk.replies.phrases import tag_text
from relaydesk.replies.phrases_defaults import default_phrases
from relaydesk.timekeeping import now


def add_defaults(apps, schema_editor):
    company = apps.get_model("org", "Company")
    phrase = apps.get_model("replies", "Phrase")
    if not company.objects.exists() or phrase.objects.exists():
        return
    moment = now()
    phrase.objects.bulk_create(
        phrase(
            title=entry.title,
            text=entry.text,
            principle=entry.principle,
            tags=tag_text(entry.tags),
            created_at=moment,
            updated_at=moment,
        )
        for entry in default_phrases()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_customer_words"),
        ("replies", "0001_phrase_library"),
    ]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
