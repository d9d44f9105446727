"""Which admin screens each staff role may use. Roles map to groups kept in step by the services."""

from django.contrib.auth.models import Group, Permission

from .models import Role

# Administrators manage through /admin/; the other roles work in the staff pages only.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CENTER_ADMIN: (
        "units.view_servicecenter",
        "units.change_servicecenter",
        "units.view_department",
        "units.add_department",
        "units.change_department",
        "units.delete_department",
        "units.view_counter",
        "units.add_counter",
        "units.change_counter",
        "units.delete_counter",
        "units.view_user",
        "units.add_user",
        "units.change_user",
        "units.view_staffrole",
        "units.add_staffrole",
        "units.change_staffrole",
        "units.delete_staffrole",
        "units.view_commune",
        "units.view_province",
        "catalog.view_field",
        "catalog.view_procedure",
        "catalog.view_procedureversion",
        "workdays.view_calendaroverride",
        "dossiers.view_dossier",
    ),
}
ROLE_PERMISSIONS[Role.PROVINCE_ADMIN] = ROLE_PERMISSIONS[Role.CENTER_ADMIN] + (
    "units.add_servicecenter",
    "catalog.add_field",
    "catalog.change_field",
    "catalog.add_procedure",
    "catalog.change_procedure",
    "catalog.add_procedureversion",
    "catalog.change_procedureversion",
    "workdays.add_calendaroverride",
    "workdays.change_calendaroverride",
    "workdays.delete_calendaroverride",
)
# Notifications: the province's channel settings, message templates and webhook subscriptions.
ROLE_PERMISSIONS[Role.PROVINCE_ADMIN] += tuple(
    f"notify.{verb}_{model}"
    for model in ("provinceintegration", "messagetemplate", "webhooksubscription")
    for verb in ("view", "add", "change", "delete")
) + ("notify.view_portalstatecode", "notify.change_portalstatecode")


def role_group(role: str) -> Group | None:
    """The group carrying a role's admin permissions (created and refreshed on demand)."""
    codes = ROLE_PERMISSIONS.get(role)
    if not codes:
        return None
    group, _ = Group.objects.get_or_create(name=f"motcua:{role}")
    wanted = set()
    for code in codes:
        app_label, codename = code.split(".")
        wanted.add((app_label, codename))
    permissions = [
        p
        for p in Permission.objects.select_related("content_type").filter(codename__in=[c for _, c in wanted])
        if (p.content_type.app_label, p.codename) in wanted
    ]
    group.permissions.set(permissions)
    return group
