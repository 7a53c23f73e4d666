from django.urls import path

from . import views, views_roster

urlpatterns = [
    path("", views.student_list, name="list"),
    path("export.xlsx", views.student_export, name="export"),
    path("<int:pk>/", views.student_detail, name="detail"),
    *views_roster.urlpatterns,
]
