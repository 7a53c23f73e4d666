"""Admin for the rule configuration (limits per university and year); attestations and
overrides are made on the rules pages, here they are read-only."""
from django.contrib import admin

from tongxue.core.admin import TenantAdmin

from .models import Attestation, Override, RuleConfig


@admin.register(RuleConfig)
class RuleConfigAdmin(TenantAdmin):
    list_display = ["university", "applies_from", "overrides"]
    list_filter = ["university"]


class ReadOnlyTenantAdmin(TenantAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyTenantAdmin):
    list_display = ["union", "academic_year", "rule_id", "attested", "by", "at"]
    list_filter = ["academic_year", "rule_id", "attested"]


@admin.register(Override)
class OverrideAdmin(ReadOnlyTenantAdmin):
    list_display = ["union", "academic_year", "rule_id", "description", "actor", "created"]
    list_filter = ["academic_year", "rule_id"]
