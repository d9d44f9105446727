"""The administrator's yearly calendar table, on top of the `holidays` package."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKDAY = "workday", _("Make-up working day")


class CalendarOverride(models.Model):
    """Lịch nghỉ/làm bù: a day off or a make-up working day, national or for one province.

    Write through `services.calendar_override_set` / `calendar_override_delete` only: they also
    turn the calendar revision that tells every process its cached calendars are stale.
    """

    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=OverrideKind.choices)
    province = models.ForeignKey(
        "units.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("province"),
        help_text=_("Empty: applies nationally."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=models.Q(province__isnull=True),
                name="override_national_day_unique",
                violation_error_message=_("The national calendar already has an entry for this date."),
            ),
            models.UniqueConstraint(
                fields=["day", "province"],
                condition=models.Q(province__isnull=False),
                name="override_province_day_unique",
                violation_error_message=_("This province's calendar already has an entry for this date."),
            ),
        ]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"


class CalendarRevision(models.Model):
    """Phiên bản lịch: a single row whose token changes with every override write.

    Each process caches built calendars keyed by this token, so one primary-key read tells it
    whether the table changed. A random token (not a counter) never repeats after a rollback.
    """

    SINGLETON_PK = 1

    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar revision")
        verbose_name_plural = _("calendar revisions")

    def __str__(self) -> str:
        return self.token
