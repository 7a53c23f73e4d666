from django.contrib import admin

from .models import AgendaItem, CommitteeMember, CongressSession, Delegate


@admin.register(CongressSession)
class CongressSessionAdmin(admin.ModelAdmin):
    list_display = ["union", "number", "kind", "status", "opens_on"]
    list_filter = ["status", "kind"]


admin.site.register([CommitteeMember, Delegate, AgendaItem])
