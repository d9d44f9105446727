"""Admin screens for the catalog.

The forms call the same single-rule checks as the services (specs.*_problems), and every saved
version is put through `services.procedure_version_resave`, so text is normalized, the search key
rebuilt and every rule run whichever screen wrote the version. A version used by dossiers is
shown read-only; the "new version" action copies it to edit.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.core.text import nfc, search_key
from motcua.workdays.core import CalendarError, LimitKind, TimeLimit

from . import services, specs
from .choices import Channel
from .models import Fee, Field, Procedure, ProcedureVersion, ProcessStep, RequiredComponent
from .selectors import version_is_used


def _errors(messages_: list[str]) -> list[str]:
    return [capfirst(m) for m in messages_]


# -- fields -----------------------------------------------------------------------------------------------
class FieldForm(forms.ModelForm):
    class Meta:
        model = Field
        fields = ["code", "name"]

    def clean_code(self) -> str:
        return nfc(self.cleaned_data["code"])

    def clean_name(self) -> str:
        return nfc(self.cleaned_data["name"])


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    form = FieldForm
    list_display = ["code", "name", "procedure_count"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_procedure_count=Count("procedures"))

    @admin.display(description=_("procedures"), ordering="_procedure_count")
    def procedure_count(self, obj: Field) -> int:
        return obj._procedure_count


# -- procedures -------------------------------------------------------------------------------------------
class VersionLinkInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["version", "name", "effective_from", "effective_to", "is_demo"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-effective_from"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = ["national_code", "field"]

    def clean_national_code(self) -> str:
        return nfc(self.cleaned_data["national_code"])


def _accent_insensitive(queryset, term: str, lookup: str):
    for word in search_key(term).split():
        queryset = queryset.filter(**{lookup: word})
    return queryset


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = ["national_code", "current_name", "field"]
    list_filter = ["field"]
    list_select_related = ["field"]
    search_fields = ["national_code"]
    inlines = [VersionLinkInline]
    readonly_fields = ["add_version"]

    def get_readonly_fields(self, request, obj=None):
        # The national code is part of every version's search key; it identifies, it does not change.
        return ["national_code", "add_version"] if obj else []

    def get_queryset(self, request):
        latest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-effective_from")
        return super().get_queryset(request).annotate(_current_name=Subquery(latest.values("name")[:1]))

    def get_search_results(self, request, queryset, search_term):
        by_code, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_name = _accent_insensitive(queryset, search_term, "versions__search_text__contains")
        return (by_code | by_name).distinct(), True

    @admin.display(description=_("name"))
    def current_name(self, obj: Procedure) -> str:
        return obj._current_name or ""

    @admin.display(description=_("new version"))
    def add_version(self, obj: Procedure) -> str:
        url = reverse("admin:catalog_procedureversion_add") + f"?procedure={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Add a version"))


# -- versions ---------------------------------------------------------------------------------------------
class ProcedureVersionForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    limit_kind = forms.ChoiceField(
        label=_("time limit kind"),
        choices=[
            (LimitKind.SAME_DAY.value, _("Same day")),
            (LimitKind.WORKING_DAYS.value, _("Working days")),
            (LimitKind.WORKING_HOURS.value, _("Working hours")),
            (LimitKind.CALENDAR_DAYS.value, _("Calendar days")),
        ],
    )

    class Meta:
        model = ProcedureVersion
        fields = [
            "procedure",
            "effective_from",
            "effective_to",
            "name",
            "level",
            "competent_unit_type",
            "applicants",
            "steps_description",
            "limit_kind",
            "limit_amount",
            "limit_note",
            "channels",
            "boundary_free",
            "result_type",
            "legal_basis",
            "fee_note",
            "is_demo",
        ]

    def clean_channels(self) -> list[str]:
        channels = list(self.cleaned_data["channels"])
        problems = specs.channel_problems(channels)
        if problems:
            raise ValidationError(_errors(problems))
        return channels

    def clean(self):
        data = super().clean()
        kind, amount = data.get("limit_kind"), data.get("limit_amount")
        if kind and amount is not None:
            if kind == LimitKind.SAME_DAY:
                data["limit_amount"] = amount = Decimal(0)
            try:
                limit = TimeLimit(LimitKind(kind), amount)
            except CalendarError as exc:
                self.add_error("limit_amount", str(exc))
            else:
                problem = specs.limit_amount_problem(limit)
                if problem:
                    self.add_error("limit_amount", capfirst(problem))
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The version cannot end before it starts."))
        return data

    def parent_limit(self) -> TimeLimit | None:
        try:
            return TimeLimit(LimitKind(self.instance.limit_kind), self.instance.limit_amount)
        except (CalendarError, ValueError, TypeError):
            return None


class _ChildFormSet(forms.BaseInlineFormSet):
    """Checks what spans rows (positions) and calls the spec checks for each row."""

    what = ""

    def live_forms(self) -> list[forms.Form]:
        return [
            f
            for f in self.forms
            if hasattr(f, "cleaned_data") and f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        rows = self.live_forms()
        # Our checks first: the model's unique check in super().clean() would hide them.
        problems = specs.position_problems([f.cleaned_data.get("position") for f in rows], str(self.what))
        for form in rows:
            for problem in self.row_problems(form.cleaned_data):
                form.add_error(None, capfirst(problem))
        problems += self.set_problems([f.cleaned_data for f in rows])
        if problems:
            raise ValidationError(_errors(problems))
        super().clean()

    def row_problems(self, data: dict) -> list[str]:
        return []

    def set_problems(self, rows: list[dict]) -> list[str]:
        return []


class ComponentFormSet(_ChildFormSet):
    what = _("component")

    def row_problems(self, data: dict) -> list[str]:
        return specs.component_problems(
            specs.ComponentSpec(
                name=nfc(data.get("name")),
                paper_form=data.get("paper_form") or "",
                copies=data.get("copies") or 0,
            )
        )


class FeeFormSet(_ChildFormSet):
    what = _("fee")

    def row_problems(self, data: dict) -> list[str]:
        fee = specs.FeeSpec(
            name=nfc(data.get("name")),
            kind=data.get("kind") or "",
            channel=data.get("channel") or "",
            amount=data.get("amount") or 0,
            pages_at_first_rate=data.get("pages_at_first_rate"),
            later_page_amount=data.get("later_page_amount"),
            cap=data.get("cap"),
        )
        return specs.fee_problems(fee, list(self.instance.channels or []))


class StepFormSet(_ChildFormSet):
    what = _("step")

    def row_problems(self, data: dict) -> list[str]:
        return specs.step_problems(
            specs.StepSpec(
                name=nfc(data.get("name")),
                role=data.get("role") or "",
                budget_days=data.get("budget_days") or Decimal(0),
            )
        )

    def set_problems(self, rows: list[dict]) -> list[str]:
        try:
            limit = TimeLimit(LimitKind(self.instance.limit_kind), self.instance.limit_amount)
        except (CalendarError, ValueError, TypeError):
            return []  # the version form reports the bad limit itself
        budgets = [row["budget_days"] for row in rows if row.get("budget_days")]
        problem = specs.budget_problem_text(limit, budgets)
        return [problem] if problem else []


class StepForm(forms.ModelForm):
    class Meta:
        model = ProcessStep
        fields = ["position", "name", "role", "department_code", "budget_days"]

    def __init__(self, *args, **kwargs):
        from motcua.units.models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(label=_("role"), choices=Role.choices)


class _FrozenWhenUsed:
    """Inlines of a used version are read-only like the version itself."""

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and version_is_used(obj))

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not (obj and version_is_used(obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and version_is_used(obj))


class ComponentInline(_FrozenWhenUsed, admin.TabularInline):
    model = RequiredComponent
    formset = ComponentFormSet
    fields = ["position", "name", "paper_form", "copies", "mandatory", "condition", "form_template"]
    extra = 0


class FeeInline(_FrozenWhenUsed, admin.TabularInline):
    model = Fee
    formset = FeeFormSet
    fields = [
        "position",
        "name",
        "kind",
        "channel",
        "amount",
        "pages_at_first_rate",
        "later_page_amount",
        "cap",
        "note",
    ]
    extra = 0


class StepInline(_FrozenWhenUsed, admin.TabularInline):
    model = ProcessStep
    form = StepForm
    formset = StepFormSet
    fields = ["position", "name", "role", "department_code", "budget_days"]
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    form = ProcedureVersionForm
    list_display = ["name", "procedure_code", "version", "effective_from", "effective_to", "is_demo"]
    list_filter = ["procedure__field", "level", "boundary_free", "is_demo"]
    list_select_related = ["procedure"]
    search_fields = ["procedure__national_code"]
    autocomplete_fields = ["procedure"]
    inlines = [ComponentInline, FeeInline, StepInline]
    actions = ["new_version"]
    date_hierarchy = "effective_from"

    @admin.display(description=_("national code"), ordering="procedure__national_code")
    def procedure_code(self, obj: ProcedureVersion) -> str:
        return obj.procedure.national_code

    def get_search_results(self, request, queryset, search_term):
        by_code, _unused = super().get_search_results(request, queryset, search_term)
        by_name = _accent_insensitive(queryset, search_term, "search_text__contains")
        return (by_code | by_name).distinct(), True

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and version_is_used(obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and version_is_used(obj))

    def get_readonly_fields(self, request, obj=None):
        # Moving a version to another procedure would rewrite history; copy it instead.
        return ["procedure"] if obj else []

    def save_model(self, request, obj: ProcedureVersion, form, change: bool) -> None:
        if not change:
            last = obj.procedure.versions.order_by("-version").values_list("version", flat=True).first()
            obj.version = (last or 0) + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.procedure_version_resave(version=form.instance)

    @admin.action(description=_("Create a new version (effective tomorrow) from the selected versions"))
    def new_version(self, request, queryset) -> None:
        for version in queryset.select_related("procedure"):
            try:
                created = services.procedure_version_copy(version=version)
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
                continue
            url = reverse("admin:catalog_procedureversion_change", args=[created.pk])
            self.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', _("Created"), url, created),
                messages.SUCCESS,
            )
