"""The national portal's state codes as rows, so an administrator sees them in the admin and edits
them there (the code's defaults in `nationalportal.DEFAULT_STATE_CODES` serve only a state that
has no row). Copied here: a migration must not change when the code does."""

from django.db import migrations

CODES = {
    "submitted": "1",
    "received": "2",
    "in_progress": "3",
    "interagency": "4",
    "supplement_requested": "5",
    "reception_supplement": "5",
    "refused": "6",
    "reception_refused": "6",
    "withdrawn": "7",
    "result_ready": "9",
    "returned": "10",
}


def seed(apps, schema_editor):
    PortalStateCode = apps.get_model("notify", "PortalStateCode")
    for state, code in CODES.items():
        PortalStateCode.objects.get_or_create(state=state, defaults={"code": code})


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_labels_in_vietnamese")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
