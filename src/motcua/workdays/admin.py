"""Admin for the yearly calendar table; every write goes through the services."""

from django.contrib import admin
from django.db import transaction
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from motcua.units.models import Province
from motcua.units.scoping import user_scope

from . import services
from .models import CalendarOverride


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarOverride.objects.dates("day", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(day__year=int(value))
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "weekday", "kind", "province", "note"]
    list_filter = [YearFilter, "kind", ("province", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["province"]
    search_fields = ["note"]
    date_hierarchy = "day"
    ordering = ["-day"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarOverride) -> str:
        return WEEKDAYS_ABBR[obj.day.weekday()]

    # A province administrator reads the national table and edits only their province's entries.
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(province__isnull=True) | qs.filter(
            province__in=user_scope(request.user).province_codes
        )

    def _own(self, request, obj) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        return obj.province_id in user_scope(request.user).province_codes

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._own(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province" and not request.user.is_superuser:
            kwargs["queryset"] = Province.objects.filter(code__in=user_scope(request.user).province_codes)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The date and scope identify an entry; moving one is a delete and an add, so the
        # service never has to reconcile a changed key.
        return ["day", "province"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.calendar_override_set(
            day=obj.day, kind=obj.kind, province=obj.province_id, note=obj.note
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.calendar_override_delete(day=obj.day, province=obj.province_id)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_override_delete(day=obj.day, province=obj.province_id)
