"""Administration of the queue: services with the counters that call them; tickets and bookings
are shown read-only (they change through the console, the kiosk and the booking pages)."""

from django.contrib import admin

from .models import Appointment, CounterService, QueueService, Ticket


class CounterServiceInline(admin.TabularInline):
    model = CounterService
    extra = 1
    autocomplete_fields = ()


@admin.register(QueueService)
class QueueServiceAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "center", "is_open", "daily_capacity", "service_minutes")
    list_filter = ("is_open", "center")
    search_fields = ("name", "prefix", "center__name")
    filter_horizontal = ("procedures",)
    inlines = [CounterServiceInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnly):
    list_display = (
        "code",
        "day",
        "service",
        "status",
        "priority",
        "channel",
        "arrived_at",
        "counter",
        "dossier",
    )
    list_filter = ("status", "channel", "priority", "day")
    search_fields = ("code",)
    list_select_related = ("service", "counter", "dossier")


@admin.register(Appointment)
class AppointmentAdmin(ReadOnly):
    list_display = ("code", "starts_at", "service", "status", "name")
    list_filter = ("status", "starts_at")
    search_fields = ("code", "id_number")
    list_select_related = ("service",)
