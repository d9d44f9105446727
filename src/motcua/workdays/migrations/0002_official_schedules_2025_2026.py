"""The government's published holiday schedules for 2025 and 2026 (officials and public employees).

Every weekday off and every make-up working day is listed, even where the `holidays` package
already knows it, so the schedule does not shift with the package version. The data is frozen
here on purpose: a migration must not change when application code does.
"""

from datetime import date

from django.db import migrations

DAY_OFF, WORKDAY = "day_off", "workday"

TET_2025 = "Tết Nguyên đán Ất Tỵ 2025 (nghỉ từ thứ Bảy 25/01 đến hết Chủ nhật 02/02/2025)"
TET_2026 = "Tết Nguyên đán Bính Ngọ 2026 (nghỉ từ thứ Bảy 14/02 đến hết Chủ nhật 22/02/2026)"
NATIONAL_DAY = "Quốc khánh 2/9"
NATIONAL_DAY_ADJACENT = "Quốc khánh 2/9, ngày nghỉ liền kề"

SCHEDULE = [
    # 2025
    ("2025-01-01", DAY_OFF, "Tết Dương lịch 2025"),
    ("2025-01-27", DAY_OFF, TET_2025),
    ("2025-01-28", DAY_OFF, TET_2025),
    ("2025-01-29", DAY_OFF, TET_2025),
    ("2025-01-30", DAY_OFF, TET_2025),
    ("2025-01-31", DAY_OFF, TET_2025),
    ("2025-04-07", DAY_OFF, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    ("2025-04-26", WORKDAY, "Làm bù cho ngày nghỉ thứ Sáu 02/05/2025"),
    ("2025-04-30", DAY_OFF, "Ngày Chiến thắng 30/4 (nghỉ từ thứ Tư 30/4 đến hết Chủ nhật 04/5/2025)"),
    ("2025-05-01", DAY_OFF, "Ngày Quốc tế Lao động 1/5"),
    ("2025-05-02", DAY_OFF, "Nghỉ hoán đổi, làm bù vào thứ Bảy 26/04/2025"),
    ("2025-09-01", DAY_OFF, f"{NATIONAL_DAY_ADJACENT} (nghỉ từ thứ Bảy 30/8 đến hết thứ Ba 02/9/2025)"),
    ("2025-09-02", DAY_OFF, NATIONAL_DAY),
    # 2026
    ("2026-01-01", DAY_OFF, "Tết Dương lịch 2026 (nghỉ từ thứ Năm 01/01 đến hết Chủ nhật 04/01/2026)"),
    ("2026-01-02", DAY_OFF, "Nghỉ hoán đổi dịp Tết Dương lịch, làm bù vào thứ Bảy 10/01/2026"),
    ("2026-01-10", WORKDAY, "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026"),
    ("2026-02-16", DAY_OFF, TET_2026),
    ("2026-02-17", DAY_OFF, TET_2026),
    ("2026-02-18", DAY_OFF, TET_2026),
    ("2026-02-19", DAY_OFF, TET_2026),
    ("2026-02-20", DAY_OFF, TET_2026),
    ("2026-04-27", DAY_OFF, "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật 26/04/2026)"),
    ("2026-04-30", DAY_OFF, "Ngày Chiến thắng 30/4 (nghỉ từ thứ Năm 30/4 đến hết Chủ nhật 03/5/2026)"),
    ("2026-05-01", DAY_OFF, "Ngày Quốc tế Lao động 1/5"),
    ("2026-08-22", WORKDAY, "Làm bù cho ngày nghỉ thứ Hai 31/08/2026"),
    ("2026-08-31", DAY_OFF, "Nghỉ hoán đổi dịp Quốc khánh, làm bù vào thứ Bảy 22/08/2026"),
    ("2026-09-01", DAY_OFF, f"{NATIONAL_DAY_ADJACENT} (nghỉ từ thứ Bảy 29/8 đến hết thứ Tư 02/9/2026)"),
    ("2026-09-02", DAY_OFF, NATIONAL_DAY),
]


def add_schedule(apps, schema_editor):
    CalendarOverride = apps.get_model("workdays", "CalendarOverride")
    manager = CalendarOverride.objects.db_manager(schema_editor.connection.alias)
    for day, kind, note in SCHEDULE:
        manager.update_or_create(
            day=date.fromisoformat(day), province=None, defaults={"kind": kind, "note": note}
        )


def remove_schedule(apps, schema_editor):
    CalendarOverride = apps.get_model("workdays", "CalendarOverride")
    days = [date.fromisoformat(day) for day, _kind, _note in SCHEDULE]
    CalendarOverride.objects.using(schema_editor.connection.alias).filter(
        province__isnull=True, day__in=days
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_schedule, remove_schedule),
    ]
