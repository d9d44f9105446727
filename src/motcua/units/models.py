"""Administrative units, service centers and the staff who work in them."""

from datetime import time

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.officehours import DEFAULT_CUTOFF, DEFAULT_OFFICE_HOURS, OfficeHours


class Province(models.Model):
    """Tỉnh / thành phố trực thuộc trung ương: a province-level unit with its official code."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    codename = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """Xã / phường / đặc khu: a commune-level unit with its official 5-digit code."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    codename = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["province_id", "code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name


def default_office_hours() -> dict:
    return DEFAULT_OFFICE_HOURS.to_json()


def validate_office_hours(value) -> None:
    try:
        OfficeHours.from_json(value)
    except (TypeError, ValueError, KeyError) as exc:
        raise ValidationError(_("Invalid office hours: %(error)s"), params={"error": exc}) from exc


class ServiceCenter(models.Model):
    """Trung tâm Phục vụ hành chính công: the one-stop shop of a commune."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="centers")
    name = models.CharField(_("name"), max_length=200)
    agency_code = models.CharField(
        _("agency code"),
        max_length=40,
        unique=True,
        help_text=_("Identifier under the national agency coding standard, used in dossier codes."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    office_hours = models.JSONField(
        _("office hours"),
        default=default_office_hours,
        validators=[validate_office_hours],
        help_text=_('Per weekday (0 = Monday) a list of ["HH:MM", "HH:MM"] sessions.'),
    )
    cutoff = models.TimeField(
        _("same-day cut-off"),
        default=time.fromisoformat(DEFAULT_CUTOFF),
        help_text=_("Same-day procedures received after this time are due the next working day."),
    )
    area_type = models.CharField(
        _("area type"),
        max_length=10,
        choices=[("urban", _("Urban")), ("rural", _("Rural")), ("remote", _("Remote"))],
        default="rural",
    )
    yearly_target_per_officer = models.PositiveIntegerField(
        _("yearly dossiers per desk officer (target)"), default=1200
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["commune_id", "name"]
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")

    def __str__(self) -> str:
        return self.name

    @property
    def province_id(self) -> str:
        return self.commune.province_id

    def hours(self) -> OfficeHours:
        return OfficeHours.from_json(self.office_hours)


class Department(models.Model):
    """Bộ phận / phòng chuyên môn: a department of the commune that handles dossiers."""

    center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, related_name="departments")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["center_id", "name"]
        constraints = [models.UniqueConstraint(fields=["center", "code"], name="department_code_per_center")]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """Quầy: a reception desk of a center, serving some fields."""

    center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    fields = models.ManyToManyField("catalog.Field", blank=True, verbose_name=_("fields served"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["center_id", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="counter_number_per_center")]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class User(AbstractUser):
    """Người dùng: a staff account. What it may see and do comes from its roles."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Desk officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    CENTER_ADMIN = "center_admin", _("Center administrator")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")


class StaffRole(models.Model):
    """Vai trò: one role of a user in one unit (a center, or a whole province for its admins)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True)
    center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, null=True, blank=True)
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.CheckConstraint(
                name="staffrole_scope",
                condition=(
                    models.Q(role="province_admin", province__isnull=False, center__isnull=True)
                    | (
                        ~models.Q(role="province_admin")
                        & models.Q(center__isnull=False, province__isnull=True)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.center or self.province}"

    def clean(self) -> None:
        if self.role == Role.PROVINCE_ADMIN and (self.province_id is None or self.center_id is not None):
            raise ValidationError(_("A province administrator belongs to a province, not a center."))
        if self.role != Role.PROVINCE_ADMIN and (self.center_id is None or self.province_id is not None):
            raise ValidationError(_("This role belongs to a service center."))
        if self.department_id and self.department.center_id != self.center_id:
            raise ValidationError(_("The department must belong to the same center."))
