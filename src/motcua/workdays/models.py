"""The administrator's yearly calendar table, on top of the `holidays` package."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKDAY = "workday", _("Make-up working day")


class CalendarOverride(models.Model):
    """Lịch nghỉ/làm bù: a day off or a make-up working day, national or for one province."""

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
                fields=["day"], condition=models.Q(province__isnull=True), name="override_national_day_unique"
            ),
            models.UniqueConstraint(
                fields=["day", "province"],
                condition=models.Q(province__isnull=False),
                name="override_province_day_unique",
            ),
        ]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"
