from django.contrib import admin

from .models import Commune, Counter, Department, Province, ServiceCenter, StaffRole, User
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["code", "name", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province", "division_type"]
    search_fields = ["code", "name", "codename"]
    list_select_related = ["province"]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin):
    list_display = ["name", "agency_code", "commune", "cutoff", "is_active"]
    list_filter = ["commune__province", "is_active", "area_type"]
    search_fields = ["name", "agency_code", "commune__name"]
    autocomplete_fields = ["commune"]
    list_select_related = ["commune"]
    inlines = [DepartmentInline, CounterInline]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["center", "province"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((None, {"fields": ("full_name",)}),)
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [StaffRoleInline]
