from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("unions/<int:pk>/", views.union_findings, name="union"),
]
