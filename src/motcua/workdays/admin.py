"""Admin for the yearly calendar table; every write goes through the services."""

from django.contrib import admin
from django.db import transaction
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

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
        if value and value.isdigit():
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
