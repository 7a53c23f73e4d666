from django.urls import path

from . import views_appointments

urlpatterns = [
    path("unions/<int:pk>/appoint/", views_appointments.appoint_view, name="appoint"),
]
