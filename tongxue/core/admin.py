"""Django admin: for university and federation administrators only (is_staff accounts)."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    AccessEvent, Campus, College, ImportJob, Major, RoleAssignment, Student, StudentClass, University, User,
)


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_large"]


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "university"]
    list_filter = ["university"]


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "campus", "university"]
    list_filter = ["university", "kind"]
    search_fields = ["name", "code"]


@admin.register(Major)
class MajorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "college"]
    list_filter = ["university"]
    search_fields = ["name", "code"]


@admin.register(StudentClass)
class StudentClassAdmin(admin.ModelAdmin):
    list_display = ["name", "college", "major", "grade"]
    list_filter = ["university", "grade"]
    search_fields = ["name"]
    raw_id_fields = ["college", "major"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["student_no", "name", "college", "major", "enrolment_year", "political_status"]
    list_filter = ["university", "degree_level", "political_status"]
    search_fields = ["student_no", "name"]
    raw_id_fields = ["user", "college", "major", "student_class"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["college", "student_class"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["created", "actor", "method", "path"]
    list_filter = ["university"]
    readonly_fields = [f.name for f in AccessEvent._meta.fields]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Roster imports are read-only here: they are made on the import page, through the service."""

    list_display = ["filename", "university", "actor", "status", "total_rows", "created_count", "updated_count",
                    "created"]
    list_filter = ["university", "status"]
    exclude = ["file", "rejected_rows"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
