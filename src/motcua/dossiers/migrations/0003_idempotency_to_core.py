# The idempotency record moved to the core app: state only, the table stays.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_result_delivery"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyRecord")],
            database_operations=[],
        ),
    ]
