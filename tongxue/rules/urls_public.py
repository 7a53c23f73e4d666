"""Public pages (no login): the published self-assessment of a university and of one union."""
from django.urls import path

from . import views

urlpatterns = [
    path("<slug:code>/self-assessment/<str:year>/", views.public_university, name="self_assessment"),
    path("<slug:code>/self-assessment/<str:year>/<int:union_id>/", views.public_union,
         name="self_assessment_union"),
]
