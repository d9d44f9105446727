from django.contrib import admin

from .models import Declaration


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    """Read-only: a declaration is made at the counter with its dossier."""

    list_display = ["dossier", "document", "applicant_id_number", "signed", "created_at"]
    list_filter = ["signed"]
    search_fields = ["dossier__code", "applicant_id_number"]
    readonly_fields = [
        "dossier",
        "document",
        "applicant_id_number",
        "values",
        "signed",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
