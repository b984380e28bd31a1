"""Each stored signature records the signing version; those stored before are version 1 (the
normalised text, before the matter text), so that `sigap triage index` re-signs them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0003_lsh_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="triageresult",
            name="signature_version",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunSQL(
            "UPDATE triage_triageresult SET signature_version = 1 WHERE signature IS NOT NULL",
            migrations.RunSQL.noop,
        ),
    ]
