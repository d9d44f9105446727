"""Read-only admin views of dossiers and their events: history is changed only by services."""

from django.contrib import admin

from motcua.units.scoping import scope_queryset

from .models import Dossier, DossierEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = DossierEvent
    fields = ["seq", "action", "from_state", "to_state", "actor_name", "at", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnly):
    list_display = [
        "code",
        "applicant_name",
        "procedure_version",
        "state",
        "channel",
        "received_at",
        "due_at",
        "outcome",
    ]
    list_filter = ["state", "channel", "outcome", "boundary_free", "center"]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    list_select_related = ["procedure_version"]
    date_hierarchy = "received_at"
    inlines = [EventInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, "center") | scope_queryset(
            super().get_queryset(request), request.user, "receiving_center"
        )
