"""Template helpers of the staff pages: labels in the staff catalog's words, the user's roles."""

from django import template

from motcua.staff import labels
from motcua.staff.access import roles_of
from motcua.staff.panels import desk_panels as _desk_panels

register = template.Library()


@register.filter
def state_label(value: str) -> str:
    return labels.state(value)


@register.filter
def dossier_state_label(dossier) -> str:
    """The state of a dossier: a kiosk filing awaiting reception is not "submitted online"."""
    if dossier.state == "submitted" and dossier.channel == "kiosk":
        return labels.KIOSK_SUBMITTED
    return labels.state(dossier.state)


@register.filter
def channel_label(value: str) -> str:
    return labels.channel(value)


@register.filter
def role_label(value: str) -> str:
    return labels.role(value)


@register.filter
def method_label(value: str) -> str:
    return labels.return_method(value)


@register.filter
def outcome_label(value: str) -> str:
    return labels.outcome(value)


@register.filter
def paper_form_label(value: str) -> str:
    return labels.paper_form(value)


@register.filter
def deadline_label(value: str) -> str:
    label = labels.DEADLINE.get(value)
    return str(label) if label is not None else ""


@register.simple_tag
def staff_roles(user) -> frozenset:
    """The roles of the signed-in user (computed once per request: the scope is cached on it)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return roles_of(user)


@register.simple_tag(takes_context=True)
def desk_panels(context):
    """The panels other apps registered for the counter desk page (see `staff.panels`)."""
    return _desk_panels(context.get("request"))
