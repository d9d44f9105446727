"""Admin for units and staff. Non-superusers see and change only their own centers (or province),
and cannot hand out roles or permissions beyond their own."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import Commune, Counter, Department, Province, Role, ServiceCenter, StaffRole, User
from .scoping import centers_for_user, scope_queryset, user_scope


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

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, center_field="id")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commune" and not request.user.is_superuser:
            kwargs["queryset"] = Commune.objects.filter(province__in=user_scope(request.user).province_codes)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["province"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        scope = user_scope(request.user)
        return qs.filter(center__in=scope.center_ids) | qs.filter(province__in=scope.province_codes)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            scope = user_scope(request.user)
            if db_field.name == "center":
                kwargs["queryset"] = centers_for_user(request.user)
            elif db_field.name == "province":
                kwargs["queryset"] = Province.objects.filter(code__in=scope.province_codes)
            elif db_field.name == "department":
                kwargs["queryset"] = Department.objects.filter(center__in=scope.center_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            allowed = [Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CENTER_ADMIN]
            if user_scope(request.user).province_codes:
                allowed.append(Role.PROVINCE_ADMIN)
            kwargs["choices"] = [(r.value, r.label) for r in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((None, {"fields": ("full_name",)}),)
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [StaffRoleInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        scope = user_scope(request.user)
        return (
            qs.filter(staff_roles__center__in=scope.center_ids)
            | qs.filter(staff_roles__province__in=scope.province_codes)
        ).distinct()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Only a superuser hands out superuser status, groups or raw permissions.
        return [
            (None, {"fields": ("username", "password")}),
            (None, {"fields": ("full_name", "first_name", "last_name", "email", "is_active")}),
        ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not StaffRole:
            return super().save_formset(request, form, formset, change)
        # Roles go through the service so the role's admin group follows.
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in formset.save(commit=False):
            if instance.pk:
                instance.save()
            else:
                services.staff_role_grant(
                    user=instance.user,
                    role=instance.role,
                    center=instance.center,
                    province=instance.province,
                    department=instance.department,
                )
