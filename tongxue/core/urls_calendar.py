from django.urls import path

from . import views_calendar as views

urlpatterns = [
    path("", views.calendar_page, name="page"),
    path("official/add/", views.official_add, name="official_add"),
    path("official/bulk/", views.official_bulk, name="official_bulk"),
    path("official/<int:pk>/delete/", views.official_delete, name="official_delete"),
    path("years/<int:year>/", views.year_update, name="year_update"),
    path("years/<int:year>/copy/", views.year_copy, name="year_copy"),
    path("overrides/add/", views.override_add, name="override_add"),
    path("overrides/<int:pk>/delete/", views.override_delete, name="override_delete"),
]
