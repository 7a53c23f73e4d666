"""Configuration of the rights desk for university administrators: categories, offices and their
staff, routing rules and deadlines. Cases themselves are handled on the rights pages."""
from django.contrib import admin

from tongxue.core.admin import TenantAdmin

from .models import Category, DeskConfig, Office, RoutingRule


@admin.register(Category)
class CategoryAdmin(TenantAdmin):
    list_display = ["name", "name_en", "code", "order", "is_sensitive", "is_active", "university"]
    list_filter = ["university", "is_active", "is_sensitive"]


@admin.register(Office)
class OfficeAdmin(TenantAdmin):
    list_display = ["name", "code", "is_active", "university"]
    list_filter = ["university", "is_active"]
    filter_horizontal = ["staff"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        allowed = self.universities(request)
        if db_field.name == "staff" and allowed is not None:
            from tongxue.core.models import User

            kwargs["queryset"] = User.objects.filter(university_id__in=allowed)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(RoutingRule)
class RoutingRuleAdmin(TenantAdmin):
    list_display = ["__str__", "category", "college", "campus", "level", "handler", "priority"]
    list_filter = ["university", "level"]
    raw_id_fields = ["handler"]


@admin.register(DeskConfig)
class DeskConfigAdmin(TenantAdmin):
    list_display = ["university", "accept_days", "answer_days", "close_days"]
