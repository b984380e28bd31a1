"""Each result records the version of entity extraction that read it; those stored before are
version 0, so that `sigap triage index` reads their entities and writes their entity keys again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0004_signature_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="triageresult",
            name="entities_version",
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
