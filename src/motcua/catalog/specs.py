"""A procedure version as plain data, its normalization and its validation.

Services, the file import and the admin all describe a version with these dataclasses and check
it with `version_problems` (or the single-rule helpers it is made of), so each rule has one home.
Problems are short lower-case phrases meant to follow a location ('row 3, field "limit": ...').
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc, search_key
from motcua.workdays.core import LimitKind, TimeLimit

from . import eform, rules
from .choices import Channel, FeeKind, Level, PaperForm
from .display import limit_text, number_text
from .models import Fee, ProcedureVersion, ProcessStep, RequiredComponent

# What the integer columns hold on every database (PostgreSQL refuses more, SQLite would not).
MAX_AMOUNT = 2_147_483_647
MAX_SMALL = 32_767


@dataclass(frozen=True)
class ComponentSpec:
    """Thành phần hồ sơ."""

    name: str
    paper_form: str = PaperForm.ORIGINAL
    copies: int = 1
    mandatory: bool = True
    condition: str = ""
    form_template: str = ""


@dataclass(frozen=True)
class FeeSpec:
    """Phí, lệ phí."""

    name: str
    kind: str
    channel: str = ""
    amount: int = 0
    pages_at_first_rate: int | None = None
    later_page_amount: int | None = None
    cap: int | None = None
    note: str = ""

    @property
    def rule(self) -> rules.FeeRule:
        return rules.FeeRule(
            kind=self.kind,
            channel=self.channel,
            amount=self.amount,
            pages_at_first_rate=self.pages_at_first_rate,
            later_page_amount=self.later_page_amount,
            cap=self.cap,
        )


@dataclass(frozen=True)
class StepSpec:
    """Bước quy trình nội bộ."""

    name: str
    role: str
    budget_days: Decimal
    department_code: str = ""


@dataclass(frozen=True)
class VersionSpec:
    """Everything a procedure version says; `version` None lets the service number it."""

    effective_from: date
    name: str
    competent_unit: str
    limit: TimeLimit
    version: int | None = None
    effective_to: date | None = None
    level: str = Level.COMMUNE
    applicants: str = ""
    steps_description: str = ""
    limit_note: str = ""
    channels: tuple[str, ...] = (Channel.COUNTER,)
    boundary_free: bool = False
    result: str = ""
    legal_basis: str = ""
    fee_note: str = ""
    is_demo: bool = False
    components: tuple[ComponentSpec, ...] = ()
    fees: tuple[FeeSpec, ...] = ()
    steps: tuple[StepSpec, ...] = ()
    form: eform.FormSpec | None = None  # the e-form of the declaration (tờ khai), if any


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return _('field "%(field)s": %(problem)s') % {"field": self.field, "problem": self.message}


class CatalogInvalid(ValidationFailed):
    """One or more problems with catalog data; `problems` lists them all."""

    code = "catalog_invalid"

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(str(p) for p in self.problems), field=self.problems[0].field)


class CatalogFileError(ValidationFailed):
    """A catalog file was refused whole; `problems` are full lines ('row 3, field "limit": ...')."""

    code = "catalog_file_invalid"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# -- normalization -----------------------------------------------------------------------------------
def clean_text(value: str | None) -> str:
    """NFC, trimmed, with Windows line ends made plain (CSV from Excel brings CRLF inside cells)."""
    return nfc((value or "").replace("\r\n", "\n").replace("\r", "\n"))


def _normalized(obj):
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, str):
            changes[f.name] = clean_text(value)
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            changes[f.name] = tuple(_normalized(item) for item in value)
        elif isinstance(value, eform.FormSpec):
            changes[f.name] = _normalized(value)
        elif isinstance(value, tuple):
            changes[f.name] = tuple(clean_text(v) if isinstance(v, str) else v for v in value)
    return dataclasses.replace(obj, **changes)


def normalize_version(spec: VersionSpec) -> VersionSpec:
    """Every text in NFC: Vietnamese typed on some keyboards or pasted from PDFs arrives as NFD."""
    return _normalized(spec)


def version_search_text(name: str, national_code: str) -> str:
    """What the accent-insensitive search looks in."""
    return search_key(f"{name} {national_code}")


# -- single rules (the admin forms call these too) ------------------------------------------------------
def channel_problems(channels: tuple[str, ...] | list[str]) -> list[str]:
    if not channels:
        return [_("at least one channel is needed")]
    problems = []
    for channel in channels:
        if channel not in Channel.values:
            problems.append(
                _('unknown channel "%(channel)s" (use one of %(choices)s)')
                % {"channel": channel, "choices": ", ".join(Channel.values)}
            )
    duplicates = sorted({c for c in channels if list(channels).count(c) > 1})
    if duplicates:
        problems.append(_("channel %(channel)s is listed twice") % {"channel": duplicates[0]})
    return problems


def budget_problem_text(
    limit: TimeLimit, budgets: list[Decimal], daily_hours: Decimal = Decimal(8)
) -> str | None:
    """The one wording of "the steps do not fit in the limit", with the figures."""
    problem = rules.check_step_budgets(limit, budgets, daily_hours)
    if problem is None:
        return None
    return _(
        "the internal process steps take %(total)s working days in total, but the time limit "
        "(%(limit)s) allows at most %(allowed)s"
    ) % {
        "total": number_text(problem.total),
        "allowed": number_text(problem.allowed),
        "limit": limit_text(problem.limit),
    }


def position_problems(positions: list[int | None], what: str) -> list[str]:
    return [
        _("%(what)s position %(position)d is used twice") % {"what": what, "position": position}
        for position in rules.duplicate_positions(positions)
    ]


def limit_amount_problem(limit: TimeLimit) -> str | None:
    """The model keeps two decimals; a finer amount would be rounded silently."""
    if limit.amount != limit.amount.quantize(Decimal("0.01")) or limit.amount >= 10_000:
        return _("the time limit amount %(amount)s has more than 2 decimals or is too large") % {
            "amount": number_text(limit.amount)
        }
    return None


def fee_problems(fee: FeeSpec, channels: tuple[str, ...] | list[str]) -> list[str]:
    problems = []
    if not fee.name:
        problems.append(_("a fee needs a name"))
    if fee.kind not in FeeKind.values:
        return problems + [
            _('unknown fee kind "%(kind)s" (use one of %(choices)s)')
            % {"kind": fee.kind, "choices": ", ".join(FeeKind.values)}
        ]
    if fee.channel:
        if fee.channel not in Channel.values:
            problems.append(_('unknown channel "%(channel)s"') % {"channel": fee.channel})
        elif fee.channel not in channels:
            problems.append(
                _("the fee is for channel %(channel)s, which the procedure does not offer")
                % {"channel": fee.channel}
            )
    for label, value, highest in (
        ("amount", fee.amount, MAX_AMOUNT),
        ("pages_at_first_rate", fee.pages_at_first_rate, MAX_SMALL),
        ("later_page_amount", fee.later_page_amount, MAX_AMOUNT),
        ("cap", fee.cap, MAX_AMOUNT),
    ):
        if value is not None and value < 0:
            problems.append(_("%(name)s cannot be negative") % {"name": label})
        elif value is not None and value > highest:
            problems.append(_("%(name)s is too large") % {"name": label})
    priced = fee.kind in (FeeKind.FIXED, FeeKind.PER_PAGE)
    if priced and fee.amount <= 0:
        problems.append(_("a fixed or per-page fee needs an amount above 0 (use kind free instead)"))
    if not priced and (fee.amount or fee.cap is not None or fee.pages_at_first_rate is not None):
        problems.append(_("a free fee or one set by the province takes no amount"))
    if fee.kind == FeeKind.FIXED and (
        fee.pages_at_first_rate is not None or fee.later_page_amount is not None
    ):
        problems.append(_("page rates only apply to a per-page fee"))
    if fee.kind == FeeKind.PER_PAGE:
        if (fee.pages_at_first_rate is None) != (fee.later_page_amount is None):
            problems.append(_("give both the pages at the first rate and the later-page amount, or neither"))
        if fee.pages_at_first_rate is not None and fee.pages_at_first_rate < 1:
            problems.append(_("pages at the first rate must be at least 1"))
        if fee.cap is not None and fee.cap < fee.amount:
            problems.append(_("the cap per copy is below the price of one page"))
    return problems


def step_problems(step: StepSpec) -> list[str]:
    from motcua.units.models import Role

    problems = []
    if not step.name:
        problems.append(_("a step needs a name"))
    if step.role not in Role.values:
        problems.append(
            _('unknown role "%(role)s" (use one of %(choices)s)')
            % {"role": step.role, "choices": ", ".join(Role.values)}
        )
    if step.budget_days <= 0:
        problems.append(_("a step's time budget must be above 0"))
    elif step.budget_days != step.budget_days.quantize(Decimal("0.01")) or step.budget_days >= 10_000:
        problems.append(
            _("the time budget %(budget)s has more than 2 decimals or is too large")
            % {"budget": number_text(step.budget_days)}
        )
    return problems


def component_problems(component: ComponentSpec) -> list[str]:
    problems = []
    if not component.name:
        problems.append(_("a component needs a name"))
    if component.paper_form not in PaperForm.values:
        problems.append(
            _('unknown form of paper "%(form)s" (use one of %(choices)s)')
            % {"form": component.paper_form, "choices": ", ".join(PaperForm.values)}
        )
    if not 1 <= component.copies <= MAX_SMALL:
        problems.append(_("the number of copies must be between 1 and %(max)d") % {"max": MAX_SMALL})
    return problems


_LENGTHS = [
    ("name", ProcedureVersion, "name"),
    ("competent_unit", ProcedureVersion, "competent_unit_type"),
    ("limit_note", ProcedureVersion, "limit_note"),
    ("result", ProcedureVersion, "result_type"),
    ("fee_note", ProcedureVersion, "fee_note"),
]
_ITEM_LENGTHS = {
    "components": [("name", RequiredComponent, "name"), ("condition", RequiredComponent, "condition")],
    "fees": [("name", Fee, "name"), ("note", Fee, "note")],
    "steps": [("name", ProcessStep, "name"), ("department_code", ProcessStep, "department_code")],
}


def _too_long(value: str, model, field_name: str) -> str | None:
    limit = model._meta.get_field(field_name).max_length
    if len(value) > limit:
        return _("%(length)d characters, at most %(limit)d allowed") % {"length": len(value), "limit": limit}
    return None


# -- the whole version --------------------------------------------------------------------------------
def version_problems(spec: VersionSpec) -> list[Problem]:
    """Every problem of a (normalized) version, in field order; empty when it is valid."""
    found: list[Problem] = []

    def add(field: str, message: str | None) -> None:
        if message:
            found.append(Problem(field, message))

    if spec.version is not None and not 1 <= spec.version <= MAX_AMOUNT:
        add("version", _("the version number must be a whole number from 1"))
    if spec.effective_to is not None and spec.effective_to < spec.effective_from:
        add(
            "effective_to",
            _("the version ends on %(end)s, before it starts on %(start)s")
            % {"end": f"{spec.effective_to:%d/%m/%Y}", "start": f"{spec.effective_from:%d/%m/%Y}"},
        )
    if not spec.name:
        add("name", _("a procedure needs a name"))
    if not spec.competent_unit:
        add("competent_unit", _("the competent unit is missing"))
    for field, model, model_field in _LENGTHS:
        add(field, _too_long(getattr(spec, field), model, model_field))
    if spec.level not in Level.values:
        add(
            "level",
            _('unknown level "%(level)s" (use one of %(choices)s)')
            % {"level": spec.level, "choices": ", ".join(Level.values)},
        )
    add("limit", limit_amount_problem(spec.limit))
    for message in channel_problems(spec.channels):
        add("channels", message)
    for group, items, check in (
        ("components", spec.components, component_problems),
        ("fees", spec.fees, lambda fee: fee_problems(fee, spec.channels)),
        ("steps", spec.steps, step_problems),
    ):
        for number, item in enumerate(items, start=1):
            messages = list(check(item))
            for attr, model, model_field in _ITEM_LENGTHS[group]:
                long = _too_long(getattr(item, attr), model, model_field)
                if long:
                    messages.append(f"{attr}: {long}")
            for message in messages:
                add(group, _("item %(number)d: %(problem)s") % {"number": number, "problem": message})
    if spec.steps and all(step.budget_days > 0 for step in spec.steps):
        add("steps", budget_problem_text(spec.limit, [step.budget_days for step in spec.steps]))
    if spec.form is not None:
        for message in eform.form_problems(spec.form, len(spec.components)):
            add("form", message)
    return found


def check_version(spec: VersionSpec) -> VersionSpec:
    """The normalized spec, or CatalogInvalid listing every problem."""
    spec = normalize_version(spec)
    problems = version_problems(spec)
    if problems:
        raise CatalogInvalid(problems)
    return spec


def spec_from_version(version: ProcedureVersion) -> VersionSpec:
    """The stored version as a spec (uses prefetched children when present)."""
    return VersionSpec(
        version=version.version,
        effective_from=version.effective_from,
        effective_to=version.effective_to,
        name=version.name,
        level=version.level,
        competent_unit=version.competent_unit_type,
        applicants=version.applicants,
        steps_description=version.steps_description,
        limit=TimeLimit(LimitKind(version.limit_kind), version.limit_amount),
        limit_note=version.limit_note,
        channels=tuple(version.channels or ()),
        boundary_free=version.boundary_free,
        result=version.result_type,
        legal_basis=version.legal_basis,
        fee_note=version.fee_note,
        is_demo=version.is_demo,
        components=tuple(
            ComponentSpec(
                name=c.name,
                paper_form=c.paper_form,
                copies=c.copies,
                mandatory=c.mandatory,
                condition=c.condition,
                form_template=c.form_template.name or "",
            )
            for c in version.components.all()
        ),
        fees=tuple(
            FeeSpec(
                name=f.name,
                kind=f.kind,
                channel=f.channel,
                amount=f.amount,
                pages_at_first_rate=f.pages_at_first_rate,
                later_page_amount=f.later_page_amount,
                cap=f.cap,
                note=f.note,
            )
            for f in version.fees.all()
        ),
        steps=tuple(
            StepSpec(name=s.name, role=s.role, budget_days=s.budget_days, department_code=s.department_code)
            for s in version.steps.all()
        ),
        form=eform.form_from_dict(version.form) if version.form else None,
    )
