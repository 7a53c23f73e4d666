from django.urls import path

from . import views

urlpatterns = [
    path("", views.org_tree, name="tree"),
    path("colleges/<int:pk>/", views.college_detail, name="college"),
]
