from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.shortcuts import redirect

from tongxue.core import views as core_views

admin.site.site_header = admin.site.site_title = "Tongxue 同学"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("", include("tongxue.core.urls_account")),
    path("me/", core_views.me, name="me"),
    path("me/data.json", core_views.my_data, name="my_data"),
    path("org/", include(("tongxue.core.urls_org", "org"))),
    path("students/", include(("tongxue.core.urls_students", "students"))),
    path("unions/", include(("tongxue.unions.urls", "unions"))),
    path("rules/", include(("tongxue.rules.urls", "rules"))),
    path("cadres/", include(("tongxue.cadres.urls", "cadres"))),
    path("rights/", include(("tongxue.rights.urls", "rights"))),
    path("public/rights/", include(("tongxue.rights.urls_public", "public_rights"))),
    path("public/proposals/", include(("tongxue.proposals.urls_public", "public_proposals"))),
    path("public/notices/", include(("tongxue.cadres.urls_public", "public_notices"))),
    path("public/congress/", include(("tongxue.congress.urls_public", "public_congress"))),
    path("public/charter/", include(("tongxue.congress.urls_public_charter", "public_charter"))),
    path("public/elections/", include(("tongxue.elections.urls_public", "public_elections"))),
    path("public/", include(("tongxue.rules.urls_public", "public"))),
    path("congress/", include(("tongxue.congress.urls", "congress"))),
    path("proposals/", include(("tongxue.proposals.urls", "proposals"))),
    path("elections/", include(("tongxue.elections.urls", "elections"))),
    path("notifications/", include(("tongxue.notifications.urls", "notifications"))),
    path("audit/", core_views.audit_history, name="audit"),
    path("calendar/", include(("tongxue.core.urls_calendar", "calendar"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", lambda request: redirect(static("tongxue/favicon.svg"), permanent=True)),
    path("api/", include("tongxue.api.urls")),
]
