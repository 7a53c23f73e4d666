from django.contrib import admin

from tongxue.core.admin import TenantAdmin, TenantInline

from .models import Association, Department, Membership, Term, Union


@admin.register(Union)
class UnionAdmin(TenantAdmin):
    list_display = ["name", "level", "kind", "college", "campus", "university"]
    list_filter = ["university", "level", "kind"]


class DepartmentInline(TenantInline, admin.TabularInline):
    model = Department
    extra = 0
    exclude = ["university"]


@admin.register(Term)
class TermAdmin(TenantAdmin):
    list_display = ["union", "number", "start_date", "end_date", "is_current"]
    list_filter = ["university", "is_current"]
    inlines = [DepartmentInline]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["student", "position", "department", "term", "start_date", "end_date"]
    list_filter = ["university", "position"]
    raw_id_fields = ["student", "term", "department"]


@admin.register(Association)
class AssociationAdmin(TenantAdmin):
    list_display = ["name", "category", "relation", "member_count", "is_main"]
    list_filter = ["university", "relation", "is_main"]
