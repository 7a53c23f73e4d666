"""URLs of the cadres app, combined from one list per area."""
from django.urls import path

from . import views_appointments
from .views_assessment import assessment_urls
from .views_contact import contact_urls
from .views_exit import exit_urls
from .views_selection import selection_urls
from .views_training import training_urls

urlpatterns = [
    path("unions/<int:pk>/appoint/", views_appointments.appoint_view, name="appoint"),
    *training_urls, *assessment_urls, *contact_urls, *exit_urls, *selection_urls,
]
