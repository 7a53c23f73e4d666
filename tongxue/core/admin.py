"""Django admin: for university and federation administrators only (is_staff accounts)."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    AccessEvent, Campus, College, ImportJob, Major, Role, RoleAssignment, Student, StudentClass, University, User,
)
from .scope import scope_of


class TenantAdmin(admin.ModelAdmin):
    """Admin pages open to university administrators (is_staff plus the administrator role),
    each seeing and choosing only records of their own university; superusers and federation
    administrators see all."""

    def _scope(self, request):
        return scope_of(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and self._scope(request).is_admin

    has_view_permission = has_change_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )

    def universities(self, request):
        scope = self._scope(request)
        return None if scope.all_universities else scope.admin_university_ids

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        allowed = self.universities(request)
        if allowed is None:
            return queryset
        field = "pk" if self.model is University else "university_id"
        return queryset.filter(**{f"{field}__in": allowed})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        allowed = self.universities(request)
        related = db_field.related_model
        if allowed is not None:
            if related is University:
                kwargs["queryset"] = University.objects.filter(pk__in=allowed)
            elif any(f.name == "university" for f in related._meta.fields):
                kwargs["queryset"] = related._default_manager.filter(university_id__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TenantInline:
    """Inlines follow the permission of the page they sit on."""

    def has_view_permission(self, request, obj=None):
        return scope_of(request.user).is_admin

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(University)
class UniversityAdmin(TenantAdmin):
    list_display = ["name", "code", "is_large"]

    def has_add_permission(self, request):
        return scope_of(request.user).all_universities

    def has_delete_permission(self, request, obj=None):
        return scope_of(request.user).all_universities


@admin.register(Campus)
class CampusAdmin(TenantAdmin):
    list_display = ["name", "code", "university"]
    list_filter = ["university"]


@admin.register(College)
class CollegeAdmin(TenantAdmin):
    list_display = ["name", "code", "kind", "campus", "university"]
    list_filter = ["university", "kind"]
    search_fields = ["name", "code"]


@admin.register(Major)
class MajorAdmin(TenantAdmin):
    list_display = ["name", "code", "college"]
    list_filter = ["university"]
    search_fields = ["name", "code"]


@admin.register(StudentClass)
class StudentClassAdmin(TenantAdmin):
    list_display = ["name", "college", "major", "grade"]
    list_filter = ["university", "grade"]
    search_fields = ["name"]
    raw_id_fields = ["college", "major"]


@admin.register(Student)
class StudentAdmin(TenantAdmin):
    list_display = ["student_no", "name", "college", "major", "enrolment_year", "political_status"]
    list_filter = ["university", "degree_level", "political_status"]
    search_fields = ["student_no", "name"]
    raw_id_fields = ["user", "college", "major", "student_class"]


class RoleAssignmentInline(TenantInline, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["college", "student_class"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not scope_of(request.user).all_universities:
            # Nobody grants a role wider than their own.
            kwargs["choices"] = [c for c in db_field.choices if c[0] != Role.FEDERATION_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_of(request.user)
        if not scope.all_universities:
            allowed = scope.admin_university_ids
            if db_field.name == "university":
                kwargs["queryset"] = University.objects.filter(pk__in=allowed)
            elif db_field.name in ("college", "student_class"):
                kwargs["queryset"] = db_field.related_model.objects.filter(university_id__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(TenantAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "university", "is_staff", "is_active"]
    list_filter = ["university", "is_staff", "is_active"]
    search_fields = ["username", "login_id", "full_name"]
    fieldsets = [
        (None, {"fields": ["university", "login_id", "username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email", "phone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"fields": ["university", "login_id", "username", "full_name", "password1", "password2"]})]
    inlines = [RoleAssignmentInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only superusers make superusers or edit permission groups.
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in ("is_superuser", "groups")]})
                for name, opts in fieldsets]


@admin.register(AccessEvent)
class AccessEventAdmin(TenantAdmin):
    list_display = ["created", "actor", "method", "path"]
    list_filter = ["university"]
    readonly_fields = [f.name for f in AccessEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the access log is evidence: nobody deletes it from the admin


@admin.register(ImportJob)
class ImportJobAdmin(TenantAdmin):
    """Imports (roster, academic results) are read-only here: they are made on the import pages,
    through the service."""

    list_display = ["filename", "kind", "university", "actor", "status", "total_rows", "created_count",
                    "updated_count", "created"]
    list_filter = ["university", "kind", "status"]
    exclude = ["file", "rejected_rows"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
