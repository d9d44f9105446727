# The idempotency record moved here from the dossiers app: state only, the table stays.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("dossiers", "0002_result_delivery"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=120, verbose_name="key")),
                        ("scope", models.CharField(help_text="who sent it: user id or 'public'", max_length=120, verbose_name="scope")),
                        ("request_hash", models.CharField(max_length=64, verbose_name="request fingerprint")),
                        ("status", models.PositiveSmallIntegerField(default=200, verbose_name="status")),
                        ("response", models.JSONField(default=dict, verbose_name="response")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                    ],
                    options={
                        "verbose_name": "idempotency record",
                        "verbose_name_plural": "idempotency records",
                        "db_table": "dossiers_idempotencyrecord",
                        "constraints": [models.UniqueConstraint(fields=("scope", "key"), name="idempotency_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
