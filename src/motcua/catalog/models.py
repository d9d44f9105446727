"""The procedure catalog: fields, procedures and their versions with components, fees and steps.

A procedure's rules live in a ProcedureVersion with an effective date; a dossier keeps the
version it was filed under, so a published version is never edited in place once used.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.workdays.core import LimitKind, TimeLimit

from .choices import Channel, FeeKind, Level, PaperForm
from .rules import FeeRule

__all__ = [
    "Channel",
    "Fee",
    "FeeKind",
    "Field",
    "Level",
    "PaperForm",
    "Procedure",
    "ProcedureVersion",
    "ProcessStep",
    "RequiredComponent",
]


class Field(models.Model):
    """Lĩnh vực: a field of administrative procedures (civil status, land, residence...)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """Thủ tục hành chính: the stable identity of a procedure; its rules are in versions."""

    national_code = models.CharField(_("national code"), max_length=40, unique=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("field")
    )

    class Meta:
        ordering = ["national_code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        current = self.versions.order_by("-effective_from").first()
        return f"{self.national_code} {current.name if current else ''}".strip()


class ProcedureVersion(models.Model):
    """Phiên bản thủ tục: the rules of a procedure from an effective date on."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version number"))  # "version" alone: Django says "version"
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=400)
    search_text = models.CharField(
        _("search text"), max_length=600, editable=False, db_index=True, default=""
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.COMMUNE)
    competent_unit_type = models.CharField(
        _("competent unit"), max_length=200, help_text=_("E.g. commune People's Committee.")
    )
    applicants = models.TextField(_("who may apply"), blank=True)
    steps_description = models.TextField(_("steps"), blank=True)
    limit_kind = models.CharField(
        _("time limit kind"), max_length=20, choices=[(k.value, k.value) for k in LimitKind]
    )
    limit_amount = models.DecimalField(
        _("time limit amount"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    limit_note = models.CharField(_("time limit note"), max_length=300, blank=True)
    channels = models.JSONField(_("channels"), default=list)
    boundary_free = models.BooleanField(_("boundary-free reception"), default=False)
    result_type = models.CharField(_("result"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    fee_note = models.CharField(_("fee note"), max_length=300, blank=True)
    is_demo = models.BooleanField(
        _("contains demo values"),
        default=False,
        help_text=_("Some values are plausible demo values, not official."),
    )
    form = models.JSONField(
        _("e-form of the declaration"),
        default=dict,
        blank=True,
        help_text=_("The declaration's typed fields (see catalog.eform); set through the catalog import."),
    )

    class Meta:
        ordering = ["procedure_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="procedure_version_unique"),
            models.UniqueConstraint(
                fields=["procedure", "effective_from"], name="procedure_effective_unique"
            ),
        ]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def time_limit(self) -> TimeLimit:
        return TimeLimit(LimitKind(self.limit_kind), self.limit_amount)


class RequiredComponent(models.Model):
    """Thành phần hồ sơ: one paper the dossier must (or may) contain."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=500)
    paper_form = models.CharField(
        _("form of paper"), max_length=30, choices=PaperForm.choices, default=PaperForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    condition = models.CharField(_("required when"), max_length=500, blank=True)
    form_template = models.FileField(_("form template"), upload_to="forms/", blank=True)

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="component_position_unique")
        ]
        verbose_name = _("required component")
        verbose_name_plural = _("required components")

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """Phí, lệ phí: a fee of a procedure version, possibly only for one channel."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=FeeKind.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, blank=True, help_text=_("Empty: every channel.")
    )
    amount = models.PositiveIntegerField(
        _("amount (VND)"), default=0, help_text=_("Fixed amount, or per page.")
    )
    pages_at_first_rate = models.PositiveSmallIntegerField(
        _("pages at the first rate"), null=True, blank=True
    )
    later_page_amount = models.PositiveIntegerField(_("amount per later page (VND)"), null=True, blank=True)
    cap = models.PositiveIntegerField(_("maximum per copy (VND)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="fee_position_unique")]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> FeeRule:
        return FeeRule(
            kind=self.kind,
            channel=self.channel,
            amount=self.amount,
            pages_at_first_rate=self.pages_at_first_rate,
            later_page_amount=self.later_page_amount,
            cap=self.cap,
        )


class ProcessStep(models.Model):
    """Bước quy trình nội bộ: one step of the internal process with its time budget."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role"), max_length=20)
    department_code = models.CharField(_("department"), max_length=40, blank=True)
    budget_days = models.DecimalField(_("time budget (working days)"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="step_position_unique")]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")

    def __str__(self) -> str:
        return self.name
