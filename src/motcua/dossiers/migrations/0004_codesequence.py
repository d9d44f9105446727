# "Counter" named four things (a desk, this table, report tallies and a channel): the dossier code's
# sequence is called what it is. The table keeps its name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_idempotency_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameModel(old_name="CodeCounter", new_name="CodeSequence"),
                migrations.AlterModelTable(name="codesequence", table="dossiers_codecounter"),
            ],
            database_operations=[],
        ),
    ]
