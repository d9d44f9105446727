"""The audit in the admin: read-only for superusers (the staff page `/nhat-ky-truy-cap/` is where
center and province administrators read their part)."""

from django.contrib import admin

from .models import ReadAudit, SecurityEvent


class ReadOnlyAudit(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


@admin.register(ReadAudit)
class ReadAuditAdmin(ReadOnlyAudit):
    list_display = ("at", "user", "action", "target", "channel", "center", "ip")
    list_filter = ("action", "channel")
    search_fields = ("target", "user__username")
    date_hierarchy = "at"


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAudit):
    list_display = ("at", "kind", "subject", "actor", "center")
    list_filter = ("kind",)
