"""Roster import pages (placeholder, replaced by the roster import work)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path

from .scope import scope_of


@login_required
def roster_import(request):
    if not scope_of(request.user).can_import_roster:
        raise PermissionDenied
    return render(request, "core/roster_import.html", {})


urlpatterns = [path("import/", roster_import, name="import")]
