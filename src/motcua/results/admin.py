from django.contrib import admin

from .models import RemoteSigningService, ResultDocument, SigningKey


@admin.register(ResultDocument)
class ResultDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "dossier", "kind", "signed_at", "revoked_at")
    list_select_related = ("dossier",)
    readonly_fields = [f.name for f in ResultDocument._meta.fields]
    search_fields = ("dossier__code", "title")

    def has_add_permission(self, request):  # results are issued by the services, never by hand
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "center", "user", "kind", "active")
    list_filter = ("kind", "active")
    raw_id_fields = ("user",)


@admin.register(RemoteSigningService)
class RemoteSigningServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "province", "base_url", "active")
